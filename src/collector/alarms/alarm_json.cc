#include "collector/alarms/alarm_json.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>

#include "collector/alarms/alarm_format.h"
#include "collector/alarms/alarm_validation.h"

namespace ck::collector {
namespace {

// Reads typed fields of one JSON object, remembering the first type error; absent and null
// fields read as nullopt / empty.
class FieldReader {
 public:
  explicit FieldReader(const AlarmJson& object) : object_(object) {}

  const Status& status() const { return status_; }

  const AlarmJson* Find(std::string_view key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  bool Has(std::string_view key) const { return Find(key) != nullptr; }

  std::optional<std::string> OptString(std::string_view key) {
    const AlarmJson* value = Find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
      Fail(key, "a string");
      return std::nullopt;
    }
    return value->get<std::string>();
  }
  std::string String(std::string_view key) { return OptString(key).value_or(""); }

  std::optional<int> OptInt(std::string_view key) {
    const AlarmJson* value = Find(key);
    if (value == nullptr) return std::nullopt;
    double number = 0;
    if (value->is_number_integer()) {
      number = static_cast<double>(value->get<int64_t>());
    } else if (value->is_number_unsigned()) {
      number = static_cast<double>(value->get<uint64_t>());
    } else if (value->is_number_float() &&
               std::nearbyint(value->get<double>()) == value->get<double>()) {
      number = value->get<double>();
    } else {
      Fail(key, "an integer");
      return std::nullopt;
    }
    if (number > std::numeric_limits<int>::max() || number < std::numeric_limits<int>::min()) {
      Fail(key, "an integer in the 32-bit range");
      return std::nullopt;
    }
    return static_cast<int>(number);
  }

  std::optional<double> OptDouble(std::string_view key) {
    const AlarmJson* value = Find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) {
      Fail(key, "a number");
      return std::nullopt;
    }
    return value->get<double>();
  }

  std::optional<bool> OptBool(std::string_view key) {
    const AlarmJson* value = Find(key);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) {
      Fail(key, "a boolean");
      return std::nullopt;
    }
    return value->get<bool>();
  }

  std::vector<std::string> StringList(std::string_view key) {
    std::vector<std::string> out;
    const AlarmJson* value = Find(key);
    if (value == nullptr) return out;
    if (!value->is_array()) {
      Fail(key, "a list of strings");
      return out;
    }
    for (const AlarmJson& item : *value) {
      if (!item.is_string()) {
        Fail(key, "a list of strings");
        return std::vector<std::string>{};
      }
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::optional<int64_t> OptTimestamp(std::string_view key) {
    const AlarmJson* value = Find(key);
    if (value == nullptr) return std::nullopt;
    std::optional<int64_t> ms;
    if (value->is_string()) ms = ParseIsoMillis(value->get<std::string>());
    if (value->is_number()) ms = ParseIsoMillis(value->dump());
    if (!ms) Fail(key, "a timestamp (ISO 8601 or epoch seconds)");
    return ms;
  }

  void Fail(std::string_view key, std::string_view expected) {
    if (status_.ok()) {
      status_ = InvalidArgument("Invalid type for parameter " + std::string(key) + ": expected " +
                                std::string(expected));
    }
  }

 private:
  const AlarmJson& object_;
  Status status_;
};

Status RequireObject(const AlarmJson& body) {
  if (!body.is_object()) return InvalidArgument("The request body must be a JSON object");
  return Status::Ok();
}

AlarmJson StringArray(const std::vector<std::string>& values) {
  AlarmJson out = AlarmJson::array();
  for (const std::string& value : values) out.push_back(value);
  return out;
}

template <typename Enum, typename Parse>
std::optional<Enum> ParseEnum(FieldReader& fields, std::string_view key, std::string_view member,
                              Parse parse, std::string_view allowed, Status* error) {
  std::optional<std::string> text = fields.OptString(key);
  if (!text) return std::nullopt;
  std::optional<Enum> value = parse(*text);
  if (!value && error->ok()) {
    *error = AlarmConstraintError(member, *text,
                                  "satisfy enum value set: [" + std::string(allowed) + "]");
  }
  return value;
}

void PutCommonState(const AlarmRecord& record, AlarmJson* out) {
  const AlarmStatus& status = record.status;
  (*out)["StateValue"] = AlarmStateName(status.state);
  (*out)["StateReason"] = status.reason;
  if (!status.reason_data.is_null()) (*out)["StateReasonData"] = status.reason_data.dump();
  (*out)["StateUpdatedTimestamp"] = FormatIsoMillis(status.state_updated_ms);
  (*out)["StateTransitionedTimestamp"] = FormatIsoMillis(status.state_updated_ms);
}

}  // namespace

Result<AlarmJson> ParseAlarmJson(std::string_view text) {
  bool too_deep = false;
  AlarmJson::parser_callback_t limit_depth = [&too_deep](int depth, AlarmJson::parse_event_t,
                                                         AlarmJson&) {
    if (depth > kMaxAlarmJsonDepth) too_deep = true;
    return !too_deep;
  };
  AlarmJson parsed = AlarmJson::parse(text.begin(), text.end(), limit_depth, false);
  if (too_deep) {
    return InvalidArgument("The request body nests deeper than " +
                           std::to_string(kMaxAlarmJsonDepth) + " levels");
  }
  if (parsed.is_discarded()) return InvalidArgument("The request body is not valid JSON");
  return parsed;
}

Result<MetricAlarmSpec> ParsePutMetricAlarm(const AlarmJson& body) {
  CK_RETURN_IF_ERROR(RequireObject(body));
  FieldReader fields(body);
  if (fields.Has("Metrics") || fields.Has("ThresholdMetricId")) {
    return InvalidArgument(
        "Metric math alarms (Metrics, ThresholdMetricId) are not supported; set Namespace, "
        "MetricName and Statistic or ExtendedStatistic");
  }
  Status error;
  MetricAlarmSpec spec;
  spec.name = fields.String("AlarmName");
  spec.description = fields.String("AlarmDescription");
  spec.namespace_name = fields.String("Namespace");
  spec.metric_name = fields.String("MetricName");
  if (const AlarmJson* dimensions = fields.Find("Dimensions")) {
    if (!dimensions->is_array()) {
      fields.Fail("Dimensions", "a list of {Name, Value} objects");
    } else {
      for (const AlarmJson& item : *dimensions) {
        if (!item.is_object()) {
          fields.Fail("Dimensions", "a list of {Name, Value} objects");
          break;
        }
        FieldReader dimension(item);
        spec.dimensions.push_back({dimension.String("Name"), dimension.String("Value")});
        if (!dimension.status().ok()) return dimension.status();
      }
    }
  }
  spec.statistic = ParseEnum<Statistic>(fields, "Statistic", "statistic", ParseStatistic,
                                        "SampleCount, Average, Sum, Minimum, Maximum", &error);
  spec.extended_statistic = fields.String("ExtendedStatistic");
  std::optional<int> period = fields.OptInt("Period");
  std::optional<int> evaluation_periods = fields.OptInt("EvaluationPeriods");
  spec.datapoints_to_alarm = fields.OptInt("DatapointsToAlarm");
  std::optional<double> threshold = fields.OptDouble("Threshold");
  std::optional<ComparisonOperator> comparison = ParseEnum<ComparisonOperator>(
      fields, "ComparisonOperator", "comparisonOperator", ParseComparisonOperator,
      "GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, "
      "LessThanOrEqualToThreshold",
      &error);
  std::optional<std::string> missing = fields.OptString("TreatMissingData");
  spec.actions_enabled = fields.OptBool("ActionsEnabled").value_or(true);
  spec.alarm_actions = fields.StringList("AlarmActions");
  spec.ok_actions = fields.StringList("OKActions");
  spec.insufficient_data_actions = fields.StringList("InsufficientDataActions");
  CK_RETURN_IF_ERROR(fields.status());
  CK_RETURN_IF_ERROR(error);

  CK_RETURN_IF_ERROR(ValidateAlarmName(spec.name));
  if (!evaluation_periods) return AlarmConstraintError("evaluationPeriods", "", "not be null");
  if (!comparison) return AlarmConstraintError("comparisonOperator", "", "not be null");
  if (!period) return InvalidArgument("Period is required for alarms based on static thresholds");
  if (!threshold) {
    return InvalidArgument("Threshold is required for alarms based on static thresholds");
  }
  spec.period_seconds = *period;
  spec.evaluation_periods = *evaluation_periods;
  spec.threshold = *threshold;
  spec.comparison = *comparison;
  if (missing) {
    std::optional<TreatMissingData> mode = ParseTreatMissingData(*missing);
    if (!mode) {
      return InvalidArgument("The value " + missing->substr(0, 64) +
                             " for parameter TreatMissingData is not supported. Valid values are "
                             "missing, ignore, breaching and notBreaching.");
    }
    spec.treat_missing_data = *mode;
  }
  CK_RETURN_IF_ERROR(ValidateMetricAlarmSpec(spec));
  return spec;
}

Result<CompositeAlarmSpec> ParsePutCompositeAlarm(const AlarmJson& body) {
  CK_RETURN_IF_ERROR(RequireObject(body));
  FieldReader fields(body);
  CompositeAlarmSpec spec;
  spec.name = fields.String("AlarmName");
  spec.description = fields.String("AlarmDescription");
  spec.rule = fields.String("AlarmRule");
  spec.actions_enabled = fields.OptBool("ActionsEnabled").value_or(true);
  spec.alarm_actions = fields.StringList("AlarmActions");
  spec.ok_actions = fields.StringList("OKActions");
  spec.insufficient_data_actions = fields.StringList("InsufficientDataActions");
  CK_RETURN_IF_ERROR(fields.status());
  CK_RETURN_IF_ERROR(ValidateCompositeAlarmSpec(spec));
  return spec;
}

Result<DescribeAlarmsFilter> ParseDescribeAlarms(const AlarmJson& body) {
  CK_RETURN_IF_ERROR(RequireObject(body));
  FieldReader fields(body);
  Status error;
  DescribeAlarmsFilter filter;
  filter.names = fields.StringList("AlarmNames");
  filter.name_prefix = fields.String("AlarmNamePrefix");
  filter.state = ParseEnum<AlarmState>(fields, "StateValue", "stateValue", ParseAlarmState,
                                       "OK, ALARM, INSUFFICIENT_DATA", &error);
  filter.action_prefix = fields.String("ActionPrefix");
  filter.children_of = fields.String("ChildrenOfAlarmName");
  filter.parents_of = fields.String("ParentsOfAlarmName");
  std::optional<int> max_records = fields.OptInt("MaxRecords");
  filter.max_records = kDefaultAlarmMaxRecords;
  filter.types = {AlarmType::kMetric};
  if (fields.Has("AlarmTypes")) {
    filter.types.clear();
    for (const std::string& name : fields.StringList("AlarmTypes")) {
      std::optional<AlarmType> type = ParseAlarmType(name);
      if (!type) {
        return AlarmConstraintError("alarmTypes", name,
                                    "satisfy enum value set: [CompositeAlarm, MetricAlarm]");
      }
      filter.types.push_back(*type);
    }
  }
  CK_RETURN_IF_ERROR(fields.status());
  CK_RETURN_IF_ERROR(error);
  if (filter.names.size() > 100) {
    return InvalidArgument(
        "1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member "
        "must have length less than or equal to 100");
  }
  if (max_records) {
    if (*max_records < 1 || *max_records > 100) {
      return AlarmConstraintError("maxRecords", std::to_string(*max_records),
                                  "have value between 1 and 100");
    }
    filter.max_records = static_cast<size_t>(*max_records);
  }
  return filter;
}

Result<HistoryQuery> ParseDescribeAlarmHistory(const AlarmJson& body) {
  CK_RETURN_IF_ERROR(RequireObject(body));
  FieldReader fields(body);
  Status error;
  HistoryQuery query;
  query.alarm_name = fields.String("AlarmName");
  query.item_type =
      ParseEnum<HistoryItemType>(fields, "HistoryItemType", "historyItemType", ParseHistoryItemType,
                                 "ConfigurationUpdate, StateUpdate, Action", &error);
  query.start_ms = fields.OptTimestamp("StartDate");
  query.end_ms = fields.OptTimestamp("EndDate");
  std::optional<int> max_records = fields.OptInt("MaxRecords");
  query.max_records = kDefaultAlarmMaxRecords;
  std::optional<std::string> scan_by = fields.OptString("ScanBy");
  for (const std::string& name : fields.StringList("AlarmTypes")) {
    std::optional<AlarmType> type = ParseAlarmType(name);
    if (!type) {
      return AlarmConstraintError("alarmTypes", name,
                                  "satisfy enum value set: [CompositeAlarm, MetricAlarm]");
    }
    query.types.push_back(*type);
  }
  CK_RETURN_IF_ERROR(fields.status());
  CK_RETURN_IF_ERROR(error);
  if (max_records) {
    if (*max_records < 1 || *max_records > 100) {
      return AlarmConstraintError("maxRecords", std::to_string(*max_records),
                                  "have value between 1 and 100");
    }
    query.max_records = static_cast<size_t>(*max_records);
  }
  if (scan_by) {
    if (*scan_by != "TimestampDescending" && *scan_by != "TimestampAscending") {
      return AlarmConstraintError("scanBy", *scan_by,
                                  "satisfy enum value set: [TimestampDescending, "
                                  "TimestampAscending]");
    }
    query.newest_first = *scan_by == "TimestampDescending";
  }
  return query;
}

AlarmJson MetricAlarmSpecToJson(const MetricAlarmSpec& spec) {
  AlarmJson out = AlarmJson::object();
  out["AlarmName"] = spec.name;
  if (!spec.description.empty()) out["AlarmDescription"] = spec.description;
  out["ActionsEnabled"] = spec.actions_enabled;
  out["OKActions"] = StringArray(spec.ok_actions);
  out["AlarmActions"] = StringArray(spec.alarm_actions);
  out["InsufficientDataActions"] = StringArray(spec.insufficient_data_actions);
  out["MetricName"] = spec.metric_name;
  out["Namespace"] = spec.namespace_name;
  if (spec.statistic) out["Statistic"] = StatisticName(*spec.statistic);
  if (!spec.extended_statistic.empty()) out["ExtendedStatistic"] = spec.extended_statistic;
  AlarmJson dimensions = AlarmJson::array();
  for (const Dimension& dimension : spec.dimensions) {
    AlarmJson item = AlarmJson::object();
    item["Name"] = dimension.name;
    item["Value"] = dimension.value;
    dimensions.push_back(std::move(item));
  }
  out["Dimensions"] = std::move(dimensions);
  out["Period"] = spec.period_seconds;
  out["EvaluationPeriods"] = spec.evaluation_periods;
  if (spec.datapoints_to_alarm) out["DatapointsToAlarm"] = *spec.datapoints_to_alarm;
  out["Threshold"] = spec.threshold;
  out["ComparisonOperator"] = ComparisonOperatorName(spec.comparison);
  out["TreatMissingData"] = TreatMissingDataName(spec.treat_missing_data);
  return out;
}

AlarmJson CompositeAlarmSpecToJson(const CompositeAlarmSpec& spec) {
  AlarmJson out = AlarmJson::object();
  out["AlarmName"] = spec.name;
  if (!spec.description.empty()) out["AlarmDescription"] = spec.description;
  out["AlarmRule"] = spec.rule;
  out["ActionsEnabled"] = spec.actions_enabled;
  out["AlarmActions"] = StringArray(spec.alarm_actions);
  out["OKActions"] = StringArray(spec.ok_actions);
  out["InsufficientDataActions"] = StringArray(spec.insufficient_data_actions);
  return out;
}

AlarmJson AlarmRecordToJson(const AlarmRecord& record) {
  AlarmJson spec = record.type == AlarmType::kMetric ? MetricAlarmSpecToJson(record.metric)
                                                     : CompositeAlarmSpecToJson(record.composite);
  AlarmJson out = AlarmJson::object();
  out["AlarmName"] = spec["AlarmName"];
  out["AlarmArn"] = record.arn;
  for (auto& [key, value] : spec.items()) {
    if (key != "AlarmName") out[key] = value;
  }
  out["AlarmConfigurationUpdatedTimestamp"] = FormatIsoMillis(record.status.config_updated_ms);
  PutCommonState(record, &out);
  return out;
}

Result<AlarmRecord> AlarmRecordFromJson(const AlarmJson& element, AlarmType type) {
  CK_RETURN_IF_ERROR(RequireObject(element));
  AlarmRecord record;
  record.type = type;
  if (type == AlarmType::kMetric) {
    CK_ASSIGN_OR_RETURN(record.metric, ParsePutMetricAlarm(element));
  } else {
    CK_ASSIGN_OR_RETURN(record.composite, ParsePutCompositeAlarm(element));
  }
  FieldReader fields(element);
  std::optional<std::string> state = fields.OptString("StateValue");
  std::optional<std::string> reason = fields.OptString("StateReason");
  std::optional<std::string> reason_data = fields.OptString("StateReasonData");
  std::optional<int64_t> updated = fields.OptTimestamp("StateUpdatedTimestamp");
  std::optional<int64_t> configured = fields.OptTimestamp("AlarmConfigurationUpdatedTimestamp");
  CK_RETURN_IF_ERROR(fields.status());
  if (state) {
    std::optional<AlarmState> value = ParseAlarmState(*state);
    if (!value) {
      return AlarmConstraintError("stateValue", *state,
                                  "satisfy enum value set: [OK, ALARM, INSUFFICIENT_DATA]");
    }
    record.status.state = *value;
  }
  if (reason) record.status.reason = *reason;
  if (reason_data && !reason_data->empty()) {
    CK_ASSIGN_OR_RETURN(record.status.reason_data, ParseAlarmJson(*reason_data));
  }
  record.status.state_updated_ms = updated.value_or(0);
  record.status.config_updated_ms = configured.value_or(0);
  return record;
}

AlarmJson DescribeAlarmsResponse(const std::vector<AlarmRecord>& records) {
  AlarmJson metric = AlarmJson::array();
  AlarmJson composite = AlarmJson::array();
  for (const AlarmRecord& record : records) {
    (record.type == AlarmType::kMetric ? metric : composite).push_back(AlarmRecordToJson(record));
  }
  AlarmJson out = AlarmJson::object();
  out["MetricAlarms"] = std::move(metric);
  out["CompositeAlarms"] = std::move(composite);
  return out;
}

AlarmJson HistoryItemToJson(const AlarmHistoryItem& item) {
  AlarmJson out = AlarmJson::object();
  out["AlarmName"] = item.alarm_name;
  out["AlarmType"] = AlarmTypeName(item.alarm_type);
  out["Timestamp"] = FormatIsoMillis(item.timestamp_ms);
  out["HistoryItemType"] = HistoryItemTypeName(item.type);
  out["HistorySummary"] = item.summary;
  out["HistoryData"] = item.data.is_null() ? std::string() : item.data.dump();
  return out;
}

Result<AlarmHistoryItem> HistoryItemFromJson(const AlarmJson& element) {
  CK_RETURN_IF_ERROR(RequireObject(element));
  FieldReader fields(element);
  AlarmHistoryItem item;
  item.alarm_name = fields.String("AlarmName");
  std::string type = fields.String("AlarmType");
  std::optional<int64_t> timestamp = fields.OptTimestamp("Timestamp");
  std::string item_type = fields.String("HistoryItemType");
  item.summary = fields.String("HistorySummary");
  std::string data = fields.String("HistoryData");
  CK_RETURN_IF_ERROR(fields.status());
  CK_RETURN_IF_ERROR(ValidateAlarmName(item.alarm_name));
  std::optional<AlarmType> alarm_type = ParseAlarmType(type);
  std::optional<HistoryItemType> history_type = ParseHistoryItemType(item_type);
  if (!alarm_type || !history_type || !timestamp) {
    return InvalidArgument("Invalid alarm history item for alarm " + item.alarm_name);
  }
  item.alarm_type = *alarm_type;
  item.type = *history_type;
  item.timestamp_ms = *timestamp;
  if (!data.empty()) {
    CK_ASSIGN_OR_RETURN(item.data, ParseAlarmJson(data));
  }
  return item;
}

AlarmJson DescribeAlarmHistoryResponse(const std::vector<AlarmHistoryItem>& items) {
  AlarmJson list = AlarmJson::array();
  for (const AlarmHistoryItem& item : items) list.push_back(HistoryItemToJson(item));
  AlarmJson out = AlarmJson::object();
  out["AlarmHistoryItems"] = std::move(list);
  return out;
}

}  // namespace ck::collector
