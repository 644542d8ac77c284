#include "collector/metrics/metric_database.h"

namespace ck::collector::metrics {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY,
  key BLOB NOT NULL UNIQUE,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL,
  high_resolution INTEGER NOT NULL,
  last_timestamp_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS points (
  series_id INTEGER NOT NULL,
  resolution INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (series_id, resolution, timestamp_ms)
) WITHOUT ROWID;
)sql";

}  // namespace

Result<std::unique_ptr<MetricDatabase>> MetricDatabase::Open(const std::string& path) {
  CK_ASSIGN_OR_RETURN(auto database, SqliteDatabase::Open(path));
  // NORMAL in WAL mode: a process crash loses no committed flush; only power loss may lose the
  // last few, which is what a telemetry store can afford.
  CK_RETURN_IF_ERROR(database->Exec(
      "PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
      "PRAGMA temp_store=MEMORY;"));
  CK_RETURN_IF_ERROR(database->Exec(kSchema));
  return std::unique_ptr<MetricDatabase>(new MetricDatabase(std::move(database)));
}

Status MetricDatabase::InTransaction(const std::function<Status()>& body) {
  CK_RETURN_IF_ERROR(database_->Exec("BEGIN IMMEDIATE"));
  Status status = body();
  if (status.ok()) status = database_->Exec("COMMIT");
  if (!status.ok()) (void)database_->Exec("ROLLBACK");
  return status;
}

Result<std::vector<SeriesRow>> MetricDatabase::LoadSeries() {
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("SELECT id, key, unit, high_resolution, "
                                         "last_timestamp_ms FROM series ORDER BY id"));
  std::vector<SeriesRow> rows;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
    if (!has_row) break;
    SeriesRow row;
    row.id = statement->ColumnInt(0);
    if (!DecodeSeriesKey(statement->ColumnBlob(1), &row.key)) {
      return Internal("metric store: undecodable key for series " + std::to_string(row.id));
    }
    row.unit = std::string(statement->ColumnText(2));
    row.high_resolution = statement->ColumnInt(3) != 0;
    row.last_timestamp_ms = statement->ColumnInt(4);
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<uint64_t> MetricDatabase::Write(const std::vector<SeriesRow>& series,
                                       const std::map<BucketKey, Aggregate>& deltas) {
  uint64_t written = 0;
  Status status = InTransaction([&]() -> Status {
    for (const SeriesRow& row : series) {
      CK_ASSIGN_OR_RETURN(
          auto upsert,
          database_->Prepare(
              "INSERT INTO series (id, key, namespace, name, unit, high_resolution, "
              "last_timestamp_ms) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
              "unit = excluded.unit, high_resolution = excluded.high_resolution, "
              "last_timestamp_ms = excluded.last_timestamp_ms"));
      upsert->BindInt(1, row.id);
      upsert->BindBlob(2, EncodeSeriesKey(row.key));
      upsert->BindText(3, row.key.metric_namespace);
      upsert->BindText(4, row.key.metric_name);
      upsert->BindText(5, row.unit);
      upsert->BindInt(6, row.high_resolution ? 1 : 0);
      upsert->BindInt(7, row.last_timestamp_ms);
      CK_RETURN_IF_ERROR(upsert->Run());
    }
    std::string encoded;
    for (const auto& [key, delta] : deltas) {
      Aggregate merged = delta;
      {
        CK_ASSIGN_OR_RETURN(auto select,
                            database_->Prepare("SELECT data FROM points WHERE series_id = ? AND "
                                               "resolution = ? AND timestamp_ms = ?"));
        select->BindInt(1, key.series_id);
        select->BindInt(2, key.resolution_s);
        select->BindInt(3, key.timestamp_ms);
        CK_ASSIGN_OR_RETURN(bool has_row, select->Step());
        if (has_row) {
          Aggregate stored;
          if (!Aggregate::Decode(select->ColumnBlob(0), true, &stored)) {
            return Internal("metric store: undecodable datapoint of series " +
                            std::to_string(key.series_id));
          }
          stored.Merge(delta);
          merged = std::move(stored);
        }
      }
      encoded.clear();
      merged.EncodeTo(encoded);
      CK_ASSIGN_OR_RETURN(
          auto insert, database_->Prepare("INSERT OR REPLACE INTO points (series_id, "
                                          "resolution, timestamp_ms, data) VALUES (?, ?, ?, ?)"));
      insert->BindInt(1, key.series_id);
      insert->BindInt(2, key.resolution_s);
      insert->BindInt(3, key.timestamp_ms);
      insert->BindBlob(4, encoded);
      CK_RETURN_IF_ERROR(insert->Run());
      ++written;
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return written;
}

Status MetricDatabase::Scan(int64_t series_id, int32_t resolution_s, int64_t start_ms,
                            int64_t end_ms, bool with_distribution,
                            const std::function<void(int64_t, const Aggregate&)>& visit) {
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("SELECT timestamp_ms, data FROM points WHERE series_id = "
                                         "? AND resolution = ? AND timestamp_ms >= ? AND "
                                         "timestamp_ms < ? ORDER BY timestamp_ms"));
  statement->BindInt(1, series_id);
  statement->BindInt(2, resolution_s);
  statement->BindInt(3, start_ms);
  statement->BindInt(4, end_ms);
  Aggregate aggregate;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
    if (!has_row) break;
    if (!Aggregate::Decode(statement->ColumnBlob(1), with_distribution, &aggregate)) {
      return Internal("metric store: undecodable datapoint of series " + std::to_string(series_id));
    }
    visit(statement->ColumnInt(0), aggregate);
  }
  return Status::Ok();
}

Result<uint64_t> MetricDatabase::Prune(int64_t second_horizon_ms, int64_t minute_horizon_ms,
                                       const std::vector<int64_t>& expired_series) {
  uint64_t deleted = 0;
  Status status = InTransaction([&]() -> Status {
    // Driven by the series ids, so each delete is a range seek on the primary key rather than a
    // scan of every stored point.
    for (auto [resolution, horizon] : {std::pair<int64_t, int64_t>{1, second_horizon_ms},
                                       std::pair<int64_t, int64_t>{60, minute_horizon_ms}}) {
      CK_ASSIGN_OR_RETURN(
          auto prune, database_->Prepare("DELETE FROM points WHERE series_id IN (SELECT id "
                                         "FROM series) AND resolution = ? AND timestamp_ms < ?"));
      prune->BindInt(1, resolution);
      prune->BindInt(2, horizon);
      CK_RETURN_IF_ERROR(prune->Run());
      deleted += static_cast<uint64_t>(database_->Changes());
    }
    for (int64_t id : expired_series) {
      CK_ASSIGN_OR_RETURN(auto points,
                          database_->Prepare("DELETE FROM points WHERE series_id = ?"));
      points->BindInt(1, id);
      CK_RETURN_IF_ERROR(points->Run());
      deleted += static_cast<uint64_t>(database_->Changes());
      CK_ASSIGN_OR_RETURN(auto row, database_->Prepare("DELETE FROM series WHERE id = ?"));
      row->BindInt(1, id);
      CK_RETURN_IF_ERROR(row->Run());
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return deleted;
}

}  // namespace ck::collector::metrics
