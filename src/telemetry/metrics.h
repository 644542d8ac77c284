// Metrics: counters, gauges and histograms in the Prometheus data model, and their text
// exposition (format 0.0.4) for `GET /metrics`. docs/metrics.md lists what each component exposes.
//
// A component declares its metric families once, at start-up, on its MetricsRegistry: name, help
// text, label names (and bucket bounds for a histogram). Declaration validates everything, so a
// bad name is a Status at start-up and never a surprise at scrape time. A family hands out one
// child (a series) per tuple of label values; a caller on the request path looks a child up once
// and keeps the reference when it can (children live as long as the registry), so an update is a
// relaxed atomic operation:
//
//   MetricsRegistry registry;
//   CK_ASSIGN_OR_RETURN(CounterFamily* requests,
//                       registry.AddCounter("ck_example_requests_total", "Requests served.",
//                                           {"route", "code"}));
//   Counter& listed = requests->WithLabels({"/list", "200"});
//   listed.Increment();
//   CK_RETURN_IF_ERROR(registry.AddGaugeCallback("ck_example_queue_depth", "Queued items.",
//                                                [&queue] { return queue.size(); }));
//   std::string text = registry.Render();
//
// Callback families read their values when scraped (queue depths, supervisor counts, /proc).
//
// Text format: `# HELP` and `# TYPE` once per family; families sorted by name and series by label
// values (as the Prometheus Go client does); label values escaped (\\, \", \n) and HELP text
// escaped (\\, \n); a histogram as cumulative `_bucket{le="..."}` series ending with `le="+Inf"`,
// then `_sum` and `_count`; values in Go's shortest float form ("3", "0.0025", "1.5e+06", "+Inf",
// "-Inf", "NaN"). Families that have no series yet are left out.
//
// Cardinality: a family keeps at most `max_series_per_family` series (default 1000). Updates for
// a new label tuple beyond that — and for a tuple with the wrong number of values — go to one
// overflow series whose every label value is "__overflow__", and `ck_metrics_overflow_total
// {metric="<family>"}` counts them: memory stays bounded and sums over a family stay exact.
// Callback samples beyond the cap (or with the wrong number of values) are left out and counted
// the same way. Label values that are not valid UTF-8 have the bad bytes replaced by U+FFFD.
//
// Thread-safety: all of it. Counter/Gauge/Histogram updates are lock-free; WithLabels() takes the
// family's mutex (callers on hot paths cache the child); Render() may run concurrently with
// updates (a histogram's buckets and _count are read consistently with each other, its _sum may
// lag by an in-flight observation). Callbacks run on the thread calling Render(), must be
// thread-safe in that sense, and must not call back into the registry.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "telemetry/text_format.h"

namespace ck::telemetry {

// The Content-Type of the text exposition format.
inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";
// The label value of a family's overflow series.
inline constexpr std::string_view kOverflowLabelValue = "__overflow__";
inline constexpr size_t kDefaultMaxSeriesPerFamily = 1000;

// A monotonically increasing count.
class Counter {
 public:
  void Increment(uint64_t amount = 1) { whole_.fetch_add(amount, std::memory_order_relaxed); }
  // Adds a fractional amount; negative and NaN amounts are ignored (a counter never decreases).
  void Add(double amount);
  double Value() const;

 private:
  std::atomic<uint64_t> whole_{0};
  std::atomic<double> fraction_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void Increment() { Add(1); }
  void Decrement() { Add(-1); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into fixed buckets (upper bounds inclusive, as Prometheus' `le`).
class Histogram {
 public:
  // `bounds`: strictly increasing finite upper bounds, owned by the family; +Inf is implicit.
  explicit Histogram(const std::vector<double>* bounds);
  // NaN observations are ignored.
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket (not cumulative), then +Inf
  std::atomic<double> sum_{0};
};

enum class MetricType { kCounter, kGauge, kHistogram };

// One series of a callback family: values for the declared labels, in order, and the value.
struct Sample {
  std::vector<std::string> label_values;
  double value = 0;
};
using SampleFunction = std::function<std::vector<Sample>()>;

// What Render() needs from every family; implementation detail of the registry.
class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names, std::vector<double> bounds = {});
  virtual ~FamilyBase() = default;
  const std::string& name() const { return name_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Label tuples that went to the overflow series (or were left out, for callbacks).
  uint64_t overflowed() const { return overflowed_.load(std::memory_order_relaxed); }
  // Appends the family (HELP, TYPE and its series); nothing when it has no series.
  void Render(std::string& out) const;

 protected:
  struct SeriesText {
    const std::vector<std::string>* label_values;
    double value = 0;  // counters and gauges
    const Histogram* histogram = nullptr;
  };
  // Appends the series to render, in any order. Label values point into the family (children
  // are never removed) or into `owned`, which the caller keeps until rendering is done.
  virtual void Collect(std::vector<SeriesText>& series, std::vector<Sample>& owned) const = 0;
  void NoteOverflow() const { overflowed_.fetch_add(1, std::memory_order_relaxed); }

  const std::vector<double> bounds_;  // histograms only

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
  mutable std::atomic<uint64_t> overflowed_{0};
};

// One metric family with children per label values. Metric is Counter, Gauge or Histogram.
template <typename Metric>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names,
         std::vector<double> bounds, size_t max_series);
  ~Family() override;

  // The child for `values`, one per declared label name, in declaration order; created on first
  // use. The reference stays valid as long as the registry.
  Metric& WithLabels(std::initializer_list<std::string_view> values);
  Metric& WithLabels(std::span<const std::string_view> values);
  Metric& WithLabels(const std::vector<std::string>& values);
  // The child of a family declared without labels.
  Metric& Get() { return WithLabels(std::span<const std::string_view>()); }
  // Number of series, the overflow series included.
  size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };
  struct Child {
    std::vector<std::string> label_values;
    std::unique_ptr<Metric> metric;
  };
  std::unique_ptr<Metric> MakeMetric() const;
  Metric& Overflow();  // with mutex_ held
  void Collect(std::vector<SeriesText>& series, std::vector<Sample>& owned) const override;

  mutable std::mutex mutex_;
  const size_t max_series_;
  std::unordered_map<std::string, Child, Hash, std::equal_to<>> children_;
  std::unique_ptr<Child> overflow_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

// Prometheus' default buckets for request durations in seconds, plus 1 ms and 2.5 ms:
// 0.001 0.0025 0.005 0.01 0.025 0.05 0.1 0.25 0.5 1 2.5 5 10.
std::vector<double> DefaultSecondsBuckets();

class MetricsRegistry {
 public:
  explicit MetricsRegistry(size_t max_series_per_family = kDefaultMaxSeriesPerFamily);
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Declarations. Each fails with kInvalidArgument when the name is not a valid metric name
  // ([a-zA-Z_][a-zA-Z0-9_]*; ':' is left to recording rules), a counter's name does not end in
  // "_total" (or another family's does), the help text is empty, a label name is invalid
  // ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__"), repeated, or "le" on a histogram, or bucket
  // bounds are empty, not finite or not strictly increasing; with kAlreadyExists when the name
  // (or, for a histogram, name_bucket/_sum/_count) is taken. The returned family lives as long as
  // the registry.
  Result<CounterFamily*> AddCounter(std::string name, std::string help,
                                    std::vector<std::string> label_names = {});
  Result<GaugeFamily*> AddGauge(std::string name, std::string help,
                                std::vector<std::string> label_names = {});
  Result<HistogramFamily*> AddHistogram(std::string name, std::string help,
                                        std::vector<std::string> label_names = {},
                                        std::vector<double> bounds = DefaultSecondsBuckets());
  // Families whose series `read` returns at each scrape.
  Status AddCounterCallback(std::string name, std::string help,
                            std::vector<std::string> label_names, SampleFunction read);
  Status AddGaugeCallback(std::string name, std::string help, std::vector<std::string> label_names,
                          SampleFunction read);
  // The same without labels: one series whose value `read` returns.
  Status AddCounterCallback(std::string name, std::string help, std::function<double()> read);
  Status AddGaugeCallback(std::string name, std::string help, std::function<double()> read);

  // The text exposition of every family (and ck_metrics_overflow_total when anything overflowed).
  std::string Render() const;

 private:
  Status Admit(const std::string& name, MetricType type, const std::vector<std::string>& labels,
               const std::string& help, const std::vector<double>* bounds);
  template <typename Metric>
  Result<Family<Metric>*> AddFamily(std::string name, std::string help, MetricType type,
                                    std::vector<std::string> label_names,
                                    std::vector<double> bounds);
  Status AddCallback(std::string name, std::string help, MetricType type,
                     std::vector<std::string> label_names, SampleFunction read);

  const size_t max_series_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<FamilyBase>> families_;
  std::vector<std::string> taken_names_;
};

// True for GET or HEAD of /metrics (any query string).
bool IsMetricsRequest(const http::HttpRequest& request);
// 200 with the registry's text exposition and kMetricsContentType (no body for HEAD).
http::HttpResponse MetricsResponse(const MetricsRegistry& registry,
                                   const http::HttpRequest& request);

}  // namespace ck::telemetry
