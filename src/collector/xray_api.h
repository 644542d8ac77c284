// XRayApi: the X-Ray REST API the collector serves on TCP :2000, as a pure handler.
//
// Query operations (AWS X-Ray request/response shapes; timestamps are epoch seconds):
//   POST /ServiceGraph      GetServiceGraph   {StartTime, EndTime, GroupName?, NextToken?}
//   POST /TraceSummaries    GetTraceSummaries {StartTime, EndTime, FilterExpression?, NextToken?}
//   POST /Traces            BatchGetTraces    {TraceIds}
//   POST /TraceGraph        GetTraceGraph     {TraceIds}
//   POST /CreateGroup, /GetGroup, /Groups, /UpdateGroup, /DeleteGroup   named filter expressions
// Daemon sampling endpoints (what the X-Ray SDKs poll through the daemon):
//   POST /GetSamplingRules  {SamplingRuleRecords}
//   POST /SamplingTargets   {SamplingTargetDocuments, LastRuleModification, UnprocessedStatistics}
// Errors use X-Ray's REST-JSON shape: status 400 with `x-amzn-ErrorType: InvalidRequestException`
// and {"Message": "..."} (404 for unknown paths, 500 for storage failures).
//
//   XRayApi api(store, graph, rules);
//   http::HttpResponse response = api.Handle(request);   // may block on SQLite: call off-I/O
//
// Thread-safety: Handle() may be called from one thread at a time (the collector's query thread).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collector/service_graph.h"
#include "collector/trace_store.h"
#include "core/clock.h"
#include "http/message.h"
#include "telemetry/sampler.h"

namespace ck::collector {

class XRayApi {
 public:
  XRayApi(TraceStore& store, const ServiceGraph& graph, std::vector<telemetry::SamplingRule> rules,
          const Clock& clock = SystemClock::Instance());

  http::HttpResponse Handle(const http::HttpRequest& request);

  // Caps on the work one GetTraceSummaries page may do.
  static constexpr size_t kSummariesPerPage = 100;
  static constexpr size_t kTracesScannedPerPage = 5000;

 private:
  // Unimplemented for an unknown path. May throw nlohmann::json::exception on mistyped fields.
  Result<nlohmann::json> Dispatch(const std::string& path, const nlohmann::json& body);
  Result<nlohmann::json> GetServiceGraph(const nlohmann::json& body);
  Result<nlohmann::json> GetTraceSummaries(const nlohmann::json& body);
  Result<nlohmann::json> BatchGetTraces(const nlohmann::json& body);
  Result<nlohmann::json> GetTraceGraph(const nlohmann::json& body);
  Result<nlohmann::json> Groups(const std::string& operation, const nlohmann::json& body);
  Result<nlohmann::json> GetSamplingRules();
  Result<nlohmann::json> SamplingTargets(const nlohmann::json& body);
  Result<std::string> GroupFilter(const std::string& name);

  TraceStore& store_;
  const ServiceGraph& graph_;
  std::vector<telemetry::SamplingRule> rules_;
  const Clock& clock_;
  double rules_modified_;
  // SamplingTargets: the clients seen per rule recently, to share a rule's reservoir.
  std::map<std::string, std::map<std::string, double>> rule_clients_;
};

}  // namespace ck::collector
