#include "store/expr/document_path.h"

#include <algorithm>

namespace ck::store::expr {
namespace {

bool IsIndex(const PathElement& element) { return element.index >= 0; }

const AttributeValue::List& ListOf(const AttributeValue& value) { return value.list(); }
AttributeValue::List& ListOf(AttributeValue& value) { return value.mutable_list(); }
const AttributeValue::Map& MapOf(const AttributeValue& value) { return value.map(); }
AttributeValue::Map& MapOf(AttributeValue& value) { return value.mutable_map(); }

// Steps from `value` into its element `element`, or nullptr. Works on const and mutable values.
template <typename Value>
Value* Step(Value& value, const PathElement& element) {
  if (IsIndex(element)) {
    if (value.type() != AttributeType::kList) return nullptr;
    auto& list = ListOf(value);
    return static_cast<size_t>(element.index) < list.size() ? &list[element.index] : nullptr;
  }
  if (value.type() != AttributeType::kMap) return nullptr;
  auto& map = MapOf(value);
  auto it = map.find(element.name);
  return it == map.end() ? nullptr : &it->second;
}

template <typename Value, typename ItemType>
Value* Find(ItemType& item, const Path& path, size_t length) {
  if (length == 0 || IsIndex(path[0])) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  Value* current = &it->second;
  for (size_t i = 1; i < length && current != nullptr; ++i) current = Step(*current, path[i]);
  return current;
}

}  // namespace

std::string PathToString(const Path& path) {
  std::string out;
  for (const auto& element : path) {
    if (IsIndex(element)) {
      out += "[" + std::to_string(element.index) + "]";
    } else {
      if (!out.empty()) out.push_back('.');
      out += element.name;
    }
  }
  return out;
}

std::string PathForMessage(const Path& path) {
  std::string out = "[";
  for (size_t i = 0; i < path.size(); ++i) {
    if (i > 0) out += ", ";
    out += IsIndex(path[i]) ? "[" + std::to_string(path[i].index) + "]" : path[i].name;
  }
  return out + "]";
}

const AttributeValue* FindPath(const Item& item, const Path& path) {
  return Find<const AttributeValue>(item, path, path.size());
}

ParentRef FindParent(Item& item, const Path& path) {
  if (path.empty() || IsIndex(path[0])) return {};
  if (path.size() == 1) return ParentRef{&item, nullptr};
  AttributeValue* parent = Find<AttributeValue>(item, path, path.size() - 1);
  if (parent == nullptr) return {};
  if (IsIndex(path.back())) {
    if (parent->type() != AttributeType::kList) return {};
    return ParentRef{nullptr, &parent->mutable_list()};
  }
  if (parent->type() != AttributeType::kMap) return {};
  return ParentRef{&parent->mutable_map(), nullptr};
}

AttributeValue* FindChild(const ParentRef& parent, const Path& path) {
  const PathElement& last = path.back();
  if (parent.list != nullptr) {
    auto index = static_cast<size_t>(last.index);
    return index < parent.list->size() ? &(*parent.list)[index] : nullptr;
  }
  if (parent.map == nullptr) return nullptr;
  auto it = parent.map->find(last.name);
  return it == parent.map->end() ? nullptr : &it->second;
}

bool PathLess(const Path& a, const Path& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](const PathElement& x, const PathElement& y) {
                                        if (IsIndex(x) != IsIndex(y)) return !IsIndex(x);
                                        return IsIndex(x) ? x.index < y.index : x.name < y.name;
                                      });
}

PathRelation RelatePaths(const Path& a, const Path& b) {
  size_t common = std::min(a.size(), b.size());
  for (size_t i = 0; i < common; ++i) {
    if (IsIndex(a[i]) != IsIndex(b[i])) return PathRelation::kConflict;
    if (IsIndex(a[i]) ? a[i].index != b[i].index : a[i].name != b[i].name) {
      return PathRelation::kDisjoint;
    }
  }
  return PathRelation::kOverlap;
}

}  // namespace ck::store::expr
