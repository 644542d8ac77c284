#include "collector/insights/query_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collector/insights/query.h"
#include "collector/insights/query_lexer.h"
#include "collector/insights/query_syntax.h"
#include "collector/insights/text_pattern.h"

namespace ck::collector::insights {
namespace {

struct ErrorCase {
  std::string query;
  std::string message;
};

TEST(QueryParserTest, ReportsErrorsInInsightsWordingWithPositions) {
  const std::vector<ErrorCase> cases = {
      {"", "query is empty"},
      {"  # only a comment", "query is empty"},
      {"fields", "unexpected end of query at line 1 and position 7"},
      {"filter status = ", "unexpected end of query at line 1 and position 17"},
      {"fields a |", "unexpected end of query at line 1 and position 11"},
      {"fields a | | limit 1", "unexpected symbol found | at line 1 and position 12"},
      {"filter x == 1", "unexpected symbol found = at line 1 and position 11"},
      {"filter a $ b", "unexpected symbol found $ at line 1 and position 10"},
      {"filter a ! b", "unexpected symbol found ! at line 1 and position 10"},
      {"foo bar", "unexpected symbol found foo at line 1 and position 1"},
      {"fields a b", "unexpected symbol found b at line 1 and position 10"},
      {"filter a < b < c", "unexpected symbol found < at line 1 and position 14"},
      {"filter a like 5", "unexpected symbol found 5 at line 1 and position 15"},
      {"fields and", "unexpected symbol found and at line 1 and position 8"},
      {"fields @timestamp\n| filter status >\n| limit 5",
       "unexpected symbol found | at line 3 and position 1"},
      {"filter msg = \"Zoë\" and", "unexpected end of query at line 1 and position 23"},
      {"fields nosuch(x)", "unknown function nosuch at line 1 and position 8"},
      {"fields strlen(a, b)",
       "function strlen expects 1 argument but got 2 at line 1 and position 8"},
      {"fields substr(a)",
       "function substr expects 2 to 3 arguments but got 1 at line 1 and position 8"},
      {"fields concat()",
       "function concat expects at least 1 argument but got 0 at line 1 and position 8"},
      {"stats count(a, b)",
       "function count expects 0 to 1 arguments but got 2 at line 1 and position 7"},
      {"filter count(*) > 1",
       "aggregate function count is only allowed in stats at line 1 and position 8"},
      {"stats count(*) by max(a)",
       "aggregate function max is only allowed in stats at line 1 and position 19"},
      {"stats sum(count(*))",
       "aggregate function count cannot be used inside another aggregate function at line 1 "
       "and position 11"},
      {"stats latency_ms by service",
       "field latency_ms must be used inside an aggregate function at line 1 and position 7"},
      {"stats count(*) + latency_ms",
       "field latency_ms must be used inside an aggregate function at line 1 and position 18"},
      {"stats 1 + 2",
       "stats needs an aggregate function such as count(*) at line 1 and position 7"},
      {"stats count(*), count(*)",
       "duplicate field name count(*) in stats at line 1 and position 17"},
      {"stats count(*) as n by n", "duplicate field name n in stats at line 1 and position 24"},
      {"filter @message like /(/",
       "invalid regular expression /(/: missing ): ( at line 1 and position 22"},
      {"stats count(*) by bin(5x)", "invalid time period 5x at line 1 and position 23"},
      {"stats count(*) by bin(1.5h)", "invalid time period 1.5h at line 1 and position 23"},
      {"stats count(*) by bin(@timestamp)",
       "expected a time period such as 5m or 1h but found @timestamp at line 1 and position 23"},
      {"fields datefloor(@timestamp, 60)",
       "expected a time period such as 5m or 1h but found 60 at line 1 and position 30"},
      {"fields 5m", "unexpected symbol found 5m at line 1 and position 8"},
      {"stats pct(latency_ms, 101)",
       "the percentile of pct must be a number from 0 to 100 at line 1 and position 23"},
      {"limit 0", "limit must be a positive integer at line 1 and position 7"},
      {"limit 2.5", "limit must be a positive integer at line 1 and position 7"},
      {"limit ten", "limit must be a positive integer at line 1 and position 7"},
      {"limit", "unexpected end of query at line 1 and position 6"},
      {"parse @message \"a=* b=*\" as a",
       "parse pattern has 2 wildcards but 1 field names at line 1 and position 16"},
      {"parse @message \"no wildcard\" as a",
       "parse pattern has no * to capture at line 1 and position 16"},
      {"parse @message /(\\w+)/",
       "parse regular expression needs a named capture group such as (?<name>...) at line 1 "
       "and position 16"},
      {"parse @message \"a=*\"", "unexpected end of query at line 1 and position 21"},
      {"filter msg = \"abc", "unterminated string literal at line 1 and position 14"},
      {"filter msg like /abc", "unterminated regular expression at line 1 and position 17"},
      {"fields `abc", "unterminated field name at line 1 and position 8"},
      {"fields ``", "empty field name at line 1 and position 8"},
      {"sort", "unexpected end of query at line 1 and position 5"},
      {"dedup 1", "unexpected symbol found 1 at line 1 and position 7"},
      {"display a, strlen(b)", "unexpected symbol found ( at line 1 and position 18"},
      {"filter status in [200", "unexpected end of query at line 1 and position 22"},
      {"filter status in 200", "unexpected symbol found 200 at line 1 and position 18"},
      {"fields 12abc", "unexpected symbol found 12abc at line 1 and position 8"},
      {"fields 12_a", "unexpected symbol found _ at line 1 and position 10"},
  };
  for (const ErrorCase& c : cases) {
    auto query = ParseQuery(c.query);
    ASSERT_FALSE(query.ok()) << c.query;
    EXPECT_EQ(query.status().code(), StatusCode::kInvalidArgument) << c.query;
    EXPECT_EQ(query.status().message(), c.message) << c.query;
  }
}

TEST(QueryParserTest, LimitsLengthAndNesting) {
  auto too_long = ParseQuery("fields " + std::string(kMaxQueryLength, 'a'));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().message(), "query is too long: the maximum is 10000 characters");

  std::string nested = "filter " + std::string(100, '(') + "1" + std::string(100, ')');
  auto deep = ParseQuery(nested);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.status().message(), "expression is nested too deeply at line 1 and position 73");

  std::string negations = "filter ";
  for (int i = 0; i < 100; ++i) negations += "not ";
  EXPECT_FALSE(ParseQuery(negations + "a").ok());
  EXPECT_TRUE(ParseQuery("filter " + std::string(30, '(') + "1" + std::string(30, ')')).ok());

  // Long operator chains are bounded too (they would recurse when evaluated).
  std::string chain = "fields a";
  for (int i = 0; i < 300; ++i) chain += " + a";
  auto tall = ParseQuery(chain);
  ASSERT_FALSE(tall.ok());
  EXPECT_EQ(tall.status().message(), "expression is nested too deeply at line 1 and position 1030");
  EXPECT_FALSE(ParseQuery("fields " + std::string(200, '-') + "a").ok());
  std::string list = "filter a in [1";
  for (int i = 0; i < 2000; ++i) list += ", 1";
  EXPECT_TRUE(ParseQuery(list + "]").ok());
}

TEST(QueryParserTest, AcceptsTheDocumentedForms) {
  const std::vector<std::string> queries = {
      "fields @timestamp, @message | sort @timestamp desc | limit 20",
      "fields `foo-bar`, action, abs(f3-f4)",
      "FIELDS a | FILTER a = 1 | SORT a ASC | LIMIT 5",
      "filter (duration>2000)",
      "fields f1, f2 | filter (f1=10 or f3>25)",
      "fields f1 | filter statusCode like /2\\d\\d/",
      "fields f1, f2, f3 | filter f1 =~ /^(?i)Exception$/",
      "filter logGroup in [\"example_group\"] | filter f1 not like \"Exception\"",
      "stats avg (f1) by f2",
      "stats avg(f1) as myAvgF1 | sort myAvgF1 desc",
      "stats count() by duration as time | sort time desc",
      "filter @type = \"REPORT\" | stats avg(@duration), max(@duration) by bin(5m)",
      "parse @message \"user=*, method:*, latency := *\" as @user, @method, @latency | "
      "stats avg(@latency) by @method, @user",
      "parse @message /(?<time>[0-9]{10}\\.[0-9]{1,3}) .* (?<code>[A-Z_]+\\/[0-9]{3})/",
      "parse \"[*] *\" as loggingType, loggingMessage | display loggingMessage",
      "fields @timestamp, server | sort @timestamp desc | dedup server",
      "stats sum(packets) as packetsTransferred by srcAddr, dstAddr | sort packetsTransferred "
      "desc | limit 15",
      "filter isIpv4InSubnet(srcAddr, \"192.0.2.0/24\") | stats sum(bytes) as b by dstAddr",
      "fields @timestamp, @message, accountId\n# | filter accountId not like \"798\"\n| limit 20",
      "stats count(*) as c by bin(1h) | stats avg(c)",
      "stats count(*) as n by service | filter n > 2",
      "fields latency_ms / 1000 as seconds, -latency_ms as negative",
      "stats pct(latency_ms, 99.9), earliest(msg), latest(msg), sortsFirst(a), sortsLast(a)",
      "stats sum(latency_ms) / count(*) as mean",
  };
  for (const std::string& text : queries) {
    auto query = ParseQuery(text);
    EXPECT_TRUE(query.ok()) << text << ": " << query.status().ToString();
  }
}

TEST(QueryParserTest, NamesUnnamedResultsByTheirText) {
  auto query = ParseQuery("stats count(*), avg (latency_ms) by bin(5m), service");
  ASSERT_TRUE(query.ok());
  const Command& stats = (*query)->commands[0];
  ASSERT_EQ(stats.items.size(), 2u);
  EXPECT_EQ((*query)->slots[stats.items[0].slot].name, "count(*)");
  EXPECT_EQ((*query)->slots[stats.items[1].slot].name, "avg (latency_ms)");
  EXPECT_EQ((*query)->slots[stats.groups[0].slot].name, "bin(5m)");
  EXPECT_EQ((*query)->slots[stats.groups[1].slot].name, "service");
  EXPECT_EQ(stats.aggregates.size(), 2u);
}

TEST(QueryParserTest, ReportsWhatTheScanNeeds) {
  auto bins = ParseQuery("stats count(*) by bin(1m)");
  ASSERT_TRUE(bins.ok());
  ScanNeeds needs = NeedsOf(**bins);
  EXPECT_FALSE(needs.message);
  EXPECT_FALSE(needs.log_stream);
  EXPECT_FALSE(needs.log_group);
  EXPECT_FALSE(needs.ingestion_time);
  EXPECT_FALSE(needs.ascending);
  EXPECT_EQ(needs.stop_after_matches, std::nullopt);

  needs = NeedsOf(**ParseQuery("filter @logStream = 'a' | stats count(*) by @log"));
  EXPECT_FALSE(needs.message);
  EXPECT_TRUE(needs.log_stream);
  EXPECT_TRUE(needs.log_group);

  // Default columns: @timestamp and @message.
  needs = NeedsOf(**ParseQuery("filter @ingestionTime > 0"));
  EXPECT_TRUE(needs.message);
  EXPECT_TRUE(needs.ingestion_time);

  // A JSON field needs the message; a name assigned earlier does not.
  EXPECT_TRUE(NeedsOf(**ParseQuery("stats count(*) by service")).message);
  EXPECT_FALSE(NeedsOf(**ParseQuery("fields 1 as one | stats sum(one)")).message);
  EXPECT_FALSE(NeedsOf(**ParseQuery("fields @timestamp | limit 5")).message);
  EXPECT_TRUE(NeedsOf(**ParseQuery("fields @timestamp | sort latency_ms | limit 5")).message);
  EXPECT_FALSE(NeedsOf(**ParseQuery("stats count(*) as n by bin(1h) | filter n > 2")).message);
}

TEST(QueryParserTest, ReportsWhenTheScanMayStop) {
  EXPECT_EQ(NeedsOf(**ParseQuery("filter level = 'error' | limit 2")).stop_after_matches, 2u);
  EXPECT_EQ(NeedsOf(**ParseQuery("limit 7 | filter level = 'error'")).stop_after_matches, 7u);
  EXPECT_EQ(NeedsOf(**ParseQuery("sort latency_ms | limit 2")).stop_after_matches, std::nullopt);
  EXPECT_EQ(NeedsOf(**ParseQuery("stats count(*) | limit 2")).stop_after_matches, std::nullopt);
  EXPECT_EQ(NeedsOf(**ParseQuery("dedup a | limit 2")).stop_after_matches, std::nullopt);
  EXPECT_EQ(NeedsOf(**ParseQuery("filter x")).stop_after_matches, std::nullopt);

  ScanNeeds oldest = NeedsOf(**ParseQuery("fields @message | sort @timestamp asc | limit 3"));
  EXPECT_TRUE(oldest.ascending);
  EXPECT_EQ(oldest.stop_after_matches, 3u);
  ScanNeeds newest = NeedsOf(**ParseQuery("sort @timestamp desc | limit 3"));
  EXPECT_FALSE(newest.ascending);
  EXPECT_EQ(newest.stop_after_matches, 3u);
  // Sorting by a @timestamp the query replaced is an ordinary sort.
  ScanNeeds replaced =
      NeedsOf(**ParseQuery("fields fromMillis(ms) as @timestamp | sort @timestamp asc | limit 3"));
  EXPECT_FALSE(replaced.ascending);
  EXPECT_EQ(replaced.stop_after_matches, std::nullopt);
}

TEST(QueryParserTest, TokenizesRegexesOnlyWhereDivisionCannotBe) {
  auto tokens = TokenizeQuery("fields a / b | filter c like /x\\/y/ | parse d /(?<e>f)/");
  ASSERT_TRUE(tokens.ok());
  std::vector<TokenKind> kinds;
  for (const Token& token : *tokens) kinds.push_back(token.kind);
  EXPECT_EQ(kinds, (std::vector<TokenKind>{
                       TokenKind::kIdentifier, TokenKind::kIdentifier, TokenKind::kSlash,
                       TokenKind::kIdentifier, TokenKind::kPipe, TokenKind::kIdentifier,
                       TokenKind::kIdentifier, TokenKind::kIdentifier, TokenKind::kRegex,
                       TokenKind::kPipe, TokenKind::kIdentifier, TokenKind::kIdentifier,
                       TokenKind::kRegex, TokenKind::kEnd}));
  EXPECT_EQ((*tokens)[8].text, "x/y");
  EXPECT_EQ((*tokens)[12].text, "(?<e>f)");
}

TEST(QueryParserTest, DecodesStringEscapes) {
  auto tokens = TokenizeQuery(R"(filter a = "q\"uote\\ \n" or b = 'it\'s \d')");
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ((*tokens)[3].text, "q\"uote\\ \n");
  EXPECT_EQ((*tokens)[7].text, "it's \\d");
}

TEST(QueryParserTest, TranslatesJavaNamedGroupsForRe2) {
  EXPECT_EQ(TranslateNamedGroups("(?<user>\\w+)"), "(?P<user>\\w+)");
  EXPECT_EQ(TranslateNamedGroups("\\(?<x>"), "\\(?<x>");
  EXPECT_EQ(TranslateNamedGroups("[(?<x>]"), "[(?<x>]");
  EXPECT_EQ(TranslateNamedGroups("(?<=a)"), "(?<=a)");
  EXPECT_EQ(TranslateNamedGroups("[]](?<y>z)"), "[]](?P<y>z)");
}

}  // namespace
}  // namespace ck::collector::insights
