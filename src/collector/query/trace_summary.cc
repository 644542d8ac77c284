#include "collector/query/trace_summary.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string_view>
#include <unordered_map>

namespace ck::collector {
namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

bool IsCall(const Span& span) {
  return span.kind == SpanKind::kSubsegment &&
         (span.namespace_name == "remote" || span.namespace_name == "aws");
}

// The id of the span that `span` hangs under: parent_id, or for a subsegment without one, the
// segment that recorded it.
std::string_view ParentLink(const Span& span) {
  if (!span.parent_id.empty()) return span.parent_id;
  if (span.kind == SpanKind::kSubsegment) return span.segment_id;
  return {};
}

// One trace's spans with their links resolved. Spans sharing an id (an in-progress document and
// the completed one that replaced it) are merged, keeping the completed one.
class TraceIndex {
 public:
  explicit TraceIndex(std::span<const Span> input) {
    for (const Span& span : input) {
      if (span.id.empty()) {
        spans_.push_back(&span);
        continue;
      }
      auto [it, inserted] = by_id_.emplace(span.id, spans_.size());
      if (inserted) {
        spans_.push_back(&span);
      } else if (Supersedes(span, *spans_[it->second])) {
        spans_[it->second] = &span;
      }
    }
    // Re-key on the kept spans' own strings (the views above may point into replaced spans).
    by_id_.clear();
    for (size_t i = 0; i < spans_.size(); ++i) {
      if (!spans_[i]->id.empty()) by_id_.emplace(spans_[i]->id, i);
    }
    parents_.assign(spans_.size(), kNone);
    children_.resize(spans_.size());
    missing_parent_.assign(spans_.size(), false);
    for (size_t i = 0; i < spans_.size(); ++i) {
      std::string_view link = ParentLink(*spans_[i]);
      if (link.empty()) continue;
      size_t parent = Find(link);
      if (parent == kNone || parent == i) {
        missing_parent_[i] = true;
        continue;
      }
      parents_[i] = parent;
      children_[parent].push_back(i);
    }
    segments_.assign(spans_.size(), kNone);
    for (size_t i = 0; i < spans_.size(); ++i) segments_[i] = FindSegment(i);
  }

  size_t size() const { return spans_.size(); }
  const Span& span(size_t i) const { return *spans_[i]; }
  size_t Find(std::string_view id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? kNone : it->second;
  }
  size_t Parent(size_t i) const { return parents_[i]; }
  bool MissingParent(size_t i) const { return missing_parent_[i]; }
  const std::vector<size_t>& Children(size_t i) const { return children_[i]; }
  // The segment that recorded span i (i itself for a segment), or kNone when it never arrived.
  size_t SegmentOf(size_t i) const { return segments_[i]; }

 private:
  static bool Supersedes(const Span& candidate, const Span& kept) {
    if (candidate.in_progress != kept.in_progress) return !candidate.in_progress;
    return candidate.end_time > kept.end_time;
  }

  size_t FindSegment(size_t i) const {
    const Span& span = *spans_[i];
    if (span.kind == SpanKind::kSegment) return i;
    size_t direct = Find(span.segment_id);
    if (direct != kNone && spans_[direct]->kind == SpanKind::kSegment) return direct;
    // Walk up; bounded so that cyclic parent links cannot loop.
    size_t current = parents_[i];
    for (size_t steps = 0; current != kNone && steps < spans_.size(); ++steps) {
      if (spans_[current]->kind == SpanKind::kSegment) return current;
      current = parents_[current];
    }
    return kNone;
  }

  std::vector<const Span*> spans_;
  std::unordered_map<std::string_view, size_t> by_id_;
  std::vector<size_t> parents_;
  std::vector<std::vector<size_t>> children_;
  std::vector<bool> missing_parent_;
  std::vector<size_t> segments_;
};

std::string ServiceNameOf(const Span& span) {
  if (!span.service.empty()) return span.service;
  return span.kind == SpanKind::kSegment ? span.name : std::string();
}

// The node that recorded span i: its segment's service, or what the span itself says.
ServiceId RecorderOf(const TraceIndex& index, size_t i) {
  size_t segment = index.SegmentOf(i);
  if (segment != kNone) {
    const Span& recorder = index.span(segment);
    return {ServiceNameOf(recorder), NodeTypeFor(recorder)};
  }
  Span stand_in;  // a segment with no origin: the default service type
  return {ServiceNameOf(index.span(i)), NodeTypeFor(stand_in)};
}

ServiceId CalleeOf(const Span& call) { return {call.name, NodeTypeFor(call)}; }

FilterFacts FactsOf(const Span& span) {
  FilterFacts facts;
  facts.error = span.error;
  facts.fault = span.fault;
  facts.throttle = span.throttle;
  facts.partial = span.in_progress;
  facts.ok = !span.in_progress && !span.error && !span.fault && !span.throttle;
  facts.response_time = span.Duration();
  facts.duration = span.Duration();
  facts.http = {span.http_url, span.http_status, span.http_method, span.user_agent, span.client_ip};
  return facts;
}

void AppendAnnotations(const Span& span, FilterFacts& facts) {
  for (const auto& [key, value] : span.annotations) facts.annotations.emplace_back(key, value);
}

size_t FindRoot(const TraceIndex& index) {
  size_t root = kNone;
  size_t earliest = kNone;
  for (size_t i = 0; i < index.size(); ++i) {
    const Span& span = index.span(i);
    if (span.kind != SpanKind::kSegment) continue;
    if (earliest == kNone || span.start_time < index.span(earliest).start_time) earliest = i;
    if (span.parent_id.empty() &&
        (root == kNone || span.start_time < index.span(root).start_time)) {
      root = i;
    }
  }
  return root != kNone ? root : earliest;
}

// Span indices from the recording segment of `leaf` down to `leaf`. When the chain to the
// segment is broken, the path starts at the highest span reached.
std::vector<size_t> EntityPath(const TraceIndex& index, size_t leaf) {
  std::vector<size_t> path;
  size_t segment = index.SegmentOf(leaf);
  size_t current = leaf;
  while (current != kNone && path.size() <= index.size()) {
    path.push_back(current);
    if (current == segment || index.SegmentOf(current) != segment) break;
    current = index.Parent(current);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

bool IsRemoteEntity(const Span& span) {
  if (IsCall(span)) return true;
  return std::any_of(span.causes.begin(), span.causes.end(),
                     [](const SpanCause& cause) { return cause.remote; });
}

RootCauseService CauseService(const TraceIndex& index, size_t leaf, double root_duration,
                              bool with_exceptions) {
  RootCauseService service;
  service.id = RecorderOf(index, leaf);
  for (size_t i : EntityPath(index, leaf)) {
    const Span& span = index.span(i);
    RootCauseEntity entity;
    entity.name = span.name.empty() ? ServiceNameOf(span) : span.name;
    entity.remote = i == leaf && IsRemoteEntity(span);
    if (i == leaf && with_exceptions) {
      for (const SpanCause& cause : span.causes) {
        entity.exceptions.push_back({cause.type, cause.message});
      }
    }
    if (root_duration > 0) entity.coverage = span.Duration() / root_duration;
    service.entity_path.push_back(std::move(entity));
  }
  return service;
}

bool SamePath(const RootCauseService& a, const RootCauseService& b) {
  return a.id == b.id &&
         std::equal(
             a.entity_path.begin(), a.entity_path.end(), b.entity_path.begin(), b.entity_path.end(),
             [](const RootCauseEntity& x, const RootCauseEntity& y) { return x.name == y.name; });
}

// One root cause per deepest flagged span (a flagged span with no flagged child).
std::vector<RootCause> FlagRootCauses(const TraceIndex& index, bool Span::*flag, size_t root) {
  std::vector<RootCause> causes;
  bool client_impacting = root != kNone && index.span(root).*flag;
  for (size_t i = 0; i < index.size(); ++i) {
    if (!(index.span(i).*flag)) continue;
    const auto& children = index.Children(i);
    bool deeper = std::any_of(children.begin(), children.end(),
                              [&](size_t child) { return index.span(child).*flag; });
    if (deeper) continue;
    RootCauseService service = CauseService(index, i, 0, /*with_exceptions=*/true);
    bool seen = std::any_of(causes.begin(), causes.end(), [&](const RootCause& cause) {
      return SamePath(cause.services.front(), service);
    });
    if (!seen) causes.push_back({{std::move(service)}, client_impacting});
  }
  return causes;
}

// The slowest chain from the root down: at each step the child with the longest duration.
std::vector<RootCause> ResponseTimeRootCauses(const TraceIndex& index, size_t root) {
  if (root == kNone || index.span(root).Duration() <= 0) return {};
  size_t current = root;
  for (size_t steps = 0; steps < index.size(); ++steps) {
    size_t slowest = kNone;
    for (size_t child : index.Children(current)) {
      if (index.span(child).Duration() <= 0) continue;
      if (slowest == kNone || index.span(child).Duration() > index.span(slowest).Duration()) {
        slowest = child;
      }
    }
    if (slowest == kNone) break;
    current = slowest;
  }
  RootCauseService service =
      CauseService(index, current, index.span(root).Duration(), /*with_exceptions=*/false);
  return {RootCause{{std::move(service)}, true}};
}

void AddAnnotationValues(const TraceIndex& index, size_t i, TraceSummary& summary) {
  const Span& span = index.span(i);
  if (span.annotations.empty()) return;
  ServiceId recorder = RecorderOf(index, i);
  for (const auto& entry : span.annotations) {
    const AnnotationValue& value = entry.second;  // clang 14 lambdas cannot capture bindings
    auto& values = summary.annotations[entry.first];
    auto it = std::find_if(values.begin(), values.end(),
                           [&](const AnnotationValueWithServices& v) { return v.value == value; });
    if (it == values.end()) {
      values.push_back({value, {}});
      it = values.end() - 1;
    }
    if (std::find(it->service_ids.begin(), it->service_ids.end(), recorder) ==
        it->service_ids.end()) {
      it->service_ids.push_back(recorder);
    }
  }
}

void BuildNodesAndEdges(const TraceIndex& index, size_t root, TraceSummary& summary) {
  // Segment nodes, with the annotations of every subsegment they recorded.
  std::vector<size_t> node_of_segment(index.size(), kNone);
  for (size_t i = 0; i < index.size(); ++i) {
    const Span& span = index.span(i);
    if (span.kind != SpanKind::kSegment) continue;
    node_of_segment[i] = summary.nodes.size();
    summary.nodes.push_back({{ServiceNameOf(span), NodeTypeFor(span)}, false, FactsOf(span)});
  }
  for (size_t i = 0; i < index.size(); ++i) {
    size_t segment = index.SegmentOf(i);
    if (segment != kNone)
      AppendAnnotations(index.span(i), summary.nodes[node_of_segment[segment]].facts);
  }

  if (root != kNone) {
    summary.edges.push_back({{std::string(kClientNodeName), std::string(kClientNodeType)},
                             summary.nodes[node_of_segment[root]].id,
                             summary.nodes[node_of_segment[root]].facts});
  }

  // Calls: an edge per call; an inferred node when no segment answered it (always for "aws").
  for (size_t i = 0; i < index.size(); ++i) {
    const Span& call = index.span(i);
    if (!IsCall(call)) continue;
    const auto& children = index.Children(i);
    bool answered = call.namespace_name == "remote" &&
                    std::any_of(children.begin(), children.end(), [&](size_t child) {
                      return index.span(child).kind == SpanKind::kSegment;
                    });
    if (answered) continue;  // the callee's segments add these edges below
    ServiceId callee = CalleeOf(call);
    FilterFacts facts = FactsOf(call);
    facts.inferred = true;
    summary.nodes.push_back({callee, true, facts});
    AppendAnnotations(call, facts);
    summary.edges.push_back({RecorderOf(index, i), std::move(callee), std::move(facts)});
  }

  // Segments called from another service: through a remote subsegment (the caller's view of
  // the call), or directly from the caller's span (the callee's view).
  for (size_t i = 0; i < index.size(); ++i) {
    const Span& segment = index.span(i);
    size_t parent = index.Parent(i);
    if (segment.kind != SpanKind::kSegment || parent == kNone) continue;
    const Span& caller_span = index.span(parent);
    ServiceId caller = RecorderOf(index, parent);
    ServiceId callee = summary.nodes[node_of_segment[i]].id;
    if (caller_span.kind == SpanKind::kSubsegment && caller_span.namespace_name == "remote") {
      FilterFacts facts = FactsOf(caller_span);
      AppendAnnotations(caller_span, facts);
      summary.edges.push_back({std::move(caller), std::move(callee), std::move(facts)});
    } else if (caller.name != callee.name) {
      summary.edges.push_back(
          {std::move(caller), std::move(callee), summary.nodes[node_of_segment[i]].facts});
    }
  }
}

}  // namespace

TraceSummary SummarizeTrace(std::span<const Span> spans) {
  TraceSummary summary;
  TraceIndex index(spans);
  double earliest_start = 0;
  double latest_end = 0;
  for (size_t i = 0; i < index.size(); ++i) {
    const Span& span = index.span(i);
    if (summary.id.empty()) summary.id = span.trace_id;
    if (span.start_time > 0 && (earliest_start == 0 || span.start_time < earliest_start)) {
      earliest_start = span.start_time;
    }
    if (!span.in_progress) latest_end = std::max(latest_end, span.end_time);
    summary.is_partial |= span.in_progress || index.MissingParent(i);
    AddAnnotationValues(index, i, summary);
    AppendAnnotations(span, summary.facts);
  }
  summary.start_time = earliest_start;
  summary.duration = latest_end > earliest_start ? latest_end - earliest_start : 0;

  size_t root = FindRoot(index);
  if (root != kNone) {
    const Span& root_span = index.span(root);
    FilterFacts root_facts = FactsOf(root_span);
    summary.facts.ok = root_facts.ok;
    summary.facts.error = root_facts.error;
    summary.facts.fault = root_facts.fault;
    summary.facts.throttle = root_facts.throttle;
    summary.facts.http = root_facts.http;
    summary.http = root_facts.http;
    // X-Ray: HasFault/HasError/HasThrottle describe the root segment, like the fault keyword;
    // downstream faults a service handled show up in the root causes and in service() filters.
    summary.has_fault = root_facts.fault;
    summary.has_error = root_facts.error;
    summary.has_throttle = root_facts.throttle;
    summary.response_time = root_span.Duration();
    summary.entry_point = ServiceId{ServiceNameOf(root_span), NodeTypeFor(root_span)};
  }
  // Subsegments whose segment never arrived leave the trace incomplete.
  if (root == kNone && index.size() > 0) summary.is_partial = true;

  BuildNodesAndEdges(index, root, summary);
  for (const TraceNode& node : summary.nodes) {
    summary.service_ids.push_back(node.id);
    summary.facts.inferred |= node.inferred;
  }
  std::sort(summary.service_ids.begin(), summary.service_ids.end());
  summary.service_ids.erase(std::unique(summary.service_ids.begin(), summary.service_ids.end()),
                            summary.service_ids.end());

  summary.facts.partial = summary.is_partial;
  summary.facts.response_time = summary.response_time;
  summary.facts.duration = summary.duration;

  summary.fault_root_causes = FlagRootCauses(index, &Span::fault, root);
  summary.error_root_causes = FlagRootCauses(index, &Span::error, root);
  summary.response_time_root_causes = ResponseTimeRootCauses(index, root);
  return summary;
}

}  // namespace ck::collector
