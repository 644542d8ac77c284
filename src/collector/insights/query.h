// The Logs Insights query language: parse a query once, then run it over log events.
//
// A query is a pipeline of commands separated by `|` (fields, filter, stats, sort, limit, parse,
// display, dedup), with CloudWatch Logs Insights' syntax and semantics (docs/logs-insights.md).
// The store drives a run: it scans the events of the chosen log groups and time range in the
// order ScanNeeds asks for, hands each to QueryRun::Add, and calls Finish for the result table.
//
//   CK_ASSIGN_OR_RETURN(auto query, ParseQuery("filter level = 'error' | stats count(*) by
//   bin(1m)")); ScanNeeds needs = NeedsOf(*query); QueryRun run(query, RunOptions{});
//   store.Scan(groups, start_ms, end_ms, needs, [&](const LogEvent& e) { return run.Add(e); });
//   QueryResult result = run.Finish();
//
// Fields: system fields @timestamp, @message, @logStream, @log, @ptr, @ingestionTime; a message
// that is a JSON object also yields its members as fields, nested ones by dot path
// (`http.status`, `items.0.id`). Fields created by parse/fields-assignments/stats are named as
// Insights names them. User regexes (parse, =~, like /re/) run on RE2: linear time.
//
// Failure modes: ParseQuery returns InvalidArgument with a message in Insights' wording
// (a MalformedQueryException at the API edge), giving the position where it applies. Running a
// parsed query never fails; a function applied to a value of the wrong type yields no value.
//
// Thread-safety: a parsed Query is immutable and may be shared between threads; one QueryRun is
// used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/insights/log_event.h"
#include "core/status.h"

namespace ck::collector::insights {

struct Query;  // the parsed pipeline (query_syntax.h)

Result<std::shared_ptr<const Query>> ParseQuery(std::string_view text);

// What a store must provide for a query, so it can read only the columns it needs and stop early.
struct ScanNeeds {
  bool message = true;  // @message or any JSON/parsed field is referenced
  bool log_stream = true;
  bool log_group = true;
  bool ingestion_time = true;
  bool ascending = false;  // scan oldest first (else newest first, Insights' default)
  // When set, the run is complete after this many events matched every filter (a `limit` with no
  // stats, sort or dedup before it, or right after a `sort @timestamp` that `ascending` makes the
  // scan order); the store may stop scanning then.
  std::optional<size_t> stop_after_matches;
};
ScanNeeds NeedsOf(const Query& query);

struct RunOptions {
  // Insights applies `limit 1000` when a query has none and caps limits at 10,000. The paged
  // control API turns both off (an explicit limit still applies).
  bool insights_limits = true;
  // Rows kept at most, whatever the query says; beyond it the result is marked truncated.
  size_t max_rows = 1'000'000;
};

struct QueryStatistics {
  uint64_t records_scanned = 0;  // events handed to Add
  uint64_t records_matched = 0;  // events that passed every filter
  uint64_t bytes_scanned = 0;    // message bytes of scanned events
};

// Cells are rendered the way Insights renders them: strings; numbers in shortest round-trip form;
// @timestamp as "YYYY-MM-DD hh:mm:ss.SSS" (UTC). A missing field is nullopt (the API omits it).
struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  QueryStatistics statistics;
  bool truncated = false;  // max_rows cut the result
};

class QueryRun {
 public:
  QueryRun(std::shared_ptr<const Query> query, RunOptions options);
  ~QueryRun();
  QueryRun(const QueryRun&) = delete;
  QueryRun& operator=(const QueryRun&) = delete;

  // Feeds one event; returns false when the run needs no more events (stop scanning).
  bool Add(const LogEvent& event);
  // Applies stats/sort/dedup/limit/display and returns the table. Call once.
  QueryResult Finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// @ptr: an opaque, URL-safe string naming one stored event; the store looks it up again
// (GetLogRecord). Decode returns nullopt for anything Encode did not produce.
std::string EncodeEventPointer(uint64_t event_id);
std::optional<uint64_t> DecodeEventPointer(std::string_view pointer);

}  // namespace ck::collector::insights
