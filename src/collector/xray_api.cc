#include "collector/xray_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "collector/model/xray_document.h"
#include "collector/query/filter_expression.h"
#include "collector/query/trace_summary.h"
#include "core/crypto.h"
#include "telemetry/segment.h"
#include "telemetry/trace_context.h"

namespace ck::collector {
namespace {

using nlohmann::json;

constexpr const char* kGroupPrefix = "group/";
constexpr double kMaxWindowSeconds = 24 * 3600;
constexpr size_t kMaxTraceIds = 5;  // BatchGetTraces' limit per call
constexpr double kSamplingInterval = 10;

// X-Ray's REST-JSON error: the type in x-amzn-ErrorType and {"Message": ...}.
http::HttpResponse ErrorResponse(http::HttpStatus status, std::string_view type,
                                 std::string_view message, unsigned version) {
  http::HttpResponse response = http::MakeResponse(
      status, "application/json", json{{"Message", message}}.dump() + "\n", version);
  response.set("x-amzn-ErrorType", std::string(type));
  return response;
}

Result<double> TimeField(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end()) return InvalidArgument(fmt::format("{} is required", key));
  if (!it->is_number()) {
    return InvalidArgument(fmt::format("{} must be a number of epoch seconds", key));
  }
  return it->get<double>();
}

Result<std::pair<double, double>> Window(const json& body) {
  CK_ASSIGN_OR_RETURN(double start, TimeField(body, "StartTime"));
  CK_ASSIGN_OR_RETURN(double end, TimeField(body, "EndTime"));
  if (end < start) return InvalidArgument("EndTime must not be before StartTime");
  if (end - start > kMaxWindowSeconds) {
    return InvalidArgument("the time range must not be longer than 24 hours");
  }
  return std::make_pair(start, end);
}

Result<std::vector<std::string>> TraceIds(const json& body) {
  auto it = body.find("TraceIds");
  if (it == body.end() || !it->is_array()) return InvalidArgument("TraceIds must be a list");
  if (it->size() > kMaxTraceIds) {
    return InvalidArgument(fmt::format("at most {} TraceIds per call", kMaxTraceIds));
  }
  std::vector<std::string> ids;
  for (const json& id : *it) {
    if (!id.is_string()) return InvalidArgument("TraceIds must contain strings");
    ids.push_back(id.get<std::string>());
  }
  return ids;
}

// NextToken for GetTraceSummaries: "<start micros>:<trace id>" of the last trace scanned.
std::string EncodeToken(const TraceRef& ref) {
  return fmt::format("{}:{}", std::llround(ref.start_time * 1e6), ref.trace_id);
}

Result<TraceRef> DecodeToken(const std::string& token) {
  const size_t colon = token.find(':');
  if (colon == std::string::npos) return InvalidArgument("NextToken is not valid");
  TraceRef ref;
  try {
    ref.start_time = static_cast<double>(std::stoll(token.substr(0, colon))) / 1e6;
  } catch (...) {
    return InvalidArgument("NextToken is not valid");
  }
  ref.trace_id = token.substr(colon + 1);
  if (!IsValidXRayTraceId(ref.trace_id)) return InvalidArgument("NextToken is not valid");
  return ref;
}

json GroupJson(const std::string& name, const std::string& filter) {
  return {{"GroupName", name},
          {"GroupARN", "arn:aws:xray:local:000000000000:group/" + name},
          {"FilterExpression", filter},
          {"InsightsConfiguration", {{"InsightsEnabled", false}, {"NotificationsEnabled", false}}}};
}

json RuleJson(const telemetry::SamplingRule& rule, double modified) {
  return {{"SamplingRule",
           {{"RuleName", rule.name},
            {"RuleARN", "arn:aws:xray:local:000000000000:sampling-rule/" + rule.name},
            {"ResourceARN", "*"},
            {"Priority", rule.priority},
            {"FixedRate", rule.fixed_rate},
            {"ReservoirSize", rule.reservoir_size},
            {"ServiceName", rule.service_name},
            {"ServiceType", "*"},
            {"Host", rule.host},
            {"HTTPMethod", rule.http_method},
            {"URLPath", rule.url_path},
            {"Version", 1},
            {"Attributes", json::object()}}},
          {"CreatedAt", modified},
          {"ModifiedAt", modified}};
}

}  // namespace

XRayApi::XRayApi(TraceStore& store, const ServiceGraph& graph,
                 std::vector<telemetry::SamplingRule> rules, const Clock& clock)
    : store_(store),
      graph_(graph),
      rules_(std::move(rules)),
      clock_(clock),
      rules_modified_(std::floor(telemetry::ToEpochSeconds(clock.Now()))) {}

http::HttpResponse XRayApi::Handle(const http::HttpRequest& request) {
  const unsigned version = request.version();
  std::string path(request.target());
  if (size_t query = path.find('?'); query != std::string::npos) path.resize(query);
  if (request.method() != boost::beast::http::verb::post) {
    return ErrorResponse(http::HttpStatus::method_not_allowed, "InvalidRequestException",
                         "X-Ray API operations use POST", version);
  }
  json body = json::object();
  if (!request.body().empty()) {
    body = json::parse(request.body(), nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
      return ErrorResponse(http::HttpStatus::bad_request, "InvalidRequestException",
                           "the request body must be a JSON object", version);
    }
  }
  Result<json> answer = NotFound("");
  try {
    answer = Dispatch(path, body);
  } catch (const json::exception& error) {
    // A field of the wrong type (e.g. "GroupName": 5) read with a typed accessor.
    return ErrorResponse(http::HttpStatus::bad_request, "InvalidRequestException",
                         std::string("a request field has the wrong type: ") + error.what(),
                         version);
  } catch (const std::exception& error) {
    return ErrorResponse(http::HttpStatus::internal_server_error, "ThrottledException",
                         error.what(), version);
  }
  if (!answer.ok() && answer.status().code() == StatusCode::kUnimplemented) {
    return ErrorResponse(http::HttpStatus::not_found, "UnknownOperationException",
                         answer.status().message(), version);
  }
  if (!answer.ok()) {
    const Status& status = answer.status();
    switch (status.code()) {
      case StatusCode::kInvalidArgument:
        return ErrorResponse(http::HttpStatus::bad_request, "InvalidRequestException",
                             status.message(), version);
      case StatusCode::kNotFound:
        return ErrorResponse(http::HttpStatus::not_found, "ResourceNotFoundException",
                             status.message(), version);
      case StatusCode::kAlreadyExists:
        return ErrorResponse(http::HttpStatus::bad_request, "InvalidRequestException",
                             status.message(), version);
      default:
        return ErrorResponse(http::HttpStatus::internal_server_error, "ThrottledException",
                             status.message(), version);
    }
  }
  return http::MakeResponse(http::HttpStatus::ok, "application/json", answer->dump() + "\n",
                            version);
}

Result<json> XRayApi::Dispatch(const std::string& path, const json& body) {
  if (path == "/ServiceGraph") {
    return GetServiceGraph(body);
  } else if (path == "/TraceSummaries") {
    return GetTraceSummaries(body);
  } else if (path == "/Traces") {
    return BatchGetTraces(body);
  } else if (path == "/TraceGraph") {
    return GetTraceGraph(body);
  } else if (path == "/CreateGroup" || path == "/GetGroup" || path == "/Groups" ||
             path == "/UpdateGroup" || path == "/DeleteGroup") {
    return Groups(path.substr(1), body);
  } else if (path == "/GetSamplingRules") {
    return GetSamplingRules();
  } else if (path == "/SamplingTargets") {
    return SamplingTargets(body);
  }
  return Unimplemented("no X-Ray operation at " + path);
}

Result<std::string> XRayApi::GroupFilter(const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto settings, store_.Settings(kGroupPrefix + name));
  for (const auto& [key, value] : settings) {
    if (key == kGroupPrefix + name) return value;
  }
  return NotFound("group " + name + " not found");
}

Result<json> XRayApi::GetServiceGraph(const json& body) {
  CK_ASSIGN_OR_RETURN(auto window, Window(body));
  std::string group = body.value("GroupName", "");
  if (group.empty() || group == "Default") {
    return GraphJson(graph_.Query(window.first, window.second), window.first, window.second);
  }
  // A group's graph is built from the traces that match its filter in the window.
  CK_ASSIGN_OR_RETURN(std::string filter_text, GroupFilter(group));
  CK_ASSIGN_OR_RETURN(FilterExpression filter, FilterExpression::Parse(filter_text));
  CK_ASSIGN_OR_RETURN(auto refs,
                      store_.TracesInWindow(window.first, window.second, kTracesScannedPerPage));
  std::vector<Span> matching;
  for (const TraceRef& ref : refs) {
    auto spans = store_.GetTrace(ref.trace_id);
    if (!spans.ok()) continue;
    if (!filter.Matches(SummarizeTrace(*spans))) continue;
    matching.insert(matching.end(), spans->begin(), spans->end());
  }
  return GraphJson(ServiceGraph::FromSpans(matching), window.first, window.second);
}

Result<json> XRayApi::GetTraceSummaries(const json& body) {
  CK_ASSIGN_OR_RETURN(auto window, Window(body));
  std::string filter_text = body.value("FilterExpression", "");
  CK_ASSIGN_OR_RETURN(FilterExpression filter, FilterExpression::Parse(filter_text));
  std::optional<TraceRef> after;
  if (auto token = body.find("NextToken"); token != body.end() && token->is_string()) {
    CK_ASSIGN_OR_RETURN(after, DecodeToken(token->get<std::string>()));
  }
  CK_ASSIGN_OR_RETURN(auto refs,
                      store_.TracesInWindow(window.first, window.second, kTracesScannedPerPage,
                                            after ? &*after : nullptr));
  json summaries = json::array();
  size_t processed = 0;
  std::optional<TraceRef> last;
  for (const TraceRef& ref : refs) {
    ++processed;
    last = ref;
    auto spans = store_.GetTrace(ref.trace_id);
    if (!spans.ok()) continue;
    TraceSummary summary = SummarizeTrace(*spans);
    if (!filter.Matches(summary)) continue;
    summaries.push_back(TraceSummaryToJson(summary));
    if (summaries.size() >= kSummariesPerPage) break;
  }
  json answer = {{"TraceSummaries", std::move(summaries)},
                 {"ApproximateTime", window.second},
                 {"TracesProcessedCount", processed}};
  const bool more = last && (processed < refs.size() || refs.size() == kTracesScannedPerPage);
  if (more) answer["NextToken"] = EncodeToken(*last);
  return answer;
}

Result<json> XRayApi::BatchGetTraces(const json& body) {
  CK_ASSIGN_OR_RETURN(auto ids, TraceIds(body));
  json traces = json::array();
  json unprocessed = json::array();
  for (const std::string& id : ids) {
    auto spans = store_.GetTrace(id);
    if (!spans.ok()) {
      if (spans.status().code() != StatusCode::kNotFound) unprocessed.push_back(id);
      continue;
    }
    TraceSummary summary = SummarizeTrace(*spans);
    json segments = json::array();
    for (json& document : AssembleSegmentDocuments(*spans)) {
      std::string segment_id = document.value("id", "");
      segments.push_back({{"Id", segment_id}, {"Document", document.dump()}});
    }
    traces.push_back({{"Id", id},
                      {"Duration", summary.duration},
                      {"LimitExceeded", false},
                      {"Segments", std::move(segments)}});
  }
  return json{{"Traces", std::move(traces)}, {"UnprocessedTraceIds", std::move(unprocessed)}};
}

Result<json> XRayApi::GetTraceGraph(const json& body) {
  CK_ASSIGN_OR_RETURN(auto ids, TraceIds(body));
  std::vector<Span> spans;
  double start = 0;
  double end = 0;
  for (const std::string& id : ids) {
    auto trace = store_.GetTrace(id);
    if (!trace.ok()) continue;
    for (const Span& span : *trace) {
      start = start == 0 ? span.start_time : std::min(start, span.start_time);
      end = std::max(end, span.end_time);
    }
    spans.insert(spans.end(), trace->begin(), trace->end());
  }
  json graph = GraphJson(ServiceGraph::FromSpans(spans), start, end);
  return json{{"Services", graph["Services"]}};
}

Result<json> XRayApi::Groups(const std::string& operation, const json& body) {
  std::string name = body.value("GroupName", "");
  if (operation == "Groups") {
    CK_ASSIGN_OR_RETURN(auto settings, store_.Settings(kGroupPrefix));
    json groups = json::array({GroupJson("Default", "")});
    for (const auto& [key, value] : settings) {
      groups.push_back(GroupJson(key.substr(std::string_view(kGroupPrefix).size()), value));
    }
    return json{{"Groups", std::move(groups)}};
  }
  if (name.empty()) return InvalidArgument("GroupName is required");
  if (name.size() > 32 || name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
                                                 "WXYZ0123456789._-") != std::string::npos) {
    return InvalidArgument("GroupName must be 1-32 characters of letters, digits, '.', '_', '-'");
  }
  if (name == "Default") return InvalidArgument("the Default group cannot be changed");
  if (operation == "GetGroup") {
    CK_ASSIGN_OR_RETURN(std::string filter, GroupFilter(name));
    return json{{"Group", GroupJson(name, filter)}};
  }
  if (operation == "DeleteGroup") {
    CK_RETURN_IF_ERROR(GroupFilter(name).status());
    CK_RETURN_IF_ERROR(store_.DeleteSetting(kGroupPrefix + name));
    return json::object();
  }
  std::string filter = body.value("FilterExpression", "");
  CK_RETURN_IF_ERROR(FilterExpression::Parse(filter).status());
  auto existing = GroupFilter(name);
  if (operation == "CreateGroup" && existing.ok()) {
    return AlreadyExists("group " + name + " already exists");
  }
  if (operation == "UpdateGroup" && !existing.ok()) return existing.status();
  CK_RETURN_IF_ERROR(store_.PutSetting(kGroupPrefix + name, filter));
  return json{{"Group", GroupJson(name, filter)}};
}

Result<json> XRayApi::GetSamplingRules() {
  json records = json::array();
  for (const telemetry::SamplingRule& rule : rules_) {
    records.push_back(RuleJson(rule, rules_modified_));
  }
  return json{{"SamplingRuleRecords", std::move(records)}};
}

Result<json> XRayApi::SamplingTargets(const json& body) {
  auto documents = body.find("SamplingStatisticsDocuments");
  if (documents == body.end() || !documents->is_array()) {
    return InvalidArgument("SamplingStatisticsDocuments must be a list");
  }
  const double now = telemetry::ToEpochSeconds(clock_.Now());
  json targets = json::array();
  json unprocessed = json::array();
  for (const json& document : *documents) {
    std::string rule_name = document.is_object() ? document.value("RuleName", "") : "";
    std::string client = document.is_object() ? document.value("ClientID", "") : "";
    auto rule = std::find_if(rules_.begin(), rules_.end(),
                             [&](const auto& r) { return r.name == rule_name; });
    if (rule == rules_.end() || client.empty()) {
      unprocessed.push_back(
          {{"RuleName", rule_name},
           {"ErrorCode", "400"},
           {"Message", rule == rules_.end() ? "unknown rule" : "ClientID is required"}});
      continue;
    }
    // The reservoir is shared by the clients that reported in the last two intervals.
    auto& clients = rule_clients_[rule_name];
    clients[client] = now;
    for (auto it = clients.begin(); it != clients.end();) {
      it = now - it->second > 2 * kSamplingInterval ? clients.erase(it) : std::next(it);
    }
    const int64_t quota =
        rule->reservoir_size / static_cast<int64_t>(std::max<size_t>(1, clients.size()));
    targets.push_back({{"RuleName", rule_name},
                       {"FixedRate", rule->fixed_rate},
                       {"ReservoirQuota", quota},
                       {"ReservoirQuotaTTL", now + kSamplingInterval},
                       {"Interval", static_cast<int>(kSamplingInterval)}});
  }
  return json{{"SamplingTargetDocuments", std::move(targets)},
              {"LastRuleModification", rules_modified_},
              {"UnprocessedStatistics", std::move(unprocessed)}};
}

}  // namespace ck::collector
