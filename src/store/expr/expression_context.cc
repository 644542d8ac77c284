#include <string>

#include "store/expr/expression.h"

namespace ck::store::expr {
namespace {

// "keys: {#a, #b}" for the placeholders of `table` that `used` lacks; empty when all were used.
template <typename Table>
std::string UnusedKeys(const Table* table, const std::set<std::string>& used) {
  std::string keys;
  if (table == nullptr) return keys;
  for (const auto& [placeholder, ignored] : *table) {
    if (used.count(placeholder) != 0) continue;
    keys += keys.empty() ? "keys: {" : ", ";
    keys += placeholder;
  }
  return keys.empty() ? keys : keys + "}";
}

}  // namespace

Status ExpressionContext::CheckAllUsed() const {
  std::string unused_names = UnusedKeys(names_, used_names_);
  if (!unused_names.empty()) {
    return InvalidArgument("Value provided in ExpressionAttributeNames unused in expressions: " +
                           unused_names);
  }
  std::string unused_values = UnusedKeys(values_, used_values_);
  if (!unused_values.empty()) {
    return InvalidArgument("Value provided in ExpressionAttributeValues unused in expressions: " +
                           unused_values);
  }
  return Status::Ok();
}

}  // namespace ck::store::expr
