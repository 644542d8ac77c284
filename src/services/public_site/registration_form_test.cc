#include "services/public_site/registration_form.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/public_site/resident.h"

namespace ck::services::public_site {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RegistrationForm FormFrom(std::string_view body) {
  auto form = ParseUrlEncodedForm(body);
  EXPECT_TRUE(form.ok());
  return RegistrationForm::FromForm(*form);
}

TEST(PublicSiteRegistration, ReadsTheOriginalFieldNamesTrimmed) {
  RegistrationForm form =
      FormFrom("Name=+ig.nore.me+&type=m2.xlarge&age=10&pet=The+ignored+one&os=linux");
  EXPECT_EQ(form.name, "ig.nore.me");
  EXPECT_EQ(form.type, "m2.xlarge");
  EXPECT_EQ(form.age, "10");
  EXPECT_EQ(form.pet, "The ignored one");
  EXPECT_EQ(form.os, "linux");
  EXPECT_TRUE(form.Check().empty());
}

TEST(PublicSiteRegistration, BuildsRegisterApiJsonWithServiceAsNumber) {
  RegistrationForm form = FormFrom("Name=a&type=b&age=12&pet=c&os=d");
  nlohmann::json request = form.ToRegisterRequest();
  EXPECT_EQ(request, nlohmann::json::parse(
                         R"({"name":"a","type":"b","service":12,"petname":"c","os":"d"})"));
  EXPECT_TRUE(request["service"].is_number_integer());
}

TEST(PublicSiteRegistration, LeavesRequiredFieldsToTheBackend) {
  // Name, type and os are validate-api's business; the site only needs a usable age.
  EXPECT_TRUE(FormFrom("age=0").Check().empty());
}

TEST(PublicSiteRegistration, RejectsAnAgeThatIsNotAWholeNumber) {
  for (const char* age : {"", "ten", "1.5", "-1", "101", "12abc", "99999999999999999999"}) {
    RegistrationForm form;
    form.age = age;
    auto problems = form.Check();
    ASSERT_EQ(problems.size(), 1u) << age;
    EXPECT_THAT(problems[0], HasSubstr("whole number")) << age;
  }
}

TEST(PublicSiteRegistration, ErrorReasonsReadEveryShapeOfApiError) {
  EXPECT_THAT(
      ErrorReasons(
          R"({"error":"validation failed","reasons":["name is required","os is required"]})"),
      ElementsAre("name is required", "os is required"));
  EXPECT_THAT(ErrorReasons(R"({"valid":false,"message":["type is required"]})"),
              ElementsAre("type is required"));
  EXPECT_THAT(ErrorReasons(R"({"error":["a","b"]})"), ElementsAre("a", "b"));
  EXPECT_THAT(ErrorReasons(R"({"error":"TlsError: certificate verify failed"})"),
              ElementsAre("TlsError: certificate verify failed"));
  EXPECT_THAT(ErrorReasons("upstream connect error\n"), ElementsAre("upstream connect error"));
  EXPECT_TRUE(ErrorReasons("").empty());
  EXPECT_TRUE(ErrorReasons("{}").empty());
}

TEST(PublicSiteRegistration, ErrorReasonsShortenRawBodiesOnACharacterBoundary) {
  std::string body(299, 'x');
  body += "\xC3\xBC";  // a two-byte character straddling the cut
  body += std::string(500, 'y');
  auto reasons = ErrorReasons(body);
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], std::string(299, 'x') + "\xE2\x80\xA6");
}

TEST(PublicSiteResidents, ParsesListApiArray) {
  auto residents = ParseResidentList(R"([
    {"ckid":"ck1","name":"ig.nore.me","type":"m2.xlarge","service":10,"happiness":1,
     "petname":"The ignored one","os":"linux","image":"/img/server-1.svg"},
    {"ckid":"ck2","name":"b","service":"7","happiness":"42"}])");
  ASSERT_TRUE(residents.ok()) << residents.status().ToString();
  ASSERT_EQ(residents->size(), 2u);
  EXPECT_EQ((*residents)[0].ckid, "ck1");
  EXPECT_EQ((*residents)[0].petname, "The ignored one");
  EXPECT_EQ((*residents)[0].service, 10);
  EXPECT_EQ((*residents)[0].happiness, 1);
  EXPECT_EQ((*residents)[1].service, 7);
  EXPECT_EQ((*residents)[1].happiness, 10);  // clamped to the meter's range
  EXPECT_EQ((*residents)[1].os, "");
}

TEST(PublicSiteResidents, RejectsAnswersThatAreNotArraysOfObjects) {
  // The original list-api answered an object keyed by index; that must not look like "empty".
  EXPECT_FALSE(ParseResidentList(R"({"0":{"ckid":"ck1"}})").ok());
  EXPECT_FALSE(ParseResidentList("[1,2]").ok());
  EXPECT_FALSE(ParseResidentList("<html>").ok());
  EXPECT_TRUE(ParseResidentList("[]").ok());
}

}  // namespace
}  // namespace ck::services::public_site
