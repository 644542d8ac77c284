// libFuzzer target for composite alarm rules (src/collector/alarms/alarm_rule.h) and, for inputs
// that start with '{', PutMetricAlarm / PutCompositeAlarm bodies (src/collector/alarms/
// alarm_json.h).
//
// Rules: whatever parses is evaluated against fixed alarm states; the target checks that every
// error is kInvalidArgument, evaluation is deterministic, "NOT (R)" is exactly the negation of R,
// "(R) AND TRUE" and "(R) OR FALSE" equal R, every contributing alarm is a referenced one, and
// the referenced alarms are sorted and unique.
// Bodies: whatever parses must render back to JSON that parses to an equal spec.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collector/alarms/alarm_json.h"
#include "collector/alarms/alarm_rule.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

namespace {

using ck::StatusCode;
using ck::collector::AlarmRule;
using ck::collector::AlarmState;
using ck::collector::AlarmStateLookup;

// Three fixed worlds of alarm states; names not listed do not exist.
const std::vector<AlarmStateLookup>& Worlds() {
  static const auto* worlds = [] {
    auto* out = new std::vector<AlarmStateLookup>;
    const std::vector<std::map<std::string, AlarmState>> states = {
        {{"cpu", AlarmState::kAlarm},
         {"disk", AlarmState::kOk},
         {"new", AlarmState::kInsufficientData}},
        {{"cpu", AlarmState::kOk}, {"disk", AlarmState::kAlarm}, {"a", AlarmState::kAlarm}},
        {},
    };
    for (const auto& world : states) {
      out->push_back([world](const std::string& name) -> std::optional<AlarmState> {
        auto it = world.find(name);
        if (it == world.end()) return std::nullopt;
        return it->second;
      });
    }
    return out;
  }();
  return *worlds;
}

void CheckRule(std::string_view text) {
  auto rule = AlarmRule::Parse(text);
  if (!rule.ok()) {
    Check(rule.status().code() == StatusCode::kInvalidArgument);
    Check(!rule.status().message().empty());
    return;
  }
  const std::vector<std::string>& referenced = rule->referenced_alarms();
  Check(std::is_sorted(referenced.begin(), referenced.end()));
  Check(std::adjacent_find(referenced.begin(), referenced.end()) == referenced.end());

  auto negated = AlarmRule::Parse("NOT (" + std::string(text) + ")");
  auto with_true = AlarmRule::Parse("(" + std::string(text) + ") AND TRUE");
  auto with_false = AlarmRule::Parse("(" + std::string(text) + ") OR FALSE");
  for (const AlarmStateLookup& world : Worlds()) {
    const bool value = rule->Evaluate(world);
    Check(rule->Evaluate(world) == value);
    for (const std::string& name : rule->ContributingAlarms(world, value)) {
      Check(std::binary_search(referenced.begin(), referenced.end(), name));
    }
    // Wrapping can only fail on the length, element or nesting limits.
    if (negated.ok()) Check(negated->Evaluate(world) == !value);
    if (with_true.ok()) Check(with_true->Evaluate(world) == value);
    if (with_false.ok()) Check(with_false->Evaluate(world) == value);
  }
}

void CheckBody(std::string_view text) {
  auto body = ck::collector::ParseAlarmJson(text);
  if (!body.ok()) {
    Check(body.status().code() == StatusCode::kInvalidArgument);
    return;
  }
  auto metric = ck::collector::ParsePutMetricAlarm(*body);
  if (metric.ok()) {
    auto again = ck::collector::ParsePutMetricAlarm(
        ck::collector::AlarmJson::parse(ck::collector::MetricAlarmSpecToJson(*metric).dump()));
    Check(again.ok() && *again == *metric);
  } else {
    Check(metric.status().code() == StatusCode::kInvalidArgument);
  }
  auto composite = ck::collector::ParsePutCompositeAlarm(*body);
  if (composite.ok()) {
    auto again =
        ck::collector::ParsePutCompositeAlarm(ck::collector::CompositeAlarmSpecToJson(*composite));
    Check(again.ok() && *again == *composite);
    CheckRule(composite->rule);
  } else {
    Check(composite.status().code() == StatusCode::kInvalidArgument);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!text.empty() && text.front() == '{') {
    CheckBody(text);
  } else {
    CheckRule(text);
  }
  return 0;
}
