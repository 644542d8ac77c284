// ServiceGraph: the live service map, computed at ingest from spans.
//
// Nodes are services (from their segments) and callees that send nothing themselves (inferred
// from "remote"/"aws" subsegments, e.g. DynamoDB), plus a "client" node for requests that entered
// without a caller. Edges are client -> root service (from root segments) and service -> callee
// (from each remote/aws subsegment). Each node and edge keeps, per time window, OK / error /
// throttle / fault counts, the total response time and a response-time histogram.
//
// Query() merges the windows overlapping [start, end) and GraphJson() renders X-Ray's
// GetServiceGraph shape (Services with ReferenceId, Edges, SummaryStatistics,
// ResponseTimeHistogram). The same type builds ad-hoc graphs (GetTraceGraph, groups) from the
// spans of chosen traces.
//
//   ServiceGraph graph;               // 60 s windows, 24 h kept
//   for (const Span& span : spans) graph.Add(span);
//   nlohmann::json answer = GraphJson(graph.Query(now - 300, now), now - 300, now);
//
// Memory is bounded: windows older than `max_windows` are dropped, and a window holds at most
// kMaxNodes nodes (further nodes are counted in dropped_nodes()).
//
// Thread-safety: Add/Query are thread-safe (one mutex).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "collector/model/span.h"

namespace ck::collector {

// Response-time histogram with fixed, geometrically spaced buckets from 0.1 ms to ~2 min.
struct ResponseHistogram {
  static constexpr int kBuckets = 64;
  std::array<uint32_t, kBuckets> counts{};

  void Add(double seconds);
  void Merge(const ResponseHistogram& other);
  uint64_t Total() const;
  // The bucket value at quantile q (0..1); 0 when empty.
  double Quantile(double q) const;
  static double BucketValue(int bucket);
  nlohmann::json ToJson() const;  // [{Value, Count}] of non-empty buckets
};

struct GraphStats {
  uint64_t ok = 0;
  uint64_t error = 0;  // 4xx other than throttles
  uint64_t throttle = 0;
  uint64_t fault = 0;
  double total_response_time = 0;
  ResponseHistogram histogram;

  void Add(bool is_error, bool is_throttle, bool is_fault, double response_time);
  void Merge(const GraphStats& other);
  uint64_t Total() const { return ok + error + throttle + fault; }
  nlohmann::json SummaryJson() const;  // X-Ray SummaryStatistics
};

struct GraphNode {
  std::string name;
  std::string type;
  bool client = false;
  bool inferred = true;                     // no segment of its own seen in the window
  GraphStats own;                           // from the node's own segments
  GraphStats incoming;                      // from callers' subsegments (used for inferred nodes)
  std::map<std::string, GraphStats> edges;  // target node key -> stats
  double first_seen = 0;
  double last_seen = 0;

  const GraphStats& Stats() const { return inferred ? incoming : own; }
};

struct GraphSnapshot {
  std::map<std::string, GraphNode> nodes;  // key = NodeKey(name, type)
};

std::string NodeKey(const std::string& name, const std::string& type);

class ServiceGraph {
 public:
  static constexpr size_t kMaxNodes = 1000;

  explicit ServiceGraph(double window_seconds = 60, size_t max_windows = 24 * 60);

  void Add(const Span& span);
  GraphSnapshot Query(double start, double end) const;
  uint64_t dropped_nodes() const;

  // Builds a snapshot directly from spans (one window, no retention).
  static GraphSnapshot FromSpans(const std::vector<Span>& spans);

 private:
  struct Window {
    int64_t index = 0;
    GraphSnapshot graph;
  };
  static void AddTo(GraphSnapshot& graph, const Span& span, uint64_t& dropped);

  double window_seconds_;
  size_t max_windows_;
  mutable std::mutex mutex_;
  std::deque<Window> windows_;  // ascending index
  uint64_t dropped_nodes_ = 0;
};

// X-Ray GetServiceGraph JSON ({Services, StartTime, EndTime, ContainsOldGroupVersions}).
nlohmann::json GraphJson(const GraphSnapshot& graph, double start, double end);

}  // namespace ck::collector
