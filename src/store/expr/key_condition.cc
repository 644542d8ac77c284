// ParseKeyCondition: a KeyConditionExpression is parsed with the condition grammar and then
// reduced to at most one condition per key attribute, with DynamoDB's checks in DynamoDB's order:
// the shape of each condition, the value types each operator accepts, the number of conditions,
// and finally the table's key schema.
#include <string>
#include <utility>
#include <vector>

#include "store/expr/condition_parser.h"
#include "store/expr/expression.h"

namespace ck::store::expr {
namespace {

using Op = KeyCondition::Op;

struct SimpleCondition {
  std::string name;
  Op op = Op::kEqual;
  std::vector<AttributeValue> values;
};

std::string_view OperatorName(Op op) {
  switch (op) {
    case Op::kEqual:
      return "EQ";
    case Op::kLess:
      return "LT";
    case Op::kLessOrEqual:
      return "LE";
    case Op::kGreater:
      return "GT";
    case Op::kGreaterOrEqual:
      return "GE";
    case Op::kBetween:
      return "BETWEEN";
    case Op::kBeginsWith:
      return "BEGINS_WITH";
  }
  return "EQ";
}

// The operator with its operands swapped: ":v < k" is "k > :v".
Op Mirror(Op op) {
  switch (op) {
    case Op::kLess:
      return Op::kGreater;
    case Op::kLessOrEqual:
      return Op::kGreaterOrEqual;
    case Op::kGreater:
      return Op::kLess;
    case Op::kGreaterOrEqual:
      return Op::kLessOrEqual;
    default:
      return op;
  }
}

Status Unsupported(std::string_view what) {
  return InvalidArgument("Invalid operator used in KeyConditionExpression: " + std::string(what));
}

Status InvalidCondition(std::string_view detail) {
  return InvalidArgument("Invalid condition in KeyConditionExpression: " + std::string(detail));
}

// Turns one comparison, BETWEEN or begins_with into a SimpleCondition.
Status AddCondition(const ConditionNode& node, Op op, std::vector<SimpleCondition>& out) {
  SimpleCondition condition;
  condition.op = op;
  bool key_first = false;
  for (size_t i = 0; i < node.operands.size(); ++i) {
    const Operand& operand = node.operands[i];
    if (operand.kind == Operand::Kind::kPath) {
      if (!condition.name.empty()) {
        return InvalidCondition("Multiple attribute names used in one condition");
      }
      if (operand.path.size() > 1) {
        return InvalidArgument(
            "KeyConditionExpressions cannot have conditions on nested attributes");
      }
      condition.name = operand.path[0].name;
      key_first = i == 0;
    } else if (operand.kind == Operand::Kind::kFunction) {
      return InvalidArgument("KeyConditionExpressions cannot contain nested operations");
    } else {
      condition.values.push_back(operand.value);
    }
  }
  if (condition.name.empty()) return InvalidCondition("No key attribute specified");
  for (const auto& existing : out) {
    if (existing.name == condition.name) {
      return InvalidArgument("KeyConditionExpressions must only contain one condition per key");
    }
  }
  if (!key_first) condition.op = Mirror(condition.op);
  out.push_back(std::move(condition));
  return Status::Ok();
}

Status Collect(const ConditionNode& node, std::vector<SimpleCondition>& out) {
  switch (node.kind) {
    case ConditionNode::Kind::kAnd:
      CK_RETURN_IF_ERROR(Collect(node.children[0], out));
      return Collect(node.children[1], out);
    case ConditionNode::Kind::kOr:
      return Unsupported("OR");
    case ConditionNode::Kind::kNot:
      return Unsupported("NOT");
    case ConditionNode::Kind::kIn:
      return Unsupported("IN");
    case ConditionNode::Kind::kCompare:
      switch (node.comparator) {
        case Comparator::kEqual:
          return AddCondition(node, Op::kEqual, out);
        case Comparator::kNotEqual:
          return Unsupported("<>");
        case Comparator::kLess:
          return AddCondition(node, Op::kLess, out);
        case Comparator::kLessOrEqual:
          return AddCondition(node, Op::kLessOrEqual, out);
        case Comparator::kGreater:
          return AddCondition(node, Op::kGreater, out);
        case Comparator::kGreaterOrEqual:
          return AddCondition(node, Op::kGreaterOrEqual, out);
      }
      return Unsupported("<>");
    case ConditionNode::Kind::kBetween:
      if (node.operands[0].kind != Operand::Kind::kPath) {
        return InvalidCondition(
            "BETWEEN operator must have the key attribute as its first operand");
      }
      return AddCondition(node, Op::kBetween, out);
    case ConditionNode::Kind::kFunction:
      if (node.function != "begins_with") return Unsupported(node.function);
      if (node.operands[0].kind != Operand::Kind::kPath) {
        return InvalidCondition(
            "begins_with operator must have the key attribute as its first operand");
      }
      return AddCondition(node, Op::kBeginsWith, out);
  }
  return Unsupported("OR");
}

// The value types each operator accepts on a key.
Status CheckValueTypes(const SimpleCondition& condition) {
  for (const auto& value : condition.values) {
    AttributeType type = value.type();
    bool scalar = value.is_scalar();
    bool allowed = condition.op == Op::kEqual ? scalar || value.is_set()
                   : condition.op == Op::kBeginsWith
                       ? type == AttributeType::kString || type == AttributeType::kBinary
                       : scalar;
    if (!allowed) {
      return InvalidArgument("One or more parameter values were invalid: ComparisonOperator " +
                             std::string(OperatorName(condition.op)) + " is not valid for " +
                             std::string(TypeTag(type)) + " AttributeValue type");
    }
  }
  return Status::Ok();
}

const SimpleCondition* FindCondition(const std::vector<SimpleCondition>& conditions,
                                     const std::string& name) {
  for (const auto& condition : conditions) {
    if (condition.name == name) return &condition;
  }
  return nullptr;
}

}  // namespace

Result<KeyCondition> ParseKeyCondition(std::string_view text, ExpressionContext& context,
                                       const std::string& hash_key,
                                       const std::optional<std::string>& range_key) {
  CK_ASSIGN_OR_RETURN(ConditionNode root,
                      ParseConditionTree(text, context, "KeyConditionExpression"));
  std::vector<SimpleCondition> conditions;
  CK_RETURN_IF_ERROR(Collect(root, conditions));
  for (const auto& condition : conditions) CK_RETURN_IF_ERROR(CheckValueTypes(condition));
  if (conditions.size() != 1 && conditions.size() != 2) {
    return InvalidArgument("Conditions can be of length 1 or 2 only");
  }

  if (!range_key && conditions.size() > 1) {
    return InvalidArgument("Query key condition not supported");
  }
  const SimpleCondition* hash = FindCondition(conditions, hash_key);
  if (hash == nullptr) {
    return InvalidArgument("Query condition missed key schema element: " + hash_key);
  }
  if (hash->op != Op::kEqual) return InvalidArgument("Query key condition not supported");

  KeyCondition out;
  out.hash_name = hash_key;
  out.hash_value = hash->values[0];
  if (conditions.size() == 2) {
    const SimpleCondition* range = FindCondition(conditions, *range_key);
    if (range == nullptr) {
      return InvalidArgument("Query condition missed key schema element: " + *range_key);
    }
    KeyCondition::Range bound;
    bound.name = *range_key;
    bound.op = range->op;
    bound.value = range->values[0];
    if (range->values.size() > 1) bound.value2 = range->values[1];
    out.range = std::move(bound);
  }
  return out;
}

}  // namespace ck::store::expr
