#include "services/public_site/static_assets.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace ck::services::public_site {

extern const std::string_view kSiteStyleCss;
extern const std::string_view kServer1Svg;
extern const std::string_view kServer2Svg;
extern const std::string_view kServer3Svg;
extern const std::string_view kServer4Svg;
extern const std::string_view kServer5Svg;
extern const std::string_view kServer6Svg;
extern const std::string_view kHomeSvg;
extern const std::string_view kLogoSvg;

namespace {

// Progressive enhancement only: every page works without it.
constexpr std::string_view kSiteScript =
    R"js(// Cuddle Kube: small touches; the site works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.matches || !form.matches("form")) return;
  var button = form.querySelector("button[type=submit]");
  if (!button || button.disabled) return;
  // Keep a double click from feeding (or registering) twice.
  window.setTimeout(function () {
    button.disabled = true;
    if (button.dataset.busyLabel) button.textContent = button.dataset.busyLabel;
  }, 0);
});
)js";

constexpr std::string_view kCss = "text/css; charset=utf-8";
constexpr std::string_view kJs = "text/javascript; charset=utf-8";
constexpr std::string_view kSvg = "image/svg+xml";

uint64_t Fnv1a(std::string_view bytes, uint64_t hash = 14695981039346656037ull) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string Hex(uint64_t value, int digits) {
  std::array<char, 17> text{};
  std::snprintf(text.data(), text.size(), "%016llx", static_cast<unsigned long long>(value));
  return std::string(text.data() + 16 - digits, digits);
}

std::vector<StaticAsset> BuildAssets() {
  std::vector<StaticAsset> assets = {
      {"/static/style.css", kCss, kSiteStyleCss, {}}, {"/static/site.js", kJs, kSiteScript, {}},
      {"/img/server-1.svg", kSvg, kServer1Svg, {}},   {"/img/server-2.svg", kSvg, kServer2Svg, {}},
      {"/img/server-3.svg", kSvg, kServer3Svg, {}},   {"/img/server-4.svg", kSvg, kServer4Svg, {}},
      {"/img/server-5.svg", kSvg, kServer5Svg, {}},   {"/img/server-6.svg", kSvg, kServer6Svg, {}},
      {"/img/home.svg", kSvg, kHomeSvg, {}},          {"/img/logo.svg", kSvg, kLogoSvg, {}},
      {"/img/favicon.svg", kSvg, kLogoSvg, {}},
  };
  for (auto& asset : assets) asset.etag = "\"" + Hex(Fnv1a(asset.body), 16) + "\"";
  return assets;
}

const std::vector<StaticAsset>& Assets() {
  static const std::vector<StaticAsset> assets = BuildAssets();
  return assets;
}

}  // namespace

const StaticAsset* FindStaticAsset(std::string_view path) {
  for (const auto& asset : Assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

const std::string& AssetVersion() {
  static const std::string version = Hex(Fnv1a(kSiteScript, Fnv1a(kSiteStyleCss)), 10);
  return version;
}

}  // namespace ck::services::public_site
