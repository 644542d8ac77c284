// Every scalar function and operator, evaluated through a real query over one JSON event.
#include "collector/insights/functions.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "collector/insights/test_events.h"

namespace ck::collector::insights {
namespace {

// 2024-05-01 12:00:00.000 UTC, a Wednesday.
constexpr int64_t kTimestamp = 1714564800000;

constexpr const char* kMessage = R"json({
  "s": "  Hello Wörld  ", "n": -2.5, "zero": 0, "ip4": "192.0.2.10", "ip6": "2001:db8::1",
  "csv": "xyZfooxyZ", "empty": "", "blank": " \t ", "ms": 1714564800123, "flag": true,
  "off": false, "emoji": "Zoë 👵", "nested": {"a": {"b": 7}}, "arr": [10, 20, {"k": "v"}],
  "dotted.key": "dk", "numstr": "42", "nul": null})json";

struct Case {
  std::string expression;
  std::optional<std::string> expected;  // nullopt: no value
};

std::optional<std::string> Evaluate(const std::string& expression) {
  auto query = ParseQuery("fields " + expression + " as r | display r");
  if (!query.ok()) return "parse error: " + query.status().message();
  const std::vector<test_events::FixtureEvent> events = {
      {7, kTimestamp, "feed-api/task-1", kMessage}};
  QueryResult result = test_events::RunOver(*query, events);
  if (result.rows.size() != 1 || result.columns != std::vector<std::string>{"r", "@ptr"}) {
    return "unexpected result shape";
  }
  return result.rows[0][0];
}

void ExpectAll(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    EXPECT_EQ(Evaluate(c.expression), c.expected) << c.expression;
  }
}

TEST(FunctionsTest, NumericFunctions) {
  ExpectAll({
      {"abs(n)", "2.5"},
      {"abs(missing)", std::nullopt},
      {"ceil(n)", "-2"},
      {"floor(n)", "-3"},
      {"ceil(1.2)", "2"},
      {"greatest(1, n, numstr)", "42"},
      {"least(1, n, numstr)", "-2.5"},
      {"greatest(missing, 3)", "3"},
      {"greatest(missing, csv)", std::nullopt},
      {"log(1)", "0"},
      {"log(0)", std::nullopt},
      {"sqrt(16)", "4"},
      {"sqrt(n)", std::nullopt},
      {"sqrt(numstr)", "6.48074069840786"},
  });
}

TEST(FunctionsTest, GeneralFunctions) {
  ExpectAll({
      {"ispresent(zero)", "1"},
      {"ispresent(missing)", "0"},
      {"ispresent(nul)", "0"},
      {"isPresent(nested.a.b)", "1"},
      {"coalesce(missing, nul, numstr)", "42"},
      {"coalesce(missing, nul)", std::nullopt},
      {"coalesce(empty, csv)", ""},
  });
}

TEST(FunctionsTest, StringFunctions) {
  ExpectAll({
      {"isempty(empty)", "1"},
      {"isempty(missing)", "1"},
      {"isempty(s)", "0"},
      {"isempty(zero)", "0"},
      {"isblank(blank)", "1"},
      {"isblank(empty)", "1"},
      {"isblank(missing)", "1"},
      {"isblank(s)", "0"},
      {"concat(csv, '-', n)", "xyZfooxyZ--2.5"},
      {"concat(csv, missing)", std::nullopt},
      {"concat(flag, off)", "10"},
      {"ltrim(s)", "Hello Wörld  "},
      {"rtrim(s)", "  Hello Wörld"},
      {"trim(s)", "Hello Wörld"},
      {"trim(csv, 'xyZ')", "foo"},
      {"ltrim(csv, 'xyZ')", "fooxyZ"},
      {"rtrim(csv, 'xyZ')", "xyZfoo"},
      {"trim('👵a👵', '👵')", "a"},
      {"trim(missing)", std::nullopt},
      {"strlen(s)", "15"},
      {"strlen(emoji)", "5"},
      {"strlen(n)", "4"},
      {"strlen(empty)", "0"},
      {"strlen(missing)", std::nullopt},
      {"toupper(s)", "  HELLO WöRLD  "},
      {"toUpper(csv)", "XYZFOOXYZ"},
      {"TOLOWER(csv)", "xyzfooxyz"},
      {"substr(csv, 3, 3)", "foo"},
      {"substr(csv, 3)", "fooxyZ"},
      {"substr(emoji, 2, 3)", "ë 👵"},
      {"substr(emoji, 4)", "👵"},
      {"substr(csv, 20)", ""},
      {"substr(csv, -2, 2)", "xy"},
      {"substr(csv, 0, -1)", ""},
      {"substr(csv, csv)", std::nullopt},
      {"replace('foo', 'o', '0')", "f00"},
      {"replace(csv, 'xyZ', '')", "foo"},
      {"replace(csv, '', 'q')", "xyZfooxyZ"},
      {"replace(emoji, 'ë', 'e')", "Zoe 👵"},
      {"strcontains(csv, 'foo')", "1"},
      {"strcontains(csv, 'bar')", "0"},
      {"strcontains(missing, 'bar')", std::nullopt},
  });
}

TEST(FunctionsTest, DatetimeFunctions) {
  ExpectAll({
      {"fromMillis(ms)", "2024-05-01 12:00:00.123"},
      {"fromMillis(csv)", std::nullopt},
      {"fromMillis(1e300)", std::nullopt},
      {"toMillis(@timestamp)", "1714564800000"},
      {"toMillis(fromMillis(ms))", "1714564800123"},
      {"datefloor(fromMillis(ms), 1h)", "2024-05-01 12:00:00.000"},
      {"dateceil(fromMillis(ms), 1h)", "2024-05-01 13:00:00.000"},
      {"dateceil(@timestamp, 1h)", "2024-05-01 12:00:00.000"},
      {"datefloor(@timestamp, 1w)", "2024-04-29 00:00:00.000"},
      {"datefloor(@timestamp, 1mo)", "2024-05-01 00:00:00.000"},
      {"datefloor(@timestamp, 1q)", "2024-04-01 00:00:00.000"},
      {"dateceil(@timestamp, 1y)", "2025-01-01 00:00:00.000"},
      {"datefloor(ms, 1d)", "2024-05-01 00:00:00.000"},
      {"datefloor(csv, 1d)", std::nullopt},
      {"bin(7m)", "2024-05-01 11:59:00.000"},
      {"bin(1d)", "2024-05-01 00:00:00.000"},
  });
}

TEST(FunctionsTest, IpAddressFunctions) {
  ExpectAll({
      {"isValidIp(ip4)", "1"},
      {"isValidIp(ip6)", "1"},
      {"isValidIp('1.2.3')", "0"},
      {"isValidIp('256.1.1.1')", "0"},
      {"isValidIp(missing)", std::nullopt},
      {"isValidIpV4(ip4)", "1"},
      {"isValidIpV4(ip6)", "0"},
      {"isValidIpV6(ip6)", "1"},
      {"isValidIpV6(ip4)", "0"},
      {"isIpInSubnet(ip4, '192.0.2.0/24')", "1"},
      {"isIpInSubnet(ip4, '192.0.3.0/24')", "0"},
      {"isIpInSubnet(ip4, '192.0.2.10')", "1"},
      {"isIpInSubnet(ip4, '192.0.0.0/22')", "1"},
      {"isIpInSubnet(ip6, '2001:db8::/32')", "1"},
      {"isIpInSubnet(ip4, 'bogus')", "0"},
      {"isIpInSubnet(ip4, '192.0.2.0/33')", "0"},
      {"isIpv4InSubnet(ip4, '192.0.2.0/24')", "1"},
      {"isIpv4InSubnet(ip6, '2001:db8::/32')", "0"},
      {"isIpv6InSubnet(ip6, '2001:db8::/32')", "1"},
      {"isIpv6InSubnet(ip6, '2001:db9::/32')", "0"},
      {"isIpv6InSubnet(ip4, '192.0.2.0/24')", "0"},
  });
}

TEST(FunctionsTest, Operators) {
  ExpectAll({
      {"2 ^ 3", "8"},
      {"10 % 3", "1"},
      {"n * 2", "-5"},
      {"numstr + 1", "43"},
      {"1 / zero", std::nullopt},
      {"1 % zero", std::nullopt},
      {"s + 1", std::nullopt},
      {"-n", "2.5"},
      {"2 + 3 * 4", "14"},
      {"(2 + 3) * 4", "20"},
      {"-2 ^ 2", "-4"},
      {"2 ^ -1", "0.5"},
      {"10 - 4 - 3", "3"},
      {"flag + flag", "2"},
      {"@timestamp - ms", "-123"},
      {"n < 0", "1"},
      {"numstr = 42", "1"},
      {"numstr > 9", "1"},
      {"csv > 'xyA'", "1"},
      {"flag = 'true'", "1"},
      {"off = 0", "1"},
      {"missing = 1", "0"},
      {"missing != 1", "0"},
      {"n != 1", "1"},
      {"not missing = 1", "1"},
      {"numstr in [1, 42]", "1"},
      {"numstr in ['1', '2']", "0"},
      {"s not in ['x']", "1"},
      {"missing not in ['x']", "0"},
      {"csv like 'foo'", "1"},
      {"csv like /^xyZ/", "1"},
      {"csv =~ /FOO/", "0"},
      {"csv like /(?i)FOO/", "1"},
      {"csv not like 'foo'", "0"},
      {"missing not like 'foo'", "0"},
      {"zero like '0'", "1"},
      {"flag and off", "0"},
      {"flag or off", "1"},
  });
}

TEST(FunctionsTest, JsonFieldAccess) {
  ExpectAll({
      {"nested.a.b", "7"},
      {"arr.1", "20"},
      {"arr.2.k", "v"},
      {"arr.9", std::nullopt},
      {"`dotted.key`", "dk"},
      {"nested", R"({"a":{"b":7}})"},
      {"arr", R"([10,20,{"k":"v"}])"},
      {"flag", "1"},
      {"off", "0"},
      {"nul", std::nullopt},
      {"emoji", "Zoë 👵"},
      {"@logStream", "feed-api/task-1"},
      {"@log", "/ck/cuddle-kube"},
      {"@ingestionTime", "2024-05-01 12:00:00.250"},
  });
}

TEST(FunctionsTest, RegistryIgnoresCaseAndKnowsAggregates) {
  ASSERT_NE(FindFunction("ISVALIDIPV4"), nullptr);
  EXPECT_EQ(FindFunction("ISVALIDIPV4")->id, FunctionId::kIsValidIpV4);
  EXPECT_EQ(FindFunction("count_distinct")->aggregate, true);
  EXPECT_EQ(FindFunction("strlen")->aggregate, false);
  EXPECT_EQ(FindFunction("nosuch"), nullptr);
  EXPECT_EQ(InfoOf(FunctionId::kSortsLast).name, "sortsLast");
  EXPECT_EQ(CodePointCount("Zoë 👵"), 5u);
}

}  // namespace
}  // namespace ck::collector::insights
