#include "collector/metrics/metric_store.h"

#include <algorithm>
#include <climits>

#include "core/hex.h"

namespace ck::collector::metrics {
namespace {

constexpr int64_t kMaxDatapointsPerQuery = 1440;
constexpr int64_t kMaxPeriodS = 366 * 24 * 3600;
constexpr size_t kMaxListLimit = 500;
constexpr size_t kMaxDimensionFilters = 10;

int64_t FloorTo(int64_t value, int64_t step) { return value - value % step; }

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto byte = static_cast<uint8_t>(c);
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xf]);
  }
  return out;
}

bool HexDecode(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0 || !IsAllHex(hex)) return false;
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
  };
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    out->push_back(static_cast<char>((nibble(hex[i]) << 4) | nibble(hex[i + 1])));
  }
  return true;
}

bool Matches(const SeriesKey& key, const ListMetricsRequest& request) {
  if (request.metric_name && key.metric_name != *request.metric_name) return false;
  for (const DimensionFilter& filter : request.dimensions) {
    auto it = std::find_if(key.dimensions.begin(), key.dimensions.end(),
                           [&](const Dimension& d) { return d.name == filter.name; });
    if (it == key.dimensions.end()) return false;
    if (filter.value && it->value != *filter.value) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<MetricStore>> MetricStore::Open(MetricStoreOptions options) {
  if (options.clock == nullptr) return InvalidArgument("metric store: a clock is required");
  if (options.high_resolution_retention_s <= 0 || options.standard_retention_s <= 0) {
    return InvalidArgument("metric store: retention must be positive");
  }
  CK_ASSIGN_OR_RETURN(auto database, MetricDatabase::Open(options.path));
  CK_ASSIGN_OR_RETURN(std::vector<SeriesRow> rows, database->LoadSeries());
  std::unique_ptr<MetricStore> store(new MetricStore(std::move(options), std::move(database)));
  for (SeriesRow& row : rows) {
    store->next_series_id_ = std::max(store->next_series_id_, row.id + 1);
    store->series_.emplace(std::move(row.key),
                           SeriesState{.id = row.id,
                                       .unit = std::move(row.unit),
                                       .high_resolution = row.high_resolution,
                                       .last_timestamp_ms = row.last_timestamp_ms});
  }
  return store;
}

MetricStore::MetricStore(MetricStoreOptions options, std::unique_ptr<MetricDatabase> database)
    : options_(std::move(options)), database_(std::move(database)) {}

MetricStore::~MetricStore() { (void)Flush(); }

int64_t MetricStore::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             options_.clock->Now().time_since_epoch())
      .count();
}

Status MetricStore::CheckTimestamp(int64_t timestamp_ms, int64_t now_ms) const {
  if (timestamp_ms < now_ms - options_.standard_retention_s * 1000) {
    return InvalidArgument("Timestamp is more than " +
                           std::to_string(options_.standard_retention_s) + " s in the past");
  }
  if (timestamp_ms > now_ms + options_.max_future_s * 1000) {
    return InvalidArgument("Timestamp is more than " + std::to_string(options_.max_future_s) +
                           " s in the future");
  }
  return Status::Ok();
}

Status MetricStore::Put(std::string_view metric_namespace, std::string_view metric_name,
                        std::vector<Dimension> dimensions, int64_t timestamp_ms, double value,
                        std::string_view unit, int storage_resolution_s) {
  std::vector<MetricDatum> data(1);
  MetricDatum& datum = data.front();
  datum.key.metric_namespace = metric_namespace;
  datum.key.metric_name = metric_name;
  datum.key.dimensions = std::move(dimensions);
  datum.timestamp_ms = timestamp_ms;
  datum.unit = unit;
  datum.storage_resolution_s = storage_resolution_s;
  datum.values.push_back(value);
  return PutMetricData(std::move(data));
}

Status MetricStore::PutMetricData(std::vector<MetricDatum> data) {
  int64_t now_ms = NowMs();
  for (size_t i = 0; i < data.size(); ++i) {
    Status status = NormalizeDatum(data[i]);
    if (status.ok()) status = CheckTimestamp(data[i].timestamp_ms, now_ms);
    if (!status.ok()) {
      std::lock_guard lock(mutex_);
      stats_.datums_rejected += data.size();
      std::string where = data.size() == 1 ? "" : "MetricData[" + std::to_string(i) + "]: ";
      return InvalidArgument(where + status.message());
    }
  }
  size_t series_limited = 0;
  size_t unflushed_limited = 0;
  {
    std::lock_guard lock(mutex_);
    for (const MetricDatum& datum : data) {
      switch (PutLocked(datum, now_ms)) {
        case PutOutcome::kStored:
          break;
        case PutOutcome::kSeriesLimit:
          ++series_limited;
          break;
        case PutOutcome::kUnflushedLimit:
          ++unflushed_limited;
          break;
      }
    }
  }
  if (series_limited > 0) {
    return ResourceExhausted(std::to_string(series_limited) + " of " + std::to_string(data.size()) +
                             " datums dropped: the store holds its limit of " +
                             std::to_string(options_.max_series) + " series");
  }
  if (unflushed_limited > 0) {
    return ResourceExhausted(std::to_string(unflushed_limited) + " of " +
                             std::to_string(data.size()) +
                             " datums dropped: too many datapoints waiting for a flush");
  }
  return Status::Ok();
}

MetricStore::PutOutcome MetricStore::PutLocked(const MetricDatum& datum, int64_t now_ms) {
  auto it = series_.find(datum.key);
  bool high_resolution_point =
      datum.storage_resolution_s == 1 &&
      datum.timestamp_ms >= now_ms - options_.high_resolution_retention_s * 1000;
  BucketKey minute{0, 60, FloorTo(datum.timestamp_ms, 60'000)};
  BucketKey second{0, 1, FloorTo(datum.timestamp_ms, 1000)};
  size_t new_buckets = 0;
  if (it == series_.end()) {
    if (series_.size() >= options_.max_series) {
      ++stats_.datums_dropped_series_limit;
      return PutOutcome::kSeriesLimit;
    }
    new_buckets = high_resolution_point ? 2 : 1;
  } else {
    minute.series_id = second.series_id = it->second.id;
    new_buckets = (pending_.count(minute) == 0 ? 1 : 0) +
                  (high_resolution_point && pending_.count(second) == 0 ? 1 : 0);
  }
  if (pending_.size() + new_buckets > options_.max_unflushed_buckets) {
    ++stats_.datums_dropped_unflushed_limit;
    return PutOutcome::kUnflushedLimit;
  }
  if (it == series_.end()) {
    it = series_.emplace(datum.key, SeriesState{.id = next_series_id_++, .dirty = true}).first;
    minute.series_id = second.series_id = it->second.id;
  }
  SeriesState& series = it->second;
  if (series.unit != datum.unit) {
    series.unit = datum.unit;
    series.dirty = true;
  }
  if (datum.storage_resolution_s == 1 && !series.high_resolution) {
    series.high_resolution = true;
    series.dirty = true;
  }
  if (datum.timestamp_ms > series.last_timestamp_ms) {
    series.last_timestamp_ms = datum.timestamp_ms;
    series.dirty = true;
  }
  pending_[minute].Add(datum);
  if (high_resolution_point) pending_[second].Add(datum);
  ++stats_.datums_accepted;
  return PutOutcome::kStored;
}

Status MetricStore::Flush() {
  std::lock_guard database_lock(database_mutex_);
  return FlushLocked();
}

Status MetricStore::FlushLocked() {
  // A series expired from memory whose rows a failed retention run left behind must go first:
  // a put may have recreated its key under a new id.
  if (!expired_series_.empty()) CK_RETURN_IF_ERROR(ApplyRetentionLocked(NowMs()));
  std::map<BucketKey, Aggregate> batch;
  std::vector<SeriesRow> rows;
  {
    std::lock_guard lock(mutex_);
    batch.swap(pending_);
    for (auto& [key, series] : series_) {
      if (!series.dirty) continue;
      rows.push_back(SeriesRow{.id = series.id,
                               .key = key,
                               .unit = series.unit,
                               .high_resolution = series.high_resolution,
                               .last_timestamp_ms = series.last_timestamp_ms});
      series.dirty = false;
    }
  }
  if (!batch.empty() || !rows.empty()) {
    Result<uint64_t> written = database_->Write(rows, batch);
    std::lock_guard lock(mutex_);
    if (!written.ok()) {
      // Keep everything for the next attempt: merge back under what arrived meanwhile.
      ++stats_.flush_failures;
      for (const auto& [key, delta] : batch) pending_[key].Merge(delta);
      for (const SeriesRow& row : rows) {
        auto it = series_.find(row.key);
        if (it != series_.end()) it->second.dirty = true;
      }
      return written.status();
    }
    ++stats_.flushes;
    stats_.buckets_written += *written;
  }
  int64_t now_ms = NowMs();
  if (now_ms - last_retention_ms_ >= options_.retention_interval_s * 1000) {
    return ApplyRetentionLocked(now_ms);
  }
  return Status::Ok();
}

Status MetricStore::ApplyRetention() {
  std::lock_guard database_lock(database_mutex_);
  return ApplyRetentionLocked(NowMs());
}

Status MetricStore::ApplyRetentionLocked(int64_t now_ms) {
  last_retention_ms_ = now_ms;
  int64_t second_horizon = now_ms - options_.high_resolution_retention_s * 1000;
  int64_t minute_horizon = now_ms - options_.standard_retention_s * 1000;
  {
    std::lock_guard lock(mutex_);
    for (auto it = series_.begin(); it != series_.end();) {
      int64_t id = it->second.id;
      auto pending = pending_.lower_bound(BucketKey{id, INT32_MIN, INT64_MIN});
      bool has_pending = pending != pending_.end() && pending->first.series_id == id;
      if (it->second.last_timestamp_ms >= minute_horizon || has_pending) {
        ++it;
        continue;
      }
      expired_series_.push_back(id);
      ++stats_.series_expired;
      it = series_.erase(it);
    }
  }
  Result<uint64_t> pruned = database_->Prune(second_horizon, minute_horizon, expired_series_);
  if (!pruned.ok()) return pruned.status();  // the expired ids are retried next time
  expired_series_.clear();
  std::lock_guard lock(mutex_);
  stats_.buckets_pruned += *pruned;
  return Status::Ok();
}

Result<std::vector<StatisticsDatapoint>> MetricStore::GetStatistics(
    const StatisticsRequest& request) {
  CK_ASSIGN_OR_RETURN(std::vector<Statistic> statistics, ParseStatistics(request.statistics));
  CK_RETURN_IF_ERROR(ValidatePeriod(request.period_s));
  if (request.period_s > kMaxPeriodS) return InvalidArgument("Period must be at most 366 days");
  if (request.start_ms < 0) return InvalidArgument("StartTime must not be before 1970");
  if (request.start_ms >= request.end_ms) {
    return InvalidArgument("StartTime must be before EndTime");
  }
  SeriesKey key = request.key;
  CK_RETURN_IF_ERROR(NormalizeSeriesKey(key));
  int64_t period_ms = request.period_s * 1000;
  int64_t aligned_start = FloorTo(request.start_ms, period_ms);
  int64_t span = request.end_ms - aligned_start;
  int64_t periods = span / period_ms + (span % period_ms != 0 ? 1 : 0);
  if (periods > kMaxDatapointsPerQuery) {
    return InvalidArgument("the request covers " + std::to_string(periods) +
                           " periods; at most 1440 datapoints per request");
  }
  int32_t resolution_s = request.period_s < 60 ? 1 : 60;
  int64_t retention_s =
      resolution_s == 1 ? options_.high_resolution_retention_s : options_.standard_retention_s;
  int64_t scan_start = std::max(aligned_start, NowMs() - retention_s * 1000);
  bool with_distribution =
      std::any_of(statistics.begin(), statistics.end(),
                  [](const Statistic& s) { return s.kind == StatisticKind::kPercentile; });

  std::lock_guard database_lock(database_mutex_);
  int64_t series_id = 0;
  std::string unit;
  std::vector<std::pair<int64_t, Aggregate>> unflushed;
  {
    std::lock_guard lock(mutex_);
    auto it = series_.find(key);
    if (it == series_.end()) return std::vector<StatisticsDatapoint>{};
    series_id = it->second.id;
    unit = it->second.unit;
    auto pending = pending_.lower_bound(BucketKey{series_id, resolution_s, scan_start});
    auto last = pending_.lower_bound(BucketKey{series_id, resolution_s, request.end_ms});
    for (; pending != last; ++pending)
      unflushed.emplace_back(pending->first.timestamp_ms, pending->second);
  }
  std::map<int64_t, Aggregate> by_period;
  if (scan_start < request.end_ms) {
    CK_RETURN_IF_ERROR(
        database_->Scan(series_id, resolution_s, scan_start, request.end_ms, with_distribution,
                        [&](int64_t timestamp_ms, const Aggregate& aggregate) {
                          by_period[FloorTo(timestamp_ms, period_ms)].Merge(aggregate);
                        }));
  }
  for (const auto& [timestamp_ms, aggregate] : unflushed) {
    by_period[FloorTo(timestamp_ms, period_ms)].Merge(aggregate);
  }
  std::vector<StatisticsDatapoint> out;
  out.reserve(by_period.size());
  for (const auto& [timestamp_ms, aggregate] : by_period) {
    if (!aggregate.empty())
      out.push_back(ComputeDatapoint(aggregate, timestamp_ms, unit, statistics));
  }
  return out;
}

Result<ListMetricsResult> MetricStore::ListMetrics(const ListMetricsRequest& request) const {
  if (request.limit == 0 || request.limit > kMaxListLimit) {
    return InvalidArgument("the page size must be 1 to 500");
  }
  if (request.dimensions.size() > kMaxDimensionFilters) {
    return InvalidArgument("at most 10 dimension filters");
  }
  std::optional<SeriesKey> after;
  if (!request.next_token.empty()) {
    std::string bytes;
    SeriesKey key;
    if (!HexDecode(request.next_token, &bytes) || !DecodeSeriesKey(bytes, &key)) {
      return InvalidArgument("invalid NextToken");
    }
    after = std::move(key);
  }
  ListMetricsResult result;
  std::lock_guard lock(mutex_);
  auto it = series_.begin();
  if (after) {
    it = series_.upper_bound(*after);
  } else if (request.metric_namespace) {
    it = series_.lower_bound(SeriesKey{*request.metric_namespace, "", {}});
  }
  for (; it != series_.end(); ++it) {
    const SeriesKey& key = it->first;
    if (request.metric_namespace && key.metric_namespace != *request.metric_namespace) {
      if (key.metric_namespace > *request.metric_namespace) break;
      continue;
    }
    if (!Matches(key, request)) continue;
    if (result.metrics.size() == request.limit) {
      result.next_token = HexEncode(EncodeSeriesKey(result.metrics.back().key));
      break;
    }
    result.metrics.push_back(ListedMetric{
        .key = key, .unit = it->second.unit, .high_resolution = it->second.high_resolution});
  }
  return result;
}

MetricStoreStats MetricStore::stats() const {
  std::lock_guard lock(mutex_);
  MetricStoreStats out = stats_;
  out.series = series_.size();
  out.unflushed_buckets = pending_.size();
  return out;
}

}  // namespace ck::collector::metrics
