// Log ingest and scan measurements for the log store (DESIGN.md §8: log ingest >= 100 MB/s on
// one core; a timestamps-only scan of 1,000,000 events well under 150 ms).
//
//   ck_bench_log_store [--lines N] [--line-bytes B] [--dir DIR]
//
// 1. tail+split+store: writes N JSON log lines of about B bytes (our logger's shape: ts, level,
//    service, msg, trace_id, span_id) to <dir>/data/logs/list-api/list-api-v1-1.log, then runs
//    LogTailer::Poll -> LogStore::Append -> Commit until the file is shipped. Also reports the
//    tailer alone (no store) and the store alone (prebuilt events).
// 2. scan: over the N stored events of one group, Scan with needs {message, log_stream,
//    log_group, ingestion_time} all false, then with the message; median of 5 runs.
// Reports wall time and this process's CPU time (getrusage), so I/O waits are visible.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "collector/insights/query.h"
#include "collector/logs/log_store.h"
#include "collector/logs/log_tailer.h"

namespace {

using ck::collector::logs::LogStore;
using ck::collector::logs::LogTailer;
using ck::collector::logs::LogTailerOptions;
using ck::collector::logs::NewLogEvent;
using ck::collector::logs::ScanRequest;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Timer {
  Clock::time_point wall = Clock::now();
  double cpu = CpuSeconds();
  double WallSeconds() const { return std::chrono::duration<double>(Clock::now() - wall).count(); }
  double CpuUsed() const { return CpuSeconds() - cpu; }
};

std::string Line(size_t index, size_t line_bytes) {
  char head[256];
  const unsigned seconds = 1795675508u + static_cast<unsigned>(index / 5000);
  std::snprintf(head, sizeof head,
                R"({"ts":"2026-11-26T06:%02u:%02u.%03zuZ","level":"info","service":"list-api",)"
                R"("trace_id":"1-%08x-%024zx","span_id":"%016zx","msg":")",
                (seconds / 60) % 60, seconds % 60, index % 1000, seconds, index * 2654435761u,
                index);
  std::string line = head;
  const size_t tail = 3;  // "}\n
  while (line.size() + tail < line_bytes) line += static_cast<char>('a' + (line.size() % 26));
  line += "\"}\n";
  return line;
}

void Report(const char* what, double seconds, double cpu, size_t lines, size_t bytes) {
  std::printf("%-28s %8.3f s wall %8.3f s cpu %10.0f lines/s %8.1f MB/s (wall) %8.1f MB/s (cpu)\n",
              what, seconds, cpu, static_cast<double>(lines) / seconds,
              static_cast<double>(bytes) / seconds / 1e6, static_cast<double>(bytes) / cpu / 1e6);
}

std::unique_ptr<LogStore> OpenStore(const fs::path& path) {
  auto store = LogStore::Open(path.string(), {});
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().message().c_str());
    std::exit(1);
  }
  return std::move(*store);
}

}  // namespace

int main(int argc, char** argv) {
  size_t lines = 1'000'000;
  size_t line_bytes = 200;
  bool scan_only = false;  // reuse <dir>/logs.sqlite3 from a run with --keep 1
  bool keep = false;
  fs::path dir = fs::temp_directory_path() / ("ck-log-bench-" + std::to_string(::getpid()));
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--lines") == 0) lines = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--line-bytes") == 0) line_bytes = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
    if (std::strcmp(argv[i], "--keep") == 0) keep = std::strcmp(argv[i + 1], "1") == 0;
    if (std::strcmp(argv[i], "--scan-only") == 0) scan_only = std::strcmp(argv[i + 1], "1") == 0;
  }
  if (!scan_only) fs::remove_all(dir);
  const fs::path log_dir = dir / "data" / "logs" / "list-api";
  fs::create_directories(log_dir);
  auto store = OpenStore(dir / "logs.sqlite3");
  if (!scan_only) {
    size_t file_bytes = 0;
    {
      std::ofstream out(log_dir / "list-api-v1-1.log", std::ios::binary);
      for (size_t i = 0; i < lines; ++i) {
        const std::string line = Line(i, line_bytes);
        file_bytes += line.size();
        out << line;
      }
    }
    std::printf("%zu lines, %.1f MB of log file\n", lines, static_cast<double>(file_bytes) / 1e6);

    // The collector's own batch bounds (PutLogEvents' limits: 10,000 events, 1 MiB); each batch
    // becomes one stored block.
    LogTailerOptions options;
    options.data_dir = (dir / "data").string();
    // Every phase reads the same file from the start: it must keep all its bytes on disk (the
    // collector frees what it stored, one fallocate per 16 MiB).
    options.keep_bytes = 0;

    {  // The tailer alone.
      LogTailer tailer(options, {});
      Timer timer;
      size_t events = 0;
      for (bool more = true; more;) {
        auto batch = tailer.Poll();
        if (!batch.ok()) return 1;
        events += batch->events.size();
        tailer.Commit(*batch);
        more = batch->more || !batch->events.empty();
      }
      Report("tail+split only", timer.WallSeconds(), timer.CpuUsed(), events, file_bytes);
    }

    {  // The store alone, with the tailer's events prebuilt.
      LogTailer tailer(options, {});
      std::vector<std::vector<NewLogEvent>> batches;
      for (bool more = true; more;) {
        auto batch = tailer.Poll();
        if (!batch.ok()) return 1;
        tailer.Commit(*batch);
        more = batch->more || !batch->events.empty();
        if (!batch->events.empty()) batches.push_back(std::move(batch->events));
      }
      auto store = OpenStore(dir / "store-only.sqlite3");
      Timer timer;
      for (const auto& batch : batches) {
        if (!store->Append(batch).ok()) return 1;
      }
      Report("store only", timer.WallSeconds(), timer.CpuUsed(), lines, file_bytes);
    }

    {  // The whole path.
      LogTailer tailer(options, {});
      Timer timer;
      size_t events = 0;
      for (bool more = true; more;) {
        auto batch = tailer.Poll();
        if (!batch.ok()) return 1;
        auto status = store->Append(batch->events, batch->offsets);
        if (!status.ok()) {
          std::fprintf(stderr, "append: %s\n", status.message().c_str());
          return 1;
        }
        tailer.Commit(*batch);
        events += batch->events.size();
        more = batch->more || !batch->events.empty();
      }
      Report("tail+split+store", timer.WallSeconds(), timer.CpuUsed(), events, file_bytes);
    }
  }
  auto scan = [&](const char* what, ScanRequest request) {
    std::vector<double> runs;
    size_t visited = 0;
    for (int run = 0; run < 5; ++run) {
      visited = 0;
      int64_t checksum = 0;
      Timer timer;
      auto status = store->Scan(request, [&](const ck::collector::insights::LogEvent& event) {
        ++visited;
        checksum += event.timestamp_ms + static_cast<int64_t>(event.message.size());
        return true;
      });
      runs.push_back(timer.WallSeconds());
      if (!status.ok() || checksum == 0) return;
    }
    std::sort(runs.begin(), runs.end());
    std::printf("%-40s %zu events, median %.1f ms (min %.1f, max %.1f)\n", what, visited,
                runs[2] * 1e3, runs[0] * 1e3, runs[4] * 1e3);
  };
  ScanRequest request;
  request.groups = {"/ecs/cuddle-kube/list-api"};
  request.needs = {.message = false,
                   .log_stream = false,
                   .log_group = false,
                   .ingestion_time = false,
                   .ascending = false};
  scan("scan timestamps only (descending)", request);
  request.needs.ascending = true;
  scan("scan timestamps only (ascending)", request);
  request.needs = {.message = true,
                   .log_stream = true,
                   .log_group = true,
                   .ingestion_time = true,
                   .ascending = false};
  scan("scan everything (descending)", request);

  // Logs Insights end to end (parse, scan with the query's needs, aggregate), median of 5.
  auto query = [&](const char* text) {
    auto parsed = ck::collector::insights::ParseQuery(text);
    if (!parsed.ok()) {
      std::fprintf(stderr, "query: %s\n", parsed.status().message().c_str());
      return;
    }
    std::vector<double> runs;
    size_t rows = 0;
    uint64_t scanned = 0;
    for (int run = 0; run < 5; ++run) {
      Timer timer;
      ck::collector::insights::QueryRun query_run(*parsed, {});
      ScanRequest query_request;
      query_request.groups = {"/ecs/cuddle-kube/list-api"};
      query_request.needs = ck::collector::insights::NeedsOf(**parsed);
      auto status = store->Scan(query_request, [&](const ck::collector::insights::LogEvent& e) {
        return query_run.Add(e);
      });
      auto result = query_run.Finish();
      runs.push_back(timer.WallSeconds());
      if (!status.ok()) return;
      rows = result.rows.size();
      scanned = result.statistics.records_scanned;
    }
    std::sort(runs.begin(), runs.end());
    std::printf("query %-60s %llu events, %zu rows, median %.1f ms (min %.1f, max %.1f)\n", text,
                static_cast<unsigned long long>(scanned), rows, runs[2] * 1e3, runs[0] * 1e3,
                runs[4] * 1e3);
  };
  query("stats count(*) by bin(1m)");
  query("filter level = \"info\" and msg like /abcd/ | stats count(*) by service");

  const auto stats = store->StatsJson();
  std::printf("store: %s, file %.1f MB\n", stats.dump().c_str(),
              static_cast<double>(fs::file_size(dir / "logs.sqlite3")) / 1e6);
  store.reset();
  if (!keep) fs::remove_all(dir);
  return 0;
}
