#include "core/sigv4.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "core/crypto.h"

namespace ck::sigv4 {
namespace {

using ::testing::HasSubstr;

// AWS's published SigV4 test suite (aws-sig-v4-test-suite): every case uses these credentials,
// date, region and service, and the host example.amazonaws.com.
constexpr char kAccessKey[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kAmzDate[] = "20150830T123600Z";
constexpr char kRegion[] = "us-east-1";
constexpr char kService[] = "service";
constexpr char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kToken[] =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPf"
    "IeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7W"
    "Z0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8F"
    "DrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

struct SuiteCase {
  std::string name;
  std::string method;
  std::string path;
  std::string query;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // besides Host and X-Amz-Date
  std::string body;
  std::string session_token;
  // Expected canonical request lines between the method and the signed-header list.
  std::string canonical_uri;
  std::string canonical_query;
  std::string canonical_extra_headers;  // "name:value\n" lines sorted with host and x-amz-date
  std::string signed_headers;
  std::string payload_hash;
  std::string signature;
};

std::vector<SuiteCase> Suite() {
  auto simple = [](std::string name, std::string method, std::string path, std::string query,
                   std::string canonical_uri, std::string canonical_query, std::string signature) {
    SuiteCase c;
    c.name = std::move(name);
    c.method = std::move(method);
    c.path = std::move(path);
    c.query = std::move(query);
    c.canonical_uri = std::move(canonical_uri);
    c.canonical_query = std::move(canonical_query);
    c.signed_headers = "host;x-amz-date";
    c.payload_hash = kEmptySha;
    c.signature = std::move(signature);
    return c;
  };
  std::vector<SuiteCase> cases = {
      simple("get-vanilla", "GET", "/", "", "/", "",
             "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
      simple("post-vanilla", "POST", "/", "", "/", "",
             "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
      simple("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", "/",
             "Param1=value1&Param2=value2",
             "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
      simple("get-vanilla-query-order-key", "GET", "/", "Param1=value2&Param1=Value1", "/",
             "Param1=Value1&Param1=value2",
             "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
      simple("get-vanilla-query-order-value", "GET", "/", "Param1=value2&Param1=value1", "/",
             "Param1=value1&Param1=value2",
             "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
      simple("get-vanilla-query-unreserved", "GET", "/",
             "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
             "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
             "/",
             "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~"
             "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
             "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
      simple("get-vanilla-utf8-query", "GET", "/", "\xE1\x88\xB4=bar", "/", "%E1%88%B4=bar",
             "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
      simple("get-vanilla-empty-query-key", "GET", "/", "Param1=value1", "/", "Param1=value1",
             "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
      simple("post-vanilla-query", "POST", "/", "Param1=value1", "/", "Param1=value1",
             "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
      simple("get-unreserved", "GET",
             "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "",
             "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "",
             "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
      simple("get-utf8", "GET", "/\xE1\x88\xB4", "", "/%E1%88%B4", "",
             "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
      simple("normalize-path/get-space", "GET", "/example space/", "", "/example%20space/", "",
             "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
      simple("normalize-path/get-relative", "GET", "/example/..", "", "/", "",
             "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
      simple("normalize-path/get-relative-relative", "GET", "/example1/example2/../..", "", "/", "",
             "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
      simple("normalize-path/get-slash", "GET", "//", "", "/", "",
             "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
      simple("normalize-path/get-slash-dot-slash", "GET", "/./", "", "/", "",
             "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
      simple("normalize-path/get-slash-pointless-dot", "GET", "/./example", "", "/example", "",
             "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
      simple("normalize-path/get-slashes", "GET", "//example//", "", "/example/", "",
             "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
  };

  SuiteCase duplicate = simple("get-header-key-duplicate", "GET", "/", "", "/", "",
                               "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
  duplicate.extra_headers = {
      {"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}};
  duplicate.canonical_extra_headers = "my-header1:value2,value2,value1\n";
  duplicate.signed_headers = "host;my-header1;x-amz-date";
  cases.push_back(duplicate);

  SuiteCase order = simple("get-header-value-order", "GET", "/", "", "/", "",
                           "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01");
  order.extra_headers = {{"My-Header1", "value4"},
                         {"My-Header1", "value1"},
                         {"My-Header1", "value3"},
                         {"My-Header1", "value2"}};
  order.canonical_extra_headers = "my-header1:value4,value1,value3,value2\n";
  order.signed_headers = "host;my-header1;x-amz-date";
  cases.push_back(order);

  SuiteCase trim = simple("get-header-value-trim", "GET", "/", "", "/", "",
                          "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");
  trim.extra_headers = {{"My-Header1", " value1  "}, {"My-Header2", " \"a   b   c\""}};
  trim.canonical_extra_headers = "my-header1:value1\nmy-header2:\"a b c\"\n";
  trim.signed_headers = "host;my-header1;my-header2;x-amz-date";
  cases.push_back(trim);

  SuiteCase key_sort = simple("post-header-key-sort", "POST", "/", "", "/", "",
                              "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c");
  key_sort.extra_headers = {{"My-Header1", "value1"}};
  key_sort.canonical_extra_headers = "my-header1:value1\n";
  key_sort.signed_headers = "host;my-header1;x-amz-date";
  cases.push_back(key_sort);

  SuiteCase value_case = simple("post-header-value-case", "POST", "/", "", "/", "",
                                "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
  value_case.extra_headers = {{"My-Header1", "VALUE1"}};
  value_case.canonical_extra_headers = "my-header1:VALUE1\n";
  value_case.signed_headers = "host;my-header1;x-amz-date";
  cases.push_back(value_case);

  SuiteCase form = simple("post-x-www-form-urlencoded", "POST", "/", "", "/", "",
                          "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  form.extra_headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  form.body = "Param1=value1";
  form.canonical_extra_headers = "content-type:application/x-www-form-urlencoded\n";
  form.signed_headers = "content-type;host;x-amz-date";
  form.payload_hash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
  cases.push_back(form);

  SuiteCase form_parameters = form;
  form_parameters.name = "post-x-www-form-urlencoded-parameters";
  form_parameters.extra_headers = {
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}};
  form_parameters.canonical_extra_headers =
      "content-type:application/x-www-form-urlencoded; charset=utf8\n";
  form_parameters.signature = "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe";
  cases.push_back(form_parameters);

  SuiteCase sts = simple("post-sts-token/post-sts-header-before", "POST", "/", "", "/", "",
                         "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
  sts.session_token = kToken;
  sts.signed_headers = "host;x-amz-date;x-amz-security-token";
  cases.push_back(sts);
  return cases;
}

// The expected canonical request: the suite's headers are host, x-amz-date and the extras, and
// name order puts content-type and my-header* between them alphabetically.
std::string ExpectedCanonical(const SuiteCase& c) {
  std::string headers;
  std::string host = "host:example.amazonaws.com\n";
  std::string date = std::string("x-amz-date:") + kAmzDate + "\n";
  if (c.canonical_extra_headers.rfind("content-type", 0) == 0) {
    headers = c.canonical_extra_headers + host + date;
  } else {
    headers = host + c.canonical_extra_headers + date;
  }
  if (!c.session_token.empty()) headers += "x-amz-security-token:" + c.session_token + "\n";
  return c.method + "\n" + c.canonical_uri + "\n" + c.canonical_query + "\n" + headers + "\n" +
         c.signed_headers + "\n" + c.payload_hash;
}

SignableRequest MakeRequest(const SuiteCase& c) {
  SignableRequest request;
  request.method = c.method;
  request.path = c.path;
  request.query = c.query;
  request.headers.emplace_back("Host", "example.amazonaws.com");
  for (const auto& header : c.extra_headers) request.headers.push_back(header);
  request.body = c.body;
  return request;
}

std::string HeaderOf(const SignableRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key == name) return value;
  }
  return "<absent>";
}

std::vector<std::string> SplitSignedHeaders(const std::string& list) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(';', start);
    if (end == std::string::npos) end = list.size();
    names.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

class SigV4SuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteTest, CanonicalRequestMatchesSuite) {
  const SuiteCase& c = GetParam();
  SignableRequest request = MakeRequest(c);
  request.headers.emplace_back("X-Amz-Date", kAmzDate);
  if (!c.session_token.empty())
    request.headers.emplace_back("X-Amz-Security-Token", c.session_token);
  EXPECT_EQ(CanonicalRequest(request, SplitSignedHeaders(c.signed_headers)), ExpectedCanonical(c));
}

TEST_P(SigV4SuiteTest, SignProducesSuiteAuthorization) {
  const SuiteCase& c = GetParam();
  SignableRequest request = MakeRequest(c);
  Sign(request, Credentials{kAccessKey, kSecret, c.session_token}, kRegion, kService, kAmzDate);
  EXPECT_EQ(HeaderOf(request, "Authorization"),
            std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                        "aws4_request, SignedHeaders=") +
                c.signed_headers + ", Signature=" + c.signature);
  EXPECT_EQ(HeaderOf(request, "X-Amz-Date"), kAmzDate);
  if (!c.session_token.empty()) {
    EXPECT_EQ(HeaderOf(request, "X-Amz-Security-Token"), c.session_token);
  }
}

TEST_P(SigV4SuiteTest, VerifyAcceptsSuiteSignature) {
  const SuiteCase& c = GetParam();
  SignableRequest request = MakeRequest(c);
  Sign(request, Credentials{kAccessKey, kSecret, c.session_token}, kRegion, kService, kAmzDate);
  auto authorization = ParseAuthorization(HeaderOf(request, "Authorization"));
  ASSERT_TRUE(authorization.ok()) << authorization.status().ToString();
  EXPECT_EQ(authorization->signature, c.signature);
  EXPECT_TRUE(VerifySignature(request, *authorization, kSecret, kAmzDate));
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4SuiteTest, ::testing::ValuesIn(Suite()),
                         [](const ::testing::TestParamInfo<SuiteCase>& info) {
                           std::string name;
                           for (char ch : info.param.name) {
                             name.push_back(std::isalnum(static_cast<unsigned char>(ch)) ? ch
                                                                                         : '_');
                           }
                           return name;
                         });

TEST(SigV4Test, StringToSignOfGetVanilla) {
  SignableRequest request{
      "GET", "/", "", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kAmzDate}}, ""};
  std::string canonical = CanonicalRequest(request, {"host", "x-amz-date"});
  EXPECT_EQ(StringToSign(kAmzDate, "20150830/us-east-1/service/aws4_request", canonical),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
}

// The suite's post-sts-header-after: the token is added after signing and so is not signed.
TEST(SigV4Test, TokenAddedAfterSigningIsNotSigned) {
  SignableRequest request{"POST", "/", "", {{"Host", "example.amazonaws.com"}}, ""};
  Sign(request, Credentials{kAccessKey, kSecret, ""}, kRegion, kService, kAmzDate);
  request.headers.emplace_back("X-Amz-Security-Token", kToken);
  EXPECT_THAT(HeaderOf(request, "Authorization"),
              HasSubstr("SignedHeaders=host;x-amz-date, Signature="
                        "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"));
}

// AWS's documented example of a derived signing key (IAM, 20120215, us-east-1).
TEST(SigV4Test, SigningKeyMatchesAwsDocumentation) {
  EXPECT_EQ(HexEncode(SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215",
                                 "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4Test, WirePathIsEncodedAgainLikeTheSdks) {
  SignableRequest request{"GET", "/a%20b/c", "", {{"host", "h"}}, ""};
  EXPECT_THAT(CanonicalRequest(request, {"host"}), HasSubstr("GET\n/a%2520b/c\n"));
}

TEST(SigV4Test, QueryIsDecodedThenReencodedAndSorted) {
  SignableRequest request{"GET", "/", "b=%7e&a=x+y&flag&c=%2F", {{"host", "h"}}, ""};
  EXPECT_THAT(CanonicalRequest(request, {"host"}), HasSubstr("\na=x%2By&b=~&c=%2F&flag=\n"));
}

TEST(SigV4Test, SignReplacesStaleDateAndAuthorization) {
  SignableRequest request{
      "POST",
      "/",
      "",
      {{"host", "h"}, {"x-amz-date", "19990101T000000Z"}, {"authorization", "stale"}},
      "{}"};
  Sign(request, Credentials{"AKID", "secret", ""}, "us-east-1", "dynamodb", kAmzDate);
  int dates = 0, authorizations = 0;
  for (const auto& [name, value] : request.headers) {
    if (name == "X-Amz-Date" || name == "x-amz-date") {
      ++dates;
      EXPECT_EQ(value, kAmzDate);
    }
    if (name == "Authorization" || name == "authorization") {
      ++authorizations;
      EXPECT_NE(value, "stale");
    }
  }
  EXPECT_EQ(dates, 1);
  EXPECT_EQ(authorizations, 1);
}

class SigV4RoundTripTest : public ::testing::Test {
 protected:
  void SetUp() override {
    request_ = SignableRequest{"POST",
                               "/",
                               "",
                               {{"Host", "127.0.0.1:8000"},
                                {"Content-Type", "application/x-amz-json-1.0"},
                                {"X-Amz-Target", "DynamoDB_20120810.PutItem"}},
                               R"({"TableName":"residents","Item":{"ckid":{"S":"ck1"}}})"};
    Sign(request_, Credentials{"AKIDLOCAL", "local-secret", "session"}, "eu-west-1", "dynamodb",
         "20260102T030405Z");
    auto parsed = ParseAuthorization(HeaderOf(request_, "Authorization"));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    authorization_ = *parsed;
  }
  bool Verify(const SignableRequest& request, std::string_view secret = "local-secret",
              std::string_view amz_date = "20260102T030405Z") {
    return VerifySignature(request, authorization_, secret, amz_date);
  }

  SignableRequest request_;
  Authorization authorization_;
};

TEST_F(SigV4RoundTripTest, ParsesEveryField) {
  EXPECT_EQ(authorization_.access_key_id, "AKIDLOCAL");
  EXPECT_EQ(authorization_.date, "20260102");
  EXPECT_EQ(authorization_.region, "eu-west-1");
  EXPECT_EQ(authorization_.service, "dynamodb");
  EXPECT_EQ(authorization_.signed_headers,
            (std::vector<std::string>{"content-type", "host", "x-amz-date", "x-amz-security-token",
                                      "x-amz-target"}));
  EXPECT_EQ(authorization_.signature.size(), 64u);
}

TEST_F(SigV4RoundTripTest, VerifiesUntamperedRequest) { EXPECT_TRUE(Verify(request_)); }

TEST_F(SigV4RoundTripTest, HeaderNameCaseAndOrderDoNotMatter) {
  SignableRequest shuffled = request_;
  std::reverse(shuffled.headers.begin(), shuffled.headers.end());
  for (auto& [name, value] : shuffled.headers) {
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  EXPECT_TRUE(Verify(shuffled));
}

TEST_F(SigV4RoundTripTest, UnsignedExtraHeaderIsIgnored) {
  SignableRequest extra = request_;
  extra.headers.emplace_back("User-Agent", "added-by-a-proxy");
  EXPECT_TRUE(Verify(extra));
}

TEST_F(SigV4RoundTripTest, RejectsTamperedBody) {
  SignableRequest tampered = request_;
  tampered.body[tampered.body.size() - 3] = '2';
  EXPECT_FALSE(Verify(tampered));
}

TEST_F(SigV4RoundTripTest, RejectsTamperedSignedHeader) {
  SignableRequest tampered = request_;
  for (auto& [name, value] : tampered.headers) {
    if (name == "X-Amz-Target") value = "DynamoDB_20120810.DeleteTable";
  }
  EXPECT_FALSE(Verify(tampered));
}

TEST_F(SigV4RoundTripTest, RejectsMissingSignedHeader) {
  SignableRequest tampered = request_;
  std::erase_if(tampered.headers, [](const auto& h) { return h.first == "X-Amz-Security-Token"; });
  EXPECT_FALSE(Verify(tampered));
}

TEST_F(SigV4RoundTripTest, RejectsTamperedMethodPathAndQuery) {
  SignableRequest method = request_;
  method.method = "PUT";
  EXPECT_FALSE(Verify(method));
  SignableRequest path = request_;
  path.path = "/other";
  EXPECT_FALSE(Verify(path));
  SignableRequest query = request_;
  query.query = "x=1";
  EXPECT_FALSE(Verify(query));
}

TEST_F(SigV4RoundTripTest, RejectsWrongSecretDateAndScope) {
  EXPECT_FALSE(Verify(request_, "other-secret"));
  EXPECT_FALSE(Verify(request_, "local-secret", "20260102T030406Z"));
  Authorization other_region = authorization_;
  other_region.region = "us-east-1";
  EXPECT_FALSE(VerifySignature(request_, other_region, "local-secret", "20260102T030405Z"));
}

TEST_F(SigV4RoundTripTest, RejectsTamperedSignature) {
  Authorization flipped = authorization_;
  flipped.signature[10] = flipped.signature[10] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(VerifySignature(request_, flipped, "local-secret", "20260102T030405Z"));
  Authorization truncated = authorization_;
  truncated.signature.pop_back();
  EXPECT_FALSE(VerifySignature(request_, truncated, "local-secret", "20260102T030405Z"));
}

TEST(ParseAuthorizationTest, AcceptsCompactSpacing) {
  auto parsed = ParseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,SignedHeaders=host"
      ",Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->signed_headers, std::vector<std::string>{"host"});
}

TEST(ParseAuthorizationTest, RejectsMalformedHeaders) {
  const std::string sig = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
  const std::string cred = "Credential=AKID/20150830/us-east-1/service/aws4_request";
  struct Bad {
    std::string header;
    std::string message_part;
  };
  std::vector<Bad> bad = {
      {"", "AWS4-HMAC-SHA256"},
      {"AWS4-HMAC-SHA1 " + cred + ", SignedHeaders=host, Signature=" + sig, "AWS4-HMAC-SHA256"},
      {"AWS4-HMAC-SHA256X " + cred, "AWS4-HMAC-SHA256"},
      {"AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + sig, "requires 'Credential' parameter"},
      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host", "requires 'Signature' parameter"},
      {"AWS4-HMAC-SHA256 " + cred + ", Signature=" + sig, "requires 'SignedHeaders' parameter"},
      {"AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/aws4_request, SignedHeaders=host, "
       "Signature=" +
           sig,
       "Credential should be of the form"},
      {"AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws5_request, "
       "SignedHeaders=host, Signature=" +
           sig,
       "terminator"},
      {"AWS4-HMAC-SHA256 Credential=AKID/2015083/us-east-1/service/aws4_request, "
       "SignedHeaders=host, Signature=" +
           sig,
       "YYYYMMDD"},
      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;;x, Signature=" + sig, "empty header"},
      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=abc", "64 lower-case hex"},
      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host, Signature=" + sig + ", Extra=1",
       "unknown parameter 'Extra'"},
      {"AWS4-HMAC-SHA256 " + cred + ", " + cred + ", SignedHeaders=host, Signature=" + sig,
       "repeats parameter 'Credential'"},
      {"AWS4-HMAC-SHA256 " + cred + ", SignedHeaders, Signature=" + sig, "key=value"},
  };
  for (const auto& [header, message_part] : bad) {
    auto parsed = ParseAuthorization(header);
    ASSERT_FALSE(parsed.ok()) << header;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(message_part)) << header;
  }
}

}  // namespace
}  // namespace ck::sigv4
