// Parse trees of condition and update expressions (private to store/expr).
//
// Trees are built once by the parsers with every placeholder already resolved (names to
// attribute names, values to copies of the AttributeValues), so evaluation needs no context.
// They are immutable after parsing and safe to share between threads.
#pragma once

#include <string>
#include <vector>

#include "store/attribute_value.h"
#include "store/expr/expression.h"

namespace ck::store::expr {

// An operand: a document path, a literal value, a function call, or (update expressions only)
// the sum or difference of two operands.
struct Operand {
  enum class Kind { kPath, kValue, kFunction, kPlus, kMinus };
  Kind kind = Kind::kValue;
  Path path;                  // kPath
  AttributeValue value;       // kValue
  std::string function;       // kFunction: the name as written (names are case-sensitive)
  std::vector<Operand> args;  // kFunction arguments; kPlus/kMinus: the two operands
};

enum class Comparator { kEqual, kNotEqual, kLess, kLessOrEqual, kGreater, kGreaterOrEqual };

// The operator as written in expressions ("=", "<>", ...), for messages.
std::string_view ComparatorText(Comparator comparator);

struct ConditionNode {
  enum class Kind { kAnd, kOr, kNot, kCompare, kBetween, kIn, kFunction };
  Kind kind = Kind::kCompare;
  Comparator comparator = Comparator::kEqual;  // kCompare
  std::vector<ConditionNode> children;         // kAnd, kOr: two; kNot: one
  // kCompare: two; kBetween: operand, lower, upper; kIn: operand then candidates;
  // kFunction: the function's arguments.
  std::vector<Operand> operands;
  std::string function;  // kFunction
};

struct UpdateAction {
  enum class Kind { kSet, kRemove, kAdd, kDelete };
  Kind kind = Kind::kSet;
  Path path;
  Operand value;  // kSet: the value expression; kAdd, kDelete: a kValue operand
};

}  // namespace ck::store::expr
