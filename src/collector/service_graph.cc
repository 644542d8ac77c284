#include "collector/service_graph.h"

#include <algorithm>
#include <cmath>

namespace ck::collector {
namespace {

constexpr double kFirstBucketSeconds = 0.0001;
constexpr double kBucketGrowth = 1.25;

constexpr const char* kDefaultServiceType = "AWS::ECS::Container";

// The key of the node that sent segments as `name`, or empty.
std::string ServiceKeyByName(const GraphSnapshot& graph, const std::string& name) {
  for (const auto& [key, node] : graph.nodes) {
    if (node.name == name && !node.inferred && !node.client) return key;
  }
  return {};
}

bool IsCall(const Span& span) {
  return span.kind == SpanKind::kSubsegment &&
         (span.namespace_name == "remote" || span.namespace_name == "aws");
}

// The node for (name, type), created when missing; null when the graph is full.
GraphNode* NodeFor(GraphSnapshot& graph, const std::string& name, const std::string& type,
                   double when, uint64_t& dropped) {
  const std::string key = NodeKey(name, type);
  auto it = graph.nodes.find(key);
  if (it == graph.nodes.end()) {
    if (graph.nodes.size() >= ServiceGraph::kMaxNodes) {
      ++dropped;
      return nullptr;
    }
    GraphNode node;
    node.name = name;
    node.type = type;
    node.first_seen = when;
    it = graph.nodes.emplace(key, std::move(node)).first;
  }
  it->second.first_seen = std::min(it->second.first_seen, when);
  it->second.last_seen = std::max(it->second.last_seen, when);
  return &it->second;
}

void MergeNode(GraphNode& into, const GraphNode& from) {
  into.inferred = into.inferred && from.inferred;
  into.own.Merge(from.own);
  into.incoming.Merge(from.incoming);
  for (const auto& [target, stats] : from.edges) into.edges[target].Merge(stats);
  into.first_seen =
      into.first_seen == 0 ? from.first_seen : std::min(into.first_seen, from.first_seen);
  into.last_seen = std::max(into.last_seen, from.last_seen);
}

}  // namespace

std::string NodeKey(const std::string& name, const std::string& type) {
  return type + "\x1f" + name;
}

double ResponseHistogram::BucketValue(int bucket) {
  return kFirstBucketSeconds * std::pow(kBucketGrowth, bucket);
}

void ResponseHistogram::Add(double seconds) {
  int bucket = 0;
  if (seconds > kFirstBucketSeconds) {
    bucket = static_cast<int>(
        std::ceil(std::log(seconds / kFirstBucketSeconds) / std::log(kBucketGrowth)));
  }
  counts[std::clamp(bucket, 0, kBuckets - 1)]++;
}

void ResponseHistogram::Merge(const ResponseHistogram& other) {
  for (int i = 0; i < kBuckets; ++i) counts[i] += other.counts[i];
}

uint64_t ResponseHistogram::Total() const {
  uint64_t total = 0;
  for (uint32_t count : counts) total += count;
  return total;
}

double ResponseHistogram::Quantile(double q) const {
  const uint64_t total = Total();
  if (total == 0) return 0;
  const double rank = std::max(1.0, std::ceil(q * static_cast<double>(total)));
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts[i];
    if (static_cast<double>(seen) >= rank) return BucketValue(i);
  }
  return BucketValue(kBuckets - 1);
}

nlohmann::json ResponseHistogram::ToJson() const {
  nlohmann::json buckets = nlohmann::json::array();
  for (int i = 0; i < kBuckets; ++i) {
    if (counts[i] == 0) continue;
    buckets.push_back({{"Value", BucketValue(i)}, {"Count", counts[i]}});
  }
  return buckets;
}

void GraphStats::Add(bool is_error, bool is_throttle, bool is_fault, double response_time) {
  if (is_fault) {
    ++fault;
  } else if (is_throttle) {
    ++throttle;
  } else if (is_error) {
    ++error;
  } else {
    ++ok;
  }
  total_response_time += response_time;
  histogram.Add(response_time);
}

void GraphStats::Merge(const GraphStats& other) {
  ok += other.ok;
  error += other.error;
  throttle += other.throttle;
  fault += other.fault;
  total_response_time += other.total_response_time;
  histogram.Merge(other.histogram);
}

nlohmann::json GraphStats::SummaryJson() const {
  return {{"OkCount", ok},
          {"ErrorStatistics",
           {{"ThrottleCount", throttle}, {"OtherCount", error}, {"TotalCount", error + throttle}}},
          {"FaultStatistics", {{"OtherCount", fault}, {"TotalCount", fault}}},
          {"TotalCount", Total()},
          {"TotalResponseTime", total_response_time}};
}

ServiceGraph::ServiceGraph(double window_seconds, size_t max_windows)
    : window_seconds_(window_seconds), max_windows_(std::max<size_t>(1, max_windows)) {}

void ServiceGraph::AddTo(GraphSnapshot& graph, const Span& span, uint64_t& dropped) {
  if (span.in_progress) return;  // counted when the complete document arrives
  const double when = span.start_time;
  if (span.kind == SpanKind::kSegment) {
    GraphNode* node = NodeFor(graph, span.name, NodeTypeFor(span), when, dropped);
    if (node == nullptr) return;
    node->inferred = false;
    node->own.Add(span.error, span.throttle, span.fault, span.Duration());
    if (span.parent_id.empty()) {
      GraphNode* client = NodeFor(graph, "client", "client", when, dropped);
      if (client == nullptr) return;
      client->client = true;
      client->inferred = false;
      client->edges[NodeKey(span.name, NodeTypeFor(span))].Add(span.error, span.throttle,
                                                               span.fault, span.Duration());
    }
    return;
  }
  if (!IsCall(span) || span.service.empty()) return;
  // A traced remote callee sends its own segment under its service name; the edge points at that
  // node whatever its type. Otherwise the callee is inferred (DynamoDB, an untraced host).
  std::string callee_type = NodeTypeFor(span);
  if (span.namespace_name == "remote") {
    const std::string known = ServiceKeyByName(graph, span.name);
    if (!known.empty()) {
      callee_type = graph.nodes.at(known).type;
    } else if (span.traced) {
      callee_type = kDefaultServiceType;
    }
  }
  GraphNode* callee = NodeFor(graph, span.name, callee_type, when, dropped);
  if (callee == nullptr) return;
  callee->incoming.Add(span.error, span.throttle, span.fault, span.Duration());
  std::string caller_key = ServiceKeyByName(graph, span.service);
  GraphNode* caller = caller_key.empty()
                          ? NodeFor(graph, span.service, kDefaultServiceType, when, dropped)
                          : &graph.nodes.at(caller_key);
  if (caller == nullptr) return;
  caller->edges[NodeKey(span.name, callee_type)].Add(span.error, span.throttle, span.fault,
                                                     span.Duration());
}

void ServiceGraph::Add(const Span& span) {
  const int64_t index = static_cast<int64_t>(std::floor(span.start_time / window_seconds_));
  std::lock_guard lock(mutex_);
  auto it = std::lower_bound(windows_.begin(), windows_.end(), index,
                             [](const Window& window, int64_t i) { return window.index < i; });
  if (it == windows_.end() || it->index != index) {
    if (!windows_.empty() && windows_.size() >= max_windows_ && it == windows_.begin()) {
      return;  // older than everything kept
    }
    it = windows_.insert(it, Window{index, {}});
    while (windows_.size() > max_windows_) windows_.pop_front();
    it = std::lower_bound(windows_.begin(), windows_.end(), index,
                          [](const Window& window, int64_t i) { return window.index < i; });
  }
  AddTo(it->graph, span, dropped_nodes_);
}

GraphSnapshot ServiceGraph::Query(double start, double end) const {
  const int64_t first = static_cast<int64_t>(std::floor(start / window_seconds_));
  const int64_t last = static_cast<int64_t>(std::ceil(end / window_seconds_));
  GraphSnapshot merged;
  std::lock_guard lock(mutex_);
  for (const Window& window : windows_) {
    if (window.index < first || window.index >= last) continue;
    for (const auto& [key, node] : window.graph.nodes) {
      auto [it, inserted] = merged.nodes.try_emplace(key, node);
      if (!inserted) MergeNode(it->second, node);
    }
  }
  return merged;
}

uint64_t ServiceGraph::dropped_nodes() const {
  std::lock_guard lock(mutex_);
  return dropped_nodes_;
}

GraphSnapshot ServiceGraph::FromSpans(const std::vector<Span>& spans) {
  GraphSnapshot graph;
  uint64_t dropped = 0;
  // Segments first, so callers' node types are known when their subsegments are added.
  for (const Span& span : spans) {
    if (span.kind == SpanKind::kSegment) AddTo(graph, span, dropped);
  }
  for (const Span& span : spans) {
    if (span.kind != SpanKind::kSegment) AddTo(graph, span, dropped);
  }
  return graph;
}

nlohmann::json GraphJson(const GraphSnapshot& graph, double start, double end) {
  std::map<std::string, int> reference_ids;
  int next = 0;
  for (const auto& [key, node] : graph.nodes) reference_ids[key] = next++;
  // Services called by nobody but the client are the graph's roots.
  std::map<std::string, bool> has_service_caller;
  for (const auto& [key, node] : graph.nodes) {
    if (node.client) continue;
    for (const auto& [target, stats] : node.edges) has_service_caller[target] = true;
  }
  nlohmann::json services = nlohmann::json::array();
  for (const auto& [key, node] : graph.nodes) {
    nlohmann::json service = {{"ReferenceId", reference_ids[key]},
                              {"Name", node.name},
                              {"Names", nlohmann::json::array({node.name})},
                              {"Type", node.type},
                              {"State", node.inferred ? "unknown" : "active"},
                              {"StartTime", node.first_seen},
                              {"EndTime", node.last_seen}};
    if (node.client) {
      service = {{"ReferenceId", reference_ids[key]},
                 {"Type", "client"},
                 {"Name", "client"},
                 {"Root", true},
                 {"State", "unknown"}};
    } else {
      service["Root"] = !has_service_caller[key];
      const GraphStats& stats = node.Stats();
      service["SummaryStatistics"] = stats.SummaryJson();
      service["ResponseTimeHistogram"] = stats.histogram.ToJson();
      service["DurationHistogram"] = stats.histogram.ToJson();
    }
    nlohmann::json edges = nlohmann::json::array();
    for (const auto& [target, stats] : node.edges) {
      auto ref = reference_ids.find(target);
      if (ref == reference_ids.end()) continue;
      edges.push_back({{"ReferenceId", ref->second},
                       {"StartTime", start},
                       {"EndTime", end},
                       {"SummaryStatistics", stats.SummaryJson()},
                       {"ResponseTimeHistogram", stats.histogram.ToJson()},
                       {"Aliases", nlohmann::json::array()}});
    }
    service["Edges"] = std::move(edges);
    services.push_back(std::move(service));
  }
  return {{"Services", std::move(services)},
          {"StartTime", start},
          {"EndTime", end},
          {"ContainsOldGroupVersions", false}};
}

}  // namespace ck::collector
