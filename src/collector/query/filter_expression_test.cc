#include "collector/query/filter_expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collector/query/test_traces.h"

namespace ck::collector {
namespace {

using ::testing::HasSubstr;

class FilterExpressionTest : public ::testing::Test {
 protected:
  // Names of the fixture traces that `text` matches, in a fixed order.
  std::vector<std::string> Matching(std::string_view text) {
    auto filter = FilterExpression::Parse(text);
    EXPECT_TRUE(filter.ok()) << text << ": " << filter.status().message();
    std::vector<std::string> names;
    if (!filter.ok()) return names;
    if (filter->Matches(registration_)) names.push_back("registration");
    if (filter->Matches(list_)) names.push_back("list");
    if (filter->Matches(order_)) names.push_back("order");
    return names;
  }

  std::string ErrorFor(std::string_view text) {
    auto filter = FilterExpression::Parse(text);
    if (filter.ok()) return "parsed";
    EXPECT_EQ(filter.status().code(), StatusCode::kInvalidArgument);
    return filter.status().message();
  }

  TraceSummary registration_ = SummarizeTrace(test_traces::RegistrationWithTlsFault());
  TraceSummary list_ = SummarizeTrace(test_traces::ListResidents());
  TraceSummary order_ = SummarizeTrace(test_traces::ThrottledOrder());
};

using Names = std::vector<std::string>;
const Names kAll = {"registration", "list", "order"};
const Names kNone = {};

TEST_F(FilterExpressionTest, EmptyExpressionMatchesEverything) {
  EXPECT_EQ(Matching(""), kAll);
  EXPECT_EQ(Matching("  \t\n "), kAll);
  EXPECT_TRUE(FilterExpression().Matches(list_));
  EXPECT_TRUE(FilterExpression().empty());
}

TEST_F(FilterExpressionTest, BooleanKeywords) {
  EXPECT_EQ(Matching("ok"), Names{"list"});
  EXPECT_EQ(Matching("fault"), Names{"registration"});
  EXPECT_EQ(Matching("error"), Names{"order"});
  EXPECT_EQ(Matching("throttle"), Names{"order"});
  EXPECT_EQ(Matching("partial"), kNone);
  EXPECT_EQ(Matching("inferred"), kAll);  // every fixture calls DynamoDB
  EXPECT_EQ(Matching("!ok"), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("NOT fault"), (Names{"list", "order"}));
  EXPECT_EQ(Matching("ok = true"), Names{"list"});
  EXPECT_EQ(Matching("ok = false"), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("ok != true"), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("fault != false"), Names{"registration"});
  EXPECT_EQ(Matching("partial = false"), kAll);
  EXPECT_EQ(Matching("error = \"true\""), Names{"order"});
  EXPECT_EQ(Matching("OK = TRUE"), Names{"list"});
}

TEST_F(FilterExpressionTest, PartialTrace) {
  std::vector<Span> spans = test_traces::ListResidents();
  spans[3].in_progress = true;
  TraceSummary partial = SummarizeTrace(spans);
  auto filter = FilterExpression::Parse("partial");
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->Matches(partial));
  EXPECT_FALSE(filter->Matches(list_));
}

TEST_F(FilterExpressionTest, NumberKeywords) {
  // registration 0.25 s, list 0.08 s, order 0.5 s.
  EXPECT_EQ(Matching("responsetime > 0.2"), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("responsetime >= 0.5"), Names{"order"});
  EXPECT_EQ(Matching("responsetime < 0.1"), Names{"list"});
  EXPECT_EQ(Matching("responsetime <= 0.25"), (Names{"registration", "list"}));
  EXPECT_EQ(Matching("duration = 0.5"), Names{"order"});
  EXPECT_EQ(Matching("duration != 0.5"), (Names{"registration", "list"}));
  EXPECT_EQ(Matching("duration >= 5 AND duration <= 8"), kNone);
  EXPECT_EQ(Matching("duration > 2.5e-1"), Names{"order"});
  EXPECT_EQ(Matching("responsetime > -1"), kAll);
  EXPECT_EQ(Matching("http.status = 500"), Names{"registration"});
  EXPECT_EQ(Matching("http.status != 200"), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("http.status >= 400 AND http.status < 500"), Names{"order"});
}

TEST_F(FilterExpressionTest, MissingHttpStatusMatchesNoComparison) {
  std::vector<Span> spans = test_traces::ListResidents();
  spans[0].http_status = 0;
  spans[0].http_url.clear();
  TraceSummary no_http = SummarizeTrace(spans);
  for (std::string_view text :
       {"http.status != 200", "http.status < 600", "http.url != \"x\"", "http.url CONTAINS \"\""}) {
    auto filter = FilterExpression::Parse(text);
    ASSERT_TRUE(filter.ok()) << text;
    EXPECT_FALSE(filter->Matches(no_http)) << text;
  }
  EXPECT_TRUE(FilterExpression::Parse("http.url CONTAINS \"\"")->Matches(list_));
}

TEST_F(FilterExpressionTest, StringKeywords) {
  EXPECT_EQ(Matching("http.url = \"http://localhost:8080/\""), Names{"list"});
  EXPECT_EQ(Matching("http.url != \"http://localhost:8080/\""), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("http.url CONTAINS \"/register\""), Names{"registration"});
  EXPECT_EQ(Matching("http.url BEGINSWITH \"http://localhost:8080/\""), kAll);
  EXPECT_EQ(Matching("http.url ENDSWITH \"/order\""), Names{"order"});
  EXPECT_EQ(Matching("http.method = \"POST\""), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("http.method = \"post\""), kNone);  // values are case-sensitive
  EXPECT_EQ(Matching("http.useragent CONTAINS \"Mozilla\""), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("http.useragent BEGINSWITH \"curl/\""), Names{"list"});
  EXPECT_EQ(Matching("http.clientip = \"203.0.113.7\""), Names{"registration"});
  EXPECT_EQ(Matching("http.clientip ENDSWITH \".20\""), Names{"order"});
  // Keywords and operators are case-insensitive.
  EXPECT_EQ(Matching("HTTP.URL contains \"/register\""), Names{"registration"});
  EXPECT_EQ(Matching("http.url beginsWith \"http://localhost\" and http.method = \"GET\""),
            Names{"list"});
}

TEST_F(FilterExpressionTest, StringLiteralEscapes) {
  std::vector<Span> spans = test_traces::ListResidents();
  spans[0].http_url = "http://localhost:8080/search?q=\"a\\b\"\t\xC3\xA9";
  TraceSummary trace = SummarizeTrace(spans);
  auto filter = FilterExpression::Parse(R"(http.url ENDSWITH "q=\"a\\b\"\t\u00e9")");
  ASSERT_TRUE(filter.ok()) << filter.status().message();
  EXPECT_TRUE(filter->Matches(trace));
  EXPECT_TRUE(FilterExpression::Parse(R"(http.url CONTAINS "\/search")")->Matches(trace));
}

TEST_F(FilterExpressionTest, Annotations) {
  EXPECT_EQ(Matching("annotation.version = \"v2\""), Names{"registration"});
  EXPECT_EQ(Matching("annotation.version != \"v2\""), Names{"list"});
  EXPECT_EQ(Matching("annotation.version BEGINSWITH \"v\""), (Names{"registration", "list"}));
  EXPECT_EQ(Matching("annotation.table CONTAINS \"resident\""), Names{"registration"});
  EXPECT_EQ(Matching("annotation.resident_count > 10"), Names{"list"});
  EXPECT_EQ(Matching("annotation.resident_count = 12"), Names{"list"});
  EXPECT_EQ(Matching("annotation.resident_count <= 11"), kNone);
  EXPECT_EQ(Matching("annotation.load >= 0.5"), Names{"list"});
  EXPECT_EQ(Matching("annotation.cache_hit = false"), Names{"list"});
  EXPECT_EQ(Matching("annotation.cache_hit = true"), kNone);
  EXPECT_EQ(Matching("annotation.cache_hit != true"), Names{"list"});
  EXPECT_EQ(Matching("annotation.route"), (Names{"registration", "list"}));
  EXPECT_EQ(Matching("!annotation.route"), Names{"order"});
  EXPECT_EQ(Matching("annotation[route] = \"/\""), Names{"list"});
  EXPECT_EQ(Matching("annotation[\"route\"] = \"/register\""), Names{"registration"});
  EXPECT_EQ(Matching("Annotation.attempt = 1"), Names{"registration"});
  // Values of another type never match, not even "!=".
  EXPECT_EQ(Matching("annotation.version = 2"), kNone);
  EXPECT_EQ(Matching("annotation.resident_count = \"12\""), kNone);
  EXPECT_EQ(Matching("annotation.resident_count != \"12\""), kNone);
  EXPECT_EQ(Matching("annotation.missing != \"x\""), kNone);
  EXPECT_EQ(Matching("annotation.route = \"/\" OR annotation.route = \"/register\""),
            (Names{"registration", "list"}));
}

TEST_F(FilterExpressionTest, AnnotationKeysWithDotsUseBrackets) {
  std::vector<Span> spans = test_traces::ListResidents();
  spans[2].annotations["k8s.pod"] = std::string("list-api-7f9c");
  TraceSummary trace = SummarizeTrace(spans);
  EXPECT_TRUE(
      FilterExpression::Parse("annotation[k8s.pod] BEGINSWITH \"list-api\"")->Matches(trace));
  EXPECT_TRUE(
      FilterExpression::Parse("annotation[\"k8s.pod\"] = \"list-api-7f9c\"")->Matches(trace));
  EXPECT_TRUE(FilterExpression::Parse("annotation.k8s.pod = \"list-api-7f9c\"")->Matches(trace));
}

TEST_F(FilterExpressionTest, ServiceKeyword) {
  EXPECT_EQ(Matching("service(\"register-api\")"), Names{"registration"});
  EXPECT_EQ(Matching("service(\"DynamoDB\")"), kAll);
  EXPECT_EQ(Matching("!service(\"list-api\")"), (Names{"registration", "order"}));
  EXPECT_EQ(Matching("service(\"register-api\") { fault }"), Names{"registration"});
  EXPECT_EQ(Matching("service(\"register-api\") { ok }"), kNone);
  EXPECT_EQ(Matching("service(\"register-api\") {}"), Names{"registration"});
  EXPECT_EQ(Matching("service(\"DynamoDB\") { fault }"), Names{"registration"});
  EXPECT_EQ(Matching("service(\"DynamoDB\") { throttle }"), Names{"order"});
  EXPECT_EQ(Matching("service(\"DynamoDB\") { inferred }"), kAll);
  EXPECT_EQ(Matching("service(\"list-api\") { inferred }"), kNone);
  EXPECT_EQ(Matching("service() { fault }"), Names{"registration"});
  EXPECT_EQ(Matching("service() { error }"), Names{"order"});
  EXPECT_EQ(Matching("service(\"list-api\") { responsetime < 0.05 }"), Names{"list"});
  EXPECT_EQ(Matching("service(\"list-api\") { annotation.resident_count > 3 }"), Names{"list"});
  // Braces see only that service's own annotations.
  EXPECT_EQ(Matching("service(\"public-site\") { annotation.resident_count > 3 }"), kNone);
  EXPECT_EQ(Matching("service(\"register-api\") { annotation.table = \"residents\" }"),
            Names{"registration"});
  EXPECT_EQ(Matching("service(\"register-api\") { http.url CONTAINS \"cuddle-kube.local\" "
                     "AND http.method = \"POST\" }"),
            Names{"registration"});
  EXPECT_EQ(Matching("service(\"public-site\") { http.clientip = \"127.0.0.1\" }"), Names{"list"});
  // Simple keywords describe the trace's entry, service() any node.
  EXPECT_EQ(Matching("fault AND service(\"DynamoDB\") { fault }"), Names{"registration"});
}

TEST_F(FilterExpressionTest, ServiceWithIdFunction) {
  EXPECT_EQ(Matching("service(id(name: \"DynamoDB\", type: \"AWS::DynamoDB::Table\"))"), kAll);
  EXPECT_EQ(Matching("service(id(name: \"DynamoDB\", type: \"AWS::ECS::Container\"))"), kNone);
  EXPECT_EQ(Matching("service(id(type: \"AWS::DynamoDB::Table\")) { fault }"),
            Names{"registration"});
  EXPECT_EQ(Matching("service(id(type: \"AWS::ECS::Container\", name: \"order-api\"))"),
            Names{"order"});
  EXPECT_EQ(Matching("service(id(name: \"list-api\"))"), Names{"list"});
}

TEST_F(FilterExpressionTest, EdgeKeyword) {
  EXPECT_EQ(Matching("edge(\"register-api\", \"DynamoDB\")"), Names{"registration"});
  EXPECT_EQ(Matching("edge(\"register-api\", \"DynamoDB\") { fault }"), Names{"registration"});
  EXPECT_EQ(Matching("edge(\"register-api\",\"DynamoDB\") { fault = false }"), kNone);
  EXPECT_EQ(Matching("edge(\"list-api\", \"DynamoDB\") { ok AND responsetime < 0.05 }"),
            Names{"list"});
  EXPECT_EQ(Matching("edge(\"public-site\", \"register-api\") { http.status = 500 }"),
            Names{"registration"});
  EXPECT_EQ(Matching("edge(\"public-site\", \"order-api\") { error AND throttle }"),
            Names{"order"});
  EXPECT_EQ(Matching("edge(\"client\", \"public-site\") { http.method = \"GET\" }"), Names{"list"});
  EXPECT_EQ(Matching("edge(\"DynamoDB\", \"register-api\")"), kNone);  // direction matters
  EXPECT_EQ(Matching("!edge(\"register-api\", \"DynamoDB\") { fault }"), (Names{"list", "order"}));
  EXPECT_EQ(Matching("edge(id(name: \"public-site\", type: \"AWS::ECS::Container\"), "
                     "id(type: \"AWS::DynamoDB::Table\"))"),
            kNone);
  EXPECT_EQ(Matching("edge(id(name: \"order-api\"), id(type: \"AWS::DynamoDB::Table\")) "
                     "{ throttle }"),
            Names{"order"});
  EXPECT_EQ(Matching("edge(\"register-api\", \"DynamoDB\") { annotation.table = \"residents\" }"),
            Names{"registration"});
}

TEST_F(FilterExpressionTest, PrecedenceAndGrouping) {
  // AND binds tighter than OR: fault OR (ok AND error) = fault.
  EXPECT_EQ(Matching("fault OR ok AND error"), Names{"registration"});
  EXPECT_EQ(Matching("(fault OR ok) AND error"), kNone);
  EXPECT_EQ(Matching("(fault OR ok) AND responsetime < 0.1"), Names{"list"});
  // ! binds tighter than AND and OR.
  EXPECT_EQ(Matching("!fault AND !error"), Names{"list"});
  EXPECT_EQ(Matching("!(fault OR error)"), Names{"list"});
  EXPECT_EQ(Matching("!!ok"), Names{"list"});
  EXPECT_EQ(Matching("NOT NOT ok"), Names{"list"});
  // Juxtaposition is AND (X-Ray's "ok !partial duration <3").
  EXPECT_EQ(Matching("ok !partial duration < 3"), Names{"list"});
  EXPECT_EQ(Matching("fault http.method = \"POST\" OR ok"), (Names{"registration", "list"}));
  EXPECT_EQ(Matching("throttle && http.method = \"POST\" || ok"), (Names{"list", "order"}));
  EXPECT_EQ(Matching("error or fault and ok"), Names{"order"});
  EXPECT_EQ(Matching("((((fault))))"), Names{"registration"});
}

TEST_F(FilterExpressionTest, XRayDocumentationExamples) {
  for (std::string_view text : {
           "responsetime > 5",
           "duration >= 5 AND duration <= 8",
           "service(\"api.example.com\") { fault = true OR responsetime > 2.5 } AND "
           "annotation.account = \"12345\"",
           "edge(\"api.example.com\", \"backend.example.com\") { fault = true }",
           "http.url BEGINSWITH \"http://api.example.com/\" AND http.url CONTAINS \"/v2/\" AND "
           "!service(\"api.example.com\")",
           "ok !partial duration <3",
           "service(\"random-name\") { error }",
           "service(id(name: \"random-name\", type: \"AWS::Lambda::Function\")) { error }",
           "service(id(type: \"AWS::Lambda::Function\")) { error }",
           "annotation.gameid = \"817DL6VO\"",
           "annotation.age > 29",
           "edge(id(name: \"service-one\", type:\"service::type\"), id(name: \"service-two\", "
           "type:\"service::type\")) { error }",
       }) {
    EXPECT_TRUE(FilterExpression::Parse(text).ok()) << text;
  }
}

TEST_F(FilterExpressionTest, ErrorsNamePositionAndExpectation) {
  struct Case {
    std::string_view text;
    std::string_view message;
  };
  for (const Case& c : std::vector<Case>{
           {"responsetime >",
            "expected a number after the operator, found the end of the "
            "expression at position 15"},
           {"responsetime CONTAINS 5",
            "expected =, !=, <, <=, > or >= after 'responsetime', "
            "found 'CONTAINS' at position 14"},
           {"http.url = 5", "expected a string in double quotes, found '5' at position 12"},
           {"http.url < \"a\"",
            "expected =, !=, CONTAINS, BEGINSWITH or ENDSWITH after "
            "'http.url', found '<' at position 10"},
           {"ok = maybe", "expected true or false, found 'maybe' at position 6"},
           {"ok > 1", "expected '=', '!=' or no operator after a boolean keyword, found '>'"},
           {"latency > 5", "unknown keyword 'latency'"},
           {"user = \"bob\"", "keyword 'user' is not supported at position 1"},
           {"rootcause.fault.service { name = \"x\" }", "root cause keyword"},
           {"ok AND",
            "expected a keyword, '!' or '(', found the end of the expression at "
            "position 7"},
           {"AND ok", "expected a keyword, '!' or '(' before AND, found 'AND' at position 1"},
           {"(ok", "expected ')', found the end of the expression at position 4"},
           {"ok)", "expected AND, OR or the end of the expression, found ')' at position 3"},
           {"http.url = \"abc", "unterminated string at position 12"},
           {"http.url = \"a\\qb\"", "invalid escape '\\q' in string at position 14"},
           {"http.url = \"\\u12\"", "expected 4 hex digits after '\\u'"},
           {"http.url = 'abc'", "string values use double quotes"},
           {"http.status == 200", "'==' is not an operator, use '='"},
           {"http.status <> 200", "'<>' is not an operator, use '!='"},
           {"duration > 5s", "invalid number '5s' at position 12"},
           {"duration > 1.", "expected a digit after '.'"},
           {"ok # comment", "unexpected character '#' at position 4"},
           {"ok & fault", "expected '&&' or AND at position 4"},
           {"service(register)",
            "expected a service name in double quotes or id(...), found "
            "'register' at position 9"},
           {"service(register-api)", "unexpected character '-' at position 17"},
           {"service(\"a\") { fault", "expected '}', found the end of the expression"},
           {"service(\"a\") { service(\"b\") }", "service() cannot be used inside the braces"},
           {"edge(\"a\") { fault }", "expected ',' and the destination service, found ')'"},
           {"edge()", "expected the source service of edge(source, destination)"},
           {"service(id())", "id() needs name: or type:"},
           {"service(id(name \"x\"))", "expected ':', found '\"x\"'"},
           {"service(id(account.id: \"1\"))", "id() field 'account.id' is not supported"},
           {"service(id(name: \"a\", name: \"b\"))", "id() field 'name' given twice"},
           {"id(name: \"a\")", "id() can only name a node inside service() or edge()"},
           {"annotation[] = 1", "empty annotation key"},
           {"annotation[abc = 1", "expected ']' after the annotation key"},
           {"annotation = 1", "expected annotation.<key> or annotation[<key>]"},
           {"annotation.count CONTAINS 5", "expected a string after 'CONTAINS', found '5'"},
           {"annotation.count < \"5\"", "expected a number after '<', found '\"5\"'"},
           {"annotation.flag > true", "expected a number after '>', found 'true'"},
           {"annotation.flag = yes", "expected a string, number, true or false, found 'yes'"},
           {"ok \x01", "unexpected byte 0x01 at position 4"},
       }) {
    std::string error = ErrorFor(c.text);
    EXPECT_THAT(error, HasSubstr(c.message)) << c.text;
    EXPECT_THAT(error, ::testing::StartsWith("Invalid filter expression: ")) << c.text;
  }
}

TEST_F(FilterExpressionTest, NestingIsBounded) {
  std::string deep =
      std::string(kMaxFilterNesting, '(') + "ok" + std::string(kMaxFilterNesting, ')');
  EXPECT_EQ(Matching(deep), Names{"list"});
  std::string too_deep =
      std::string(kMaxFilterNesting + 1, '(') + "ok" + std::string(kMaxFilterNesting + 1, ')');
  EXPECT_THAT(ErrorFor(too_deep), HasSubstr("nesting deeper than 64 levels"));
  EXPECT_THAT(ErrorFor(std::string(4000, '(')), HasSubstr("nesting deeper"));
  EXPECT_THAT(ErrorFor(std::string(4000, '!') + "ok"), HasSubstr("nesting deeper"));
  std::string braces =
      "service(\"a\") {" + std::string(100, '(') + "ok" + std::string(100, ')') + "}";
  EXPECT_THAT(ErrorFor(braces), HasSubstr("nesting deeper"));
}

TEST_F(FilterExpressionTest, LengthIsBounded) {
  std::string long_chain = "ok";
  while (long_chain.size() + 6 <= kMaxFilterExpressionBytes) long_chain += " OR ok";
  EXPECT_EQ(Matching(long_chain), Names{"list"});  // wide is fine: no recursion per term
  std::string too_long(kMaxFilterExpressionBytes + 1, ' ');
  EXPECT_THAT(ErrorFor(too_long), HasSubstr("longer than 4096 bytes"));
}

TEST_F(FilterExpressionTest, ParsedExpressionKeepsItsText) {
  auto filter = FilterExpression::Parse("service(\"list-api\") { ok }");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->text(), "service(\"list-api\") { ok }");
  EXPECT_FALSE(filter->empty());
  FilterExpression copy = *filter;
  EXPECT_TRUE(copy.Matches(list_));
  EXPECT_FALSE(copy.Matches(order_));
}

}  // namespace
}  // namespace ck::collector
