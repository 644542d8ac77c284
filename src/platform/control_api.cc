#include "platform/control_api.h"

namespace ck::platform {
namespace {

http::HttpResponse Json(http::HttpStatus status, const nlohmann::json& body, unsigned version) {
  return http::MakeResponse(status, "application/json", body.dump() + "\n", version);
}

http::HttpStatus StatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return http::HttpStatus::not_found;
    case StatusCode::kInvalidArgument:
      return http::HttpStatus::bad_request;
    case StatusCode::kFailedPrecondition:
      return http::HttpStatus::conflict;
    default:
      return http::HttpStatus::internal_server_error;
  }
}

// Splits "/v1/services/list-api/stop" into {"v1", "services", "list-api", "stop"}; the query
// string is ignored.
std::vector<std::string> PathSegments(std::string_view target) {
  target = target.substr(0, target.find('?'));
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    if (end > start) segments.emplace_back(target.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

}  // namespace

ControlApi::ControlApi(Supervisor& supervisor, DiscoveryRegistry& discovery,
                       std::function<void()> on_down)
    : supervisor_(supervisor), discovery_(discovery), on_down_(std::move(on_down)) {}

http::HttpResponse ControlApi::Handle(const http::HttpRequest& request) {
  if (metrics_ != nullptr && telemetry::IsMetricsRequest(request)) {
    return telemetry::MetricsResponse(*metrics_, request);
  }
  const unsigned version = request.version();
  const auto segments = PathSegments(request.target());
  const bool get = request.method() == http::Verb::get || request.method() == http::Verb::head;
  const bool post = request.method() == http::Verb::post;
  auto wrong_method = [&](const char* allowed) {
    auto response = http::MakeJsonError(http::HttpStatus::method_not_allowed,
                                        std::string("use ") + allowed, version);
    response.set(http::Field::allow, allowed);
    return response;
  };
  if (segments.size() < 2 || segments[0] != "v1") {
    return http::MakeJsonError(http::HttpStatus::not_found,
                               "unknown path: " + std::string(request.target()), version);
  }
  const std::string& resource = segments[1];
  if (resource == "discovery" && segments.size() == 3) {
    if (!get) return wrong_method("GET");
    auto found = discovery_.LookupJson(segments[2]);
    if (!found.ok())
      return http::MakeJsonError(StatusFor(found.status()), found.status().message(), version);
    auto response = Json(http::HttpStatus::ok, *found, version);
    response.set(http::Field::cache_control, "max-age=1");
    return response;
  }
  if (resource == "tasks" && segments.size() == 2) {
    if (!get) return wrong_method("GET");
    return Json(http::HttpStatus::ok, supervisor_.TasksJson(), version);
  }
  if (resource == "stack" && segments.size() == 2) {
    if (!get) return wrong_method("GET");
    return Json(http::HttpStatus::ok, StackJson(supervisor_.stack()), version);
  }
  if (resource == "down" && segments.size() == 2) {
    if (!post) return wrong_method("POST");
    const bool already = supervisor_.shutting_down();
    if (!already && on_down_) on_down_();
    return Json(http::HttpStatus::accepted,
                {{"message", already ? "already stopping" : "stopping the stack"}}, version);
  }
  if (resource == "services" && segments.size() == 4) {
    if (!post) return wrong_method("POST");
    return ServiceAction(request, segments[2], segments[3]);
  }
  return http::MakeJsonError(http::HttpStatus::not_found,
                             "unknown path: " + std::string(request.target()), version);
}

http::HttpResponse ControlApi::ServiceAction(const http::HttpRequest& request,
                                             const std::string& name, const std::string& action) {
  const unsigned version = request.version();
  Status status;
  nlohmann::json body = {{"service", name}, {"action", action}};
  if (action == "stop") {
    status = supervisor_.StopService(name);
  } else if (action == "start") {
    status = supervisor_.StartService(name);
  } else if (action == "scale") {
    auto parsed = nlohmann::json::parse(request.body(), nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("desired") ||
        !parsed["desired"].is_number_integer()) {
      return http::MakeJsonError(http::HttpStatus::bad_request,
                                 "expected a JSON body {\"desired\": <integer>}", version);
    }
    const int64_t desired = parsed["desired"].get<int64_t>();
    if (desired < 0 || desired > 64) {
      return http::MakeJsonError(http::HttpStatus::bad_request, "desired must be between 0 and 64",
                                 version);
    }
    status = supervisor_.Scale(name, static_cast<int>(desired));
    body["desired"] = desired;
  } else {
    return http::MakeJsonError(http::HttpStatus::not_found,
                               "unknown action '" + action + "' (stop, start or scale)", version);
  }
  if (!status.ok()) return http::MakeJsonError(StatusFor(status), status.message(), version);
  return Json(http::HttpStatus::accepted, body, version);
}

nlohmann::json StackJson(const StackSpec& stack) {
  nlohmann::json services = nlohmann::json::array();
  for (const ServiceSpec& service : stack.services) {
    nlohmann::json definitions = nlohmann::json::object();
    for (const auto& [version, definition] : service.task_definitions) {
      definitions[version] = {
          {"command", definition.command},
          {"env", definition.env},
          {"ca_bundle", definition.ca_bundle == CaBundle::kLocal ? "local" : "none"}};
    }
    const HealthCheckSpec& check = service.health_check;
    services.push_back({{"name", service.name},
                        {"kind", service.kind == ServiceKind::kService     ? "service"
                                 : service.kind == ServiceKind::kDatastore ? "datastore"
                                                                           : "job"},
                        {"version", service.version},
                        {"desired", service.desired},
                        {"port", service.port},
                        {"depends_on", service.depends_on},
                        {"task_definitions", definitions},
                        {"health_check",
                         {{"scheme", check.scheme},
                          {"path", check.path},
                          {"interval_ms", check.interval.count()},
                          {"timeout_ms", check.timeout.count()},
                          {"healthy_threshold", check.healthy_threshold},
                          {"unhealthy_threshold", check.unhealthy_threshold},
                          {"start_period_ms", check.start_period.count()},
                          {"start_interval_ms", check.start_interval.count()}}}});
  }
  return {{"name", stack.name},
          {"domain", stack.domain},
          {"data_dir", stack.data_dir},
          {"control_port", stack.control_port},
          {"public", {{"service", stack.public_service}, {"port", stack.public_port}}},
          {"datastore",
           {{"name", stack.datastore.name},
            {"port", stack.datastore.port},
            {"tls", stack.datastore.tls},
            {"durability", stack.datastore.durability},
            {"table", stack.datastore.table}}},
          {"telemetry",
           {{"enabled", stack.telemetry.enabled},
            {"xray_port", stack.telemetry.xray_port},
            {"otlp_port", stack.telemetry.otlp_port}}},
          {"services", services}};
}

}  // namespace ck::platform
