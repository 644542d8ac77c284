// Micro benchmark of the Logs Insights engine alone (no store): per-event cost of QueryRun::Add
// for representative queries over synthetic service log events held in memory.
//
// Built as ck_bench_insights_engine (bench/CMakeLists.txt); by hand:
//   g++ -std=c++20 -O2 -I src bench/insights_engine.cc
//       build/release/src/libck_collector_insights.a build/release/src/libck_core.a
//       -lre2 -lsimdjson -lfmt -o /tmp/insights_engine   (one command)
//   /tmp/insights_engine [events]
//
// The budget it informs (DESIGN.md §8): `stats count(*) by bin(1m)` over 1,000,000 events in
// <= 300 ms including the store's scan, i.e. well under 100 ns per event for the engine.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "collector/insights/query.h"

namespace {

using ck::collector::insights::LogEvent;
using ck::collector::insights::NeedsOf;
using ck::collector::insights::ParseQuery;
using ck::collector::insights::QueryRun;
using ck::collector::insights::RunOptions;

std::vector<std::string> MakeMessages(size_t count) {
  const char* services[] = {"public-site", "list-api", "register-api", "validate-api", "order-api"};
  const char* levels[] = {"info", "info", "info", "warn", "error"};
  std::vector<std::string> messages;
  messages.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    char buffer[512];
    std::snprintf(buffer, sizeof(buffer),
                  R"({"ts":"2024-05-01T12:00:00.000Z","level":"%s","service":"%s","msg":"request )"
                  R"(served","trace_id":"1-66322a80-%024zx","span_id":"%016zx","route":"/list",)"
                  R"("status":%d,"latency_ms":%zu})",
                  levels[i % 5], services[(i / 5) % 5], i, i * 7919, i % 50 == 0 ? 500 : 200,
                  i % 997);
    messages.emplace_back(buffer);
  }
  return messages;
}

void Measure(const char* text, const std::vector<std::string>& messages) {
  auto query = ParseQuery(text);
  if (!query.ok()) {
    std::fprintf(stderr, "%s: %s\n", text, query.status().message().c_str());
    std::exit(1);
  }
  const auto needs = NeedsOf(**query);
  RunOptions options;
  options.insights_limits = false;
  const int64_t start_ms = 1714564800000;
  auto begin = std::chrono::steady_clock::now();
  QueryRun run(*query, options);
  LogEvent event;
  event.log_group = "/ck/cuddle-kube";
  event.log_stream = "list-api/task-1";
  size_t added = 0;
  for (size_t i = 0; i < messages.size(); ++i) {
    event.id = i + 1;
    // 1,000,000 events over about 17 minutes, oldest first.
    event.timestamp_ms = start_ms + static_cast<int64_t>(i);
    event.message = needs.message ? std::string_view(messages[i]) : std::string_view();
    ++added;
    if (!run.Add(event)) break;
  }
  auto result = run.Finish();
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin).count();
  std::printf("%-70s %8.1f ms %7.1f ns/event  rows=%zu message=%d\n", text, elapsed_ms,
              elapsed_ms * 1e6 / static_cast<double>(added), result.rows.size(),
              needs.message ? 1 : 0);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1'000'000;
  const std::vector<std::string> messages = MakeMessages(count);
  Measure("stats count(*) by bin(1m)", messages);
  Measure("stats count(*) by bin(1m), @logStream", messages);
  Measure("filter level = 'error' | stats count(*) by service", messages);
  Measure("stats avg(latency_ms), pct(latency_ms, 99) by service", messages);
  Measure("filter @message like /status\":500/ | stats count(*) by bin(5m)", messages);
  Measure("filter status >= 500 | fields @timestamp, service, route | limit 10000", messages);
  Measure("fields @timestamp, latency_ms | sort latency_ms desc | limit 20", messages);
  return 0;
}
