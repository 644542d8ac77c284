// Internal to the api folder: the state every operation handler works on, and the handler
// signature. Not part of the public API (use dynamodb_service.h).
//
// Each handler decodes its request, validates it with DynamoDB's rules, performs the work in one
// storage transaction and returns the JSON response body, or a Status that errors.h maps to a
// DynamoDB error. Handlers that need an error shape a Status cannot carry (an "Item" member on
// ConditionalCheckFailedException, TransactionCanceledException with reasons) fill in
// OperationContext before returning the Status.
//
// Thread-safety: none; one worker thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/api/dynamodb_service.h"
#include "store/api/errors.h"
#include "store/api/idempotency_tokens.h"
#include "store/api/request_reader.h"
#include "store/engine/storage.h"
#include "store/engine/table_store.h"

namespace ck::store::api {

// One table: its schema (what the engine needs) and its description (what clients see).
struct TableEntry {
  engine::TableSchema schema;
  json description;  // TableDescription without live counters (ItemCount, sizes)
  int64_t next_index_id = 1;
  std::map<std::string, std::string> tags;  // TagResource / CreateTable's Tags
  // UpdateContinuousBackups: point-in-time recovery as recorded and reported (no backups are
  // taken); `pitr_enabled_at` is when it was last switched on, in epoch seconds.
  bool pitr_enabled = false;
  int64_t pitr_recovery_days = 35;
  double pitr_enabled_at = 0;
};

struct OperationContext {
  std::optional<ErrorType> error_type;  // overrides the Status-derived type
  std::string error_extra;              // ApiError::extra_members
};

class ServiceState {
 public:
  DynamoDbOptions options;
  std::unique_ptr<engine::Storage> storage;
  std::unique_ptr<engine::TableStore> store;
  std::map<std::string, TableEntry, std::less<>> tables;
  // ClientRequestTokens of successful TransactWriteItems calls.
  IdempotencyTokens transaction_tokens;

  // kNotFound "Requested resource not found", or "...: Table: <name> not found" when
  // `name_in_message` (DescribeTable, DeleteTable, UpdateTable use that form).
  Result<TableEntry*> FindTable(std::string_view name, bool name_in_message = false);
  const TableEntry* FindTableById(int64_t table_id) const;
  // Writes the entry's catalog record (inside the caller's transaction, if any).
  Status PersistTable(const TableEntry& entry);

  std::chrono::system_clock::time_point Now() const;
  double NowEpochSeconds() const;
};

// Runs `work` inside one storage transaction: commits when it returns OK, rolls back otherwise.
template <typename Work>
auto InTransaction(engine::Storage& storage, Work&& work) -> decltype(work()) {
  CK_RETURN_IF_ERROR(storage.Begin());
  auto result = work();
  if (!result.ok()) {
    storage.Rollback();
    return result;
  }
  Status committed = storage.Commit();
  if (!committed.ok()) return committed;
  return result;
}

using OperationHandler = Result<std::string> (*)(ServiceState&, const json&, OperationContext&);

// table_operations.cc
Result<std::string> CreateTable(ServiceState&, const json&, OperationContext&);
Result<std::string> DescribeTable(ServiceState&, const json&, OperationContext&);
Result<std::string> ListTables(ServiceState&, const json&, OperationContext&);
Result<std::string> DeleteTable(ServiceState&, const json&, OperationContext&);
Result<std::string> UpdateTable(ServiceState&, const json&, OperationContext&);
Result<std::string> DescribeTimeToLive(ServiceState&, const json&, OperationContext&);
Result<std::string> UpdateTimeToLive(ServiceState&, const json&, OperationContext&);
Result<std::string> DescribeContinuousBackups(ServiceState&, const json&, OperationContext&);
Result<std::string> UpdateContinuousBackups(ServiceState&, const json&, OperationContext&);
// item_operations.cc
Result<std::string> PutItem(ServiceState&, const json&, OperationContext&);
Result<std::string> GetItem(ServiceState&, const json&, OperationContext&);
Result<std::string> UpdateItem(ServiceState&, const json&, OperationContext&);
Result<std::string> DeleteItem(ServiceState&, const json&, OperationContext&);
// query_scan.cc
Result<std::string> Query(ServiceState&, const json&, OperationContext&);
Result<std::string> Scan(ServiceState&, const json&, OperationContext&);
// batch_operations.cc
Result<std::string> BatchGetItem(ServiceState&, const json&, OperationContext&);
Result<std::string> BatchWriteItem(ServiceState&, const json&, OperationContext&);
// transactions.cc
Result<std::string> TransactWriteItems(ServiceState&, const json&, OperationContext&);
Result<std::string> TransactGetItems(ServiceState&, const json&, OperationContext&);
// tag_operations.cc
Result<std::string> TagResource(ServiceState&, const json&, OperationContext&);
Result<std::string> UntagResource(ServiceState&, const json&, OperationContext&);
Result<std::string> ListTagsOfResource(ServiceState&, const json&, OperationContext&);
Result<std::string> DescribeLimits(ServiceState&, const json&, OperationContext&);
// A request's Tags member in two steps, as DynamoDB checks it: ReadRawTags checks the JSON types
// (SerializationException; nullopt when absent), CheckTags the tags themselves (a key given twice,
// an invalid key or value, the aws: prefix, more than 50 tags: ValidationException). Used by
// TagResource and CreateTable.
struct RawTag {
  std::optional<std::string> key;
  std::optional<std::string> value;
};
Result<std::optional<std::vector<RawTag>>> ReadRawTags(const FieldReader& reader);
Result<std::map<std::string, std::string>> CheckTags(const std::vector<RawTag>& raw);

}  // namespace ck::store::api
