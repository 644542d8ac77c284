// Trace rendering: turns the collector's X-Ray API answers into terminal text for `ck map`,
// `ck traces` and `ck trace`. Pure functions over the API's JSON, so they are tested without a
// server.
//
//   GetServiceGraph   -> RenderServiceMap: one row per node, then one row per edge ("a -> b"),
//                        in request-flow order (the client first, then breadth-first from the
//                        roots), with requests/min over the graph's window, OK / 4xx / throttle /
//                        5xx shares and p50/p99 from the response-time histogram.
//   GetTraceSummaries -> RenderTraceSummaries: one row per trace with its flags and root cause.
//   BatchGetTraces    -> RenderTraceWaterfall: one trace as an indented tree of segments and
//                        subsegments with a fixed-width timeline bar and the causes of faults.
//
//   CK_ASSIGN_OR_RETURN(nlohmann::json graph, CallXRay("/ServiceGraph", ...));
//   CK_ASSIGN_OR_RETURN(std::string text, RenderServiceMap(graph, RenderOptions{.color = tty}));
//   std::fputs(text.c_str(), stdout);
//
// Output is ASCII apart from the names and messages found in the data, which are made safe for a
// terminal (control characters and invalid UTF-8 become '?') and padded by code points, so columns
// line up (see terminal_text.h). Colour (ANSI) only when RenderOptions::color is set; the "!" and
// F/E/T markers carry the same information without it.
//
// Thread-safety: pure functions. Failure modes: InvalidArgument when the top-level shape is not
// the API's (e.g. no "Services" list); missing or mistyped fields inside are shown as "-".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/verbs/terminal_text.h"
#include "core/status.h"

namespace ck::cli {

struct RenderOptions {
  bool color = false;  // ANSI colours for faults, errors and throttles
  bool utc = false;    // clock times in UTC instead of the local time zone
};

// Width in characters of the timeline bar in a waterfall.
inline constexpr int kWaterfallBarWidth = 40;

// --- histograms --------------------------------------------------------------------------------

// The value at quantile q (0..1) of an X-Ray histogram ([{"Value": seconds, "Count": n}]), by
// nearest rank over the buckets sorted by value. nullopt when the histogram is empty or not a list.
std::optional<double> HistogramQuantile(const nlohmann::json& histogram, double q);

// --- service map -------------------------------------------------------------------------------

struct ServiceMapRow {
  std::string name;  // node name ("client" for the client), or "a -> b" for an edge
  std::string type;  // node type; for an edge, the target's type
  bool is_edge = false;
  bool is_client = false;
  bool has_stats = false;  // the client node has none
  uint64_t total = 0;
  uint64_t ok = 0;
  uint64_t errors = 0;  // 4xx other than throttles
  uint64_t throttles = 0;
  uint64_t faults = 0;                        // 5xx
  std::optional<double> requests_per_minute;  // nullopt when the window is unknown
  std::optional<double> p50;
  std::optional<double> p99;
};

// The nodes, then the edges, of a GetServiceGraph answer in request-flow order: client nodes
// first, then breadth-first from them and from the root services (callees in name order), then
// any node not reachable from a root; edges by their source's, then their target's position.
Result<std::vector<ServiceMapRow>> ServiceMapRows(const nlohmann::json& graph);
// The service map table, or a one-line note when the graph has no services.
Result<std::string> RenderServiceMap(const nlohmann::json& graph, const RenderOptions& options);

// --- trace summaries ---------------------------------------------------------------------------

// "register-api > DynamoDB: TLSHandshakeError: certificate verify failed": the first fault root
// cause of a TraceSummary (else the first error root cause), "" when it has none.
std::string RootCauseText(const nlohmann::json& summary);
// One row per TraceSummary (newest first): time, trace id, method, status, response time, URL,
// flags (F fault, E error, T throttle, P partial) and root cause. "" for an empty list.
Result<std::string> RenderTraceSummaries(const nlohmann::json& summaries,
                                         const RenderOptions& options);

// --- one trace ---------------------------------------------------------------------------------

struct WaterfallRow {
  int depth = 0;
  bool is_segment = false;
  std::string id;
  std::string name;
  std::string namespace_name;  // "remote", "aws" or ""
  int http_status = 0;         // 0 = none
  double start_time = 0;
  double end_time = 0;  // the trace's end while in progress
  bool in_progress = false;
  bool fault = false;
  bool error = false;
  bool throttle = false;
  std::string detail;               // "PutItem table=users" or "POST http://..."
  std::vector<std::string> causes;  // "Type: message" of each exception recorded on the span
};

// The rows of one BatchGetTraces "Traces" element in display order: a depth-first walk where
// every segment hangs under the (sub)segment whose id is its parent_id, nested subsegments under
// their parents, and siblings are ordered by start time. Segments whose parent is not in the trace
// are roots. Documents that are not valid JSON are skipped and counted in `unreadable`.
Result<std::vector<WaterfallRow>> WaterfallRows(const nlohmann::json& trace,
                                                size_t* unreadable = nullptr);
// The waterfall of one BatchGetTraces "Traces" element: a header line, then one row per span
// with its timeline bar, and "cause: ..." lines under faulted and errored spans.
Result<std::string> RenderTraceWaterfall(const nlohmann::json& trace, const RenderOptions& options);

}  // namespace ck::cli
