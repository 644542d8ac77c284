// LogStore's deletes: retention by age and by size, and deleting groups and streams. Every one
// works in batches of kDeleteBatch events, one transaction each, so a writer waiting to append
// is held up for milliseconds, not for the whole delete.
#include <climits>

#include "collector/logs/log_store.h"
#include "collector/logs/log_store_impl.h"

namespace ck::collector::logs {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

}  // namespace

Result<uint64_t> LogStore::Impl::StoredBytes() {
  CK_ASSIGN_OR_RETURN(auto select,
                      database->Prepare("SELECT coalesce(sum(stored_bytes), 0) FROM streams"));
  CK_ASSIGN_OR_RETURN(bool row, select->Step());
  return row ? static_cast<uint64_t>(select->ColumnInt(0)) : 0;
}

Result<uint64_t> LogStore::Impl::DeleteGroupBatch(int64_t group_id, int64_t before_ms,
                                                  std::optional<int64_t> stream_id) {
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*database, /*write=*/true));
  const std::string stream_filter = stream_id ? " AND stream_id = ?4" : "";
  StreamDeltas deltas;
  uint64_t selected = 0;
  int64_t last_ms = 0;
  int64_t last_id = 0;
  {
    CK_ASSIGN_OR_RETURN(auto select,
                        database->Prepare("SELECT id, timestamp_ms, stream_id, "
                                          "length(CAST(message AS BLOB)) FROM events WHERE "
                                          "group_id = ?1 AND timestamp_ms < ?2" +
                                          stream_filter + " ORDER BY timestamp_ms, id LIMIT ?3"));
    select->BindInt(1, group_id);
    select->BindInt(2, before_ms);
    select->BindInt(3, kDeleteBatch);
    if (stream_id) select->BindInt(4, *stream_id);
    while (true) {
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      ++selected;
      last_id = select->ColumnInt(0);
      last_ms = select->ColumnInt(1);
      StreamDelta& delta = deltas.For(select->ColumnInt(2));
      ++delta.events;
      delta.bytes += select->ColumnInt(3);
    }
  }
  if (selected == 0) return 0;
  // The same rows, by their position in the (group_id, timestamp_ms, id) index.
  CK_ASSIGN_OR_RETURN(auto remove,
                      database->Prepare("DELETE FROM events WHERE group_id = ?1 AND "
                                        "timestamp_ms <= ?2 AND (timestamp_ms < ?2 OR id <= ?3)" +
                                        stream_filter));
  remove->BindInt(1, group_id);
  remove->BindInt(2, last_ms);
  remove->BindInt(3, last_id);
  if (stream_id) remove->BindInt(4, *stream_id);
  CK_RETURN_IF_ERROR(remove->Run());
  for (const StreamDelta& delta : deltas.all()) {
    CK_RETURN_IF_ERROR(ApplyStreamDeltas(delta, -1, 0));
  }
  CK_RETURN_IF_ERROR(transaction.Commit());
  return selected;
}

Result<uint64_t> LogStore::Impl::DeleteOldestBatch(uint64_t excess) {
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*database, /*write=*/true));
  StreamDeltas deltas;
  uint64_t selected = 0;
  uint64_t bytes = 0;
  int64_t last_id = 0;
  {
    CK_ASSIGN_OR_RETURN(auto select, database->Prepare("SELECT id, stream_id, "
                                                       "length(CAST(message AS BLOB)) FROM events "
                                                       "ORDER BY id LIMIT ?1"));
    select->BindInt(1, kDeleteBatch);
    while (bytes < excess) {
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      ++selected;
      last_id = select->ColumnInt(0);
      const int64_t size = select->ColumnInt(2);
      StreamDelta& delta = deltas.For(select->ColumnInt(1));
      ++delta.events;
      delta.bytes += size;
      bytes += static_cast<uint64_t>(size);
    }
  }
  if (selected == 0) return 0;
  CK_ASSIGN_OR_RETURN(auto remove, database->Prepare("DELETE FROM events WHERE id <= ?1"));
  remove->BindInt(1, last_id);
  CK_RETURN_IF_ERROR(remove->Run());
  for (const StreamDelta& delta : deltas.all()) {
    CK_RETURN_IF_ERROR(ApplyStreamDeltas(delta, -1, 0));
  }
  CK_RETURN_IF_ERROR(transaction.Commit());
  return selected;
}

Result<uint64_t> LogStore::ApplyRetention() {
  Impl& impl = *impl_;
  uint64_t deleted = 0;
  const int64_t now_ms = impl.NowMs();
  std::vector<std::pair<int64_t, int64_t>> expiring;  // group id, cutoff
  {
    CK_ASSIGN_OR_RETURN(auto select, impl.database->Prepare("SELECT id, retention_days FROM groups "
                                                            "WHERE retention_days IS NOT NULL"));
    while (true) {
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      expiring.emplace_back(select->ColumnInt(0), now_ms - select->ColumnInt(1) * kMillisPerDay);
    }
  }
  for (const auto& [group_id, cutoff] : expiring) {
    while (true) {
      CK_ASSIGN_OR_RETURN(uint64_t batch, impl.DeleteGroupBatch(group_id, cutoff, std::nullopt));
      impl.deleted_by_retention += batch;
      deleted += batch;
      if (batch < static_cast<uint64_t>(kDeleteBatch)) break;
    }
  }
  while (true) {
    CK_ASSIGN_OR_RETURN(uint64_t stored, impl.StoredBytes());
    if (stored <= impl.options.max_bytes) break;
    CK_ASSIGN_OR_RETURN(uint64_t batch, impl.DeleteOldestBatch(stored - impl.options.max_bytes));
    if (batch == 0) break;  // counters say bytes remain but no event does: nothing to delete
    impl.deleted_by_size += batch;
    deleted += batch;
  }
  return deleted;
}

Status LogStore::DeleteStream(std::string_view group, std::string_view stream) {
  Impl& impl = *impl_;
  CK_ASSIGN_OR_RETURN(int64_t group_id, impl.GroupOrNotFound(group));
  CK_ASSIGN_OR_RETURN(auto stream_id, impl.FindStream(group_id, stream));
  if (!stream_id) return NotFound(std::string(kStreamNotFound));
  impl.ClearCaches();
  while (true) {
    CK_ASSIGN_OR_RETURN(uint64_t batch, impl.DeleteGroupBatch(group_id, INT64_MAX, *stream_id));
    if (batch < static_cast<uint64_t>(kDeleteBatch)) break;
  }
  // Whatever was appended meanwhile goes with the stream row, atomically.
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl.database, /*write=*/true));
  CK_ASSIGN_OR_RETURN(auto events, impl.database->Prepare("DELETE FROM events WHERE group_id = ?1 "
                                                          "AND stream_id = ?2"));
  events->BindInt(1, group_id);
  events->BindInt(2, *stream_id);
  CK_RETURN_IF_ERROR(events->Run());
  CK_ASSIGN_OR_RETURN(auto row, impl.database->Prepare("DELETE FROM streams WHERE id = ?1"));
  row->BindInt(1, *stream_id);
  CK_RETURN_IF_ERROR(row->Run());
  return transaction.Commit();
}

Status LogStore::DeleteGroup(std::string_view group) {
  Impl& impl = *impl_;
  CK_ASSIGN_OR_RETURN(int64_t group_id, impl.GroupOrNotFound(group));
  impl.ClearCaches();
  while (true) {
    CK_ASSIGN_OR_RETURN(uint64_t batch, impl.DeleteGroupBatch(group_id, INT64_MAX, std::nullopt));
    if (batch < static_cast<uint64_t>(kDeleteBatch)) break;
  }
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl.database, /*write=*/true));
  for (const char* sql :
       {"DELETE FROM events WHERE group_id = ?1", "DELETE FROM streams WHERE group_id = ?1",
        "DELETE FROM groups WHERE id = ?1"}) {
    CK_ASSIGN_OR_RETURN(auto remove, impl.database->Prepare(sql));
    remove->BindInt(1, group_id);
    CK_RETURN_IF_ERROR(remove->Run());
  }
  return transaction.Commit();
}

}  // namespace ck::collector::logs
