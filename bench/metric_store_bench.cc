// Metric samples per second into the collector's metric store (issue: "metric samples/s"):
// single Put calls and PutMetricData batches (as a scrape produces them) over many series, then
// the Flush that makes them durable, and a GetStatistics over the last hour of one series.
//
//   ck_bench_metric_store [--samples N] [--series S] [--dir DIR]
//
// Reports wall time and this process's CPU time (getrusage). Run by bench/metric_store.sh.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "collector/metrics/metric_store.h"

namespace {

namespace fs = std::filesystem;
using ck::collector::metrics::MetricDatum;
using ck::collector::metrics::MetricStore;

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

struct Timer {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = CpuSeconds();
  double Wall() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double Cpu() const { return CpuSeconds() - cpu; }
};

void Report(const char* what, const Timer& timer, size_t samples) {
  std::printf("%-34s %9zu samples %8.3f s wall %8.3f s cpu %12.0f samples/s (wall) %12.0f (cpu)\n",
              what, samples, timer.Wall(), timer.Cpu(), samples / timer.Wall(),
              samples / std::max(timer.Cpu(), 1e-9));
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  size_t samples = 1'000'000;
  size_t series = 1000;
  fs::path dir = fs::temp_directory_path() / ("ck-bench-metrics-" + std::to_string(getpid()));
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--samples") == 0) samples = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--series") == 0) series = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
  }
  fs::create_directories(dir);
  ck::collector::metrics::MetricStoreOptions options;
  options.path = (dir / "metrics.sqlite3").string();
  options.max_series = series * 2 + 10;
  options.max_unflushed_buckets = samples + 10;
  auto store = MetricStore::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().message().c_str());
    return 1;
  }
  const int64_t start_ms = NowMs() - 3'600'000;
  // One sample per series per second over the last hour, as a 1 s scrape of `series` series.
  auto timestamp = [&](size_t i) { return start_ms + static_cast<int64_t>(i / series) * 1000; };
  auto dimension = [](size_t i) { return "route-" + std::to_string(i); };
  {
    Timer timer;
    for (size_t i = 0; i < samples / 2; ++i) {
      auto status =
          (*store)->Put("ck/bench", "latency_seconds", {{"route", dimension(i % series)}},
                        timestamp(i), static_cast<double>(i % 1000) / 1000.0, "Seconds", 60);
      if (!status.ok()) {
        std::fprintf(stderr, "put: %s\n", status.message().c_str());
        return 1;
      }
    }
    Report("Put (one sample per call)", timer, samples / 2);
  }
  {
    Timer timer;
    constexpr size_t kBatch = 1000;  // a scrape's worth
    for (size_t first = samples / 2; first < samples; first += kBatch) {
      std::vector<MetricDatum> batch;
      for (size_t i = first; i < std::min(samples, first + kBatch); ++i) {
        MetricDatum datum;
        datum.key = {"ck/bench", "requests_total", {{"route", dimension(i % series)}}};
        datum.timestamp_ms = timestamp(i - samples / 2);
        datum.unit = "Count";
        datum.values = {static_cast<double>(i % 7)};
        batch.push_back(std::move(datum));
      }
      auto status = (*store)->PutMetricData(std::move(batch));
      if (!status.ok()) {
        std::fprintf(stderr, "put batch: %s\n", status.message().c_str());
        return 1;
      }
    }
    Report("PutMetricData (batches of 1000)", timer, samples - samples / 2);
  }
  {
    Timer timer;
    auto status = (*store)->Flush();
    if (!status.ok()) std::fprintf(stderr, "flush: %s\n", status.message().c_str());
    Report("Flush (all of the above)", timer, samples);
  }
  {
    Timer timer;
    ck::collector::metrics::StatisticsRequest request;
    request.key = {"ck/bench", "latency_seconds", {{"route", dimension(0)}}};
    request.start_ms = start_ms - 60'000;
    request.end_ms = NowMs();
    request.period_s = 60;
    request.statistics = {"SampleCount", "Average", "Maximum", "p99"};
    auto points = (*store)->GetStatistics(request);
    std::printf("%-34s %9zu datapoints %8.3f ms\n", "GetStatistics (1 h, 60 s, p99)",
                points.ok() ? points->size() : 0, timer.Wall() * 1e3);
  }
  store->reset();
  fs::remove_all(dir);
  return 0;
}
