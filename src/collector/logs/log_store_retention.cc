// LogStore's deletes: retention by age and by size, and deleting groups and streams. Whole blocks
// go when all their events go; a block only partly affected is rewritten with the events that
// stay (under the same id, so those keep their ids). Every delete works in batches of
// kDeleteBatchBlocks blocks, one transaction each, so a writer waiting to append is held up for
// milliseconds, not for the whole delete.
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

Result<std::pair<uint64_t, uint64_t>> LogStore::Impl::TrimBlock(
    int64_t group_id, const BlockRow& block, const std::function<bool(size_t)>& keep) {
  CK_ASSIGN_OR_RETURN(auto select, database->Prepare("SELECT messages FROM block_messages WHERE "
                                                     "block_id = ?1"));
  select->BindInt(1, block.id);
  CK_ASSIGN_OR_RETURN(bool row, select->Step());
  const std::string messages(row ? select->ColumnBlob(0) : std::string_view());
  select->Reset();
  CK_ASSIGN_OR_RETURN(DecodedLogBlock decoded,
                      DecodeLogBlock(block.Columns(messages), /*messages=*/true, /*traces=*/true));
  LogBlockBuilder builder;
  for (size_t i = 0; i < block.count; ++i) {
    if (keep(i)) {
      builder.set_ingestion(decoded.Ingestion(i));
      builder.AddNumbered(decoded.numbers[i], decoded.timestamps[i], decoded.Message(i),
                          decoded.traces[i]);
    }
  }
  const uint64_t events = block.count - builder.count();
  const uint64_t bytes = block.bytes - builder.bytes();
  CK_RETURN_IF_ERROR(DeleteBlock(block));
  if (builder.count() > 0) {
    CK_RETURN_IF_ERROR(WriteBlock(group_id, block.stream_id, builder.Finish(), block.id).status());
  }
  return std::make_pair(events, bytes);
}

Result<std::pair<uint64_t, bool>> LogStore::Impl::DeleteGroupBatch(
    int64_t group_id, int64_t before_ms, std::optional<int64_t> stream_id) {
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*database, /*write=*/true));
  std::vector<BlockRow> blocks;
  {
    // Blocks rewritten by an earlier batch now start at or after before_ms: each block is
    // looked at once.
    const std::string stream_filter = stream_id ? " AND stream_id = ?4" : "";
    CK_ASSIGN_OR_RETURN(auto select,
                        database->Prepare(std::string("SELECT ") + kBlockRowColumns +
                                          " FROM blocks WHERE group_id = ?1 AND first_ms < ?2" +
                                          stream_filter + " ORDER BY first_ms LIMIT ?3"));
    select->BindInt(1, group_id);
    select->BindInt(2, before_ms);
    select->BindInt(3, kDeleteBatchBlocks);
    if (stream_id) select->BindInt(4, *stream_id);
    while (true) {
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      blocks.push_back(ReadBlockRow(select->handle()));
    }
  }
  if (blocks.empty()) return std::make_pair(uint64_t{0}, false);
  StreamDeltas deltas;
  uint64_t deleted = 0;
  for (const BlockRow& block : blocks) {
    StreamDelta& delta = deltas.For(block.stream_id);
    if (block.last_ms < before_ms) {
      CK_RETURN_IF_ERROR(DeleteBlock(block));
      delta.events += block.count;
      delta.bytes += static_cast<int64_t>(block.bytes);
      deleted += block.count;
      continue;
    }
    CK_ASSIGN_OR_RETURN(DecodedLogBlock decoded,
                        DecodeLogBlock(block.Columns(), /*messages=*/false, /*traces=*/false));
    CK_ASSIGN_OR_RETURN(auto gone, TrimBlock(group_id, block, [&](size_t i) {
                          return decoded.timestamps[i] >= before_ms;
                        }));
    delta.events += static_cast<int64_t>(gone.first);
    delta.bytes += static_cast<int64_t>(gone.second);
    deleted += gone.first;
  }
  for (const StreamDelta& delta : deltas.all()) {
    CK_RETURN_IF_ERROR(ApplyStreamDeltas(delta, -1, 0));
  }
  CK_RETURN_IF_ERROR(transaction.Commit());
  return std::make_pair(deleted, blocks.size() == static_cast<size_t>(kDeleteBatchBlocks));
}

Result<uint64_t> LogStore::Impl::DeleteOldestBatch(uint64_t excess) {
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*database, /*write=*/true));
  std::vector<std::pair<int64_t, BlockRow>> blocks;  // group id, block
  {
    CK_ASSIGN_OR_RETURN(auto select,
                        database->Prepare(std::string("SELECT ") + kBlockRowColumns +
                                          ", group_id FROM blocks ORDER BY id LIMIT ?1"));
    select->BindInt(1, kDeleteBatchBlocks);
    uint64_t bytes = 0;
    while (bytes < excess) {
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      blocks.emplace_back(select->ColumnInt(12), ReadBlockRow(select->handle()));
      bytes += blocks.back().second.bytes;
    }
  }
  StreamDeltas deltas;
  uint64_t deleted = 0;
  uint64_t freed = 0;
  for (const auto& [group_id, block] : blocks) {
    StreamDelta& delta = deltas.For(block.stream_id);
    if (freed + block.bytes <= excess) {
      CK_RETURN_IF_ERROR(DeleteBlock(block));
      delta.events += block.count;
      delta.bytes += static_cast<int64_t>(block.bytes);
      deleted += block.count;
      freed += block.bytes;
      continue;
    }
    // The first-ingested events of this block (lowest numbers first) until enough is freed.
    CK_ASSIGN_OR_RETURN(std::vector<uint32_t> sizes, MessageLengths(block.lengths, block.count));
    size_t cut = 0;
    uint64_t cut_bytes = 0;
    while (cut < block.count && freed + cut_bytes < excess) cut_bytes += sizes[cut++];
    CK_ASSIGN_OR_RETURN(auto gone,
                        TrimBlock(group_id, block, [cut](size_t i) { return i >= cut; }));
    delta.events += static_cast<int64_t>(gone.first);
    delta.bytes += static_cast<int64_t>(gone.second);
    deleted += gone.first;
    freed += gone.second;
    break;
  }
  for (const StreamDelta& delta : deltas.all()) {
    CK_RETURN_IF_ERROR(ApplyStreamDeltas(delta, -1, 0));
  }
  CK_RETURN_IF_ERROR(transaction.Commit());
  return deleted;
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
      CK_ASSIGN_OR_RETURN(auto batch, impl.DeleteGroupBatch(group_id, cutoff, std::nullopt));
      impl.deleted_by_retention += batch.first;
      deleted += batch.first;
      if (!batch.second) break;
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
    CK_ASSIGN_OR_RETURN(auto batch, impl.DeleteGroupBatch(group_id, INT64_MAX, *stream_id));
    if (!batch.second) break;
  }
  // Whatever was appended meanwhile goes with the stream row, atomically.
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl.database, /*write=*/true));
  CK_RETURN_IF_ERROR(impl.DeleteBlocksOf("stream_id", *stream_id));
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
    CK_ASSIGN_OR_RETURN(auto batch, impl.DeleteGroupBatch(group_id, INT64_MAX, std::nullopt));
    if (!batch.second) break;
  }
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl.database, /*write=*/true));
  CK_RETURN_IF_ERROR(impl.DeleteBlocksOf("group_id", group_id));
  for (const char* sql :
       {"DELETE FROM streams WHERE group_id = ?1", "DELETE FROM groups WHERE id = ?1"}) {
    CK_ASSIGN_OR_RETURN(auto remove, impl.database->Prepare(sql));
    remove->BindInt(1, group_id);
    CK_RETURN_IF_ERROR(remove->Run());
  }
  return transaction.Commit();
}

Status LogStore::Impl::DeleteBlocksOf(std::string_view column, int64_t id) {
  std::vector<BlockRow> blocks;
  {
    CK_ASSIGN_OR_RETURN(auto select,
                        database->Prepare(std::string("SELECT ") + kBlockRowColumns +
                                          " FROM blocks WHERE " + std::string(column) + " = ?1"));
    select->BindInt(1, id);
    while (true) {
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      blocks.push_back(ReadBlockRow(select->handle()));
    }
  }
  for (const BlockRow& block : blocks) CK_RETURN_IF_ERROR(DeleteBlock(block));
  return Status::Ok();
}

}  // namespace ck::collector::logs
