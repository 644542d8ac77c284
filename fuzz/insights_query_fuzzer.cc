// libFuzzer target for Logs Insights queries (src/collector/insights/query.h).
//
// Each input is parsed as a query; whatever parses is run over the 40-event test fixture
// (test_events.h) and finished. Beyond "no crash, no sanitizer report, no hang", the target
// checks invariants: every parse error is kInvalidArgument with a message (and a position, unless
// it concerns the whole query); results are rectangular and deterministic; a run fed only the
// columns NeedsOf asks for returns exactly what a run fed every column returns; the result never
// exceeds the insights limit or RunOptions::max_rows, and is marked truncated when max_rows cut it.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/insights/query.h"
#include "collector/insights/test_events.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

namespace {

using ck::StatusCode;
using ck::collector::insights::LogEvent;
using ck::collector::insights::NeedsOf;
using ck::collector::insights::ParseQuery;
using ck::collector::insights::Query;
using ck::collector::insights::QueryResult;
using ck::collector::insights::QueryRun;
using ck::collector::insights::RunOptions;
namespace test_events = ck::collector::insights::test_events;

void CheckError(const ck::Status& status) {
  Check(status.code() == StatusCode::kInvalidArgument);
  const std::string& message = status.message();
  Check(!message.empty());
  const bool whole_query = message == "query is empty" || message.starts_with("query is too long");
  Check(whole_query || message.find(" at line ") != std::string::npos);
}

// Like test_events::RunOver, but every column is filled whatever NeedsOf says.
QueryResult RunWithEveryColumn(const std::shared_ptr<const Query>& query, RunOptions options) {
  const bool ascending = NeedsOf(*query).ascending;
  std::vector<test_events::FixtureEvent> events = test_events::Events();
  if (!ascending) std::reverse(events.begin(), events.end());
  QueryRun run(query, options);
  for (const test_events::FixtureEvent& fixture : events) {
    LogEvent event;
    event.id = fixture.id;
    event.timestamp_ms = fixture.timestamp_ms;
    event.ingestion_time_ms = fixture.timestamp_ms + test_events::kIngestionDelayMs;
    event.message = fixture.message;
    event.log_stream = fixture.stream;
    event.log_group = test_events::kGroup;
    if (!run.Add(event)) break;
  }
  return run.Finish();
}

void CheckShape(const QueryResult& result, size_t max_rows) {
  Check(!result.columns.empty());
  Check(result.rows.size() <= max_rows);
  for (const auto& row : result.rows) Check(row.size() == result.columns.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto query = ParseQuery(text);
  if (!query.ok()) {
    CheckError(query.status());
    return 0;
  }
  const RunOptions insights;
  const QueryResult needed = test_events::RunOver(*query, test_events::Events(), insights);
  CheckShape(needed, 10'000);
  const QueryResult full = RunWithEveryColumn(*query, insights);
  Check(needed.columns == full.columns);
  Check(needed.rows == full.rows);
  Check(needed.truncated == full.truncated);
  const QueryResult again = test_events::RunOver(*query, test_events::Events(), insights);
  Check(again.rows == needed.rows);

  RunOptions small;
  small.insights_limits = false;
  small.max_rows = 3;
  const QueryResult cut = test_events::RunOver(*query, test_events::Events(), small);
  CheckShape(cut, 3);
  // With 40 events the insights limits never bind: a run max_rows did not cut is the same run.
  if (!cut.truncated) Check(cut.columns == needed.columns && cut.rows == needed.rows);
  return 0;
}
