#include "collector/metrics/emf.h"

#include <cmath>
#include <cstdint>
#include <exception>
#include <nlohmann/json.hpp>

namespace ck::collector::metrics {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxMetricsPerDirective = 100;
constexpr size_t kMaxValuesPerMetric = 100;

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool IsNameString(const Json& value, size_t max_length) {
  if (!value.is_string()) return false;
  const auto& text = value.get_ref<const std::string&>();
  return !text.empty() && text.size() <= max_length;
}

// A directive's dimension sets, resolved against the root: names and values.
Status ReadDimensionSets(const Json& root, const Json& directive, const std::string& path,
                         std::vector<std::vector<Dimension>>* sets) {
  auto member = directive.find("Dimensions");
  if (member == directive.end()) return InvalidArgument(path + ".Dimensions is required");
  if (!member->is_array())
    return InvalidArgument(path + ".Dimensions must be an array of dimension sets");
  if (member->empty())
    return InvalidArgument(path + ".Dimensions must hold at least one dimension set");
  for (size_t i = 0; i < member->size(); ++i) {
    const Json& set = (*member)[i];
    std::string set_path = path + ".Dimensions[" + std::to_string(i) + "]";
    if (!set.is_array()) return InvalidArgument(set_path + " must be an array of strings");
    if (set.size() > kMaxDimensions) {
      return InvalidArgument(set_path + " has more than " + std::to_string(kMaxDimensions) +
                             " dimensions");
    }
    std::vector<Dimension> dimensions;
    for (size_t k = 0; k < set.size(); ++k) {
      std::string name_path = set_path + "[" + std::to_string(k) + "]";
      if (!IsNameString(set[k], kMaxNameLength)) {
        return InvalidArgument(name_path + " must be a string of 1 to 255 characters");
      }
      const auto& name = set[k].get_ref<const std::string&>();
      for (const Dimension& seen : dimensions) {
        if (seen.name == name)
          return InvalidArgument(set_path + " names " + Quoted(name) + " twice");
      }
      auto target = root.find(name);
      if (target == root.end()) {
        return InvalidArgument(name_path + ": the root has no member " + Quoted(name));
      }
      if (!IsNameString(*target, kMaxDimensionValueLength)) {
        return InvalidArgument("root member " + Quoted(name) +
                               " (a dimension) must be a string of 1 to 1024 characters");
      }
      dimensions.push_back(Dimension{name, target->get<std::string>()});
    }
    sets->push_back(std::move(dimensions));
  }
  return Status::Ok();
}

Status ReadValues(const Json& target, const std::string& name, std::vector<double>* values) {
  std::string what = "root member " + Quoted(name) + " (a metric)";
  auto add = [&](const Json& number) -> Status {
    if (!number.is_number())
      return InvalidArgument(what + " must be a number or an array of numbers");
    double value = number.get<double>();
    if (!std::isfinite(value) || std::fabs(value) > kMaxMagnitude) {
      return InvalidArgument(what + " has a value outside +-2^360");
    }
    values->push_back(value);
    return Status::Ok();
  };
  if (!target.is_array()) return add(target);
  if (target.empty()) return InvalidArgument(what + " has no values");
  if (target.size() > kMaxValuesPerMetric) {
    return InvalidArgument(what + " has more than " + std::to_string(kMaxValuesPerMetric) +
                           " values");
  }
  for (const Json& number : target) CK_RETURN_IF_ERROR(add(number));
  return Status::Ok();
}

Status ReadDirective(const Json& root, const Json& directive, const std::string& path,
                     int64_t timestamp_ms, std::vector<MetricDatum>* datums) {
  if (!directive.is_object()) return InvalidArgument(path + " must be an object");
  auto name_space = directive.find("Namespace");
  if (name_space == directive.end()) return InvalidArgument(path + ".Namespace is required");
  if (!IsNameString(*name_space, kMaxNameLength) ||
      name_space->get_ref<const std::string&>().front() == ':') {
    return InvalidArgument(
        path + ".Namespace must be a string of 1 to 255 characters, not starting with ':'");
  }
  std::vector<std::vector<Dimension>> sets;
  CK_RETURN_IF_ERROR(ReadDimensionSets(root, directive, path, &sets));
  auto metrics = directive.find("Metrics");
  if (metrics == directive.end()) return InvalidArgument(path + ".Metrics is required");
  if (!metrics->is_array()) return InvalidArgument(path + ".Metrics must be an array");
  if (metrics->size() > kMaxMetricsPerDirective) {
    return InvalidArgument(path + ".Metrics has more than " +
                           std::to_string(kMaxMetricsPerDirective) + " metrics");
  }
  for (size_t i = 0; i < metrics->size(); ++i) {
    const Json& metric = (*metrics)[i];
    std::string metric_path = path + ".Metrics[" + std::to_string(i) + "]";
    if (!metric.is_object()) return InvalidArgument(metric_path + " must be an object");
    auto name = metric.find("Name");
    if (name == metric.end()) return InvalidArgument(metric_path + ".Name is required");
    if (!IsNameString(*name, kMaxNameLength)) {
      return InvalidArgument(metric_path + ".Name must be a string of 1 to 255 characters");
    }
    std::string unit = "None";
    if (auto member = metric.find("Unit"); member != metric.end()) {
      if (!member->is_string()) return InvalidArgument(metric_path + ".Unit must be a string");
      unit = member->get<std::string>();
      if (!IsValidUnit(unit)) {
        return InvalidArgument(metric_path + ".Unit " + Quoted(unit) + " is not a CloudWatch unit");
      }
    }
    int storage_resolution = 60;
    if (auto member = metric.find("StorageResolution"); member != metric.end()) {
      if (!member->is_number_integer() ||
          (member->get<int64_t>() != 1 && member->get<int64_t>() != 60)) {
        return InvalidArgument(metric_path + ".StorageResolution must be 1 or 60");
      }
      storage_resolution = static_cast<int>(member->get<int64_t>());
    }
    const auto& metric_name = name->get_ref<const std::string&>();
    auto target = root.find(metric_name);
    if (target == root.end()) {
      return InvalidArgument(metric_path + ": the root has no member " + Quoted(metric_name));
    }
    std::vector<double> values;
    CK_RETURN_IF_ERROR(ReadValues(*target, metric_name, &values));
    for (const std::vector<Dimension>& dimensions : sets) {
      if (datums->size() == kMaxEmfDatums) {
        return InvalidArgument("the document defines more than " + std::to_string(kMaxEmfDatums) +
                               " metric datums");
      }
      MetricDatum datum;
      datum.key = SeriesKey{name_space->get<std::string>(), metric_name, dimensions};
      datum.timestamp_ms = timestamp_ms;
      datum.unit = unit;
      datum.storage_resolution_s = storage_resolution;
      datum.values = values;
      Status normalized = NormalizeDatum(datum);
      if (!normalized.ok()) return InvalidArgument(metric_path + ": " + normalized.message());
      datums->push_back(std::move(datum));
    }
  }
  return Status::Ok();
}

Status ReadDocument(const Json& root, std::vector<MetricDatum>* datums) {
  const Json& metadata = *root.find("_aws");
  if (!metadata.is_object()) return InvalidArgument("_aws must be an object");
  auto directives = metadata.find("CloudWatchMetrics");
  if (directives == metadata.end()) return InvalidArgument("_aws.CloudWatchMetrics is required");
  if (!directives->is_array()) return InvalidArgument("_aws.CloudWatchMetrics must be an array");
  auto timestamp = metadata.find("Timestamp");
  if (timestamp == metadata.end()) return InvalidArgument("_aws.Timestamp is required");
  if (!timestamp->is_number_integer() || timestamp->get<int64_t>() < 0 ||
      (timestamp->is_number_unsigned() && timestamp->get<uint64_t>() > INT64_MAX)) {
    return InvalidArgument("_aws.Timestamp must be a non-negative integer of epoch milliseconds");
  }
  int64_t timestamp_ms = timestamp->get<int64_t>();
  for (size_t i = 0; i < directives->size(); ++i) {
    CK_RETURN_IF_ERROR(ReadDirective(root, (*directives)[i],
                                     "_aws.CloudWatchMetrics[" + std::to_string(i) + "]",
                                     timestamp_ms, datums));
  }
  return Status::Ok();
}

EmfDecodeResult Invalid(std::string error) {
  EmfDecodeResult result;
  result.status = EmfStatus::kInvalid;
  result.error = std::move(error);
  return result;
}

}  // namespace

EmfDecodeResult DecodeEmf(std::string_view line) {
  if (line.find("\"_aws\"") == std::string_view::npos) return {};
  size_t start = line.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || line[start] != '{') return {};
  if (line.size() > kMaxEmfDocumentBytes) {
    return Invalid("the document is larger than " + std::to_string(kMaxEmfDocumentBytes) +
                   " bytes");
  }
  try {
    Json root;
    try {
      root = Json::parse(line);
    } catch (const Json::parse_error& error) {
      return Invalid("invalid JSON at byte " + std::to_string(error.byte));
    } catch (const Json::exception&) {
      return Invalid("invalid JSON");
    }
    if (!root.is_object() || !root.contains("_aws")) return {};
    EmfDecodeResult result;
    Status status = ReadDocument(root, &result.datums);
    if (!status.ok()) return Invalid(status.message());
    result.status = EmfStatus::kValid;
    return result;
  } catch (const std::exception& error) {
    return Invalid(std::string("cannot decode: ") + error.what());
  }
}

}  // namespace ck::collector::metrics
