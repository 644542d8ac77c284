// TraceSummary: what X-Ray's GetTraceSummaries reports about one trace, computed from its Spans.
//
// SummarizeTrace takes every Span stored for one trace, in any order, including in-progress
// spans and spans whose parent never arrived, and derives:
//   - the X-Ray TraceSummary fields: Id, StartTime, Duration (latest end - earliest start),
//     ResponseTime (the root segment's duration), HasFault/HasError/HasThrottle (root segment),
//     IsPartial (an in-progress span or a parent that is missing), Http of the root segment,
//     Annotations with the services that recorded each value, ServiceIds, EntryPoint, and the
//     Fault/Error/ResponseTime root causes;
//   - the trace's nodes and edges, which filter expressions (service(), edge()) and the service
//     graph work on.
//
// The root is the segment without a parent_id (the earliest one if there are several), or the
// earliest segment when every segment has a parent. Nodes: one per segment (the service that sent
// it) and one per call to an inferred callee (an "aws" subsegment, or a "remote" subsegment whose
// callee sent no segment in this trace), named after the subsegment and typed by NodeTypeFor.
// Edges: client -> root service, caller -> callee for every "remote"/"aws" subsegment (the callee
// is the segment the call produced when it arrived, else the inferred node), and caller ->
// service for a segment whose parent belongs to another service without such a subsegment.
// A root cause is the deepest faulted (errored) span of a chain: its service, and the entity path
// from that service's segment down to the span, with the span's exceptions.
//
//   std::vector<Span> spans = store.SpansOf(trace_id);
//   TraceSummary summary = SummarizeTrace(spans);
//   if (filter.Matches(summary)) out.push_back(TraceSummaryToJson(summary));
//
// Thread-safety: value types and pure functions. Never fails: malformed links (cycles, dangling
// parents, duplicate ids) only make the summary partial.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "collector/model/span.h"

namespace ck::collector {

// X-Ray's ServiceId (without AccountId): Names is always {name}.
struct ServiceId {
  std::string name;
  std::string type;

  friend bool operator==(const ServiceId&, const ServiceId&) = default;
  friend auto operator<=>(const ServiceId&, const ServiceId&) = default;
};

// The name of the client node in front of the root service.
inline constexpr std::string_view kClientNodeName = "client";
inline constexpr std::string_view kClientNodeType = "client";

struct TraceHttp {
  std::string url;
  int status = 0;  // 0 = none
  std::string method;
  std::string user_agent;
  std::string client_ip;
};

// What one trace element (the trace itself, a node visit or an edge call) offers to filter
// expressions. Empty strings and status 0 mean "absent".
struct FilterFacts {
  bool ok = false;
  bool error = false;
  bool fault = false;
  bool throttle = false;
  bool partial = false;
  bool inferred = false;
  double response_time = 0;
  double duration = 0;
  TraceHttp http;
  std::vector<std::pair<std::string, AnnotationValue>> annotations;
};

// One visit of a node: a segment its service sent, or one call to an inferred callee.
struct TraceNode {
  ServiceId id;
  bool inferred = false;
  FilterFacts facts;
};

// One call between two nodes, seen from the caller (the client edge: from the root segment).
struct TraceEdge {
  ServiceId source;
  ServiceId target;
  FilterFacts facts;
};

struct RootCauseException {
  std::string name;
  std::string message;
};

struct RootCauseEntity {
  std::string name;
  std::vector<RootCauseException> exceptions;  // fault and error causes
  bool remote = false;
  double coverage = 0;  // response time causes: share of the root's response time
};

struct RootCauseService {
  ServiceId id;
  bool inferred = false;
  std::vector<RootCauseEntity> entity_path;
};

struct RootCause {
  std::vector<RootCauseService> services;
  bool client_impacting = false;
};

// One distinct annotation value and the services that recorded it.
struct AnnotationValueWithServices {
  AnnotationValue value;
  std::vector<ServiceId> service_ids;
};

struct TraceSummary {
  std::string id;
  double start_time = 0;
  double duration = 0;
  double response_time = 0;
  bool has_fault = false;
  bool has_error = false;
  bool has_throttle = false;
  bool is_partial = false;
  TraceHttp http;  // of the root segment
  std::map<std::string, std::vector<AnnotationValueWithServices>> annotations;
  std::vector<ServiceId> service_ids;  // sorted, distinct
  std::optional<ServiceId> entry_point;
  std::vector<RootCause> fault_root_causes;
  std::vector<RootCause> error_root_causes;
  std::vector<RootCause> response_time_root_causes;

  // Trace-level facts for filter keywords: status flags and Http of the root segment (X-Ray's
  // simple keywords look at the trace's entry, not at downstream calls), ResponseTime, Duration,
  // IsPartial, whether any node is inferred, and every annotation of the trace.
  FilterFacts facts;
  std::vector<TraceNode> nodes;
  std::vector<TraceEdge> edges;
};

TraceSummary SummarizeTrace(std::span<const Span> spans);

// X-Ray's TraceSummary JSON element (GetTraceSummaries "TraceSummaries" items).
nlohmann::json TraceSummaryToJson(const TraceSummary& summary);

}  // namespace ck::collector
