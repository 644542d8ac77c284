// DynamoDB's reserved words: names that may not appear bare as attribute names in expressions.
//
// An expression that uses one (in any letter case) as a document path element is rejected with
// "Attribute name is a reserved keyword; reserved keyword: <word>"; callers must use an
// ExpressionAttributeNames placeholder instead. Function names (size, contains, ...) are looked up
// separately and are not subject to this check.
//
// Thread-safety: pure functions over a constant table.
#pragma once

#include <cstddef>
#include <string_view>

namespace ck::store::expr {

// True when `word` is reserved, compared case-insensitively (ASCII).
bool IsReservedWord(std::string_view word);

// Number of reserved words, for tests.
size_t ReservedWordCount();

}  // namespace ck::store::expr
