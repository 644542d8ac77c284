// Operand resolution and value comparison shared by condition evaluation, update application and
// the parsers' literal checks (private to store/expr).
//
// Thread-safety: pure functions.
#pragma once

#include <optional>

#include "store/attribute_value.h"
#include "store/expr/syntax_tree.h"

namespace ck::store::expr {

// Orders two values of the same scalar type (S and B bytewise, N numerically). nullopt when the
// types differ or are not S, N or B: such values are never ordered in DynamoDB.
std::optional<int> CompareValues(const AttributeValue& a, const AttributeValue& b);

// The value of a condition operand for `item`: the value at a path, the literal, or the result of
// size(). Returns nullptr when the path is missing or size() has no meaning for its argument;
// computed values are stored in `scratch`, which must outlive the returned pointer.
const AttributeValue* ResolveOperand(const Operand& operand, const Item& item,
                                     AttributeValue& scratch);

}  // namespace ck::store::expr
