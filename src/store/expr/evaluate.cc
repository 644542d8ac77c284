#include "store/expr/evaluate.h"

#include <algorithm>
#include <string>

#include "store/expr/document_path.h"
#include "store/number.h"

namespace ck::store::expr {
namespace {

// size(): bytes of a string or binary, members of a set, elements of a list or map.
std::optional<size_t> SizeOf(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kString:
    case AttributeType::kBinary:
      return value.scalar().size();
    case AttributeType::kStringSet:
    case AttributeType::kNumberSet:
    case AttributeType::kBinarySet:
      return value.set().size();
    case AttributeType::kList:
      return value.list().size();
    case AttributeType::kMap:
      return value.map().size();
    default:
      return std::nullopt;
  }
}

bool SetContains(const AttributeValue& set, const std::string& member) {
  const auto& members = set.set();
  if (set.type() == AttributeType::kNumberSet) {
    return std::any_of(members.begin(), members.end(),
                       [&](const std::string& m) { return CompareNumbers(m, member) == 0; });
  }
  return std::find(members.begin(), members.end(), member) != members.end();
}

// contains(haystack, needle) for every pairing DynamoDB supports.
bool Contains(const AttributeValue& haystack, const AttributeValue& needle) {
  switch (haystack.type()) {
    case AttributeType::kString:
    case AttributeType::kBinary:
      return needle.type() == haystack.type() &&
             haystack.scalar().find(needle.scalar()) != std::string::npos;
    case AttributeType::kStringSet:
      return needle.type() == AttributeType::kString && SetContains(haystack, needle.scalar());
    case AttributeType::kNumberSet:
      return needle.type() == AttributeType::kNumber && SetContains(haystack, needle.scalar());
    case AttributeType::kBinarySet:
      return needle.type() == AttributeType::kBinary && SetContains(haystack, needle.scalar());
    case AttributeType::kList: {
      const auto& list = haystack.list();
      return std::find(list.begin(), list.end(), needle) != list.end();
    }
    default:
      return false;
  }
}

bool EvaluateFunction(const ConditionNode& node, const Item& item) {
  const std::string& name = node.function;
  const auto& args = node.operands;
  AttributeValue first_scratch;
  AttributeValue second_scratch;
  if (name == "attribute_exists" || name == "attribute_not_exists") {
    bool exists = ResolveOperand(args[0], item, first_scratch) != nullptr;
    return exists == (name == "attribute_exists");
  }
  const AttributeValue* first = ResolveOperand(args[0], item, first_scratch);
  const AttributeValue* second =
      args.size() > 1 ? ResolveOperand(args[1], item, second_scratch) : nullptr;
  if (first == nullptr || second == nullptr) return false;
  if (name == "attribute_type") {
    return second->type() == AttributeType::kString && TypeTag(first->type()) == second->scalar();
  }
  if (name == "begins_with") {
    return first->type() == second->type() &&
           (first->type() == AttributeType::kString || first->type() == AttributeType::kBinary) &&
           first->scalar().starts_with(second->scalar());
  }
  if (name == "contains") return Contains(*first, *second);
  return false;
}

bool Compare(Comparator comparator, const AttributeValue* a, const AttributeValue* b) {
  if (comparator == Comparator::kEqual) return a != nullptr && b != nullptr && *a == *b;
  if (comparator == Comparator::kNotEqual) {
    if (a == nullptr && b == nullptr) return false;
    return a == nullptr || b == nullptr || !(*a == *b);
  }
  if (a == nullptr || b == nullptr) return false;
  auto order = CompareValues(*a, *b);
  if (!order) return false;
  switch (comparator) {
    case Comparator::kLess:
      return *order < 0;
    case Comparator::kLessOrEqual:
      return *order <= 0;
    case Comparator::kGreater:
      return *order > 0;
    case Comparator::kGreaterOrEqual:
      return *order >= 0;
    default:
      return false;
  }
}

bool EvaluateNode(const ConditionNode& node, const Item& item) {
  switch (node.kind) {
    case ConditionNode::Kind::kAnd:
      return EvaluateNode(node.children[0], item) && EvaluateNode(node.children[1], item);
    case ConditionNode::Kind::kOr:
      return EvaluateNode(node.children[0], item) || EvaluateNode(node.children[1], item);
    case ConditionNode::Kind::kNot:
      return !EvaluateNode(node.children[0], item);
    case ConditionNode::Kind::kCompare: {
      AttributeValue left_scratch;
      AttributeValue right_scratch;
      return Compare(node.comparator, ResolveOperand(node.operands[0], item, left_scratch),
                     ResolveOperand(node.operands[1], item, right_scratch));
    }
    case ConditionNode::Kind::kBetween: {
      AttributeValue scratch[3];
      const AttributeValue* value = ResolveOperand(node.operands[0], item, scratch[0]);
      const AttributeValue* lower = ResolveOperand(node.operands[1], item, scratch[1]);
      const AttributeValue* upper = ResolveOperand(node.operands[2], item, scratch[2]);
      return Compare(Comparator::kGreaterOrEqual, value, lower) &&
             Compare(Comparator::kLessOrEqual, value, upper);
    }
    case ConditionNode::Kind::kIn: {
      AttributeValue value_scratch;
      const AttributeValue* value = ResolveOperand(node.operands[0], item, value_scratch);
      if (value == nullptr) return false;
      for (size_t i = 1; i < node.operands.size(); ++i) {
        AttributeValue candidate_scratch;
        const AttributeValue* candidate = ResolveOperand(node.operands[i], item, candidate_scratch);
        if (candidate != nullptr && *candidate == *value) return true;
      }
      return false;
    }
    case ConditionNode::Kind::kFunction:
      return EvaluateFunction(node, item);
  }
  return false;
}

}  // namespace

std::optional<int> CompareValues(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type() || !a.is_scalar()) return std::nullopt;
  if (a.type() == AttributeType::kNumber) return CompareNumbers(a.scalar(), b.scalar());
  // std::string compares bytes as unsigned char, which is DynamoDB's order for S and B.
  int order = a.scalar().compare(b.scalar());
  return (order > 0) - (order < 0);
}

const AttributeValue* ResolveOperand(const Operand& operand, const Item& item,
                                     AttributeValue& scratch) {
  switch (operand.kind) {
    case Operand::Kind::kPath:
      return FindPath(item, operand.path);
    case Operand::Kind::kValue:
      return &operand.value;
    case Operand::Kind::kFunction: {
      if (operand.function != "size" || operand.args.size() != 1) return nullptr;
      AttributeValue argument_scratch;
      const AttributeValue* argument = ResolveOperand(operand.args[0], item, argument_scratch);
      if (argument == nullptr) return nullptr;
      auto size = SizeOf(*argument);
      if (!size) return nullptr;
      scratch = AttributeValue::Number(std::to_string(*size));
      return &scratch;
    }
    case Operand::Kind::kPlus:
    case Operand::Kind::kMinus:
      return nullptr;
  }
  return nullptr;
}

Result<bool> ConditionExpression::Evaluate(const Item& item) const {
  if (root_ == nullptr) return true;
  return EvaluateNode(*root_, item);
}

}  // namespace ck::store::expr
