// Shared pieces of the item operations (single-item, batch, transactions, query/scan): key and
// item validation with DynamoDB's messages, expression placeholder tables, ReturnValues,
// ConsumedCapacity, and projecting items onto document paths.
//
// Thread-safety: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/api/request_reader.h"
#include "store/api/service_state.h"
#include "store/attribute_value.h"
#include "store/engine/table_store.h"
#include "store/expr/expression.h"

namespace ck::store::api {

inline constexpr size_t kMaxItemBytes = 400 * 1024;
inline constexpr size_t kMaxPartitionKeyBytes = 2048;
inline constexpr size_t kMaxSortKeyBytes = 1024;

// ExpressionAttributeNames / ExpressionAttributeValues of one request (or one transact item).
struct ExpressionInputs {
  std::map<std::string, std::string> names;
  Item values;
  bool has_names = false;
  bool has_values = false;
};
Result<ExpressionInputs> ReadExpressionInputs(const FieldReader& reader);

// DynamoDB's checks that placeholders come with expressions. `expressions` lists the request's
// expression members in DynamoDB's order with whether each is present; `value_expressions` is the
// subset that may use values (all but ProjectionExpression).
Status CheckExpressionUsage(const ExpressionInputs& inputs,
                            const std::vector<std::pair<std::string_view, bool>>& expressions);

// A map of attribute values member (Item, Key, ExclusiveStartKey). nullopt when absent; a
// ValidationException naming `path` when `required` and absent.
Result<std::optional<Item>> ReadAttributeMap(const FieldReader& reader, std::string_view member,
                                             std::string_view path, bool required);

// Key maps for GetItem/DeleteItem/UpdateItem/BatchGet/Transact: exactly the key attributes.
Status ValidateKey(const engine::TableSchema& table, const Item& key);
// Items for PutItem & co: key attributes present, typed, non-empty, within size limits; index
// key attributes typed; the whole item within 400 KB.
Status ValidateItem(const engine::TableSchema& table, const Item& item);
// Index key attribute types and emptiness (also after UpdateItem computes a new item).
Status ValidateIndexKeys(const engine::TableSchema& table, const Item& item);
// The item an update expression produced (UpdateItem, TransactWriteItems' Update): index keys as
// ValidateIndexKeys, at most 32 levels of nesting ("Nesting Levels have exceeded supported
// limits"; a SET on a nested path can deepen an item) and at most 400 KB.
Status ValidateUpdatedItem(const engine::TableSchema& table, const Item& item);
// Only the key attributes of `item`.
Item KeyOf(const engine::TableSchema& table, const Item& item);

enum class ReturnValues { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };
// Reads ReturnValues; `allowed_message` is the error when the value is valid but not allowed
// here (e.g. "ReturnValues can only be ALL_OLD or NONE"); empty = all allowed.
Result<ReturnValues> ReadReturnValues(const FieldReader& reader, std::string_view allowed_message);
// ReturnValuesOnConditionCheckFailure: true for ALL_OLD.
Result<bool> ReadReturnOldOnConditionFailure(const FieldReader& reader);

// Sets the context's error extra to the old item (when asked and present) and returns the
// ConditionalCheckFailedException Status.
Status ConditionFailed(OperationContext& context, const std::optional<Item>& old_item,
                       bool return_old);

enum class CapacityMode { kNone, kTotal, kIndexes };
Result<CapacityMode> ReadCapacityMode(const FieldReader& reader);
// Capacity units: writes round each item up to 1 KB (max of old and new); reads round up to 4 KB
// and halve for eventually consistent reads.
double WriteUnits(const Item* new_item, const Item* old_item);
double ReadUnits(size_t bytes, bool consistent);
// `"ConsumedCapacity":{...}` member text (no leading comma); empty when mode is kNone.
std::string ConsumedCapacityMember(CapacityMode mode, std::string_view table, double units,
                                   std::string_view index_name = {}, bool global_index = true);

// The parts of `item` at `paths` (as ProjectionExpression::Apply does).
Item ProjectPaths(const Item& item, const std::vector<expr::Path>& paths);

// Parses an optional ConditionExpression-like member with the shared context.
Result<std::optional<expr::ConditionExpression>> ParseCondition(
    const std::optional<std::string>& text, expr::ExpressionContext& context,
    std::string_view kind);

}  // namespace ck::store::api
