// `ck map`, `ck traces`, `ck trace`: read the collector's X-Ray API (GetServiceGraph,
// GetTraceSummaries, BatchGetTraces) and print what trace_render.h makes of it
// (docs/tracing.md, "Looking at traces from the terminal").
//
// Each verb sends blocking requests to --xray (default $CK_XRAY_URL, else
// http://127.0.0.1:2000). API errors ({"Message": ...}) and connection failures are printed to
// stderr with exit code 1.
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/verbs/collector_client.h"
#include "cli/verbs/log_render.h"
#include "cli/verbs/trace_render.h"
#include "cli/verbs/verbs.h"
#include "http/client.h"
#include "telemetry/trace_context.h"

namespace ck::cli {
namespace {

using nlohmann::json;

// GetTraceSummaries pages followed at most, whatever --limit says (each page scans up to 5,000
// traces on the collector).
constexpr int kMaxSummaryPages = 200;
// Log events listed under a trace's waterfall at most.
constexpr int kMaxTraceLogEvents = 200;

struct XRayFlags {
  std::string xray = kDefaultCollectorUrl;
  std::string since = "5m";
  bool json_output = false;
  bool no_color = false;
};

void AddCommonOptions(CLI::App* command, XRayFlags& flags, bool with_since) {
  command
      ->add_option("--xray", flags.xray,
                   "the collector's X-Ray API; `ck up` prints it (port: the stack file's\n"
                   "telemetry.xray_port)")
      ->envname("CK_XRAY_URL")
      ->capture_default_str();
  if (with_since) {
    command
        ->add_option("--since", flags.since,
                     "how far back to look: 30s, 5m, 2h, 1h30m (at most 24h)")
        ->capture_default_str();
  }
  command->add_flag("--json", flags.json_output, "print JSON instead of text");
  command->add_flag("--no-color", flags.no_color,
                    "no colours (they are used only when stdout is a terminal and\n"
                    "NO_COLOR is unset)");
}

RenderOptions OptionsFor(const XRayFlags& flags) {
  RenderOptions options;
  options.color = UseColor(flags.no_color);
  return options;
}

Result<json> CallXRay(const XRayFlags& flags, const std::string& path, const json& body) {
  return CallCollector(flags.xray, path, body);
}

json Window(double since_seconds) {
  const double now = NowSeconds();
  return {{"StartTime", now - since_seconds}, {"EndTime", now}};
}

Status Map(const XRayFlags& flags, const std::string& group) {
  CK_ASSIGN_OR_RETURN(double since, ParseLookback(flags.since));
  json body = Window(since);
  if (!group.empty()) body["GroupName"] = group;
  CK_ASSIGN_OR_RETURN(json graph, CallXRay(flags, "/ServiceGraph", body));
  if (flags.json_output) {
    Print(graph.dump(2) + "\n");
    return Status::Ok();
  }
  CK_ASSIGN_OR_RETURN(std::string text, RenderServiceMap(graph, OptionsFor(flags)));
  Print(text);
  return Status::Ok();
}

// A filter syntax error names a 1-based position ("... at position 14"): point at it.
std::string FilterErrorText(const std::string& message, const std::string& filter) {
  const std::string marker = " at position ";
  const size_t at = message.rfind(marker);
  if (at == std::string::npos || filter.empty()) return message;
  size_t position = 0;
  for (size_t i = at + marker.size();
       i < message.size() && std::isdigit(static_cast<unsigned char>(message[i])); ++i) {
    position = position * 10 + static_cast<size_t>(message[i] - '0');
    if (position > filter.size() + 1) return message;
  }
  if (position == 0) return message;
  const std::string safe = TerminalSafe(filter);
  if (safe.size() != filter.size()) return message;  // multi-byte text: columns would not match
  return message + "\n  " + safe + "\n  " + std::string(position - 1, ' ') + "^";
}

Status Traces(const XRayFlags& flags, const std::vector<std::string>& filter_words, int limit) {
  CK_ASSIGN_OR_RETURN(double since, ParseLookback(flags.since));
  std::string filter;
  for (const std::string& word : filter_words) filter += (filter.empty() ? "" : " ") + word;
  json body = Window(since);
  if (!filter.empty()) body["FilterExpression"] = filter;
  json summaries = json::array();
  bool more = false;
  std::string previous_token;
  for (int page = 0; page < kMaxSummaryPages; ++page) {
    auto answer = CallXRay(flags, "/TraceSummaries", body);
    if (!answer.ok()) {
      if (answer.status().code() == StatusCode::kInvalidArgument) {
        return InvalidArgument(FilterErrorText(answer.status().message(), filter));
      }
      return answer.status();
    }
    const json& page_summaries = (*answer)["TraceSummaries"];
    if (page_summaries.is_array()) {
      for (const json& summary : page_summaries) {
        if (static_cast<int>(summaries.size()) >= limit) {
          more = true;
          break;
        }
        summaries.push_back(summary);
      }
    }
    auto token = answer->find("NextToken");
    const bool has_token = token != answer->end() && token->is_string();
    if (!has_token) break;
    if (static_cast<int>(summaries.size()) >= limit ||
        token->get<std::string>() == previous_token) {
      more = true;
      break;
    }
    previous_token = token->get<std::string>();
    body["NextToken"] = previous_token;
  }
  if (flags.json_output) {
    Print(json{{"TraceSummaries", summaries}}.dump(2) + "\n");
    return Status::Ok();
  }
  const std::string where =
      "in the last " + FormatWindow(since) + (filter.empty() ? "" : " matching " + filter);
  if (summaries.empty()) {
    Print(TerminalSafe("No traces " + where) + "\n");
    return Status::Ok();
  }
  CK_ASSIGN_OR_RETURN(std::string text, RenderTraceSummaries(summaries, OptionsFor(flags)));
  Print(text);
  Print("\n" +
        TerminalSafe(fmt::format("{} {} {}, newest first{}", summaries.size(),
                                 summaries.size() == 1 ? "trace" : "traces", where,
                                 more ? "; there may be more (raise --limit)" : "")) +
        "\n");
  return Status::Ok();
}

Status Trace(const XRayFlags& flags, const std::string& given_id) {
  std::string id = given_id;
  if (!IsValidXRayTraceId(id)) {
    // Log lines and traceparent headers may carry the W3C form of the same id.
    std::optional<std::string> converted = telemetry::W3cToXRayTraceId(id);
    if (!converted) {
      return InvalidArgument("'" + TerminalSafe(id) +
                             "' is not a trace id (expected 1-5759e988-bd862e3fe1be46a994272793 "
                             "or its 32-hex W3C form)");
    }
    id = *converted;
  }
  CK_ASSIGN_OR_RETURN(json answer,
                      CallXRay(flags, "/Traces", json{{"TraceIds", json::array({id})}}));
  const json& traces = answer["Traces"];
  if (!traces.is_array() || traces.empty()) {
    const json& unprocessed = answer["UnprocessedTraceIds"];
    if (unprocessed.is_array() && !unprocessed.empty()) {
      return Unavailable("the collector could not read trace " + id + "; try again");
    }
    return NotFound("no trace " + id +
                    " in the collector: it may have expired, or its segments have not arrived "
                    "yet");
  }
  // The trace's log events (every line written while handling it carries its trace_id). A
  // collector without logs answers with an error: the trace is still worth printing.
  auto logs = CallCollector(
      flags.xray, "/",
      {{"filterPattern", "{ $.trace_id = \"" + id + "\" }"}, {"limit", kMaxTraceLogEvents}},
      "Logs_20140328.FilterLogEvents");
  json log_events = logs.ok() ? logs->value("events", json::array()) : json::array();
  if (flags.json_output) {
    // Segment documents are JSON strings in the API; print them as JSON objects.
    json trace = traces.front();
    trace["LogEvents"] = log_events;
    if (trace.contains("Segments") && trace["Segments"].is_array()) {
      for (json& segment : trace["Segments"]) {
        if (!segment.is_object() || !segment.contains("Document")) continue;
        const json& document = segment["Document"];
        if (!document.is_string()) continue;
        json parsed = json::parse(document.get<std::string>(), nullptr, false);
        if (!parsed.is_discarded()) segment["Document"] = std::move(parsed);
      }
    }
    Print(trace.dump(2) + "\n");
    return Status::Ok();
  }
  CK_ASSIGN_OR_RETURN(std::string text, RenderTraceWaterfall(traces.front(), OptionsFor(flags)));
  Print(text);
  if (logs.ok()) Print(RenderTraceLogEvents(log_events, OptionsFor(flags)));
  return Status::Ok();
}

}  // namespace

void RegisterTraceCommands(CLI::App& app) {
  auto map_flags = std::make_shared<XRayFlags>();
  auto group = std::make_shared<std::string>();
  CLI::App* map = app.add_subcommand(
      "map",
      "Print the service map from the collector's X-Ray API (GetServiceGraph) over the last\n"
      "--since: one row per node, then one row per edge \"caller -> callee\", in request-flow\n"
      "order (client first). Columns: requests per minute, the shares of OK, 4xx, throttled\n"
      "(429) and 5xx responses, and p50/p99 response times from the response-time histogram.\n"
      "Rows with faults are marked \"!\" (and red on a terminal).");
  AddCommonOptions(map, *map_flags, /*with_since=*/true);
  map->add_option("--group", *group, "an X-Ray group: the map of the traces matching its filter");
  map->footer(
      "Examples:\n"
      "  ck map\n"
      "  ck map --since 1h\n"
      "  ck map --group slow --xray http://127.0.0.1:2100");
  map->callback([map_flags, group] { Finish(Map(*map_flags, *group), "map"); });

  auto traces_flags = std::make_shared<XRayFlags>();
  auto filter = std::make_shared<std::vector<std::string>>();
  auto limit = std::make_shared<int>(20);
  CLI::App* traces = app.add_subcommand(
      "traces",
      "List recent traces (GetTraceSummaries), newest first: start time, trace id, method,\n"
      "status, response time, URL, flags (F fault/5xx, E error/4xx, T throttled, P partial) and\n"
      "the root cause (service > operation: exception). An optional X-Ray filter expression\n"
      "selects traces; quote it for the shell. An invalid filter is reported with its position\n"
      "and exit code 1.");
  AddCommonOptions(traces, *traces_flags, /*with_since=*/true);
  traces->add_option(
      "filter", *filter,
      "X-Ray filter expression (the words are joined), e.g. fault,\n"
      "'responsetime > 1', 'http.status = 503', 'annotation.user = \"ann\"',\n"
      "'service(\"register-api\") { fault }', 'edge(\"register-api\", \"DynamoDB\")'");
  traces->add_option("--limit", *limit, "show at most this many traces")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  traces->footer(
      "Examples:\n"
      "  ck traces\n"
      "  ck traces fault --since 1h\n"
      "  ck traces 'service(\"register-api\") { fault } AND responsetime > 0.5' --limit 5\n"
      "  ck traces 'http.url CONTAINS \"/register\"' --json");
  traces->callback(
      [traces_flags, filter, limit] { Finish(Traces(*traces_flags, *filter, *limit), "traces"); });

  auto trace_flags = std::make_shared<XRayFlags>();
  auto trace_id = std::make_shared<std::string>();
  CLI::App* trace = app.add_subcommand(
      "trace",
      "Print one trace (BatchGetTraces) as a waterfall: every segment and subsegment as an\n"
      "indented row (segments under the call that produced them), with namespace (remote/aws),\n"
      "HTTP status, duration, a timeline bar of when it ran within the trace, the DynamoDB\n"
      "operation and table or the HTTP method and URL, and under spans that recorded exceptions\n"
      "their causes. The marker column shows F (fault), E (error) or T (throttled). --json prints\n"
      "the API's trace with each segment document parsed.");
  AddCommonOptions(trace, *trace_flags, /*with_since=*/false);
  trace
      ->add_option("trace-id", *trace_id,
                   "X-Ray trace id (1-5759e988-bd862e3fe1be46a994272793) or its W3C\n"
                   "form, as in log lines and `ck traces`")
      ->required();
  trace->footer(
      "Examples:\n"
      "  ck trace 1-5759e988-bd862e3fe1be46a994272793\n"
      "  ck trace \"$(ck traces fault --limit 1 --json | jq -r '.TraceSummaries[0].Id')\"");
  trace->callback([trace_flags, trace_id] { Finish(Trace(*trace_flags, *trace_id), "trace"); });
}

}  // namespace ck::cli
