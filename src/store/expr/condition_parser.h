// Parser for the condition grammar shared by ConditionExpression, FilterExpression and
// KeyConditionExpression (private to store/expr).
//
//   condition := or
//   or        := and ("OR" and)*
//   and       := not ("AND" not)*
//   not       := "NOT" not | primary
//   primary   := "(" condition ")"
//              | operand comparator operand
//              | operand "BETWEEN" operand "AND" operand
//              | operand "IN" "(" operand ("," operand)* ")"
//              | function
//   operand   := "(" operand ")" | function | ":value" | path
//   function  := identifier "(" operand ("," operand)* ")"
//
// Precedence is therefore comparison/BETWEEN/IN > NOT > AND > OR, as in DynamoDB. Besides the
// grammar, the parser enforces DynamoDB's static rules (known functions and their arity and
// operand types, reserved words, defined placeholders, redundant parentheses, distinct operands,
// BETWEEN bounds, at most 100 IN operands and 300 operators) with DynamoDB's messages.
//
// Thread-safety: see ParserBase.
#pragma once

#include <string_view>

#include "core/status.h"
#include "store/expr/expression.h"
#include "store/expr/syntax_tree.h"

namespace ck::store::expr {

// `kind` names the request parameter in messages, e.g. "FilterExpression".
Result<ConditionNode> ParseConditionTree(std::string_view text, ExpressionContext& context,
                                         std::string_view kind);

}  // namespace ck::store::expr
