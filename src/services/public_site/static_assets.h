// StaticAssets: the stylesheet, script and pictures compiled into the binary, so the site works
// offline and `ck` stays one self-contained file.
//
//   /static/style.css, /static/site.js            the look and a little progressive enhancement
//   /img/server-1.svg ... /img/server-6.svg        resident pictures (register-api assigns these)
//   /img/home.svg, /img/logo.svg, /img/favicon.svg
//
// Each asset carries its content type and a strong ETag (a hash of its bytes); AssetVersion()
// is a hash over the stylesheet and script that the layout appends to their URLs, so a new
// build is never hidden behind a browser cache.
//
// Thread-safety: immutable after first use; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace ck::services::public_site {

struct StaticAsset {
  std::string_view path;
  std::string_view content_type;
  std::string_view body;
  std::string etag;  // quoted, e.g. "\"5f2a9c01\""
};

// The asset served at `path` (no query string), or null.
const StaticAsset* FindStaticAsset(std::string_view path);

// Short hex hash of the stylesheet and script, for cache-busting URLs.
const std::string& AssetVersion();

}  // namespace ck::services::public_site
