// Log events for the terminal: one line per event, as `ck logs` prints them and as `ck trace`
// lists a trace's events under its waterfall.
//
//   Print(FormatLogEvent(event, /*color=*/false));        // "2026-11-26T06:45:08.123Z
//   list-api-v1-1 {...}" Print(RenderTraceLogEvents(events, render_options));  // "Log events (3)"
//   and one line each
//
// `event` is a FilterLogEvents event ({timestamp, logStreamName, message, logGroupName?}).
// Messages pass through TerminalSafe; JSON lines with level error/warn are coloured when asked.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/verbs/trace_render.h"

namespace ck::cli {

// "2026-11-26T06:45:08.123Z" for epoch milliseconds.
std::string FormatLogTimestamp(int64_t epoch_ms);
// "<time> <task> <message>\n"; the task is the last part of the stream name.
std::string FormatLogEvent(const nlohmann::json& event, bool color);
// "Log events (N)" and a line per event with its service (the log group's last part), or
// "No log events for this trace" when there are none.
std::string RenderTraceLogEvents(const nlohmann::json& events, const RenderOptions& options);

}  // namespace ck::cli
