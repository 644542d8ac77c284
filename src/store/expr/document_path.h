// Document paths inside items: lookup, navigation for updates, and ordering/overlap rules
// (private to store/expr).
//
// A Path (expression.h) is a top-level attribute name followed by map keys and list indexes.
// Lookups never fail: a path that does not resolve (missing key, index out of range, or an
// element applied to a value of the wrong type) simply yields nullptr.
//
// Thread-safety: pure functions; mutable lookups touch only the item passed in.
#pragma once

#include <string>

#include "store/attribute_value.h"
#include "store/expr/expression.h"

namespace ck::store::expr {

// The value at `path`, or nullptr.
const AttributeValue* FindPath(const Item& item, const Path& path);

// The container holding the last element of a path: the item itself or a nested map for a name
// element, a nested list for an index element. Both pointers are null when the parent does not
// exist or has the wrong type.
struct ParentRef {
  AttributeValue::Map* map = nullptr;
  AttributeValue::List* list = nullptr;
  bool valid() const { return map != nullptr || list != nullptr; }
};
ParentRef FindParent(Item& item, const Path& path);

// The element of `parent` that the last element of `path` names, or nullptr.
AttributeValue* FindChild(const ParentRef& parent, const Path& path);

// DynamoDB's rendering of a path in messages: "[a, b, [2], c]".
std::string PathForMessage(const Path& path);

// Total order on paths: element by element, names by bytes before indexes by value.
bool PathLess(const Path& a, const Path& b);

enum class PathRelation {
  kDisjoint,  // neither contains the other
  kOverlap,   // equal, or one is a prefix of the other
  kConflict,  // equal up to an element that is a name in one and an index in the other
};
PathRelation RelatePaths(const Path& a, const Path& b);

}  // namespace ck::store::expr
