// ConditionExpression::TopLevelAttributes: the attributes a parsed condition reads.
#include <algorithm>

#include "store/expr/expression.h"
#include "store/expr/syntax_tree.h"

namespace ck::store::expr {
namespace {

void AddName(const std::string& name, std::vector<std::string>& names) {
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
}

void CollectOperand(const Operand& operand, std::vector<std::string>& names) {
  if (operand.kind == Operand::Kind::kPath) {
    if (!operand.path.empty()) AddName(operand.path.front().name, names);
    return;
  }
  for (const auto& argument : operand.args) CollectOperand(argument, names);
}

void CollectNode(const ConditionNode& node, std::vector<std::string>& names) {
  for (const auto& operand : node.operands) CollectOperand(operand, names);
  for (const auto& child : node.children) CollectNode(child, names);
}

}  // namespace

std::vector<std::string> ConditionExpression::TopLevelAttributes() const {
  std::vector<std::string> names;
  if (root_ != nullptr) CollectNode(*root_, names);
  return names;
}

}  // namespace ck::store::expr
