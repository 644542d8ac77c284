#include "cli/verbs/trace_render.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "cli/verbs/terminal_text.h"

namespace ck::cli {
namespace {

using nlohmann::json;

constexpr const char* kRed = "\x1b[31m";
constexpr const char* kYellow = "\x1b[33m";
constexpr const char* kBold = "\x1b[1m";

constexpr size_t kNone = static_cast<size_t>(-1);
constexpr size_t kMaxNameWidth = 60;
constexpr size_t kMaxUrlWidth = 50;
constexpr size_t kMaxDetailWidth = 80;
constexpr int kMaxIndentLevels = 20;
constexpr int kMaxNesting = 64;  // subsegment levels read from one document, as the collector

// --- JSON access that tolerates missing and mistyped fields ------------------------------------

const json* Field(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string String(const json& object, const char* key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::optional<double> Number(const json& object, const char* key) {
  const json* value = Field(object, key);
  if (value == nullptr || !value->is_number()) return std::nullopt;
  double number = value->get<double>();
  if (!std::isfinite(number)) return std::nullopt;
  return number;
}

uint64_t Count(const json& object, const char* key) {
  std::optional<double> value = Number(object, key);
  return value && *value > 0 ? static_cast<uint64_t>(std::llround(*value)) : 0;
}

bool Bool(const json& object, const char* key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

const json& Object(const json& object, const char* key) {
  static const json kEmpty = json::object();
  const json* value = Field(object, key);
  return value != nullptr && value->is_object() ? *value : kEmpty;
}

const json& List(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const json* value = Field(object, key);
  return value != nullptr && value->is_array() ? *value : kEmpty;
}

// --- service map --------------------------------------------------------------------------------

void ReadStats(const json& holder, ServiceMapRow& row, std::optional<double> window_seconds) {
  const json* summary = Field(holder, "SummaryStatistics");
  if (summary == nullptr || !summary->is_object()) return;
  row.has_stats = true;
  row.ok = Count(*summary, "OkCount");
  row.errors = Count(Object(*summary, "ErrorStatistics"), "OtherCount");
  row.throttles = Count(Object(*summary, "ErrorStatistics"), "ThrottleCount");
  row.faults = Count(Object(*summary, "FaultStatistics"), "TotalCount");
  row.total = Field(*summary, "TotalCount") != nullptr
                  ? Count(*summary, "TotalCount")
                  : row.ok + row.errors + row.throttles + row.faults;
  if (window_seconds && *window_seconds > 0) {
    row.requests_per_minute = static_cast<double>(row.total) / (*window_seconds / 60.0);
  }
  const json* histogram = Field(holder, "ResponseTimeHistogram");
  if (histogram != nullptr) {
    row.p50 = HistogramQuantile(*histogram, 0.5);
    row.p99 = HistogramQuantile(*histogram, 0.99);
  }
}

std::optional<double> WindowOf(const json& object) {
  std::optional<double> start = Number(object, "StartTime");
  std::optional<double> end = Number(object, "EndTime");
  if (!start || !end || *end <= *start) return std::nullopt;
  return *end - *start;
}

struct GraphNode {
  const json* service;
  std::string name;
  std::string type;
  bool client;
  bool root;
};

std::vector<Cell> MapCells(const ServiceMapRow& row) {
  auto optional_seconds = [](const std::optional<double>& value) {
    return value ? FormatSeconds(*value) : std::string("-");
  };
  if (!row.has_stats)
    return {{""}, {row.name}, {row.type}, {"-"}, {"-"}, {"-"}, {"-"}, {"-"}, {"-"}, {"-"}};
  return {{row.faults > 0 ? "!" : "", kRed},
          {row.name},
          {row.type},
          {row.requests_per_minute ? fmt::format("{:.1f}", *row.requests_per_minute) : "-"},
          {Percent(row.ok, row.total)},
          {Percent(row.errors, row.total), row.errors > 0 ? kYellow : nullptr},
          {Percent(row.throttles, row.total), row.throttles > 0 ? kYellow : nullptr},
          {Percent(row.faults, row.total), row.faults > 0 ? kRed : nullptr},
          {optional_seconds(row.p50)},
          {optional_seconds(row.p99)}};
}

// --- waterfall ----------------------------------------------------------------------------------

struct Entity {
  const json* document;
  size_t parent = kNone;
  bool top_level = false;
  std::vector<size_t> children;
};

WaterfallRow RowFor(const Entity& entity) {
  const json& document = *entity.document;
  WaterfallRow row;
  row.id = String(document, "id");
  row.name = String(document, "name");
  row.is_segment = entity.top_level && String(document, "type") != "subsegment";
  row.namespace_name = String(document, "namespace");
  row.start_time = Number(document, "start_time").value_or(0);
  row.in_progress = Bool(document, "in_progress");
  row.end_time = row.in_progress
                     ? row.start_time
                     : std::max(row.start_time, Number(document, "end_time").value_or(0));
  row.fault = Bool(document, "fault");
  row.error = Bool(document, "error");
  row.throttle = Bool(document, "throttle");
  const json& http = Object(document, "http");
  if (std::optional<double> status = Number(Object(http, "response"), "status")) {
    row.http_status = static_cast<int>(*status);
  }
  const json& aws = Object(document, "aws");
  const std::string operation = String(aws, "operation");
  const std::string table = String(aws, "table_name");
  if (!operation.empty() || !table.empty()) {
    row.detail = operation;
    if (!table.empty()) row.detail += (row.detail.empty() ? "" : " ") + ("table=" + table);
  } else {
    const json& request = Object(http, "request");
    const std::string method = String(request, "method");
    const std::string url = String(request, "url");
    row.detail = method.empty() ? url : url.empty() ? method : method + " " + url;
  }
  for (const json& exception : List(Object(document, "cause"), "exceptions")) {
    std::string type = String(exception, "type");
    std::string message = String(exception, "message");
    std::string text = type.empty() ? message : message.empty() ? type : type + ": " + message;
    if (text.empty()) continue;
    if (Bool(exception, "remote")) text += " (remote)";
    row.causes.push_back(std::move(text));
  }
  return row;
}

std::string Bar(const WaterfallRow& row, double trace_start, double trace_duration) {
  const int width = kWaterfallBarWidth;
  int from = 0;
  int to = width;
  if (trace_duration > 0) {
    const double begin = (row.start_time - trace_start) / trace_duration * width;
    const double end = (row.end_time - trace_start) / trace_duration * width;
    // Epoch seconds carry ~0.2 us of rounding error: a hundredth of a cell of slack keeps a span
    // that starts exactly half-way from being drawn a cell early.
    from = std::clamp(static_cast<int>(std::floor(begin + 0.01)), 0, width - 1);
    to = std::clamp(static_cast<int>(std::ceil(end - 0.01)), from + 1, width);
  }
  std::string bar(width, '.');
  std::fill(bar.begin() + from, bar.begin() + to, '=');
  if (row.in_progress) bar[to - 1] = '>';
  return "|" + bar + "|";
}

}  // namespace

// --- histograms --------------------------------------------------------------------------------

std::optional<double> HistogramQuantile(const json& histogram, double q) {
  if (!histogram.is_array()) return std::nullopt;
  std::vector<std::pair<double, uint64_t>> buckets;
  uint64_t total = 0;
  for (const json& bucket : histogram) {
    std::optional<double> value = Number(bucket, "Value");
    const uint64_t count = Count(bucket, "Count");
    if (!value || count == 0) continue;
    buckets.emplace_back(*value, count);
    total += count;
  }
  if (total == 0) return std::nullopt;
  std::sort(buckets.begin(), buckets.end());
  q = std::clamp(std::isfinite(q) ? q : 0.0, 0.0, 1.0);
  const double rank = std::max(1.0, std::ceil(q * static_cast<double>(total)));
  uint64_t seen = 0;
  for (const auto& [value, count] : buckets) {
    seen += count;
    if (static_cast<double>(seen) >= rank) return value;
  }
  return buckets.back().first;
}

// --- service map -------------------------------------------------------------------------------

Result<std::vector<ServiceMapRow>> ServiceMapRows(const json& graph) {
  const json* services = Field(graph, "Services");
  if (services == nullptr || !services->is_array()) {
    return InvalidArgument("the service graph has no Services list");
  }
  std::vector<GraphNode> nodes;
  std::map<int64_t, size_t> by_reference;
  for (const json& service : *services) {
    if (!service.is_object()) continue;
    GraphNode node{&service, String(service, "Name"), String(service, "Type"), false,
                   Bool(service, "Root")};
    node.client = node.type == "client";
    if (node.client) node.name = "client";
    if (node.name.empty()) node.name = "(unnamed)";
    if (std::optional<double> reference = Number(service, "ReferenceId")) {
      by_reference.emplace(static_cast<int64_t>(*reference), nodes.size());
    }
    nodes.push_back(std::move(node));
  }
  auto by_name = [&](size_t a, size_t b) {
    return std::tie(nodes[a].name, nodes[a].type, a) < std::tie(nodes[b].name, nodes[b].type, b);
  };
  // Each edge as (source, target, edge JSON), targets resolved through ReferenceId.
  std::vector<std::vector<std::pair<size_t, const json*>>> edges(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    for (const json& edge : List(*nodes[i].service, "Edges")) {
      std::optional<double> reference = Number(edge, "ReferenceId");
      if (!reference) continue;
      auto target = by_reference.find(static_cast<int64_t>(*reference));
      if (target != by_reference.end()) edges[i].emplace_back(target->second, &edge);
    }
    std::sort(edges[i].begin(), edges[i].end(),
              [&](const auto& a, const auto& b) { return by_name(a.first, b.first); });
  }

  std::vector<size_t> order;
  std::vector<bool> visited(nodes.size(), false);
  auto walk = [&](size_t seed) {
    if (visited[seed]) return;
    visited[seed] = true;
    size_t next = order.size();
    order.push_back(seed);
    while (next < order.size()) {
      for (const auto& [target, edge] : edges[order[next++]]) {
        if (visited[target]) continue;
        visited[target] = true;
        order.push_back(target);
      }
    }
  };
  std::vector<size_t> seeds(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) seeds[i] = i;
  std::sort(seeds.begin(), seeds.end(), [&](size_t a, size_t b) {
    const int rank_a = nodes[a].client ? 0 : nodes[a].root ? 1 : 2;
    const int rank_b = nodes[b].client ? 0 : nodes[b].root ? 1 : 2;
    return rank_a != rank_b ? rank_a < rank_b : by_name(a, b);
  });
  for (size_t seed : seeds) walk(seed);

  const std::optional<double> window = WindowOf(graph);
  std::vector<ServiceMapRow> rows;
  std::vector<size_t> position(nodes.size());
  for (size_t i : order) {
    position[i] = rows.size();
    ServiceMapRow row;
    row.name = nodes[i].name;
    row.type = nodes[i].type;
    row.is_client = nodes[i].client;
    ReadStats(*nodes[i].service, row, window);
    rows.push_back(std::move(row));
  }
  std::vector<std::tuple<size_t, size_t, const json*>> flow;
  for (size_t source = 0; source < nodes.size(); ++source) {
    for (const auto& [target, edge] : edges[source]) flow.emplace_back(source, target, edge);
  }
  std::stable_sort(flow.begin(), flow.end(), [&](const auto& a, const auto& b) {
    return std::pair(position[std::get<0>(a)], position[std::get<1>(a)]) <
           std::pair(position[std::get<0>(b)], position[std::get<1>(b)]);
  });
  for (const auto& [source, target, edge] : flow) {
    ServiceMapRow row;
    row.name = nodes[source].name + " -> " + nodes[target].name;
    row.type = nodes[target].type;
    row.is_edge = true;
    std::optional<double> edge_window = WindowOf(*edge);
    ReadStats(*edge, row, edge_window ? edge_window : window);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<std::string> RenderServiceMap(const json& graph, const RenderOptions& options) {
  CK_ASSIGN_OR_RETURN(std::vector<ServiceMapRow> rows, ServiceMapRows(graph));
  const std::optional<double> window = WindowOf(graph);
  std::string when = "in the window";
  if (window) {
    when = fmt::format("{} - {} ({})", FormatClock(*Number(graph, "StartTime"), options.utc, false),
                       FormatClock(*Number(graph, "EndTime"), options.utc, false),
                       FormatWindow(*window));
  }
  const size_t node_count = static_cast<size_t>(std::count_if(
      rows.begin(), rows.end(), [](const ServiceMapRow& row) { return !row.is_edge; }));
  if (node_count == 0) {
    return fmt::format(
        "No services in the service map {}: no traced requests arrived at the collector.\n", when);
  }
  std::string out = fmt::format("Service map {}: {} nodes, {} edges\n\n", when, node_count,
                                rows.size() - node_count);
  TextTable table({Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
                   Align::kRight, Align::kRight, Align::kRight, Align::kRight, Align::kRight});
  auto header = [&](const char* first) {
    table.AddRow({{" "},
                  {first, kBold},
                  {"TYPE", kBold},
                  {"REQ/MIN", kBold},
                  {"OK%", kBold},
                  {"4XX%", kBold},
                  {"THROTTLE%", kBold},
                  {"5XX%", kBold},
                  {"P50", kBold},
                  {"P99", kBold}});
  };
  header("NODE");
  bool any_fault = false;
  for (size_t i = 0; i < rows.size(); ++i) {
    ServiceMapRow row = rows[i];
    row.name = Truncate(TerminalSafe(row.name), kMaxNameWidth);
    if (row.is_edge && (i == 0 || !rows[i - 1].is_edge)) {
      table.AddLine("");
      header("EDGE");
    }
    any_fault |= row.faults > 0;
    table.AddRow(MapCells(row));
  }
  out += table.Render(options.color);
  if (any_fault) out += "\n! = faults (5xx) in the window\n";
  return out;
}

// --- trace summaries ---------------------------------------------------------------------------

std::string RootCauseText(const json& summary) {
  for (const char* key : {"FaultRootCauses", "ErrorRootCauses"}) {
    const json& causes = List(summary, key);
    if (causes.empty()) continue;
    for (const json& service : List(causes.front(), "Services")) {
      const std::string service_name = String(service, "Name");
      std::string text = service_name;
      std::string exception;
      for (const json& entity : List(service, "EntityPath")) {
        const std::string name = String(entity, "Name");
        if (!name.empty() && !(text == service_name && name == service_name)) {
          text += (text.empty() ? "" : " > ") + name;
        }
        const json& exceptions = List(entity, "Exceptions");
        if (!exceptions.empty()) {
          const std::string type = String(exceptions.front(), "Name");
          const std::string message = String(exceptions.front(), "Message");
          exception = type.empty() ? message : message.empty() ? type : type + ": " + message;
        }
      }
      if (text.empty()) continue;
      if (!exception.empty()) text += ": " + exception;
      if (causes.size() > 1) text += fmt::format(" (+{} more)", causes.size() - 1);
      return text;
    }
  }
  return "";
}

Result<std::string> RenderTraceSummaries(const json& summaries, const RenderOptions& options) {
  if (!summaries.is_array()) return InvalidArgument("TraceSummaries must be a list");
  if (summaries.empty()) return std::string();
  std::vector<const json*> sorted;
  for (const json& summary : summaries) sorted.push_back(&summary);
  std::stable_sort(sorted.begin(), sorted.end(), [](const json* a, const json* b) {
    return Number(*a, "StartTime").value_or(0) > Number(*b, "StartTime").value_or(0);
  });
  TextTable table({Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
                   Align::kLeft, Align::kLeft, Align::kLeft});
  table.AddRow({{"TIME", kBold},
                {"TRACE ID", kBold},
                {"METHOD", kBold},
                {"STATUS", kBold},
                {"RESPONSE", kBold},
                {"URL", kBold},
                {"FLAGS", kBold},
                {"ROOT CAUSE", kBold}});
  for (const json* summary : sorted) {
    const json& http = Object(*summary, "Http");
    std::optional<double> status = Number(http, "HttpStatus");
    std::optional<double> response = Number(*summary, "ResponseTime");
    std::string flags;
    if (Bool(*summary, "HasFault")) flags += 'F';
    if (Bool(*summary, "HasError")) flags += 'E';
    if (Bool(*summary, "HasThrottle")) flags += 'T';
    if (Bool(*summary, "IsPartial")) flags += 'P';
    const std::string url = String(http, "HttpURL");
    const std::string method = String(http, "HttpMethod");
    const char* status_color = !status          ? nullptr
                               : *status >= 500 ? kRed
                               : *status >= 400 ? kYellow
                                                : nullptr;
    const std::optional<double> start = Number(*summary, "StartTime");
    const char* flags_color = flags.find('F') != std::string::npos             ? kRed
                              : flags.find_first_of("ET") != std::string::npos ? kYellow
                                                                               : nullptr;
    table.AddRow({{start ? FormatClock(*start, options.utc, true) : "-"},
                  {String(*summary, "Id")},
                  {method.empty() ? "-" : method},
                  {status ? fmt::format("{}", static_cast<int>(*status)) : "-", status_color},
                  {response ? FormatSeconds(*response) : "-"},
                  {url.empty() ? "-" : Truncate(TerminalSafe(url), kMaxUrlWidth)},
                  {flags.empty() ? "-" : flags, flags_color},
                  {RootCauseText(*summary), flags_color}});
  }
  return table.Render(options.color);
}

// --- one trace ---------------------------------------------------------------------------------

Result<std::vector<WaterfallRow>> WaterfallRows(const json& trace, size_t* unreadable) {
  const json* segments = Field(trace, "Segments");
  if (segments == nullptr || !segments->is_array()) {
    return InvalidArgument("the trace has no Segments list");
  }
  size_t skipped = 0;
  std::vector<json> documents;
  for (const json& segment : *segments) {
    const json* document = Field(segment, "Document");
    json parsed = document != nullptr && document->is_string()
                      ? json::parse(document->get<std::string>(), nullptr, false)
                      : json(nullptr);
    if (!parsed.is_object()) {
      ++skipped;
      continue;
    }
    documents.push_back(std::move(parsed));
  }
  if (unreadable != nullptr) *unreadable = skipped;

  // Flatten every document's nesting; `documents` is not resized below, so pointers stay valid.
  std::vector<Entity> entities;
  std::vector<std::pair<const json*, std::pair<size_t, int>>> pending;  // (doc, (parent, depth))
  for (const json& document : documents) {
    pending.push_back({&document, {kNone, 0}});
    while (!pending.empty()) {
      auto [node, where] = pending.back();
      pending.pop_back();
      const size_t index = entities.size();
      entities.push_back({node, where.first, where.first == kNone, {}});
      if (where.second >= kMaxNesting) continue;
      const json& children = List(*node, "subsegments");
      for (auto child = children.rbegin(); child != children.rend(); ++child) {
        if (child->is_object()) pending.push_back({&*child, {index, where.second + 1}});
      }
    }
  }
  std::unordered_map<std::string, size_t> by_id;
  for (size_t i = 0; i < entities.size(); ++i) {
    by_id.emplace(String(*entities[i].document, "id"), i);
  }
  // A top-level document hangs under the entity named by its parent_id unless that would close a
  // cycle; otherwise it is a root. Latest first, so the earliest span of a cycle is its root.
  std::vector<size_t> top_level;
  for (size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].top_level) top_level.push_back(i);
  }
  auto start_of = [&](size_t i) { return Number(*entities[i].document, "start_time").value_or(0); };
  std::stable_sort(top_level.begin(), top_level.end(),
                   [&](size_t a, size_t b) { return start_of(a) > start_of(b); });
  for (size_t i : top_level) {
    const std::string parent_id = String(*entities[i].document, "parent_id");
    auto parent = parent_id.empty() ? by_id.end() : by_id.find(parent_id);
    if (parent == by_id.end()) continue;
    size_t ancestor = parent->second;
    for (size_t steps = 0; ancestor != kNone && ancestor != i && steps <= entities.size();
         ++steps) {
      ancestor = entities[ancestor].parent;
    }
    if (ancestor == kNone) entities[i].parent = parent->second;
  }
  std::vector<size_t> roots;
  for (size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].parent == kNone) {
      roots.push_back(i);
    } else {
      entities[entities[i].parent].children.push_back(i);
    }
  }
  std::vector<WaterfallRow> flat;
  for (const Entity& entity : entities) flat.push_back(RowFor(entity));
  auto by_start = [&](size_t a, size_t b) {
    return std::pair(flat[a].start_time, a) < std::pair(flat[b].start_time, b);
  };
  std::sort(roots.begin(), roots.end(), by_start);
  for (Entity& entity : entities) {
    std::sort(entity.children.begin(), entity.children.end(), by_start);
  }

  double trace_end = 0;
  for (const WaterfallRow& row : flat) trace_end = std::max(trace_end, row.end_time);
  std::vector<WaterfallRow> rows;
  std::vector<std::pair<size_t, int>> stack;
  for (auto root = roots.rbegin(); root != roots.rend(); ++root) stack.push_back({*root, 0});
  while (!stack.empty()) {
    auto [index, depth] = stack.back();
    stack.pop_back();
    WaterfallRow row = flat[index];
    row.depth = depth;
    if (row.in_progress) row.end_time = std::max(row.start_time, trace_end);
    rows.push_back(std::move(row));
    const auto& children = entities[index].children;
    for (auto child = children.rbegin(); child != children.rend(); ++child) {
      stack.push_back({*child, depth + 1});
    }
  }
  return rows;
}

Result<std::string> RenderTraceWaterfall(const json& trace, const RenderOptions& options) {
  size_t unreadable = 0;
  CK_ASSIGN_OR_RETURN(std::vector<WaterfallRow> rows, WaterfallRows(trace, &unreadable));
  const std::string id = TerminalSafe(String(trace, "Id"));
  if (rows.empty()) {
    return fmt::format("Trace {}: no readable segment documents ({} unreadable)\n", id, unreadable);
  }
  double start = rows.front().start_time;
  double end = rows.front().end_time;
  size_t segments = 0;
  bool fault = false;
  bool error = false;
  for (const WaterfallRow& row : rows) {
    start = std::min(start, row.start_time);
    end = std::max(end, row.end_time);
    segments += row.is_segment ? 1 : 0;
    fault |= row.fault;
    error |= row.error || row.throttle;
  }
  const double duration = end - start;
  std::string out = fmt::format("Trace {}\nstarted {}, duration {}, {} segments, {} subsegments",
                                id, FormatClock(start, options.utc, true), FormatSeconds(duration),
                                segments, rows.size() - segments);
  if (fault) out += ", fault";
  if (error) out += ", error";
  if (unreadable > 0) out += fmt::format(" ({} unreadable documents skipped)", unreadable);
  out += "\n\n";

  const std::string total = FormatSeconds(duration);
  const size_t bar_cells = kWaterfallBarWidth + 2;
  std::string timeline =
      "0" + std::string(bar_cells - 1 - std::min(bar_cells - 1, total.size()), ' ') + total;
  TextTable table({Align::kLeft, Align::kLeft, Align::kLeft, Align::kRight, Align::kRight,
                   Align::kLeft, Align::kLeft});
  table.AddRow({{" "},
                {"NAME", kBold},
                {"NS", kBold},
                {"STATUS", kBold},
                {"DURATION", kBold},
                {timeline, kBold},
                {"DETAIL", kBold}});
  for (const WaterfallRow& row : rows) {
    const std::string indent(2 * static_cast<size_t>(std::min(row.depth, kMaxIndentLevels)), ' ');
    const char* color = row.fault ? kRed : (row.error || row.throttle) ? kYellow : nullptr;
    const char* marker = row.fault ? "F" : row.throttle ? "T" : row.error ? "E" : "";
    const std::string name = row.name.empty() ? "(unnamed)" : row.name;
    table.AddRow(
        {{marker, color},
         {indent + Truncate(TerminalSafe(name), kMaxNameWidth), row.is_segment ? kBold : nullptr},
         {row.namespace_name.empty() ? "-" : row.namespace_name},
         {row.http_status != 0 ? fmt::format("{}", row.http_status) : "-", color},
         {row.in_progress ? "open" : FormatSeconds(row.end_time - row.start_time)},
         {Bar(row, start, duration), color},
         {Truncate(TerminalSafe(row.detail), kMaxDetailWidth)}});
    for (const std::string& cause : row.causes) {
      // Under the name column: the marker column is one character wide.
      table.AddLine("   " + indent + "  cause: " + cause, color != nullptr ? color : kYellow);
    }
  }
  out += table.Render(options.color);
  return out;
}

}  // namespace ck::cli
