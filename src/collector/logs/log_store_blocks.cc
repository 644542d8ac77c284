// LogStore's blocks (log_block.h) in SQLite: writing one (with its messages and trace filter),
// merging a small append into a stream's last block, deleting one, reading one's columns.
#include <algorithm>

#include "collector/logs/log_store.h"
#include "collector/logs/log_store_impl.h"

namespace ck::collector::logs {
namespace {

void TraceBloomMayContainFunction(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 2) {
    sqlite3_result_int(context, 1);
    return;
  }
  const auto bytes = [](sqlite3_value* value) {
    const void* data = sqlite3_value_blob(value);
    const int size = sqlite3_value_bytes(value);
    return data == nullptr
               ? std::string_view()
               : std::string_view(static_cast<const char*>(data), static_cast<size_t>(size));
  };
  sqlite3_result_int(context, TraceBloomMayContain(bytes(argv[0]), bytes(argv[1])) ? 1 : 0);
}

}  // namespace

Status RegisterTraceBloomFunction(SqliteDatabase& database) {
  const int code =
      sqlite3_create_function_v2(database.handle(), "ck_trace_bloom_may_contain", 2,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr,
                                 TraceBloomMayContainFunction, nullptr, nullptr, nullptr);
  if (code != SQLITE_OK) return SqliteStatus(database.handle(), code, "sqlite function");
  return Status::Ok();
}

const char* const kBlockRowColumns =
    "id, stream_id, first_ms, last_ms, count, bytes, times, indexes, lengths, traces, "
    "ingestion_ms, ingestions";

BlockRow ReadBlockRow(sqlite3_stmt* statement) {
  BlockRow row;
  row.id = sqlite3_column_int64(statement, 0);
  row.stream_id = sqlite3_column_int64(statement, 1);
  row.first_ms = sqlite3_column_int64(statement, 2);
  row.last_ms = sqlite3_column_int64(statement, 3);
  row.count = static_cast<uint32_t>(sqlite3_column_int64(statement, 4));
  row.bytes = static_cast<uint64_t>(sqlite3_column_int64(statement, 5));
  row.times = ColumnBlob(statement, 6);
  row.indexes = ColumnBlob(statement, 7);
  row.lengths = ColumnBlob(statement, 8);
  row.traces = ColumnBlob(statement, 9);
  row.ingestion_ms = sqlite3_column_int64(statement, 10);
  row.ingestions = ColumnBlob(statement, 11);
  return row;
}

Result<int64_t> LogStore::Impl::WriteBlock(int64_t group_id, int64_t stream_id,
                                           const EncodedLogBlock& block,
                                           std::optional<int64_t> block_id) {
  sqlite3* handle = database->handle();
  sqlite3_stmt* insert = insert_block.get();
  if (block_id) {
    sqlite3_bind_int64(insert, 1, *block_id);
  } else {
    sqlite3_bind_null(insert, 1);
  }
  sqlite3_bind_int64(insert, 2, group_id);
  sqlite3_bind_int64(insert, 3, stream_id);
  sqlite3_bind_int64(insert, 4, block.first_ms);
  sqlite3_bind_int64(insert, 5, block.last_ms);
  sqlite3_bind_int64(insert, 6, block.ingestion_ms);
  sqlite3_bind_int64(insert, 7, block.count);
  sqlite3_bind_int64(insert, 8, static_cast<int64_t>(block.bytes));
  // The block outlives each step: SQLITE_STATIC spares copies.
  const auto bind_bytes = [](sqlite3_stmt* statement, int index, const std::string& bytes) {
    sqlite3_bind_blob64(statement, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  };
  bind_bytes(insert, 9, block.times);
  bind_bytes(insert, 10, block.indexes);
  bind_bytes(insert, 11, block.lengths);
  bind_bytes(insert, 12, block.traces);
  bind_bytes(insert, 13, block.ingestions);
  int code = sqlite3_step(insert);
  sqlite3_reset(insert);
  sqlite3_clear_bindings(insert);
  if (code != SQLITE_DONE) return SqliteStatus(handle, code, "storing log block");
  const int64_t id = block_id ? *block_id : sqlite3_last_insert_rowid(handle);

  sqlite3_stmt* messages = insert_messages.get();
  sqlite3_bind_int64(messages, 1, id);
  bind_bytes(messages, 2, block.messages);
  code = sqlite3_step(messages);
  sqlite3_reset(messages);
  sqlite3_clear_bindings(messages);
  if (code != SQLITE_DONE) return SqliteStatus(handle, code, "storing log messages");

  if (!block.traces.empty()) {
    CK_ASSIGN_OR_RETURN(std::vector<std::string_view> trace_ids, DistinctTraces(block.traces));
    const std::string bloom = BuildTraceBloom(trace_ids);
    sqlite3_stmt* insert_bloom = insert_trace_bloom.get();
    sqlite3_bind_int64(insert_bloom, 1, id);
    sqlite3_bind_blob64(insert_bloom, 2, bloom.data(), bloom.size(), SQLITE_STATIC);
    code = sqlite3_step(insert_bloom);
    sqlite3_reset(insert_bloom);
    sqlite3_clear_bindings(insert_bloom);
    if (code != SQLITE_DONE) return SqliteStatus(handle, code, "storing trace filter");
  }

  // Widen the group's block span when this block is wider than any before.
  const int64_t span = block.last_ms - block.first_ms;
  auto known = group_spans.find(group_id);
  if (known == group_spans.end()) {
    CK_ASSIGN_OR_RETURN(auto select,
                        database->Prepare("SELECT max_span_ms FROM groups WHERE id = ?1"));
    select->BindInt(1, group_id);
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    known = group_spans.emplace(group_id, row ? select->ColumnInt(0) : 0).first;
  }
  if (span > known->second) {
    CK_ASSIGN_OR_RETURN(auto update, database->Prepare("UPDATE groups SET max_span_ms = "
                                                       "max(max_span_ms, ?2) WHERE id = ?1"));
    update->BindInt(1, group_id);
    update->BindInt(2, span);
    CK_RETURN_IF_ERROR(update->Run());
    known->second = span;
  }
  return id;
}

Result<std::optional<EncodedLogBlock>> LogStore::Impl::MergeIntoTail(const TailBlock& tail,
                                                                     const EncodedLogBlock& block) {
  CK_ASSIGN_OR_RETURN(auto select,
                      database->Prepare(std::string("SELECT ") + kBlockRowColumns +
                                        ", (SELECT messages FROM block_messages WHERE block_id = "
                                        "b.id) FROM blocks b WHERE id = ?1"));
  select->BindInt(1, tail.block_id);
  CK_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<EncodedLogBlock>();  // deleted meanwhile
  const BlockRow old = ReadBlockRow(select->handle());
  const std::string old_messages(select->ColumnBlob(12));
  select->Reset();
  CK_ASSIGN_OR_RETURN(DecodedLogBlock before, DecodeLogBlock(old.Columns(old_messages),
                                                             /*messages=*/true, /*traces=*/true));
  const LogBlockColumns added_columns{block.first_ms, block.count,        block.times,
                                      block.lengths,  block.indexes,      block.traces,
                                      block.messages, block.ingestion_ms, block.ingestions};
  CK_ASSIGN_OR_RETURN(DecodedLogBlock added,
                      DecodeLogBlock(added_columns, /*messages=*/true, /*traces=*/true));
  LogBlockBuilder builder;
  for (size_t i = 0; i < old.count; ++i) {
    builder.set_ingestion(before.Ingestion(i));
    builder.AddNumbered(before.numbers[i], before.timestamps[i], before.Message(i),
                        before.traces[i]);
  }
  if (builder.next_number() + block.count > kMaxBlockEvents) {
    return std::optional<EncodedLogBlock>();
  }
  for (size_t i = 0; i < block.count; ++i) {
    builder.set_ingestion(added.Ingestion(i));
    builder.Add(added.timestamps[i], added.Message(i), added.traces[i]);
  }
  CK_RETURN_IF_ERROR(DeleteBlock(old));
  return std::optional<EncodedLogBlock>(builder.Finish());
}

Status LogStore::Impl::DeleteBlock(const BlockRow& block) {
  std::erase_if(tails, [&](const auto& tail) { return tail.second.block_id == block.id; });
  for (const char* sql :
       {"DELETE FROM blocks WHERE id = ?1", "DELETE FROM block_messages WHERE block_id = ?1",
        "DELETE FROM block_blooms WHERE block_id = ?1"}) {
    CK_ASSIGN_OR_RETURN(auto remove, database->Prepare(sql));
    remove->BindInt(1, block.id);
    CK_RETURN_IF_ERROR(remove->Run());
  }
  return Status::Ok();
}

}  // namespace ck::collector::logs
