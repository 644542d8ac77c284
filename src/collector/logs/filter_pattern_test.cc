#include "collector/logs/filter_pattern.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ck::collector::logs {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct MatchCase {
  std::string pattern;
  std::string message;
  bool matches;
};

void ExpectMatches(const std::vector<MatchCase>& cases) {
  for (const MatchCase& c : cases) {
    auto pattern = FilterPattern::Parse(c.pattern);
    ASSERT_TRUE(pattern.ok()) << c.pattern << ": " << pattern.status().message();
    EXPECT_EQ(pattern->Matches(c.message), c.matches)
        << "pattern: " << c.pattern << "\nmessage: " << c.message;
  }
}

// ---- unstructured terms (examples of the CloudWatch Logs filter pattern guide) ----

TEST(FilterPatternTest, TermsAreCaseSensitiveSubstrings) {
  ExpectMatches({
      {"ERROR", "[ERROR] A fatal exception has occurred", true},
      {"ERROR", "Exiting with ERRORCODE: -1", true},
      {"ERROR", "[error] lower case", false},
      {"ERROR Exception", "[ERROR] Caught IllegalArgumentException", true},
      {"ERROR Exception", "[ERROR] Unhandled Exception", true},
      {"ERROR Exception", "[ERROR] A fatal exception has occurred", false},
      {"\"Failed to process the request\"", "[WARN] Failed to process the request", true},
      {"\"Failed to process the request\"",
       "[ERROR] Unable to continue: Failed to process the request", true},
      {"\"Failed to process the request\"", "Failed to process request", false},
      {"\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL SERVER ERROR", true},
      {"\"INTERNAL SERVER ERROR\"", "[ERROR 500] INTERNAL ERROR", false},
      {"\"say \\\"hi\\\"\"", "they say \"hi\" twice", true},
      {"\"say \\\"hi\\\"\"", "they say hi twice", false},
  });
}

TEST(FilterPatternTest, ExclusionAndAnyTerms) {
  const std::string both = "ERROR WARN message";
  const std::string error = "ERROR message";
  const std::string warn = "WARN message";
  ExpectMatches({
      {"ERROR", both, true},
      {"ERROR", error, true},
      {"ERROR", warn, false},
      {"?ERROR ?WARN", both, true},
      {"?ERROR ?WARN", error, true},
      {"?ERROR ?WARN", warn, true},
      {"?ERROR ?WARN", "INFO", false},
      {"ERROR WARN", both, true},
      {"ERROR WARN", error, false},
      {"ERROR WARN", warn, false},
      {"ERROR -WARN", both, false},
      {"ERROR -WARN", error, true},
      {"ERROR -WARN", warn, false},
      {"\"ERROR\" - \"Exiting\"", "[ERROR] A fatal exception has occurred", true},
      {"\"ERROR\" - \"Exiting\"", "Exiting with ERRORCODE: -1", false},
      // Plain terms are all required, -terms all excluded, and one ?term must occur.
      {"ERROR ?WARN ?INFO", "ERROR INFO", true},
      {"ERROR ?WARN ?INFO", "ERROR DEBUG", false},
      {"ERROR ?WARN ?INFO", "WARN INFO", false},
      {"?WARN ?INFO -DEBUG", "INFO DEBUG", false},
  });
}

TEST(FilterPatternTest, EmptyAndBlankPatternsMatchEverything) {
  for (std::string text : {"", "   ", "\"\"", "\" \"", "\"\" \" \""}) {
    auto pattern = FilterPattern::Parse(text);
    ASSERT_TRUE(pattern.ok()) << text;
    EXPECT_TRUE(pattern->MatchesEverything()) << text;
    EXPECT_TRUE(pattern->Matches("")) << text;
    EXPECT_TRUE(pattern->Matches("anything at all")) << text;
  }
  EXPECT_TRUE(FilterPattern().Matches("default-constructed"));
  auto term = FilterPattern::Parse("ERROR");
  ASSERT_TRUE(term.ok());
  EXPECT_FALSE(term->MatchesEverything());
  EXPECT_EQ(term->text(), "ERROR");
}

TEST(FilterPatternTest, RegexTerms) {
  ExpectMatches({
      {"%AUTHORIZED%", "[ERROR 401] UNAUTHORIZED REQUEST", true},
      {"%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST", true},
      {"%AUTHORIZED%", "[ERROR 400] BAD REQUEST", false},
      {"%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%", "client 10.0.12.7 connected", true},
      {"%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%", "client 10.0.12 connected", false},
      {"%[Ee]rror|[Ff]ail%", "request failed: Fail", true},
      {"%[Ee]rror|[Ff]ail%", "an error", true},
      {"%[Ee]rror|[Ff]ail%", "all good", false},
      {"%^\\[ERROR%", "[ERROR] first", true},
      {"%^\\[ERROR%", "later [ERROR]", false},
      {"%colou?r%", "color", true},
      {"%colou?r%", "colour", true},
      {"ERROR %\\d{3}%", "ERROR 404", true},
      {"ERROR %\\d{3}%", "ERROR 40", false},
  });
}

// ---- JSON ----

// The example event of the guide's JSON section.
const std::string kTrailEvent = R"({
  "eventType": "UpdateTrail",
  "sourceIPAddress": "111.111.111.111",
  "arrayKey": ["value", "another value"],
  "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
  "SomeObject": null,
  "ThisFlag": true
})";

TEST(FilterPatternTest, JsonEqualityAndTests) {
  ExpectMatches({
      {"{ $.eventType = \"UpdateTrail\" }", kTrailEvent, true},
      {"{ $.eventType = UpdateTrail }", kTrailEvent, true},
      {"{ $.eventType = \"DeleteTrail\" }", kTrailEvent, false},
      {"{ $.eventType != \"DeleteTrail\" }", kTrailEvent, true},
      {"{ $.sourceIPAddress != 123.123.* }", kTrailEvent, true},
      {"{ $.sourceIPAddress = 111.111.* }", kTrailEvent, true},
      {"{ $.arrayKey[0] = \"value\" }", kTrailEvent, true},
      {"{ $.arrayKey[1] = \"value\" }", kTrailEvent, false},
      {"{ $.arrayKey[2] = \"value\" }", kTrailEvent, false},
      {"{ $.eventType[0] = \"UpdateTrail\" }", kTrailEvent, false},
      {"{ $.objectList[1].id = 2 }", kTrailEvent, true},
      {"{ $.objectList[1].id = 1 }", kTrailEvent, false},
      {"{ $.objectList[0].name = a }", kTrailEvent, true},
      {"{ $.SomeObject IS NULL }", kTrailEvent, true},
      {"{ $.eventType IS NULL }", kTrailEvent, false},
      {"{ $.Missing IS NULL }", kTrailEvent, false},
      {"{ $.SomeOtherObject NOT EXISTS }", kTrailEvent, true},
      {"{ $.SomeObject NOT EXISTS }", kTrailEvent, false},
      {"{ $.eventType.deeper NOT EXISTS }", kTrailEvent, true},
      {"{ $.ThisFlag IS TRUE }", kTrailEvent, true},
      {"{ $.ThisFlag IS FALSE }", kTrailEvent, false},
      {"{ $.eventType IS TRUE }", kTrailEvent, false},
      {"{ $.ThisFlag = true }", kTrailEvent, false},  // booleans only answer IS TRUE/FALSE
      // Wildcards: leading and trailing; an inner * is literal.
      {"{ $.eventType = \"*Trail\" }", kTrailEvent, true},
      {"{ $.eventType = Update* }", kTrailEvent, true},
      {"{ $.eventType = *dateTr* }", kTrailEvent, true},
      {"{ $.eventType = \"Up*Trail\" }", kTrailEvent, false},
      {"{ $.eventType = * }", kTrailEvent, true},
      {"{ $.Missing = * }", kTrailEvent, false},
      // Missing values, objects, arrays and null satisfy no comparison, != included.
      {"{ $.Missing != \"x\" }", kTrailEvent, false},
      {"{ $.arrayKey != \"x\" }", kTrailEvent, false},
      {"{ $.SomeObject != \"x\" }", kTrailEvent, false},
      {"{ $.users = 1 }", R"({"users": [1, 2, 3]})", false},
      {"{ $.users != 1 }", R"({"users": [1, 2, 3]})", false},
      // Regexes.
      {"{ $.eventType = %^Update% }", kTrailEvent, true},
      {"{ $.eventType != %Delete% }", kTrailEvent, true},
      {"{ $.eventType = %Delete% }", kTrailEvent, false},
      // The OR examples of the guide.
      {"{$.foo = bar}", R"({"foo": "bar"})", true},
      {"{$.foo = bar}", R"({"foo": "baz"})", false},
      {"{$.foo = bar || $.foo = baz }", R"({"foo": "bar"})", true},
      {"{$.foo = bar || $.foo = baz }", R"({"foo": "baz"})", true},
      {"{$.foo = bar || $.foo = baz }", R"({"foo": "qux"})", false},
      {"{ $.level is true }", R"({"level": true})", true},  // keywords in any case
  });
}

const std::string kUsersEvent =
    R"({"user": {"id": 1, "email": "John.Stiles@example.com"},
        "users": [{"id": 2, "email": "John.Doe@example.com"},
                  {"id": 3, "email": "Jane.Doe@example.com"}],
        "actions": ["GET", "PUT", "DELETE"],
        "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]]})";

TEST(FilterPatternTest, JsonCompoundConditionsFollowPrecedence) {
  ExpectMatches({
      {"{ ($.user.id = 1) && ($.users[0].email = \"John.Doe@example.com\") }", kUsersEvent, true},
      {"{ ($.user.id = 2 && $.users[0].email = \"nonmatch\") || $.actions[2] = \"GET\" }",
       kUsersEvent, false},
      {"{ $.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = nonmatch && "
       "$.actions[2] = nomatch }",
       kUsersEvent, true},
      {"{ ($.user.email = \"John.Stiles@example.com\" || $.coordinates[0][1] = nonmatch) && "
       "$.actions[2] = nomatch }",
       kUsersEvent, false},
      {"{ $.coordinates[1][2] = 6 }", kUsersEvent, true},
      {"{ $.coordinates[1][2] = 5 }", kUsersEvent, false},
      {"{ $.actions[2] = DELETE && $.users[1].id = 3 }", kUsersEvent, true},
      {"{((($.user.id=1)))}", kUsersEvent, true},
  });
}

TEST(FilterPatternTest, JsonNumericComparisons) {
  const std::string event =
      R"({"latency": 700, "numbers": [5, 0.001], "errorCode": 400, "code": "404", "word": "abc",
          "processes": [{}, {}, {}, {}, {"averageRuntime": 55.5}]})";
  ExpectMatches({
      {"{ $.latency >= 500 }", event, true},
      {"{ $.latency < 500 }", event, false},
      {"{ $.latency > +1000 }", event, false},
      {"{ $.latency <= 700 }", event, true},
      {"{ $.numbers[0] < 10e3 }", event, true},
      {"{ $.numbers[1] < 10e-3 }", event, true},
      {"{ $.numbers[1] > 10e-3 }", event, false},
      {"{ $.processes[4].averageRuntime <= 55.5 }", event, true},
      {"{ $.processes[4].averageRuntime < 55.5 }", event, false},
      {"{ $.errorCode = 400 }", event, true},
      {"{ $.errorCode != 500 }", event, true},
      {"{ $.errorCode = 400.0 }", event, true},
      {"{ $.errorCode = \"400\" }", event, true},  // strings compare with the number's text
      {"{ $.errorCode = 4* }", event, true},
      {"{ $.code = 404 }", event, true},  // a string holding a number compares numerically
      {"{ $.code > 400 }", event, true},
      {"{ $.word = 404 }", event, false},
      {"{ $.word != 404 }", event, true},
      {"{ $.word > 400 }", event, false},
      {"{ $.Missing < 1 }", event, false},
      {"{ $.latency > -1e999 }", event, true},
  });
}

TEST(FilterPatternTest, JsonPatternsNeverMatchOtherMessages) {
  ExpectMatches({
      {"{ $.a = 1 }", "", false},
      {"{ $.a = 1 }", "a = 1", false},
      {"{ $.a = 1 }", "[1, 2]", false},
      {"{ $.a = 1 }", "{\"a\": 1", false},
      {"{ $.a = 1 }", "{\"a\": 1} trailing", false},
      {"{ $.a NOT EXISTS }", "plain text", false},
      {"{ $.a = 1 }", "  {\"a\": 1}  ", true},
      {"{ $.a = \"\xc3\xa9\" }", "{\"a\": \"\xc3\xa9\"}", true},
      {"{ $.a = 1 }", "{\"a\": \"\xff\"}", false},         // invalid UTF-8 is not JSON
      {"{ $.a = 1 }", "{\"a\": 1, \"b\": 1e400}", false},  // nor is a number out of range
  });
  auto pattern = FilterPattern::Parse("{ $.a NOT EXISTS }");
  ASSERT_TRUE(pattern.ok());
  std::string deep = "{\"b\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  EXPECT_TRUE(pattern->Matches(deep));
}

// ---- space-delimited ----

const std::string kOk =
    "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 1534";
const std::string kServerError =
    "127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] \"GET /apache_pb.gif HTTP/1.0\" 500 5324";
const std::string kNotFound =
    "127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534";
const std::string kSmall =
    "127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 999";

TEST(FilterPatternTest, DelimitedFieldsAndEllipses) {
  ExpectMatches({
      {"[ip, user, username, timestamp, request, status_code, bytes]", kOk, true},
      {"[ip, user, username, timestamp, request, status_code]", kOk, false},
      {"[ip, user, username, timestamp, request, status_code, bytes, more]", kOk, false},
      {"[..., status_code, bytes]", kOk, true},
      {"[ip, user, ..., status_code, bytes]", kOk, true},
      {"[ip, user, ...]", kOk, true},
      {"[ip, user, ...]", "only", false},
      {"[ip, ...]", "only", true},
      {"[ip, user, username, timestamp, request, status_code, bytes > 1000]", kOk, true},
      {"[ip, user, username, timestamp, request, status_code, bytes > 1000]", kSmall, false},
      {"[ip, user, username, timestamp, request, status_code = 200, bytes]", kOk, true},
      {"[ip, user, username, timestamp, request, status_code = 200, bytes]", kServerError, false},
      {"[ip, user, username, timestamp, request, status_code = 4*, bytes]", kNotFound, true},
      {"[ip, user, username, timestamp, request, status_code = 4*, bytes]", kOk, false},
      {"[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", kNotFound,
       true},
      {"[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]", kOk, false},
      {"[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]",
       kNotFound, true},
      {"[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]",
       kServerError, false},
      {"[..., request=*.html*, status_code=4*,]", kNotFound, true},
      {"[..., request=*.html*, status_code=4*,]", kOk, false},
      {"[ip, user, username, timestamp = 10/Oct/2000*, ...]", kOk, true},
      {"[ip, user, username, timestamp, request = \"GET /index.html HTTP/1.0\", ...]", kNotFound,
       true},
      {"[ip != 10.*, ...]", kOk, true},
      {"[ip = %^127\\.%, ...]", kOk, true},
      {"[ip = %^10\\.%, ...]", kOk, false},
  });
}

TEST(FilterPatternTest, DelimitedOrAndCrossFieldConditions) {
  const std::string both = "ERROR WARN message";
  const std::string error = "ERROR message";
  const std::string warn = "WARN message";
  ExpectMatches({
      {"[w1=ERROR, w2]", both, false},
      {"[w1=ERROR, w2]", error, true},
      {"[w1=ERROR, w2]", warn, false},
      {"[w1=ERROR || w1=WARN, w2]", error, true},
      {"[w1=ERROR || w1=WARN, w2]", warn, true},
      {"[w1=ERROR || w1=WARN, w2]", both, false},
      {"[w1!=ERROR&&w1!=WARN, w2]", error, false},
      {"[w1!=ERROR&&w1!=WARN, w2]", warn, false},
      {"[w1!=ERROR&&w1!=WARN, w2]", "INFO message", true},
      // A condition may name another field of the pattern.
      {"[ip, user, username, timestamp, request, status_code, bytes = 1534 && status_code = 200]",
       kOk, true},
      {"[ip, user, username, timestamp, request, status_code, bytes = 1534 && status_code = 200]",
       kNotFound, false},
      {"[..., status_code, bytes > 1000 && (status_code = 5* || status_code = 4*)]", kServerError,
       true},
      {"[..., status_code, bytes > 1000 && (status_code = 5* || status_code = 4*)]", kOk, false},
  });
}

TEST(FilterPatternTest, DelimitedWithSeveralEllipsesFindsAnAlignment) {
  ExpectMatches({
      {"[..., request = \"GET /index.html HTTP/1.0\", ...]", kNotFound, true},
      {"[..., request = \"GET /index.html HTTP/1.0\", ...]", kOk, false},
      {"[..., code = 5*, ..., size > 5000]", kServerError, true},
      {"[..., code = 5*, ..., size > 5000]", kOk, false},
      {"[first, ..., x = 1, ..., y = 2, ..., last]", "a 1 b 2 c", true},
      {"[first, ..., x = 1, ..., y = 2, ..., last]", "a 2 b 1 c", false},
      {"[..., ...]", "", true},
  });
}

// ---- errors ----

TEST(FilterPatternTest, RejectsMalformedPatternsWithCloudWatchWording) {
  const std::vector<std::string> bad = {
      "{ $.a = 1",
      "{ a = 1 }",
      "{ $.* = 1 }",
      "{ $ = 1 }",
      "{ $[0] = 1 }",
      "{ $.a[x] = 1 }",
      "{ $.a > abc }",
      "{ $.a IS MAYBE }",
      "{ $.a NOT THERE }",
      "{ $.a EXISTS }",
      "{ $.a = }",
      "{ $.a == 1 }",
      "{ $.a = 1 } extra",
      "{ $.a = 1 && }",
      "{ ($.a = 1 }",
      "[a, b",
      "[]",
      "[a b]",
      "[a = 1, b = 2 && c = 3]",
      "[..., a = 1 && b = 2, ..., b]",
      "[a = 1] tail",
      "%abc",
      "%%",
      "%a(b)%",
      "%something!%",
      "%caf\xc3\xa9%",
      "%a{2,1}%",
      "{ $.a = %x% && $.b = %y% && $.c = %z% }",
      "\"unterminated",
      "?",
      "ERROR -",
      std::string(kMaxFilterPatternBytes + 1, 'a'),
      "{ " + std::string(40, '(') + "$.a = 1" + std::string(40, ')') + " }",
  };
  for (const std::string& text : bad) {
    auto pattern = FilterPattern::Parse(text);
    ASSERT_FALSE(pattern.ok()) << text;
    EXPECT_EQ(pattern.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(pattern.status().message(), StartsWith("Invalid filter pattern: ")) << text;
  }
  EXPECT_EQ(FilterPattern::Parse("{ $.a > abc }").status().message(),
            "Invalid filter pattern: expected a number after <, <=, > or >= at position 9");
  EXPECT_EQ(FilterPattern::Parse("[a = 1, b = 2 && c = 3]").status().message(),
            "Invalid filter pattern: no field named 'c' at position 18");
  EXPECT_THAT(FilterPattern::Parse("%something!%").status().message(),
              HasSubstr("'!' is not supported in a regex"));
  EXPECT_TRUE(FilterPattern::Parse(std::string(kMaxFilterPatternBytes, 'a')).ok());
}

// ---- the trace index shortcut ----

TEST(FilterPatternTest, TraceIdEqualityOnlyForTheExactShape) {
  auto value = [](const std::string& text) {
    auto pattern = FilterPattern::Parse(text);
    EXPECT_TRUE(pattern.ok()) << text;
    return pattern.ok() ? pattern->TraceIdEquality() : std::nullopt;
  };
  EXPECT_EQ(value("{ $.trace_id = \"1-5759e988-bd862e3fe1be46a994272793\" }"),
            "1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(value("{$.trace_id=1-5759e988-bd862e3fe1be46a994272793}"),
            "1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(value("{ ($.trace_id = \"abc\") }"), "abc");
  EXPECT_EQ(value("{ $.trace_id = \"1-5759e988-*\" }"), std::nullopt);
  EXPECT_EQ(value("{ $.trace_id != \"abc\" }"), std::nullopt);
  EXPECT_EQ(value("{ $.trace_id = \"abc\" && $.level = ERROR }"), std::nullopt);
  EXPECT_EQ(value("{ $.span.trace_id = \"abc\" }"), std::nullopt);
  EXPECT_EQ(value("{ $.trace_id = 123 }"), std::nullopt);
  EXPECT_EQ(value("{ $.trace_id = %abc% }"), std::nullopt);
  EXPECT_EQ(value("{ $.trace_id NOT EXISTS }"), std::nullopt);
  EXPECT_EQ(value("trace_id"), std::nullopt);
  EXPECT_EQ(value(""), std::nullopt);

  auto pattern = FilterPattern::Parse("{ $.trace_id = \"1-5759e988-bd862e3fe1be46a994272793\" }");
  ASSERT_TRUE(pattern.ok());
  FilterPattern copy = *pattern;  // copies share the compiled pattern
  EXPECT_TRUE(copy.Matches(R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272793","msg":"x"})"));
  EXPECT_FALSE(copy.Matches(R"({"trace_id":"1-5759e988-bd862e3fe1be46a994272794"})"));
}

}  // namespace
}  // namespace ck::collector::logs
