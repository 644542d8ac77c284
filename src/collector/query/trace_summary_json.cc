// TraceSummaryToJson: the X-Ray TraceSummary element, field names as GetTraceSummaries uses them.
#include <cmath>
#include <variant>

#include "collector/query/trace_summary.h"

namespace ck::collector {
namespace {

using nlohmann::json;

// Seconds rounded to the microsecond, so that sums of epoch times print without float noise.
double Seconds(double value) { return std::round(value * 1e6) / 1e6; }

json ServiceIdJson(const ServiceId& id) {
  return {{"Name", id.name}, {"Names", json::array({id.name})}, {"Type", id.type}};
}

json HttpJson(const TraceHttp& http) {
  json out = json::object();
  if (!http.url.empty()) out["HttpURL"] = http.url;
  if (http.status != 0) out["HttpStatus"] = http.status;
  if (!http.method.empty()) out["HttpMethod"] = http.method;
  if (!http.user_agent.empty()) out["UserAgent"] = http.user_agent;
  if (!http.client_ip.empty()) out["ClientIp"] = http.client_ip;
  return out;
}

json AnnotationValueJson(const AnnotationValue& value) {
  struct Visitor {
    json operator()(const std::string& v) const { return {{"StringValue", v}}; }
    json operator()(int64_t v) const { return {{"NumberValue", static_cast<double>(v)}}; }
    json operator()(double v) const { return {{"NumberValue", v}}; }
    json operator()(bool v) const { return {{"BooleanValue", v}}; }
  };
  return std::visit(Visitor{}, value);
}

enum class CauseKind { kFaultOrError, kResponseTime };

json RootCausesJson(const std::vector<RootCause>& causes, CauseKind kind) {
  json out = json::array();
  for (const RootCause& cause : causes) {
    json services = json::array();
    for (const RootCauseService& service : cause.services) {
      json path = json::array();
      for (const RootCauseEntity& entity : service.entity_path) {
        json item = {{"Name", entity.name}};
        if (kind == CauseKind::kFaultOrError) {
          json exceptions = json::array();
          for (const RootCauseException& exception : entity.exceptions) {
            exceptions.push_back({{"Name", exception.name}, {"Message", exception.message}});
          }
          item["Exceptions"] = std::move(exceptions);
        } else {
          item["Coverage"] = entity.coverage;
        }
        item["Remote"] = entity.remote;
        path.push_back(std::move(item));
      }
      json entry = ServiceIdJson(service.id);
      entry["Inferred"] = service.inferred;
      entry["EntityPath"] = std::move(path);
      services.push_back(std::move(entry));
    }
    out.push_back({{"Services", std::move(services)}, {"ClientImpacting", cause.client_impacting}});
  }
  return out;
}

}  // namespace

json TraceSummaryToJson(const TraceSummary& summary) {
  json annotations = json::object();
  for (const auto& [key, values] : summary.annotations) {
    json list = json::array();
    for (const AnnotationValueWithServices& value : values) {
      json ids = json::array();
      for (const ServiceId& id : value.service_ids) ids.push_back(ServiceIdJson(id));
      list.push_back(
          {{"AnnotationValue", AnnotationValueJson(value.value)}, {"ServiceIds", std::move(ids)}});
    }
    annotations[key] = std::move(list);
  }
  json service_ids = json::array();
  for (const ServiceId& id : summary.service_ids) service_ids.push_back(ServiceIdJson(id));

  json out = {
      {"Id", summary.id},
      {"StartTime", Seconds(summary.start_time)},
      {"Duration", Seconds(summary.duration)},
      {"ResponseTime", Seconds(summary.response_time)},
      {"HasFault", summary.has_fault},
      {"HasError", summary.has_error},
      {"HasThrottle", summary.has_throttle},
      {"IsPartial", summary.is_partial},
      {"Http", HttpJson(summary.http)},
      {"Annotations", std::move(annotations)},
      {"ServiceIds", std::move(service_ids)},
      {"FaultRootCauses", RootCausesJson(summary.fault_root_causes, CauseKind::kFaultOrError)},
      {"ErrorRootCauses", RootCausesJson(summary.error_root_causes, CauseKind::kFaultOrError)},
      {"ResponseTimeRootCauses",
       RootCausesJson(summary.response_time_root_causes, CauseKind::kResponseTime)},
  };
  if (summary.entry_point) out["EntryPoint"] = ServiceIdJson(*summary.entry_point);
  return out;
}

}  // namespace ck::collector
