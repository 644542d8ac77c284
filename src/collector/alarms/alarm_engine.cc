#include "collector/alarms/alarm_engine.h"

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

#include "collector/alarms/alarm_format.h"
#include "collector/alarms/alarm_json.h"
#include "collector/alarms/alarm_validation.h"
#include "collector/alarms/metric_evaluation.h"

namespace ck::collector {
namespace {

using RefsOf = std::function<const std::vector<std::string>*(const std::string& name)>;

// A path start -> ... -> start through composite rules, or empty if there is none. Iterative,
// so a long chain of composites cannot exhaust the stack.
std::vector<std::string> FindCycle(const std::string& start, const RefsOf& refs_of) {
  struct Frame {
    std::string name;
    size_t next = 0;
  };
  std::vector<Frame> stack = {{start}};
  std::set<std::string> seen = {start};
  while (!stack.empty()) {
    Frame& top = stack.back();
    const std::vector<std::string>* refs = refs_of(top.name);
    if (refs == nullptr || top.next >= refs->size()) {
      stack.pop_back();
      continue;
    }
    const std::string& child = (*refs)[top.next++];
    if (child == start) {
      std::vector<std::string> path;
      for (const Frame& frame : stack) path.push_back(frame.name);
      path.push_back(start);
      return path;
    }
    if (seen.insert(child).second) stack.push_back({child});
  }
  return {};
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

Status CycleError(const std::vector<std::string>& cycle) {
  return InvalidArgument("Could not save the composite alarm as its alarm rule creates a cycle: " +
                         Join(cycle, " -> "));
}

AlarmJson StateJson(AlarmState state, const std::string& reason, const AlarmJson& reason_data) {
  AlarmJson out = AlarmJson::object();
  out["stateValue"] = AlarmStateName(state);
  out["stateReason"] = reason;
  if (!reason_data.is_null()) out["stateReasonData"] = reason_data;
  return out;
}

bool HasActionWithPrefix(const AlarmRecord& record, std::string_view prefix) {
  for (AlarmState state : {AlarmState::kAlarm, AlarmState::kOk, AlarmState::kInsufficientData}) {
    const std::vector<std::string>& actions = record.type == AlarmType::kMetric
                                                  ? ActionsFor(record.metric, state)
                                                  : ActionsFor(record.composite, state);
    for (const std::string& action : actions) {
      if (action.starts_with(prefix)) return true;
    }
  }
  return false;
}

}  // namespace

AlarmEngine::AlarmEngine(AlarmEngineOptions options, ActionSink* sink)
    : options_(std::move(options)), sink_(sink), history_(options_.history_per_alarm) {}

std::string AlarmEngine::AlarmArn(std::string_view name) const {
  return "arn:aws:cloudwatch:" + options_.region + ":" + options_.account_id +
         ":alarm:" + std::string(name);
}

size_t AlarmEngine::size() const {
  std::lock_guard lock(mu_);
  return alarms_.size();
}

uint64_t AlarmEngine::history_dropped() const {
  std::lock_guard lock(mu_);
  return history_.dropped();
}

Status AlarmEngine::CheckCapacityLocked(const std::string& name, AlarmType type) const {
  auto it = alarms_.find(name);
  if (it != alarms_.end()) {
    if (it->second.record.type != type) {
      return InvalidArgument("An alarm named " + name + " already exists as a " +
                             std::string(AlarmTypeName(it->second.record.type)));
    }
    return Status::Ok();
  }
  if (alarms_.size() >= options_.max_alarms) {
    return ResourceExhausted("The maximum number of alarms (" +
                             std::to_string(options_.max_alarms) + ") has been reached");
  }
  return Status::Ok();
}

void AlarmEngine::RecordConfigurationLocked(const Entry& entry, bool created, int64_t now_ms) {
  const AlarmRecord& record = entry.record;
  AlarmJson data = AlarmJson::object();
  data["version"] = "1.0";
  data["type"] = created ? "Create" : "Update";
  data[created ? "createdAlarm" : "updatedAlarm"] = AlarmRecordToJson(record);
  history_.Add({record.name(), record.type, now_ms, HistoryItemType::kConfigurationUpdate,
                "Alarm \"" + record.name() + "\" " + (created ? "created" : "updated"),
                std::move(data)});
}

Status AlarmEngine::PutMetricAlarm(const MetricAlarmSpec& spec, int64_t now_ms) {
  CK_RETURN_IF_ERROR(ValidateMetricAlarmSpec(spec));
  std::lock_guard lock(mu_);
  CK_RETURN_IF_ERROR(CheckCapacityLocked(spec.name, AlarmType::kMetric));
  auto [it, created] = alarms_.try_emplace(spec.name);
  Entry& entry = it->second;
  entry.record.type = AlarmType::kMetric;
  entry.record.arn = AlarmArn(spec.name);
  entry.record.metric = spec;
  entry.generation = next_generation_++;
  if (created) entry.record.status.state_updated_ms = now_ms;
  entry.record.status.config_updated_ms = now_ms;
  RecordConfigurationLocked(entry, created, now_ms);
  return Status::Ok();
}

Status AlarmEngine::PutCompositeAlarm(const CompositeAlarmSpec& spec, int64_t now_ms) {
  CK_RETURN_IF_ERROR(ValidateCompositeAlarmSpec(spec));
  CK_ASSIGN_OR_RETURN(AlarmRule rule, AlarmRule::Parse(spec.rule));
  std::lock_guard lock(mu_);
  CK_RETURN_IF_ERROR(CheckCapacityLocked(spec.name, AlarmType::kComposite));
  std::vector<std::string> missing;
  for (const std::string& name : rule.referenced_alarms()) {
    if (!alarms_.contains(name)) missing.push_back(name);
  }
  if (!missing.empty()) {
    return InvalidArgument("Could not save the composite alarm as alarms [" + Join(missing, ", ") +
                           "] in the alarm rule do not exist");
  }
  std::vector<std::string> cycle = FindCycle(spec.name, [&](const std::string& name) {
    if (name == spec.name) return &rule.referenced_alarms();
    auto it = alarms_.find(name);
    return it != alarms_.end() && it->second.rule ? &it->second.rule->referenced_alarms() : nullptr;
  });
  if (!cycle.empty()) return CycleError(cycle);

  auto [it, created] = alarms_.try_emplace(spec.name);
  Entry& entry = it->second;
  entry.record.type = AlarmType::kComposite;
  entry.record.arn = AlarmArn(spec.name);
  entry.record.composite = spec;
  entry.rule = std::move(rule);
  entry.generation = next_generation_++;
  if (created) entry.record.status.state_updated_ms = now_ms;
  entry.record.status.config_updated_ms = now_ms;
  RecordConfigurationLocked(entry, created, now_ms);
  return Status::Ok();
}

Status AlarmEngine::DeleteAlarms(const std::vector<std::string>& names) {
  std::lock_guard lock(mu_);
  std::set<std::string, std::less<>> doomed(names.begin(), names.end());
  for (const std::string& name : doomed) {
    if (!alarms_.contains(name)) return NotFound("The alarm " + name + " does not exist");
  }
  for (const auto& [name, entry] : alarms_) {
    if (!entry.rule || doomed.contains(name)) continue;
    for (const std::string& child : entry.rule->referenced_alarms()) {
      if (doomed.contains(child)) {
        return FailedPrecondition("The alarm " + child +
                                  " cannot be deleted because composite alarm " + name +
                                  " refers to it");
      }
    }
  }
  for (const std::string& name : doomed) {
    alarms_.erase(name);
    history_.Erase(name);
  }
  return Status::Ok();
}

AlarmTransition AlarmEngine::TransitionLocked(Entry& entry, AlarmState state, std::string reason,
                                              AlarmJson reason_data, int64_t now_ms) {
  AlarmRecord& record = entry.record;
  AlarmStatus& status = record.status;
  AlarmTransition transition;
  transition.alarm_name = record.name();
  transition.alarm_arn = record.arn;
  transition.type = record.type;
  transition.description =
      record.type == AlarmType::kMetric ? record.metric.description : record.composite.description;
  transition.old_state = status.state;
  transition.new_state = state;
  transition.old_reason = status.reason;
  transition.reason = reason;
  transition.reason_data = reason_data;
  transition.timestamp_ms = now_ms;
  if (record.actions_enabled()) {
    transition.actions = record.type == AlarmType::kMetric ? ActionsFor(record.metric, state)
                                                           : ActionsFor(record.composite, state);
  }

  AlarmJson data = AlarmJson::object();
  data["version"] = "1.0";
  data["oldState"] = StateJson(status.state, status.reason, status.reason_data);
  data["newState"] = StateJson(state, reason, reason_data);
  history_.Add({record.name(), record.type, now_ms, HistoryItemType::kStateUpdate,
                "Alarm updated from " + std::string(AlarmStateName(status.state)) + " to " +
                    std::string(AlarmStateName(state)),
                std::move(data)});

  status.state = state;
  status.reason = std::move(reason);
  status.reason_data = std::move(reason_data);
  status.state_updated_ms = now_ms;
  return transition;
}

Status AlarmEngine::SetAlarmState(const std::string& name, AlarmState state,
                                  const std::string& reason, const AlarmJson& reason_data,
                                  int64_t now_ms) {
  if (reason.empty() || reason.size() > 1023 || !IsValidUtf8(reason)) {
    return AlarmConstraintError("stateReason", reason.size() > 1023 ? "" : reason,
                                "have length between 1 and 1023");
  }
  if (!reason_data.is_null() && !reason_data.is_object()) {
    return InvalidArgument("StateReasonData must be a JSON object");
  }
  std::vector<AlarmTransition> transitions;
  {
    std::lock_guard lock(mu_);
    auto it = alarms_.find(name);
    if (it == alarms_.end()) return NotFound("The alarm " + name + " does not exist");
    if (it->second.record.status.state != state) {
      transitions.push_back(TransitionLocked(it->second, state, reason, reason_data, now_ms));
    }
  }
  FireActions(transitions);
  return Status::Ok();
}

Status AlarmEngine::SetActionsEnabled(const std::vector<std::string>& names, bool enabled,
                                      int64_t now_ms) {
  std::lock_guard lock(mu_);
  for (const std::string& name : names) {
    if (!alarms_.contains(name)) return NotFound("The alarm " + name + " does not exist");
  }
  for (const std::string& name : names) {
    Entry& entry = alarms_.find(name)->second;
    bool& flag = entry.record.type == AlarmType::kMetric ? entry.record.metric.actions_enabled
                                                         : entry.record.composite.actions_enabled;
    if (flag == enabled) continue;
    flag = enabled;
    entry.record.status.config_updated_ms = now_ms;
    RecordConfigurationLocked(entry, false, now_ms);
  }
  return Status::Ok();
}

std::vector<AlarmTransition> AlarmEngine::Evaluate(int64_t now_ms, DatapointSource& source) {
  struct Job {
    std::string name;
    uint64_t generation;
    MetricAlarmSpec spec;
    int64_t end_ms;
    std::vector<std::optional<double>> values;
    bool fetched = false;
  };
  std::vector<Job> jobs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, entry] : alarms_) {
      if (entry.record.type != AlarmType::kMetric) continue;
      jobs.push_back({name,
                      entry.generation,
                      entry.record.metric,
                      EvaluationEndMs(entry.record.metric, now_ms),
                      {}});
    }
  }
  for (Job& job : jobs) {
    const size_t count = static_cast<size_t>(EvaluationRange(job.spec));
    try {
      job.values = source.Datapoints(job.spec, job.end_ms, static_cast<int>(count));
      job.fetched = true;
    } catch (...) {
      continue;  // a failing source leaves the alarm where it is for this tick
    }
    if (job.values.size() > count) {
      job.values.erase(job.values.begin(), job.values.end() - static_cast<ptrdiff_t>(count));
    } else if (job.values.size() < count) {
      job.values.insert(job.values.begin(), count - job.values.size(), std::nullopt);
    }
  }

  std::vector<AlarmTransition> transitions;
  {
    std::lock_guard lock(mu_);
    for (const Job& job : jobs) {
      auto it = alarms_.find(job.name);
      if (!job.fetched || it == alarms_.end() || it->second.generation != job.generation) continue;
      Entry& entry = it->second;
      MetricEvaluation result = EvaluateMetricAlarm(entry.record.metric, job.values, job.end_ms,
                                                    now_ms, entry.record.status.state);
      if (result.retained || result.state == entry.record.status.state) continue;
      transitions.push_back(TransitionLocked(entry, result.state, std::move(result.reason),
                                             std::move(result.reason_data), now_ms));
    }
    EvaluateCompositesLocked(now_ms, &transitions);
  }
  FireActions(transitions);
  return transitions;
}

void AlarmEngine::EvaluateCompositesLocked(int64_t now_ms,
                                           std::vector<AlarmTransition>* transitions) {
  // Children before parents (iterative post-order), so that a composite of composites sees the
  // states its children reach in this same tick.
  std::set<std::string, std::less<>> seen;
  std::vector<Entry*> order;
  for (auto& [root_name, root] : alarms_) {
    if (!root.rule || !seen.insert(root_name).second) continue;
    std::vector<std::pair<Entry*, size_t>> stack = {{&root, 0}};
    while (!stack.empty()) {
      auto& [entry, next] = stack.back();
      const std::vector<std::string>& children = entry->rule->referenced_alarms();
      if (next >= children.size()) {
        order.push_back(entry);
        stack.pop_back();
        continue;
      }
      auto it = alarms_.find(children[next++]);
      if (it != alarms_.end() && it->second.rule && seen.insert(it->first).second) {
        stack.push_back({&it->second, 0});
      }
    }
  }
  for (Entry* entry : order) EvaluateCompositeLocked(*entry, now_ms, transitions);
}

void AlarmEngine::EvaluateCompositeLocked(Entry& entry, int64_t now_ms,
                                          std::vector<AlarmTransition>* transitions) {
  AlarmStateLookup state_of = [&](const std::string& name) -> std::optional<AlarmState> {
    auto it = alarms_.find(name);
    if (it == alarms_.end()) return std::nullopt;
    return it->second.record.status.state;
  };
  const bool outcome = entry.rule->Evaluate(state_of);
  const AlarmState state = outcome ? AlarmState::kAlarm : AlarmState::kOk;
  if (state == entry.record.status.state) return;

  AlarmJson triggering = AlarmJson::array();
  const AlarmRecord* latest = nullptr;
  for (const std::string& name : entry.rule->ContributingAlarms(state_of, outcome)) {
    const AlarmRecord& child = alarms_.find(name)->second.record;
    AlarmJson child_state = AlarmJson::object();
    child_state["value"] = AlarmStateName(child.status.state);
    child_state["timestamp"] = FormatReasonDataMillis(child.status.state_updated_ms);
    AlarmJson item = AlarmJson::object();
    item["arn"] = child.arn;
    item["state"] = std::move(child_state);
    triggering.push_back(std::move(item));
    if (latest == nullptr || child.status.state_updated_ms > latest->status.state_updated_ms) {
      latest = &child;
    }
  }
  std::string reason = latest == nullptr
                           ? std::string("AlarmRule evaluated to ") + (outcome ? "TRUE" : "FALSE")
                           : latest->arn + " transitioned to " +
                                 std::string(AlarmStateName(latest->status.state)) + " at " +
                                 FormatCompositeReasonTime(latest->status.state_updated_ms);
  AlarmJson data = AlarmJson::object();
  data["triggeringAlarms"] = std::move(triggering);
  transitions->push_back(
      TransitionLocked(entry, state, std::move(reason), std::move(data), now_ms));
}

void AlarmEngine::FireActions(const std::vector<AlarmTransition>& transitions) {
  if (sink_ == nullptr) return;
  for (const AlarmTransition& transition : transitions) {
    for (const std::string& action : transition.actions) {
      try {
        sink_->Fire(transition, action);
      } catch (...) {
        // A sink must not throw; if it does, the failure is recorded and the other actions still
        // fire. The time is the transition's: the engine has no clock of its own.
        RecordActionResult(transition, action, Internal("the action sink threw an exception"),
                           transition.timestamp_ms);
      }
    }
  }
}

void AlarmEngine::RecordActionResult(const AlarmTransition& transition, const std::string& action,
                                     const Status& result, int64_t now_ms) {
  AlarmJson data = AlarmJson::object();
  data["actionState"] = result.ok() ? "Succeeded" : "Failed";
  data["notificationResource"] = action;
  data["stateUpdateTimestamp"] = FormatReasonDataMillis(transition.timestamp_ms);
  if (!result.ok()) data["error"] = result.message();
  std::string summary = result.ok() ? "Successfully executed action " + action
                                    : "Failed to execute action " + action +
                                          ". Received error: \"" + result.message() + "\"";
  std::lock_guard lock(mu_);
  if (!alarms_.contains(transition.alarm_name)) return;
  history_.Add({transition.alarm_name, transition.type, now_ms, HistoryItemType::kAction,
                std::move(summary), std::move(data)});
}

std::vector<AlarmRecord> AlarmEngine::DescribeAlarms(const DescribeAlarmsFilter& filter) const {
  std::lock_guard lock(mu_);
  const std::vector<std::string>* children = nullptr;
  if (!filter.children_of.empty()) {
    auto it = alarms_.find(filter.children_of);
    if (it == alarms_.end() || !it->second.rule) return {};
    children = &it->second.rule->referenced_alarms();
  }
  std::vector<AlarmRecord> out;
  auto first = filter.after_name.empty() ? alarms_.begin() : alarms_.upper_bound(filter.after_name);
  for (auto it = first; it != alarms_.end(); ++it) {
    const std::string& name = it->first;
    const Entry& entry = it->second;
    const AlarmRecord& record = entry.record;
    if (std::find(filter.types.begin(), filter.types.end(), record.type) == filter.types.end()) {
      continue;
    }
    if (!filter.names.empty() &&
        std::find(filter.names.begin(), filter.names.end(), name) == filter.names.end()) {
      continue;
    }
    if (!name.starts_with(filter.name_prefix)) continue;
    if (filter.state && record.status.state != *filter.state) continue;
    if (!filter.action_prefix.empty() && !HasActionWithPrefix(record, filter.action_prefix)) {
      continue;
    }
    if (children != nullptr && !std::binary_search(children->begin(), children->end(), name)) {
      continue;
    }
    if (!filter.parents_of.empty() &&
        !(entry.rule &&
          std::binary_search(entry.rule->referenced_alarms().begin(),
                             entry.rule->referenced_alarms().end(), filter.parents_of))) {
      continue;
    }
    out.push_back(record);
    if (filter.max_records > 0 && out.size() >= filter.max_records) break;
  }
  return out;
}

std::optional<AlarmRecord> AlarmEngine::GetAlarm(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = alarms_.find(name);
  if (it == alarms_.end()) return std::nullopt;
  return it->second.record;
}

std::vector<AlarmHistoryItem> AlarmEngine::DescribeAlarmHistory(const HistoryQuery& query) const {
  std::lock_guard lock(mu_);
  return history_.Query(query);
}

AlarmJson AlarmEngine::ToJson() const {
  std::lock_guard lock(mu_);
  std::vector<AlarmRecord> records;
  for (const auto& [name, entry] : alarms_) records.push_back(entry.record);
  AlarmJson described = DescribeAlarmsResponse(records);
  AlarmJson out = AlarmJson::object();
  out["Version"] = 1;
  out["MetricAlarms"] = std::move(described["MetricAlarms"]);
  out["CompositeAlarms"] = std::move(described["CompositeAlarms"]);
  AlarmJson history = AlarmJson::array();
  for (const AlarmHistoryItem& item : history_.All()) history.push_back(HistoryItemToJson(item));
  out["History"] = std::move(history);
  return out;
}

Status AlarmEngine::FromJson(const AlarmJson& snapshot) {
  auto version = snapshot.is_object() ? snapshot.find("Version") : snapshot.end();
  if (version == snapshot.end() || !version->is_number_integer() || *version != 1) {
    return InvalidArgument("Not an alarm snapshot (expected an object with \"Version\": 1)");
  }
  AlarmMap alarms;
  for (AlarmType type : {AlarmType::kMetric, AlarmType::kComposite}) {
    const char* key = type == AlarmType::kMetric ? "MetricAlarms" : "CompositeAlarms";
    auto list = snapshot.find(key);
    if (list == snapshot.end()) continue;
    if (!list->is_array()) return InvalidArgument(std::string(key) + " must be a list");
    for (const AlarmJson& element : *list) {
      CK_ASSIGN_OR_RETURN(AlarmRecord record, AlarmRecordFromJson(element, type));
      Entry entry;
      if (type == AlarmType::kComposite) {
        CK_ASSIGN_OR_RETURN(entry.rule, AlarmRule::Parse(record.composite.rule));
      }
      record.arn = AlarmArn(record.name());
      std::string name = record.name();
      entry.record = std::move(record);
      if (!alarms.try_emplace(name, std::move(entry)).second) {
        return InvalidArgument("The snapshot holds two alarms named " + name);
      }
    }
  }
  if (alarms.size() > options_.max_alarms) {
    return ResourceExhausted("The snapshot holds more than " + std::to_string(options_.max_alarms) +
                             " alarms");
  }
  RefsOf refs_of = [&](const std::string& name) -> const std::vector<std::string>* {
    auto it = alarms.find(name);
    return it != alarms.end() && it->second.rule ? &it->second.rule->referenced_alarms() : nullptr;
  };
  for (const auto& [name, entry] : alarms) {
    if (!entry.rule) continue;
    for (const std::string& child : entry.rule->referenced_alarms()) {
      if (!alarms.contains(child)) {
        return InvalidArgument("Composite alarm " + name + " refers to missing alarm " + child);
      }
    }
    std::vector<std::string> cycle = FindCycle(name, refs_of);
    if (!cycle.empty()) return CycleError(cycle);
  }
  AlarmHistory history(options_.history_per_alarm);
  if (auto items = snapshot.find("History"); items != snapshot.end() && items->is_array()) {
    for (const AlarmJson& element : *items) {
      CK_ASSIGN_OR_RETURN(AlarmHistoryItem item, HistoryItemFromJson(element));
      if (alarms.contains(item.alarm_name)) history.Add(std::move(item));
    }
  }
  std::lock_guard lock(mu_);
  for (auto& [name, entry] : alarms) entry.generation = next_generation_++;
  alarms_ = std::move(alarms);
  history_ = std::move(history);
  return Status::Ok();
}

}  // namespace ck::collector
