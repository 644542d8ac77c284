// UpdateExpression::Apply and the accessors of a parsed update.
//
// DynamoDB evaluates every operand against the item as it was before the update and then applies
// all actions at once; list indexes refer to the original list. We therefore evaluate all SET
// values first, then write into a copy of the item: assignments in path order (so that several
// assignments past the end of one list append in index order), ADD and DELETE in place, and
// finally all removals, deepest and highest index first so that no removal shifts an element
// another action still refers to. The copy replaces the item only when everything succeeded.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/expr/document_path.h"
#include "store/expr/expression.h"
#include "store/expr/syntax_tree.h"
#include "store/number.h"

namespace ck::store::expr {
namespace {

Status MissingAttribute() {
  return InvalidArgument(
      "The provided expression refers to an attribute that does not exist in the item");
}
Status WrongType() {
  return InvalidArgument("An operand in the update expression has an incorrect data type");
}
Status InvalidPath() {
  return InvalidArgument(
      "The document path provided in the update expression is invalid for update");
}

// The value a SET operand denotes for the item before the update.
Result<AttributeValue> EvaluateValue(const Operand& operand, const Item& before) {
  switch (operand.kind) {
    case Operand::Kind::kPath: {
      const AttributeValue* value = FindPath(before, operand.path);
      if (value == nullptr) return MissingAttribute();
      return *value;
    }
    case Operand::Kind::kValue:
      return operand.value;
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus: {
      CK_ASSIGN_OR_RETURN(AttributeValue left, EvaluateValue(operand.args[0], before));
      if (left.type() != AttributeType::kNumber) return WrongType();
      CK_ASSIGN_OR_RETURN(AttributeValue right, EvaluateValue(operand.args[1], before));
      if (right.type() != AttributeType::kNumber) return WrongType();
      CK_ASSIGN_OR_RETURN(std::string result, operand.kind == Operand::Kind::kPlus
                                                  ? AddNumbers(left.scalar(), right.scalar())
                                                  : SubtractNumbers(left.scalar(), right.scalar()));
      return AttributeValue::Number(std::move(result));
    }
    case Operand::Kind::kFunction: {
      if (operand.function == "if_not_exists") {
        const AttributeValue* existing = FindPath(before, operand.args[0].path);
        if (existing != nullptr) return *existing;
        return EvaluateValue(operand.args[1], before);
      }
      // list_append
      CK_ASSIGN_OR_RETURN(AttributeValue first, EvaluateValue(operand.args[0], before));
      if (first.type() != AttributeType::kList) return WrongType();
      CK_ASSIGN_OR_RETURN(AttributeValue second, EvaluateValue(operand.args[1], before));
      if (second.type() != AttributeType::kList) return WrongType();
      AttributeValue::List joined = first.list();
      joined.insert(joined.end(), second.list().begin(), second.list().end());
      return AttributeValue::FromList(std::move(joined));
    }
  }
  return WrongType();
}

// Stores `value` at `path`; an index at or past the end of a list appends.
void Place(const ParentRef& parent, const Path& path, AttributeValue value) {
  if (parent.map != nullptr) {
    parent.map->insert_or_assign(path.back().name, std::move(value));
    return;
  }
  auto index = static_cast<size_t>(path.back().index);
  if (index < parent.list->size()) {
    (*parent.list)[index] = std::move(value);
  } else {
    parent.list->push_back(std::move(value));
  }
}

Status Assign(Item& item, const Path& path, AttributeValue value) {
  ParentRef parent = FindParent(item, path);
  if (!parent.valid()) return InvalidPath();
  Place(parent, path, std::move(value));
  return Status::Ok();
}

bool HasMember(const AttributeValue::Set& members, const std::string& member) {
  return std::find(members.begin(), members.end(), member) != members.end();
}

// ADD: numeric addition (a missing attribute counts as 0) or set union.
Status Add(Item& item, const Path& path, const AttributeValue& operand) {
  ParentRef parent = FindParent(item, path);
  if (!parent.valid()) return InvalidPath();
  AttributeValue* existing = FindChild(parent, path);
  if (existing == nullptr) {
    Place(parent, path, operand);
    return Status::Ok();
  }
  if (existing->type() != operand.type()) return WrongType();
  if (operand.type() == AttributeType::kNumber) {
    CK_ASSIGN_OR_RETURN(std::string sum, AddNumbers(existing->scalar(), operand.scalar()));
    *existing = AttributeValue::Number(std::move(sum));
    return Status::Ok();
  }
  auto& members = existing->mutable_set();
  for (const auto& member : operand.set()) {
    if (!HasMember(members, member)) members.push_back(member);
  }
  return Status::Ok();
}

// DELETE: set difference. Returns true when the set became empty and must be removed.
Result<bool> Delete(Item& item, const Path& path, const AttributeValue& operand) {
  ParentRef parent = FindParent(item, path);
  if (!parent.valid()) return InvalidPath();
  AttributeValue* existing = FindChild(parent, path);
  if (existing == nullptr) return false;
  if (existing->type() != operand.type()) return WrongType();
  auto& members = existing->mutable_set();
  std::erase_if(members,
                [&](const std::string& member) { return HasMember(operand.set(), member); });
  return members.empty();
}

void Remove(Item& item, const Path& path) {
  ParentRef parent = FindParent(item, path);
  if (parent.map != nullptr) {
    parent.map->erase(path.back().name);
  } else if (parent.list != nullptr) {
    auto index = static_cast<size_t>(path.back().index);
    if (index < parent.list->size()) parent.list->erase(parent.list->begin() + index);
  }
}

}  // namespace

Status UpdateExpression::Apply(Item& item) const {
  const Item& before = item;
  std::vector<std::pair<const Path*, AttributeValue>> assignments;
  for (const auto& action : actions_) {
    if (action->kind != UpdateAction::Kind::kSet) continue;
    Result<AttributeValue> value = EvaluateValue(action->value, before);
    if (!value.ok()) return value.status();
    assignments.emplace_back(&action->path, std::move(*value));
  }
  std::stable_sort(assignments.begin(), assignments.end(),
                   [](const auto& a, const auto& b) { return PathLess(*a.first, *b.first); });

  Item after = item;
  for (auto& [path, value] : assignments)
    CK_RETURN_IF_ERROR(Assign(after, *path, std::move(value)));

  std::vector<const Path*> removals;
  for (const auto& action : actions_) {
    switch (action->kind) {
      case UpdateAction::Kind::kSet:
        break;
      case UpdateAction::Kind::kAdd:
        CK_RETURN_IF_ERROR(Add(after, action->path, action->value.value));
        break;
      case UpdateAction::Kind::kDelete: {
        CK_ASSIGN_OR_RETURN(bool emptied, Delete(after, action->path, action->value.value));
        if (emptied) removals.push_back(&action->path);
        break;
      }
      case UpdateAction::Kind::kRemove:
        if (!FindParent(after, action->path).valid()) return InvalidPath();
        // Removing what the item did not have is a no-op, even where an append has since
        // created an element at that index.
        if (FindPath(before, action->path) != nullptr) removals.push_back(&action->path);
        break;
    }
  }
  std::sort(removals.begin(), removals.end(),
            [](const Path* a, const Path* b) { return PathLess(*b, *a); });
  for (const Path* path : removals) Remove(after, *path);

  item = std::move(after);
  return Status::Ok();
}

std::vector<std::string> UpdateExpression::TopLevelAttributes() const {
  std::vector<std::string> names;
  for (const auto& action : actions_) {
    const std::string& name = action->path.front().name;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::vector<Path> UpdateExpression::Paths() const {
  std::vector<Path> paths;
  paths.reserve(actions_.size());
  for (const auto& action : actions_) paths.push_back(action->path);
  return paths;
}

}  // namespace ck::store::expr
