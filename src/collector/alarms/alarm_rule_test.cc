#include "collector/alarms/alarm_rule.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace ck::collector {
namespace {

class AlarmRuleTest : public ::testing::Test {
 protected:
  bool Eval(std::string_view text) {
    auto rule = AlarmRule::Parse(text);
    EXPECT_TRUE(rule.ok()) << text << ": " << rule.status().message();
    if (!rule.ok()) return false;
    return rule->Evaluate(Lookup());
  }

  std::string ErrorFor(std::string_view text) {
    auto rule = AlarmRule::Parse(text);
    if (rule.ok()) return "parsed";
    EXPECT_EQ(rule.status().code(), StatusCode::kInvalidArgument);
    return rule.status().message();
  }

  AlarmStateLookup Lookup() const {
    return [this](const std::string& name) -> std::optional<AlarmState> {
      auto it = states_.find(name);
      if (it == states_.end()) return std::nullopt;
      return it->second;
    };
  }

  std::map<std::string, AlarmState> states_ = {
      {"cpu", AlarmState::kAlarm},
      {"disk", AlarmState::kOk},
      {"new", AlarmState::kInsufficientData},
      {"deploying", AlarmState::kOk},
      {"with space", AlarmState::kAlarm},
  };
};

TEST_F(AlarmRuleTest, StateFunctionsAndConstants) {
  EXPECT_TRUE(Eval("ALARM(cpu)"));
  EXPECT_FALSE(Eval("ALARM(disk)"));
  EXPECT_TRUE(Eval("OK(disk)"));
  EXPECT_TRUE(Eval("INSUFFICIENT_DATA(new)"));
  EXPECT_FALSE(Eval("INSUFFICIENT_DATA(cpu)"));
  EXPECT_TRUE(Eval("TRUE"));
  EXPECT_FALSE(Eval("FALSE"));
  // An alarm that does not exist is in no state.
  EXPECT_FALSE(Eval("ALARM(gone)"));
  EXPECT_FALSE(Eval("OK(gone)"));
  EXPECT_TRUE(Eval("NOT OK(gone)"));
}

TEST_F(AlarmRuleTest, QuotingWhitespaceAndArns) {
  EXPECT_TRUE(Eval(R"(ALARM("cpu"))"));
  EXPECT_TRUE(Eval(R"(ALARM( "cpu" ))"));
  EXPECT_TRUE(Eval("ALARM(  cpu\t)"));
  EXPECT_TRUE(Eval(R"(ALARM("with space"))"));
  EXPECT_TRUE(Eval("ALARM(with space)"));
  EXPECT_TRUE(Eval(R"(ALARM("arn:aws:cloudwatch:local:000000000000:alarm:cpu"))"));
  EXPECT_TRUE(Eval("\n ALARM(cpu)\n AND\tOK(disk) \n"));
  auto rule = AlarmRule::Parse(
      R"(ALARM("arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu") OR OK(disk) OR OK(cpu))");
  ASSERT_TRUE(rule.ok());
  EXPECT_EQ(rule->referenced_alarms(), (std::vector<std::string>{"cpu", "disk"}));
}

TEST_F(AlarmRuleTest, OperatorsPrecedenceAndNesting) {
  EXPECT_TRUE(Eval("ALARM(cpu) AND OK(disk)"));
  EXPECT_FALSE(Eval("ALARM(cpu) AND ALARM(disk)"));
  EXPECT_TRUE(Eval("ALARM(disk) OR ALARM(cpu)"));
  EXPECT_FALSE(Eval("ALARM(disk) OR ALARM(new)"));
  EXPECT_TRUE(Eval("ALARM(cpu) AND NOT ALARM(deploying)"));
  EXPECT_FALSE(Eval("NOT ALARM(cpu) AND NOT ALARM(deploying)"));
  // AND binds tighter than OR: TRUE OR (FALSE AND FALSE).
  EXPECT_TRUE(Eval("TRUE OR FALSE AND FALSE"));
  EXPECT_FALSE(Eval("(TRUE OR FALSE) AND FALSE"));
  // NOT binds tighter than AND.
  EXPECT_FALSE(Eval("NOT TRUE AND FALSE"));
  EXPECT_TRUE(Eval("NOT (TRUE AND FALSE)"));
  EXPECT_TRUE(Eval("NOT NOT ALARM(cpu)"));
  EXPECT_TRUE(Eval("((ALARM(cpu) OR ALARM(disk)) AND (OK(disk) OR FALSE)) AND NOT (ALARM(new))"));
  EXPECT_TRUE(Eval("ALARM(cpu) AND OK(disk) AND INSUFFICIENT_DATA(new) AND TRUE"));
}

TEST_F(AlarmRuleTest, SyntaxErrorsSayWhereAndWhat) {
  EXPECT_EQ(ErrorFor(""), "Invalid AlarmRule: empty rule at position 1");
  EXPECT_EQ(ErrorFor("   "), "Invalid AlarmRule: empty rule at position 4");
  EXPECT_EQ(ErrorFor("ALARM(cpu) AND"),
            "Invalid AlarmRule: expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or '(', "
            "found end of rule at position 15");
  EXPECT_EQ(ErrorFor("ALARM(cpu"),
            "Invalid AlarmRule: expected ')', found end of rule at position 10");
  EXPECT_EQ(ErrorFor("ALARM()"), "Invalid AlarmRule: expected an alarm name at position 7");
  EXPECT_EQ(ErrorFor("ALARM(\"cpu)"), "Invalid AlarmRule: unterminated alarm name at position 7");
  EXPECT_EQ(ErrorFor("ALARM cpu"), "Invalid AlarmRule: expected '(', found 'cpu' at position 7");
  EXPECT_EQ(ErrorFor("alarm(cpu)"),
            "Invalid AlarmRule: expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or '(', "
            "found 'alarm' at position 1");
  EXPECT_EQ(ErrorFor("ALARM(cpu) ALARM(disk)"),
            "Invalid AlarmRule: expected AND, OR or end of rule, found 'ALARM' at position 12");
  EXPECT_EQ(ErrorFor("ALARM(cpu) && OK(disk)"),
            "Invalid AlarmRule: expected AND, OR or end of rule, found '&' at position 12");
  EXPECT_EQ(ErrorFor("(TRUE"), "Invalid AlarmRule: expected ')', found end of rule at position 6");
  EXPECT_EQ(ErrorFor("TRUE)"),
            "Invalid AlarmRule: expected AND, OR or end of rule, found ')' at position 5");
  EXPECT_EQ(ErrorFor("ALARMS(cpu)"),
            "Invalid AlarmRule: expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or '(', "
            "found 'ALARMS' at position 1");
  EXPECT_EQ(ErrorFor("ALARM(\"arn:aws:cloudwatch:x:1:metric:cpu\")"),
            "Invalid AlarmRule: invalid alarm ARN at position 7");
  EXPECT_EQ(ErrorFor("ALARM(\"caf\xc3\xa9\")"),
            "Invalid AlarmRule: alarm names must be printable ASCII at position 7");
  EXPECT_EQ(ErrorFor("\x01"),
            "Invalid AlarmRule: expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or '(', "
            "found '\\x01' at position 1");
}

TEST_F(AlarmRuleTest, Limits) {
  std::string longest(kMaxAlarmRuleLength - 6, ' ');
  longest = "TRUE" + longest + "  ";
  EXPECT_EQ(longest.size(), kMaxAlarmRuleLength);
  EXPECT_TRUE(Eval(longest));
  EXPECT_EQ(ErrorFor(longest + " "),
            "1 validation error detected: Value at 'alarmRule' failed to satisfy constraint: "
            "Member must have length less than or equal to 10240");

  std::string elements = "TRUE";
  for (size_t i = 1; i < kMaxAlarmRuleElements; ++i) elements += " OR FALSE";
  EXPECT_TRUE(Eval(elements));
  EXPECT_EQ(ErrorFor(elements + " OR TRUE"), "AlarmRule can contain at most 500 elements");

  std::string children = "OK(a0)";
  for (size_t i = 1; i < kMaxAlarmRuleChildren; ++i)
    children += " OR OK(a" + std::to_string(i) + ")";
  EXPECT_EQ(AlarmRule::Parse(children)->referenced_alarms().size(), kMaxAlarmRuleChildren);
  EXPECT_EQ(ErrorFor(children + " OR OK(a100)"), "AlarmRule can reference at most 100 alarms");
  EXPECT_EQ(ErrorFor(children + " OR OK(a1)"), "parsed");  // a repeat is not a new child

  std::string nested = std::string(kMaxAlarmRuleNesting - 1, '(') + "TRUE" +
                       std::string(kMaxAlarmRuleNesting - 1, ')');
  EXPECT_TRUE(Eval(nested));
  EXPECT_EQ(ErrorFor("(" + nested + ")"),
            "Invalid AlarmRule: nesting deeper than 100 levels at position 101");
  std::string nots;
  for (size_t i = 0; i < kMaxAlarmRuleNesting; ++i) nots += "NOT ";
  EXPECT_EQ(ErrorFor(nots + "TRUE"),
            "Invalid AlarmRule: nesting deeper than 100 levels at position 400");
}

TEST_F(AlarmRuleTest, ContributingAlarms) {
  auto rule = AlarmRule::Parse("(ALARM(cpu) OR ALARM(disk)) AND NOT ALARM(deploying)");
  ASSERT_TRUE(rule.ok());
  ASSERT_TRUE(rule->Evaluate(Lookup()));
  // TRUE because cpu is in ALARM and deploying is not.
  EXPECT_EQ(rule->ContributingAlarms(Lookup(), true),
            (std::vector<std::string>{"cpu", "deploying"}));
  states_["cpu"] = AlarmState::kOk;
  ASSERT_FALSE(rule->Evaluate(Lookup()));
  EXPECT_EQ(rule->ContributingAlarms(Lookup(), false), (std::vector<std::string>{"cpu", "disk"}));
  EXPECT_EQ(rule->text(), "(ALARM(cpu) OR ALARM(disk)) AND NOT ALARM(deploying)");
}

TEST(AlarmNameFromReferenceTest, NamesAndArns) {
  EXPECT_EQ(AlarmNameFromReference("cpu"), "cpu");
  EXPECT_EQ(AlarmNameFromReference("arn:aws:cloudwatch:local:0:alarm:a:b"), "a:b");
  EXPECT_EQ(AlarmNameFromReference("arn:aws:cloudwatch:local:0:alarm:"), std::nullopt);
  EXPECT_EQ(AlarmNameFromReference("arn:aws:sns:x"), std::nullopt);
}

}  // namespace
}  // namespace ck::collector
