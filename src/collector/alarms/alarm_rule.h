// AlarmRule: a composite alarm's rule expression (PutCompositeAlarm's AlarmRule), parsed once and
// evaluated against the current states of other alarms.
//
// Grammar (keywords are upper case, as CloudWatch's):
//   rule     := or
//   or       := and ( "OR" and )*
//   and      := unary ( "AND" unary )*
//   unary    := "NOT" unary | primary
//   primary  := "(" rule ")" | "TRUE" | "FALSE" | state "(" alarm ")"
//   state    := "ALARM" | "OK" | "INSUFFICIENT_DATA"
//   alarm    := '"' name-or-arn '"' | name-or-arn      (unquoted: no '(', ')' or '"'; trimmed)
// NOT binds tighter than AND, AND tighter than OR. An alarm may be named by its ARN
// ("arn:aws:cloudwatch:region:account:alarm:NAME"); the rule then refers to NAME.
//
//   CK_ASSIGN_OR_RETURN(AlarmRule rule,
//                       AlarmRule::Parse(R"(ALARM("5xx") AND NOT ALARM(deploying))"));
//   bool alarm = rule.Evaluate([&](const std::string& name) { return StateOf(name); });
//
// Limits (CloudWatch's, plus a nesting bound of our own): at most kMaxAlarmRuleLength characters,
// kMaxAlarmRuleElements elements (state functions, TRUE, FALSE and parenthesis pairs),
// kMaxAlarmRuleChildren distinct alarms and kMaxAlarmRuleNesting levels of "(" and NOT.
// Failure: Parse returns InvalidArgument, "Invalid AlarmRule: <what> at position <1-based>" for
// syntax errors, CloudWatch's validation messages for limits.
// Thread-safety: immutable after Parse; Evaluate may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/alarms/alarm_types.h"
#include "core/status.h"

namespace ck::collector {

inline constexpr size_t kMaxAlarmRuleLength = 10240;
inline constexpr size_t kMaxAlarmRuleElements = 500;
inline constexpr size_t kMaxAlarmRuleChildren = 100;
inline constexpr size_t kMaxAlarmRuleNesting = 100;

// The state of the alarm with this name, or nullopt if there is none (such a reference is
// FALSE whatever state it asks for).
using AlarmStateLookup = std::function<std::optional<AlarmState>(const std::string& name)>;

class AlarmRule {
 public:
  static Result<AlarmRule> Parse(std::string_view text);

  // True when the composite alarm should be in ALARM.
  bool Evaluate(const AlarmStateLookup& state_of) const;

  // The alarms whose state made the rule come out as `outcome`: each state function whose value
  // (after the NOTs above it) equals `outcome`, in order of first appearance, without repeats.
  std::vector<std::string> ContributingAlarms(const AlarmStateLookup& state_of, bool outcome) const;

  // Every alarm the rule names (ARNs reduced to names), sorted, without repeats.
  const std::vector<std::string>& referenced_alarms() const { return referenced_; }
  const std::string& text() const { return text_; }

 private:
  enum class Kind { kConstant, kStateFunction, kNot, kAnd, kOr };
  struct Node {
    Kind kind = Kind::kConstant;
    bool constant = false;
    AlarmState state = AlarmState::kAlarm;
    std::string alarm;
    std::vector<int32_t> children;
  };
  class Parser;

  bool EvaluateNode(int32_t index, const AlarmStateLookup& state_of) const;
  void CollectContributing(int32_t index, const AlarmStateLookup& state_of, bool negated,
                           bool outcome, std::vector<std::string>* out) const;

  std::string text_;
  std::vector<Node> nodes_;
  int32_t root_ = -1;
  std::vector<std::string> referenced_;
};

// The alarm name an AlarmRule argument refers to: the part after ":alarm:" of an ARN, else the
// argument itself. Nullopt for an ARN without ":alarm:<name>".
std::optional<std::string> AlarmNameFromReference(std::string_view reference);

}  // namespace ck::collector
