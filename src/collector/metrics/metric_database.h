// MetricDatabase: the SQLite layout behind MetricStore (one file, WAL).
//
//   series(id, key, namespace, name, unit, high_resolution, last_timestamp_ms)
//   points(series_id, resolution, timestamp_ms, data)  -- primary key (series_id, resolution, ts)
//
// `key` is EncodeSeriesKey's encoding (unique; namespace and name are repeated as text for
// inspection with the sqlite3 shell); `data` is an encoded Aggregate.
// `resolution` is 1 (1-second datapoints of high-resolution puts) or 60 (1-minute rollups of
// every put). Write() stores one flush in one transaction, merging each delta into the stored
// row, so a crash leaves either the whole flush or none of it.
//
//   CK_ASSIGN_OR_RETURN(auto database, MetricDatabase::Open(path));
//   CK_RETURN_IF_ERROR(database->Write(series_rows, deltas));
//
// Failure modes: Internal for SQLite failures and undecodable rows (Unavailable when the file is
// locked). Thread-safety: none; MetricStore serialises access.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "collector/metrics/aggregate.h"
#include "collector/metrics/metric_types.h"
#include "core/sqlite_database.h"
#include "core/status.h"

namespace ck::collector::metrics {

struct SeriesRow {
  int64_t id = 0;
  SeriesKey key;
  std::string unit = "None";
  bool high_resolution = false;
  int64_t last_timestamp_ms = 0;
};

// One stored datapoint: a series, a tier (1 or 60 s) and the start of its time bucket.
struct BucketKey {
  int64_t series_id = 0;
  int32_t resolution_s = 60;
  int64_t timestamp_ms = 0;
  auto operator<=>(const BucketKey&) const = default;
};

class MetricDatabase {
 public:
  static Result<std::unique_ptr<MetricDatabase>> Open(const std::string& path);

  Result<std::vector<SeriesRow>> LoadSeries();

  // In one transaction: inserts or updates `series`, then adds each delta to its stored bucket.
  // Returns the number of buckets written.
  Result<uint64_t> Write(const std::vector<SeriesRow>& series,
                         const std::map<BucketKey, Aggregate>& deltas);

  // Visits the stored buckets of one series and tier with timestamps in [start_ms, end_ms), in
  // time order. Without `with_distribution` the aggregates carry no distribution.
  Status Scan(int64_t series_id, int32_t resolution_s, int64_t start_ms, int64_t end_ms,
              bool with_distribution,
              const std::function<void(int64_t timestamp_ms, const Aggregate&)>& visit);

  // In one transaction: deletes 1-second buckets before `second_horizon_ms`, 1-minute buckets
  // before `minute_horizon_ms`, and the series listed (with their buckets). Returns the number of
  // buckets deleted.
  Result<uint64_t> Prune(int64_t second_horizon_ms, int64_t minute_horizon_ms,
                         const std::vector<int64_t>& expired_series);

 private:
  explicit MetricDatabase(std::unique_ptr<SqliteDatabase> database)
      : database_(std::move(database)) {}
  // Runs `body` between BEGIN IMMEDIATE and COMMIT, rolling back when it fails.
  Status InTransaction(const std::function<Status()>& body);

  std::unique_ptr<SqliteDatabase> database_;
};

}  // namespace ck::collector::metrics
