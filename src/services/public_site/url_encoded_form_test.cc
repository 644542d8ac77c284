#include "services/public_site/url_encoded_form.h"

#include <gtest/gtest.h>

namespace ck::services::public_site {
namespace {

TEST(PublicSiteForm, DecodesPlusAndPercentEscapes) {
  auto form =
      ParseUrlEncodedForm("Name=ig.nore.me&pet=The+ignored+one&os=Open%42SD&type=a%2Bb%26c");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->Get("Name"), "ig.nore.me");
  EXPECT_EQ(form->Get("pet"), "The ignored one");
  EXPECT_EQ(form->Get("os"), "OpenBSD");
  EXPECT_EQ(form->Get("type"), "a+b&c");
}

TEST(PublicSiteForm, DecodesMultiByteUtf8) {
  auto form = ParseUrlEncodedForm("Name=M%C3%BCller+%E2%9D%A4%EF%B8%8F");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Get("Name"), "M\xC3\xBCller \xE2\x9D\xA4\xEF\xB8\x8F");
}

TEST(PublicSiteForm, KeepsFirstValueAndToleratesEmptyPairs) {
  auto form = ParseUrlEncodedForm("&a=1&&a=2&flag&=x&b=");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Get("a"), "1");
  EXPECT_TRUE(form->Has("flag"));
  EXPECT_EQ(form->Get("flag"), "");
  EXPECT_TRUE(form->Has("b"));
  EXPECT_FALSE(form->Has("missing"));
  EXPECT_EQ(form->Get("missing"), "");
  EXPECT_EQ(form->fields().size(), 5u);
}

TEST(PublicSiteForm, DecodesEscapedSeparatorsInsideValues) {
  auto form = ParseUrlEncodedForm("Name=a%3Db%26c%3D&x=%25");
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->Get("Name"), "a=b&c=");
  EXPECT_EQ(form->Get("x"), "%");
}

TEST(PublicSiteForm, RejectsMalformedEscapes) {
  for (const char* body : {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1"}) {
    auto form = ParseUrlEncodedForm(body);
    EXPECT_FALSE(form.ok()) << body;
    EXPECT_EQ(form.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(PublicSiteForm, RejectsInvalidUtf8) {
  // A lone continuation byte, a truncated sequence, an overlong '/', a UTF-16 surrogate.
  for (const char* body : {"a=%80", "a=%C3", "a=%C0%AF", "a=%ED%A0%80", "a=%FF"}) {
    EXPECT_FALSE(ParseUrlEncodedForm(body).ok()) << body;
  }
}

TEST(PublicSiteForm, PercentEncodeKeepsOnlyUnreserved) {
  EXPECT_EQ(PercentEncode("ck-1_a.b~"), "ck-1_a.b~");
  EXPECT_EQ(PercentEncode("a b\"<>\r\n"), "a%20b%22%3C%3E%0D%0A");
  auto round_trip = DecodeFormComponent(PercentEncode("M\xC3\xBCller & co"));
  ASSERT_TRUE(round_trip.ok());
  EXPECT_EQ(*round_trip, "M\xC3\xBCller & co");
}

}  // namespace
}  // namespace ck::services::public_site
