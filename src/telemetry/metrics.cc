#include "telemetry/metrics.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "telemetry/text_format.h"

namespace ck::telemetry {

namespace {

constexpr std::string_view kOverflowMetricName = "ck_metrics_overflow_total";

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// `{a="x",b="y"}` (with `extra` last, e.g. le="0.5"); nothing when there are no labels.
void AppendLabels(std::string& out, const std::vector<std::string>& names,
                  const std::vector<std::string>& values, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    AppendEscapedLabelValue(out, values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
}

void AppendSample(std::string& out, std::string_view name, std::string_view suffix,
                  const std::vector<std::string>& names, const std::vector<std::string>& values,
                  double value, std::string_view extra_name = {},
                  std::string_view extra_value = {}) {
  out += name;
  out += suffix;
  AppendLabels(out, names, values, extra_name, extra_value);
  out += ' ';
  out += FormatMetricValue(value);
  out += '\n';
}

// Lookup key for label values: each value prefixed by its length, so no two tuples collide.
void AppendKeyPart(std::string& key, std::string_view value) {
  const auto size = static_cast<uint32_t>(value.size());
  key.append(reinterpret_cast<const char*>(&size), sizeof size);
  key.append(value);
}

// Callback families: the series come from a function at each scrape.
class CallbackFamily final : public FamilyBase {
 public:
  CallbackFamily(std::string name, std::string help, MetricType type,
                 std::vector<std::string> label_names, SampleFunction read, size_t max_series)
      : FamilyBase(std::move(name), std::move(help), type, std::move(label_names)),
        read_(std::move(read)),
        max_series_(max_series) {}

 private:
  void Collect(std::vector<SeriesText>& series, std::vector<Sample>& owned) const override {
    try {
      owned = read_();
    } catch (const std::exception&) {
      owned.clear();  // a failing source shows no series rather than failing the scrape
    }
    // Wrong arity is counted; repeated label sets keep their first value; the cap applies in
    // label order, so which series are cut is deterministic.
    std::vector<Sample> valid;
    valid.reserve(owned.size());
    for (Sample& sample : owned) {
      if (sample.label_values.size() != label_names().size()) {
        NoteOverflow();
        continue;
      }
      for (std::string& value : sample.label_values) {
        if (!IsValidUtf8(value)) value = ToValidUtf8(value);
      }
      valid.push_back(std::move(sample));
    }
    std::stable_sort(valid.begin(), valid.end(), [](const Sample& a, const Sample& b) {
      return a.label_values < b.label_values;
    });
    valid.erase(std::unique(valid.begin(), valid.end(),
                            [](const Sample& a, const Sample& b) {
                              return a.label_values == b.label_values;
                            }),
                valid.end());
    for (size_t i = max_series_; i < valid.size(); ++i) NoteOverflow();
    if (valid.size() > max_series_) valid.resize(max_series_);
    owned = std::move(valid);
    for (const Sample& sample : owned) series.push_back({&sample.label_values, sample.value});
  }

  SampleFunction read_;
  const size_t max_series_;
};

}  // namespace

// ---- values ----

void Counter::Add(double amount) {
  if (!(amount > 0)) return;  // also NaN
  fraction_.fetch_add(amount, std::memory_order_relaxed);
}

double Counter::Value() const {
  return static_cast<double>(whole_.load(std::memory_order_relaxed)) +
         fraction_.load(std::memory_order_relaxed);
}

Histogram::Histogram(const std::vector<double>* bounds)
    : bounds_(*bounds), counts_(new std::atomic<uint64_t>[bounds->size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::Observe(double value) {
  if (std::isnan(value)) return;
  const size_t bucket = static_cast<size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(total);
  }
  snapshot.count = total;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> DefaultSecondsBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

// ---- families ----

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names, std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {}

void FamilyBase::Render(std::string& out) const {
  std::vector<SeriesText> series;
  std::vector<Sample> owned;
  Collect(series, owned);
  if (series.empty()) return;
  std::sort(series.begin(), series.end(), [](const SeriesText& a, const SeriesText& b) {
    return *a.label_values < *b.label_values;
  });
  out += "# HELP ";
  out += name_;
  out += ' ';
  AppendEscapedHelp(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += TypeName(type_);
  out += '\n';
  for (const SeriesText& entry : series) {
    const std::vector<std::string>& values = *entry.label_values;
    if (entry.histogram == nullptr) {
      AppendSample(out, name_, "", label_names_, values, entry.value);
      continue;
    }
    const Histogram::Snapshot snapshot = entry.histogram->Read();
    for (size_t i = 0; i < bounds_.size(); ++i) {
      AppendSample(out, name_, "_bucket", label_names_, values,
                   static_cast<double>(snapshot.cumulative[i]), "le",
                   FormatMetricValue(bounds_[i]));
    }
    AppendSample(out, name_, "_bucket", label_names_, values, static_cast<double>(snapshot.count),
                 "le", "+Inf");
    AppendSample(out, name_, "_sum", label_names_, values, snapshot.sum);
    AppendSample(out, name_, "_count", label_names_, values, static_cast<double>(snapshot.count));
  }
}

template <typename Metric>
Family<Metric>::Family(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names, std::vector<double> bounds,
                       size_t max_series)
    : FamilyBase(std::move(name), std::move(help), type, std::move(label_names), std::move(bounds)),
      max_series_(max_series) {}

template <typename Metric>
Family<Metric>::~Family() = default;

template <typename Metric>
std::unique_ptr<Metric> Family<Metric>::MakeMetric() const {
  if constexpr (std::is_same_v<Metric, Histogram>) {
    return std::make_unique<Histogram>(&bounds_);
  } else {
    return std::make_unique<Metric>();
  }
}

template <typename Metric>
Metric& Family<Metric>::Overflow() {
  if (!overflow_) {
    overflow_ = std::make_unique<Child>();
    overflow_->label_values.assign(label_names().size(), std::string(kOverflowLabelValue));
    overflow_->metric = MakeMetric();
  }
  return *overflow_->metric;
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(std::initializer_list<std::string_view> values) {
  return WithLabels(std::span<const std::string_view>(values.begin(), values.size()));
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(const std::vector<std::string>& values) {
  std::vector<std::string_view> views(values.begin(), values.end());
  return WithLabels(std::span<const std::string_view>(views));
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(std::span<const std::string_view> values) {
  if (values.size() != label_names().size()) {
    NoteOverflow();
    std::lock_guard lock(mutex_);
    return Overflow();
  }
  // Invalid UTF-8 is rare; sanitise first so that the key names the series actually shown.
  std::vector<std::string> sanitized;
  for (std::string_view value : values) {
    if (!IsValidUtf8(value)) {
      for (std::string_view each : values) sanitized.push_back(ToValidUtf8(each));
      break;
    }
  }
  thread_local std::string key;
  key.clear();
  if (sanitized.empty()) {
    for (std::string_view value : values) AppendKeyPart(key, value);
  } else {
    for (const std::string& value : sanitized) AppendKeyPart(key, value);
  }
  std::lock_guard lock(mutex_);
  if (auto found = children_.find(std::string_view(key)); found != children_.end()) {
    return *found->second.metric;
  }
  if (children_.size() >= max_series_) {
    NoteOverflow();
    return Overflow();
  }
  Child child;
  if (sanitized.empty()) {
    child.label_values.assign(values.begin(), values.end());
  } else {
    child.label_values = std::move(sanitized);
  }
  child.metric = MakeMetric();
  return *children_.emplace(key, std::move(child)).first->second.metric;
}

template <typename Metric>
size_t Family<Metric>::size() const {
  std::lock_guard lock(mutex_);
  return children_.size() + (overflow_ ? 1 : 0);
}

template <typename Metric>
void Family<Metric>::Collect(std::vector<SeriesText>& series, std::vector<Sample>&) const {
  std::lock_guard lock(mutex_);
  series.reserve(children_.size() + 1);
  auto add = [&](const Child& child) {
    SeriesText text{&child.label_values, 0, nullptr};
    if constexpr (std::is_same_v<Metric, Histogram>) {
      text.histogram = child.metric.get();
    } else {
      text.value = child.metric->Value();
    }
    series.push_back(text);
  };
  for (const auto& [key, child] : children_) add(child);
  if (overflow_) add(*overflow_);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ---- registry ----

MetricsRegistry::MetricsRegistry(size_t max_series_per_family)
    : max_series_(std::max<size_t>(1, max_series_per_family)) {
  Status added = AddCounterCallback(
      std::string(kOverflowMetricName),
      "Label sets that got no series of their own because the metric had reached its series "
      "limit (or had the wrong number of label values); they are counted in the metric's "
      "__overflow__ series.",
      {"metric"}, [this] {
        std::vector<Sample> samples;
        std::lock_guard lock(mutex_);
        for (const auto& family : families_) {
          if (uint64_t count = family->overflowed(); count > 0) {
            samples.push_back({{family->name()}, static_cast<double>(count)});
          }
        }
        return samples;
      });
  (void)added;  // a constant, valid declaration
}

MetricsRegistry::~MetricsRegistry() = default;

Status MetricsRegistry::Admit(const std::string& name, MetricType type,
                              const std::vector<std::string>& labels, const std::string& help,
                              const std::vector<double>* bounds) {
  if (!IsValidMetricName(name)) return InvalidArgument("invalid metric name '" + name + "'");
  if (help.empty()) return InvalidArgument("metric " + name + " has no help text");
  const bool total = EndsWith(name, "_total");
  if (type == MetricType::kCounter && !total) {
    return InvalidArgument("counter " + name + " must be named *_total");
  }
  if (type != MetricType::kCounter && total) {
    return InvalidArgument("only counters are named *_total, not " + name);
  }
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    if (!IsValidMetricName(label) || label.rfind("__", 0) == 0) {
      return InvalidArgument("invalid label name '" + label + "' for " + name);
    }
    if (type == MetricType::kHistogram && label == "le") {
      return InvalidArgument("histogram " + name + " cannot have a label named le");
    }
    if (std::find(labels.begin(), labels.begin() + static_cast<long>(i), label) !=
        labels.begin() + static_cast<long>(i)) {
      return InvalidArgument("label '" + label + "' repeated for " + name);
    }
  }
  std::vector<std::string> exposed = {name};
  if (type == MetricType::kHistogram) {
    if (bounds == nullptr || bounds->empty()) {
      return InvalidArgument("histogram " + name + " needs at least one bucket");
    }
    for (size_t i = 0; i < bounds->size(); ++i) {
      if (!std::isfinite((*bounds)[i]) || (i > 0 && (*bounds)[i] <= (*bounds)[i - 1])) {
        return InvalidArgument("histogram " + name +
                               " buckets must be finite and strictly increasing");
      }
    }
    for (const char* suffix : {"_bucket", "_sum", "_count"}) exposed.push_back(name + suffix);
  }
  for (const std::string& candidate : exposed) {
    if (std::find(taken_names_.begin(), taken_names_.end(), candidate) != taken_names_.end()) {
      return AlreadyExists("metric " + candidate + " is declared twice");
    }
  }
  taken_names_.insert(taken_names_.end(), exposed.begin(), exposed.end());
  return Status::Ok();
}

template <typename Metric>
Result<Family<Metric>*> MetricsRegistry::AddFamily(std::string name, std::string help,
                                                   MetricType type,
                                                   std::vector<std::string> label_names,
                                                   std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  CK_RETURN_IF_ERROR(Admit(name, type, label_names, help, &bounds));
  const bool unlabelled = label_names.empty();
  auto family =
      std::make_unique<Family<Metric>>(std::move(name), std::move(help), type,
                                       std::move(label_names), std::move(bounds), max_series_);
  Family<Metric>* raw = family.get();
  families_.push_back(std::move(family));
  if (unlabelled) raw->Get();  // shown (as 0) from the start
  return raw;
}

Result<CounterFamily*> MetricsRegistry::AddCounter(std::string name, std::string help,
                                                   std::vector<std::string> label_names) {
  return AddFamily<Counter>(std::move(name), std::move(help), MetricType::kCounter,
                            std::move(label_names), {});
}

Result<GaugeFamily*> MetricsRegistry::AddGauge(std::string name, std::string help,
                                               std::vector<std::string> label_names) {
  return AddFamily<Gauge>(std::move(name), std::move(help), MetricType::kGauge,
                          std::move(label_names), {});
}

Result<HistogramFamily*> MetricsRegistry::AddHistogram(std::string name, std::string help,
                                                       std::vector<std::string> label_names,
                                                       std::vector<double> bounds) {
  return AddFamily<Histogram>(std::move(name), std::move(help), MetricType::kHistogram,
                              std::move(label_names), std::move(bounds));
}

Status MetricsRegistry::AddCallback(std::string name, std::string help, MetricType type,
                                    std::vector<std::string> label_names, SampleFunction read) {
  if (!read) return InvalidArgument("metric " + name + " has no callback");
  std::lock_guard lock(mutex_);
  CK_RETURN_IF_ERROR(Admit(name, type, label_names, help, nullptr));
  families_.push_back(std::make_unique<CallbackFamily>(std::move(name), std::move(help), type,
                                                       std::move(label_names), std::move(read),
                                                       max_series_));
  return Status::Ok();
}

Status MetricsRegistry::AddCounterCallback(std::string name, std::string help,
                                           std::vector<std::string> label_names,
                                           SampleFunction read) {
  return AddCallback(std::move(name), std::move(help), MetricType::kCounter, std::move(label_names),
                     std::move(read));
}

Status MetricsRegistry::AddGaugeCallback(std::string name, std::string help,
                                         std::vector<std::string> label_names,
                                         SampleFunction read) {
  return AddCallback(std::move(name), std::move(help), MetricType::kGauge, std::move(label_names),
                     std::move(read));
}

namespace {
SampleFunction Single(std::function<double()> read) {
  if (!read) return nullptr;
  return [read = std::move(read)] { return std::vector<Sample>{{{}, read()}}; };
}
}  // namespace

Status MetricsRegistry::AddCounterCallback(std::string name, std::string help,
                                           std::function<double()> read) {
  return AddCounterCallback(std::move(name), std::move(help), {}, Single(std::move(read)));
}

Status MetricsRegistry::AddGaugeCallback(std::string name, std::string help,
                                         std::function<double()> read) {
  return AddGaugeCallback(std::move(name), std::move(help), {}, Single(std::move(read)));
}

std::string MetricsRegistry::Render() const {
  std::vector<const FamilyBase*> families;
  {
    std::lock_guard lock(mutex_);
    for (const auto& family : families_) families.push_back(family.get());
  }
  std::sort(families.begin(), families.end(),
            [](const FamilyBase* a, const FamilyBase* b) { return a->name() < b->name(); });
  // The overflow counter is rendered last (callbacks count their overflow while rendering) and
  // placed in name order.
  std::vector<std::string> parts(families.size());
  size_t overflow_at = families.size();
  for (size_t i = 0; i < families.size(); ++i) {
    if (families[i]->name() == kOverflowMetricName) {
      overflow_at = i;
      continue;
    }
    families[i]->Render(parts[i]);
  }
  if (overflow_at < families.size()) families[overflow_at]->Render(parts[overflow_at]);
  std::string out;
  for (const std::string& part : parts) out += part;
  return out;
}

// ---- HTTP ----

bool IsMetricsRequest(const http::HttpRequest& request) {
  if (request.method() != http::Verb::get && request.method() != http::Verb::head) return false;
  std::string_view target = request.target();
  return target.substr(0, target.find('?')) == "/metrics";
}

http::HttpResponse MetricsResponse(const MetricsRegistry& registry,
                                   const http::HttpRequest& request) {
  http::HttpResponse response = http::MakeResponse(http::HttpStatus::ok, kMetricsContentType,
                                                   registry.Render(), request.version());
  response.set(http::Field::cache_control, "no-store");
  response.keep_alive(request.keep_alive());
  if (request.method() == http::Verb::head) {
    const std::string length = std::to_string(response.body().size());
    response.body().clear();
    response.set(http::Field::content_length, length);
  }
  return response;
}

}  // namespace ck::telemetry
