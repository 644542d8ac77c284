#include "services/public_site/page_renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/public_site/static_assets.h"

namespace ck::services::public_site {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kScriptName = "<script>alert(1)</script>";
constexpr const char* kAttributeBreakout = "\"><img src=x onerror=alert(1)>";
constexpr const char* kSingleQuoteBreakout = "' onmouseover='alert(1)";

Resident Ck1() {
  Resident resident;
  resident.ckid = "ck1";
  resident.name = "ig.nore.me";
  resident.type = "m2.xlarge";
  resident.service = 10;
  resident.happiness = 1;
  resident.petname = "The ignored one";
  resident.os = "linux";
  resident.image = "/img/server-1.svg";
  return resident;
}

// Nothing hostile may survive as markup: no script element, no injected element or attribute.
void ExpectInert(const std::string& html) {
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, Not(HasSubstr("' onmouseover='")));
  EXPECT_THAT(html, Not(HasSubstr("javascript:")));
}

void ExpectDocument(const std::string& html) {
  EXPECT_THAT(html, StartsWith("<!doctype html>"));
  EXPECT_THAT(html, HasSubstr("</html>"));
  EXPECT_THAT(html, HasSubstr("/static/style.css?v=" + AssetVersion()));
  // kainjow reports template errors in place of the output.
  EXPECT_THAT(html, Not(HasSubstr("Unclosed")));
  EXPECT_THAT(html, Not(HasSubstr("Unopened")));
}

TEST(PublicSiteRender, HomePageHasWelcomeAndNavigation) {
  std::string html = RenderHomePage();
  ExpectDocument(html);
  EXPECT_THAT(html, HasSubstr("href=\"/list\""));
  EXPECT_THAT(html, HasSubstr("href=\"/register\""));
  EXPECT_THAT(html, HasSubstr("<a class=\"nav-home\" href=\"/\" aria-current=\"page\">Home</a>"));
  EXPECT_THAT(html, HasSubstr("/img/home.svg"));
}

TEST(PublicSiteRender, ResidentCardShowsEverythingAndFeedsTheRealCkid) {
  std::string html = RenderResidentsPage({Ck1()});
  ExpectDocument(html);
  EXPECT_THAT(html, HasSubstr("id=\"resident-ck1\""));
  EXPECT_THAT(html, HasSubstr("ig.nore.me <span class=\"petname\">(The ignored one)</span>"));
  EXPECT_THAT(html, HasSubstr("<dd>m2.xlarge</dd>"));
  EXPECT_THAT(html, HasSubstr("<dd>linux</dd>"));
  EXPECT_THAT(html, HasSubstr("<dd>10</dd>"));
  EXPECT_THAT(html, HasSubstr("class=\"happiness-meter happiness-1\""));
  EXPECT_THAT(html, HasSubstr("aria-valuenow=\"1\""));
  EXPECT_THAT(html, HasSubstr("miserable"));
  EXPECT_THAT(html, HasSubstr("src=\"/img/server-1.svg\""));
  // Regression: the original's feed form sent the literal string "ckid".
  EXPECT_THAT(html, HasSubstr("<form class=\"feed-form\" method=\"post\" action=\"/feed\">"));
  EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"ckid\" value=\"ck1\">"));
  EXPECT_THAT(html, Not(HasSubstr("value=\"ckid\"")));
  EXPECT_THAT(html, HasSubstr("<a href=\"/list\" aria-current=\"page\">"));
}

TEST(PublicSiteRender, EmptyListInvitesARegistration) {
  std::string html = RenderResidentsPage({});
  ExpectDocument(html);
  EXPECT_THAT(html, HasSubstr("All the rooms are empty"));
  EXPECT_THAT(html, Not(HasSubstr("resident-card")));
}

TEST(PublicSiteRender, ResidentWithoutIdCannotBeFed) {
  Resident resident = Ck1();
  resident.ckid.clear();
  EXPECT_THAT(RenderResidentsPage({resident}), HasSubstr(" disabled>Feed the server"));
}

TEST(PublicSiteRender, HostileResidentFieldsAreInertInTextAndAttributes) {
  Resident resident = Ck1();
  resident.ckid = kAttributeBreakout;
  resident.name = kScriptName;
  resident.petname = kSingleQuoteBreakout;
  resident.type = "<b>bold</b>";
  resident.os = "&amp;";
  resident.image = "javascript:alert(1)";
  std::string html = RenderResidentsPage({resident});
  ExpectInert(html);
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("value=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\""));
  EXPECT_THAT(html, HasSubstr("id=\"resident-&quot;&gt;&lt;img"));
  EXPECT_THAT(html, HasSubstr("(&apos; onmouseover=&apos;alert(1))"));
  EXPECT_THAT(html, HasSubstr("alt=\"Picture of &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;bold&lt;/b&gt;"));
  EXPECT_THAT(html, HasSubstr("<dd>&amp;amp;</dd>"));
}

TEST(PublicSiteRender, OnlyLocalPicturePathsAreTrusted) {
  Resident resident = Ck1();
  for (const char* image : {"/img/server-3.svg", "/img/photo_2.jpeg", "/img/a-b.webp"}) {
    resident.image = image;
    EXPECT_EQ(ResidentPictureUrl(resident), image);
  }
  for (const char* image :
       {"", "javascript:alert(1)", "https://example.com/x.svg", "//example.com/img/x.svg",
        "/img/../etc/passwd", "/img/x.svg?a=1", "/img/.svg", "/img/x.html", "/static/style.css",
        "/img/a b.svg", "data:image/svg+xml,<svg onload=alert(1)>"}) {
    resident.image = image;
    std::string url = ResidentPictureUrl(resident);
    EXPECT_THAT(url, StartsWith("/img/server-")) << image;
    EXPECT_NE(FindStaticAsset(url), nullptr) << url;
  }
}

TEST(PublicSiteRender, MoodWordsCoverTheWholeScale) {
  EXPECT_EQ(MoodFor(0), "a mystery");
  EXPECT_EQ(MoodFor(1), "miserable");
  EXPECT_EQ(MoodFor(4), "grumpy");
  EXPECT_EQ(MoodFor(5), "content");
  EXPECT_EQ(MoodFor(8), "happy");
  EXPECT_EQ(MoodFor(10), "super happy");
}

TEST(PublicSiteRender, AbbreviateCutsLongTextAtACharacterBoundary) {
  EXPECT_EQ(Abbreviate("ck1"), "ck1");
  EXPECT_EQ(Abbreviate(std::string(kMaxEchoedChars, 'x')), std::string(kMaxEchoedChars, 'x'));
  EXPECT_EQ(Abbreviate(std::string(kMaxEchoedChars + 1, 'x')),
            std::string(kMaxEchoedChars, 'x') + "…");
  EXPECT_EQ(Abbreviate("héllo wörld", 4), "héll…");  // é is two bytes, one character
}

TEST(PublicSiteRender, RegisterFormKeepsInputEscapedAndListsErrors) {
  RegistrationForm form;
  form.name = kAttributeBreakout;
  form.type = kSingleQuoteBreakout;
  form.age = "ten";
  form.pet = kScriptName;
  form.os = "linux";
  std::string html = RenderRegisterPage(form, {"name is required", kScriptName});
  ExpectDocument(html);
  ExpectInert(html);
  EXPECT_THAT(html, HasSubstr("role=\"alert\""));
  EXPECT_THAT(html, HasSubstr("<li>name is required</li>"));
  EXPECT_THAT(html, HasSubstr("<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>"));
  EXPECT_THAT(html, HasSubstr("name=\"Name\" type=\"text\" value=\"&quot;&gt;&lt;img"));
  EXPECT_THAT(html, HasSubstr("name=\"type\" type=\"text\" value=\"&apos; onmouseover="));
  EXPECT_THAT(html, HasSubstr("name=\"age\" type=\"text\" inputmode=\"numeric\" value=\"ten\""));
  EXPECT_THAT(html, HasSubstr("name=\"os\" type=\"text\" value=\"linux\""));
  for (const char* field : {"Name", "type", "age", "pet", "os"}) {
    EXPECT_THAT(html, HasSubstr("name=\"" + std::string(field) + "\"")) << field;
  }
}

TEST(PublicSiteRender, FieldsNamedByReasonsAreMarkedInvalid) {
  std::string html =
      RenderRegisterPage({}, {"name is required", "OS: must be set", "something else"});
  EXPECT_THAT(html, HasSubstr("name=\"Name\" type=\"text\" value=\"\" aria-invalid=\"true\""));
  EXPECT_THAT(html, HasSubstr("name=\"os\" type=\"text\" value=\"\" aria-invalid=\"true\""));
  EXPECT_THAT(html, HasSubstr("name=\"type\" type=\"text\" value=\"\" placeholder="));
  EXPECT_THAT(html, HasSubstr("inputmode=\"numeric\" value=\"\" placeholder="));
}

TEST(PublicSiteRender, BlankRegisterFormHasNoErrorBox) {
  std::string html = RenderRegisterPage({}, {});
  ExpectDocument(html);
  EXPECT_THAT(html, Not(HasSubstr("role=\"alert\"")));
  EXPECT_THAT(html, HasSubstr("<form class=\"form-card\" method=\"post\" action=\"/register\">"));
}

TEST(PublicSiteRender, ErrorPageNamesTheBackendAndEscapesItsText) {
  ErrorPage page;
  page.status = 502;
  page.heading = "Our residents are napping";
  page.message = "Please try again.";
  page.backend = "list-api";
  page.detail = std::string("HTTP 500 Internal Server Error: ") + kScriptName;
  page.retry_href = "/list";
  std::string html = RenderErrorPage(page);
  ExpectDocument(html);
  ExpectInert(html);
  EXPECT_THAT(html, HasSubstr("Error 502"));
  EXPECT_THAT(html, HasSubstr("<strong>list-api</strong>"));
  EXPECT_THAT(html, HasSubstr("HTTP 500 Internal Server Error: &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("href=\"/list\">Try again</a>"));
  EXPECT_THAT(html, HasSubstr("<title>Our residents are napping · Cuddle Kube</title>"));
}

TEST(PublicSiteRender, ErrorPageWithoutBackendHasNoDetailBox) {
  ErrorPage page;
  page.status = 413;
  page.heading = "That is a lot of paperwork";
  std::string html = RenderErrorPage(page);
  EXPECT_THAT(html, HasSubstr("Error 413"));
  EXPECT_THAT(html, Not(HasSubstr("error-detail")));
  EXPECT_THAT(html, Not(HasSubstr("Try again")));
}

TEST(PublicSiteRender, NotFoundPageEscapesThePath) {
  std::string html = RenderNotFoundPage("/<script>alert(1)</script>");
  ExpectDocument(html);
  ExpectInert(html);
  EXPECT_THAT(html, HasSubstr("Error 404"));
  EXPECT_THAT(html, HasSubstr("/&lt;script&gt;alert(1)&lt;/script&gt;"));
}

TEST(PublicSiteAssets, ServesEveryResidentPictureAndTheStylesheet) {
  for (int n = 1; n <= 6; ++n) {
    const StaticAsset* asset = FindStaticAsset("/img/server-" + std::to_string(n) + ".svg");
    ASSERT_NE(asset, nullptr) << n;
    EXPECT_EQ(asset->content_type, "image/svg+xml");
    EXPECT_THAT(std::string(asset->body), StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_THAT(std::string(asset->body), Not(HasSubstr("<script")));
    EXPECT_EQ(asset->etag.front(), '"');
  }
  for (const char* path : {"/img/home.svg", "/img/logo.svg", "/img/favicon.svg"}) {
    EXPECT_NE(FindStaticAsset(path), nullptr) << path;
  }
  const StaticAsset* css = FindStaticAsset("/static/style.css");
  ASSERT_NE(css, nullptr);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_NE(FindStaticAsset("/static/site.js"), nullptr);
  EXPECT_EQ(FindStaticAsset("/img/server-7.svg"), nullptr);
  EXPECT_EQ(FindStaticAsset("/static/../img/logo.svg"), nullptr);
}

TEST(PublicSiteAssets, NothingLoadsFromAnotherOrigin) {
  // The site must work offline: no CDN, no web fonts, no remote images.
  for (const std::string& html :
       {RenderHomePage(), RenderResidentsPage({Ck1()}), RenderRegisterPage({}, {})}) {
    EXPECT_THAT(html, Not(HasSubstr("src=\"http")));
    EXPECT_THAT(html, Not(HasSubstr("href=\"http")));
    EXPECT_THAT(html, Not(HasSubstr("src=\"//")));
    EXPECT_THAT(html, Not(HasSubstr("href=\"//")));
  }
  EXPECT_THAT(std::string(FindStaticAsset("/static/style.css")->body), Not(HasSubstr("url(")));
  EXPECT_THAT(std::string(FindStaticAsset("/static/style.css")->body), Not(HasSubstr("@import")));
}

}  // namespace
}  // namespace ck::services::public_site
