// LogLineFields: the two members of a JSON log line that log storage needs before a query ever
// runs — the event time ("ts", RFC 3339) and the trace id ("trace_id", X-Ray or W3C form).
//
// Our services log one JSON object per line (core/logger.h): {"ts":"2026-11-26T06:45:08.123Z",
// "level":"info", ..., "trace_id":"1-5f84c7a1-...", "span_id":"..."}. The tailer takes the event
// time from "ts" and the store indexes "trace_id", so a trace links to its logs.
//
//   LogLineParser parser;
//   LogLineFields fields = parser.Parse(line);
//   if (fields.timestamp_ms) event.timestamp_ms = *fields.timestamp_ms;
//
// Only top-level members count: a "trace_id" nested in another member is ignored. The parse is
// cheap (simdjson On Demand, no DOM): lines that do not start with '{' are not parsed at all, and
// the values of other members are skipped, not validated — a line whose skipped values are
// malformed JSON still yields its fields. A line that is not one JSON object (invalid UTF-8,
// unbalanced, trailing text) yields nothing.
//
// Thread-safety: a LogLineParser keeps scratch buffers; use one per thread. The free functions
// are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace ck::collector::logs {

struct LogLineFields {
  std::optional<int64_t> timestamp_ms;  // "ts", when an RFC 3339 string
  std::string trace_id;                 // "trace_id" in X-Ray form (lower case); empty if none
};

class LogLineParser {
 public:
  LogLineParser();
  ~LogLineParser();
  LogLineParser(const LogLineParser&) = delete;
  LogLineParser& operator=(const LogLineParser&) = delete;

  // want_timestamp=false skips lines without a "trace_id" member cheaply.
  LogLineFields Parse(std::string_view line, bool want_timestamp = true);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// "2026-11-26T06:45:08.123Z", "2026-11-26t06:45:08+01:00", "2026-11-26 06:45:08.1234567Z" ->
// milliseconds since the epoch (fraction truncated to milliseconds); nullopt when malformed.
std::optional<int64_t> ParseRfc3339Millis(std::string_view text);

// An X-Ray trace id ("1-5f84c7a1-0123456789abcdef01234567") or a W3C one (32 hex digits, not all
// zeros; becomes "1-" + first 8 + "-" + last 24), lower-cased; "" for anything else.
std::string NormalizeTraceId(std::string_view id);
// True when NormalizeTraceId(id) == id (a lower-case X-Ray trace id).
bool IsNormalizedTraceId(std::string_view id);

}  // namespace ck::collector::logs
