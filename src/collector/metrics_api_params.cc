#include "collector/metrics_api_params.h"

#include <cmath>

#include "collector/alarms/alarm_format.h"

namespace ck::collector {

namespace {

// CloudWatch's PutMetricData limits.
constexpr size_t kMaxDatumsPerPut = 1000;
constexpr size_t kMaxValuesPerDatum = 150;
constexpr size_t kMaxDimensionsPerMetric = 30;

std::string Missing(const std::string& name) { return "The parameter " + name + " is required."; }

}  // namespace

MetricsReply MetricsReply::FromMetricStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return Ok(AlarmJson::object());
    case StatusCode::kInvalidArgument:
      return Error("InvalidParameterValue", status.message());
    case StatusCode::kResourceExhausted:
      return Error("LimitExceeded", status.message());
    case StatusCode::kNotFound:
      return Error("ResourceNotFound", status.message(), 404);
    default:
      return Error("InternalServiceError", status.message(), 500);
  }
}

MetricsReply MetricsReply::FromAlarmStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return Ok(AlarmJson::object());
    case StatusCode::kInvalidArgument:
    case StatusCode::kFailedPrecondition:
      return Error("ValidationError", status.message());
    case StatusCode::kNotFound:
      return Error("ResourceNotFound", status.message(), 404);
    case StatusCode::kResourceExhausted:
      return Error("LimitExceeded", status.message());
    default:
      return Error("InternalServiceError", status.message(), 500);
  }
}

std::string ErrorShapeId(std::string_view code) {
  // CloudWatch's error shapes and their query-protocol codes (the awsQueryError trait).
  static constexpr std::pair<std::string_view, std::string_view> kShapes[] = {
      {"InvalidParameterValue", "InvalidParameterValueException"},
      {"MissingParameter", "MissingRequiredParameterException"},
      {"InvalidParameterCombination", "InvalidParameterCombinationException"},
      {"ValidationError", "ValidationException"},
      {"ResourceNotFound", "ResourceNotFound"},
      {"LimitExceeded", "LimitExceededFault"},
      {"InvalidFormat", "InvalidFormatFault"},
      {"InvalidNextToken", "InvalidNextToken"},
      {"InternalServiceError", "InternalServiceFault"},
  };
  for (const auto& [query_code, shape] : kShapes) {
    if (query_code == code) return "com.amazonaws.cloudwatch#" + std::string(shape);
  }
  return "com.amazon.coral.service#" + std::string(code);
}

void MetricsParams::Fail(std::string type, std::string message) {
  if (!error_) error_ = MetricsReply::Error(std::move(type), std::move(message));
}

const AlarmJson* MetricsParams::Member(std::string_view member, Kind kind, bool required) {
  auto found = body_.find(std::string(member));
  if (found == body_.end() || found->is_null()) {
    if (required) Fail("MissingParameter", Missing(Name(member)));
    return nullptr;
  }
  bool matches = false;
  const char* expected = "";
  switch (kind) {
    case Kind::kString:
      matches = found->is_string();
      expected = "a string";
      break;
    case Kind::kNumber:
      matches = found->is_number();
      expected = "a number";
      break;
    case Kind::kArray:
      matches = found->is_array();
      expected = "a list";
      break;
    case Kind::kObject:
      matches = found->is_object();
      expected = "a structure";
      break;
  }
  if (!matches) {
    Fail("SerializationException",
         "Unexpected value for '" + Name(member) + "': expected " + expected);
    return nullptr;
  }
  return &*found;
}

std::optional<std::string> MetricsParams::String(std::string_view member, bool required) {
  const AlarmJson* value = Member(member, Kind::kString, required);
  if (value == nullptr) return std::nullopt;
  return value->get<std::string>();
}

std::optional<double> MetricsParams::Number(std::string_view member, bool required) {
  const AlarmJson* value = Member(member, Kind::kNumber, required);
  if (value == nullptr) return std::nullopt;
  return value->get<double>();
}

std::optional<int64_t> MetricsParams::Integer(std::string_view member, bool required) {
  const AlarmJson* value = Member(member, Kind::kNumber, required);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_integer()) return value->get<int64_t>();
  const double number = value->get<double>();
  if (std::floor(number) != number || std::fabs(number) > 9e15) {
    Fail("SerializationException",
         "Unexpected value for '" + Name(member) + "': expected an integer");
    return std::nullopt;
  }
  return static_cast<int64_t>(number);
}

std::optional<int64_t> MetricsParams::TimestampMs(std::string_view member, bool required) {
  auto found = body_.find(std::string(member));
  if (found == body_.end() || found->is_null()) {
    if (required) Fail("MissingParameter", Missing(Name(member)));
    return std::nullopt;
  }
  if (found->is_number()) {
    const double seconds = found->get<double>();
    if (!std::isfinite(seconds) || std::fabs(seconds) > 1e13) {
      Fail("InvalidParameterValue", "The parameter " + Name(member) + " is not a valid timestamp.");
      return std::nullopt;
    }
    return std::llround(seconds * 1000);
  }
  if (!found->is_string()) {
    Fail("SerializationException",
         "Unexpected value for '" + Name(member) + "': expected a timestamp");
    return std::nullopt;
  }
  std::optional<int64_t> ms = ParseIsoMillis(found->get<std::string>());
  if (!ms) {
    Fail("InvalidParameterValue", "The parameter " + Name(member) + " is not a valid timestamp.");
  }
  return ms;
}

const AlarmJson* MetricsParams::Object(std::string_view member) {
  return Member(member, Kind::kObject, false);
}

const AlarmJson* MetricsParams::Array(std::string_view member, bool required) {
  return Member(member, Kind::kArray, required);
}

std::vector<std::string> MetricsParams::Strings(std::string_view member, size_t max_count,
                                                bool required) {
  std::vector<std::string> out;
  const AlarmJson* list = Member(member, Kind::kArray, required);
  if (list == nullptr) return out;
  if (list->size() > max_count) {
    Fail("InvalidParameterValue", "The collection " + Name(member) +
                                      " must not have a size greater than " +
                                      std::to_string(max_count) + ".");
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    if (!(*list)[i].is_string()) {
      Fail("SerializationException", "Unexpected value for '" + Name(member) + ".member." +
                                         std::to_string(i + 1) + "': expected a string");
      return {};
    }
    out.push_back((*list)[i].get<std::string>());
  }
  if (required && out.empty()) Fail("MissingParameter", Missing(Name(member)));
  return out;
}

std::vector<double> MetricsParams::Numbers(std::string_view member, size_t max_count) {
  std::vector<double> out;
  const AlarmJson* list = Member(member, Kind::kArray, false);
  if (list == nullptr) return out;
  if (list->size() > max_count) {
    Fail("InvalidParameterValue", "The collection " + Name(member) +
                                      " must not have a size greater than " +
                                      std::to_string(max_count) + ".");
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    if (!(*list)[i].is_number()) {
      Fail("SerializationException", "Unexpected value for '" + Name(member) + ".member." +
                                         std::to_string(i + 1) + "': expected a number");
      return {};
    }
    out.push_back((*list)[i].get<double>());
  }
  return out;
}

std::vector<std::pair<std::string, std::optional<std::string>>> MetricsParams::NameValueList(
    std::string_view member, size_t max_count, bool value_required) {
  std::vector<std::pair<std::string, std::optional<std::string>>> out;
  const AlarmJson* list = Member(member, Kind::kArray, false);
  if (list == nullptr) return out;
  if (list->size() > max_count) {
    Fail("InvalidParameterValue", "The collection " + Name(member) +
                                      " must not have a size greater than " +
                                      std::to_string(max_count) + ".");
    return out;
  }
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = Name(member) + ".member." + std::to_string(i + 1);
    if (!(*list)[i].is_object()) {
      Fail("SerializationException", "Unexpected value for '" + where + "': expected a structure");
      return {};
    }
    MetricsParams item((*list)[i], where + ".");
    std::optional<std::string> name = item.String("Name", true);
    std::optional<std::string> value = item.String("Value", value_required);
    if (item.error()) {
      Fail(item.error()->error_type, item.error()->message);
      return {};
    }
    out.emplace_back(std::move(*name), std::move(value));
  }
  return out;
}

std::vector<metrics::Dimension> MetricsParams::Dimensions(std::string_view member,
                                                          size_t max_count) {
  std::vector<metrics::Dimension> out;
  for (auto& [name, value] : NameValueList(member, max_count, true)) {
    out.push_back({std::move(name), std::move(*value)});
  }
  return out;
}

std::vector<metrics::DimensionFilter> MetricsParams::DimensionFilters(std::string_view member,
                                                                      size_t max_count) {
  std::vector<metrics::DimensionFilter> out;
  for (auto& [name, value] : NameValueList(member, max_count, false)) {
    out.push_back({std::move(name), std::move(value)});
  }
  return out;
}

std::optional<MetricsReply> ParsePutMetricData(const AlarmJson& body, int64_t now_ms,
                                               std::vector<metrics::MetricDatum>* data) {
  MetricsParams params(body);
  std::optional<std::string> metric_namespace = params.String("Namespace", true);
  const AlarmJson* list = params.Array("MetricData", true);
  if (params.error()) return params.error();
  if (metric_namespace->substr(0, 4) == "AWS/") {
    return MetricsReply::Error("InvalidParameterValue", "The value " + *metric_namespace +
                                                            " for parameter Namespace is invalid.");
  }
  if (list->empty()) {
    return MetricsReply::Error("MissingParameter", "The parameter MetricData is required.");
  }
  if (list->size() > kMaxDatumsPerPut) {
    return MetricsReply::Error("InvalidParameterValue",
                               "The collection MetricData must not have a size greater than " +
                                   std::to_string(kMaxDatumsPerPut) + ".");
  }
  data->clear();
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = "MetricData.member." + std::to_string(i + 1);
    if (!(*list)[i].is_object()) {
      return MetricsReply::Error("SerializationException",
                                 "Unexpected value for '" + where + "': expected a structure");
    }
    MetricsParams item((*list)[i], where + ".");
    metrics::MetricDatum datum;
    datum.key.metric_namespace = *metric_namespace;
    datum.key.metric_name = item.String("MetricName", true).value_or("");
    datum.key.dimensions = item.Dimensions("Dimensions", kMaxDimensionsPerMetric);
    datum.timestamp_ms = item.TimestampMs("Timestamp", false).value_or(now_ms);
    std::optional<double> value = item.Number("Value", false);
    const bool has_values = (*list)[i].contains("Values") && !(*list)[i]["Values"].is_null();
    const bool has_counts = (*list)[i].contains("Counts") && !(*list)[i]["Counts"].is_null();
    datum.values = item.Numbers("Values", kMaxValuesPerDatum);
    datum.counts = item.Numbers("Counts", kMaxValuesPerDatum);
    if (const AlarmJson* set = item.Object("StatisticValues")) {
      MetricsParams statistics(*set, where + ".StatisticValues.");
      metrics::StatisticSet values;
      values.sample_count = statistics.Number("SampleCount", true).value_or(0);
      values.sum = statistics.Number("Sum", true).value_or(0);
      values.minimum = statistics.Number("Minimum", true).value_or(0);
      values.maximum = statistics.Number("Maximum", true).value_or(0);
      if (statistics.error()) return statistics.error();
      datum.statistic_values = values;
    }
    if (std::optional<std::string> unit = item.String("Unit", false)) datum.unit = *unit;
    if (std::optional<int64_t> resolution = item.Integer("StorageResolution", false)) {
      if (*resolution != 1 && *resolution != 60) {
        item.Fail("InvalidParameterValue", "The value " + std::to_string(*resolution) +
                                               " for parameter " + where +
                                               ".StorageResolution is invalid: it must be 1 or "
                                               "60.");
      }
      datum.storage_resolution_s = static_cast<int>(*resolution);
    }
    if (item.error()) return item.error();

    const int kinds = (value ? 1 : 0) + (has_values ? 1 : 0) + (datum.statistic_values ? 1 : 0);
    if (kinds > 1) {
      return MetricsReply::Error("InvalidParameterCombination",
                                 "The parameters " + where + ".Value, " + where + ".Values and " +
                                     where + ".StatisticValues are mutually exclusive.");
    }
    if (kinds == 0) {
      return MetricsReply::Error("MissingParameter", "One of the parameters " + where + ".Value, " +
                                                         where + ".Values or " + where +
                                                         ".StatisticValues is required.");
    }
    if (has_counts && !has_values) {
      return MetricsReply::Error(
          "InvalidParameterCombination",
          "The parameter " + where + ".Counts requires " + where + ".Values.");
    }
    if (has_counts && datum.counts.size() != datum.values.size()) {
      return MetricsReply::Error(
          "InvalidParameterValue",
          "The parameters " + where + ".Values and " + where + ".Counts must be of the same size.");
    }
    if (has_values && datum.values.empty()) {
      return MetricsReply::Error("InvalidParameterValue",
                                 "The collection " + where + ".Values must not be empty.");
    }
    if (value) datum.values = {*value};
    data->push_back(std::move(datum));
  }
  return std::nullopt;
}

AlarmJson EpochSeconds(int64_t ms) {
  if (ms % 1000 == 0) return AlarmJson(ms / 1000);
  return AlarmJson(static_cast<double>(ms) / 1000);
}

}  // namespace ck::collector
