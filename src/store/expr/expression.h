// DynamoDB expressions: condition/filter, key-condition, projection and update expressions.
//
// Each expression kind is parsed once per request into an immutable tree and then evaluated
// against items. Parsing resolves `#name` and `:value` placeholders through an ExpressionContext
// and records which placeholders were used, so the protocol layer can reject unused ones exactly as
// DynamoDB does. All errors are kInvalidArgument Statuses whose messages are DynamoDB's
// ValidationException messages verbatim, e.g.
//   "Invalid ConditionExpression: Syntax error; token: \"x\", near: \"a x\""
//   "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name"
//   "Invalid UpdateExpression: An expression attribute value used in expression is not defined;
//    attribute value: :v"
//
//   ExpressionContext context{&names, &values};
//   CK_ASSIGN_OR_RETURN(auto condition, ConditionExpression::Parse(text, context));
//   CK_ASSIGN_OR_RETURN(bool matches, condition.Evaluate(item));
//   CK_RETURN_IF_ERROR(context.CheckAllUsed());
//
// Thread-safety: parsed expressions are immutable and may be evaluated from any thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/attribute_value.h"

namespace ck::store::expr {

// One element of a document path: a map key or a list index.
struct PathElement {
  std::string name;  // set when index < 0
  int index = -1;    // list index, when >= 0
};
// A document path such as a.b[2].c, with placeholders already resolved.
using Path = std::vector<PathElement>;
std::string PathToString(const Path& path);

// Placeholder tables of one request, plus which entries the parsed expressions used.
class ExpressionContext {
 public:
  ExpressionContext(const std::map<std::string, std::string>* names, const Item* values)
      : names_(names), values_(values) {}

  // Errors for placeholders defined but not used by any expression parsed with this context:
  // "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :b}" and
  // "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}".
  Status CheckAllUsed() const;

  // Used by the parsers.
  const std::map<std::string, std::string>* names() const { return names_; }
  const Item* values() const { return values_; }
  void MarkNameUsed(const std::string& placeholder) { used_names_.insert(placeholder); }
  void MarkValueUsed(const std::string& placeholder) { used_values_.insert(placeholder); }

 private:
  const std::map<std::string, std::string>* names_;
  const Item* values_;
  std::set<std::string> used_names_;
  std::set<std::string> used_values_;
};

struct ConditionNode;  // opaque parse tree

// ConditionExpression and FilterExpression (same grammar): comparators = <> < <= > >=,
// BETWEEN, IN, AND, OR, NOT, parentheses, and the functions attribute_exists,
// attribute_not_exists, attribute_type, begins_with, contains, size.
class ConditionExpression {
 public:
  // `kind` names the request parameter in messages: "ConditionExpression", "FilterExpression".
  static Result<ConditionExpression> Parse(std::string_view text, ExpressionContext& context,
                                           std::string_view kind = "ConditionExpression");
  // True when the item (empty map = no item) satisfies the condition. Type mismatches make a
  // comparison false, as in DynamoDB; errors only for invalid operands (e.g. size() of a number
  // used in a way DynamoDB rejects at run time).
  Result<bool> Evaluate(const Item& item) const;
  // Top-level attribute names the condition reads, each once, in order of first appearance:
  // `a.b[1] = :v AND size(#c) > :n` reads {a, c} (with #c -> c). Query uses it to reject a
  // FilterExpression on a key attribute.
  std::vector<std::string> TopLevelAttributes() const;

 private:
  std::shared_ptr<const ConditionNode> root_;
};

// KeyConditionExpression: `hash = :v` optionally AND one sort-key condition
// (=, <, <=, >, >=, BETWEEN, begins_with).
struct KeyCondition {
  enum class Op { kEqual, kLess, kLessOrEqual, kGreater, kGreaterOrEqual, kBetween, kBeginsWith };
  std::string hash_name;
  AttributeValue hash_value;
  struct Range {
    std::string name;
    Op op = Op::kEqual;
    AttributeValue value;   // the operand (lower bound for BETWEEN)
    AttributeValue value2;  // upper bound for BETWEEN
  };
  std::optional<Range> range;
};
// `hash_key` and `range_key` are the key attribute names of the table or index queried; errors
// use DynamoDB's wording (e.g. "Query condition missed key schema element: ckid"). Whether the
// values match the key attributes' declared types ("Condition parameter type does not match
// schema type") is for the caller to check, as only it knows the table's attribute definitions.
Result<KeyCondition> ParseKeyCondition(std::string_view text, ExpressionContext& context,
                                       const std::string& hash_key,
                                       const std::optional<std::string>& range_key);

// ProjectionExpression: comma-separated document paths.
class ProjectionExpression {
 public:
  static Result<ProjectionExpression> Parse(std::string_view text, ExpressionContext& context);
  // The item reduced to the projected paths (missing paths omitted; list elements projected
  // keep their relative order, as DynamoDB does).
  Item Apply(const Item& item) const;
  const std::vector<Path>& paths() const { return paths_; }

 private:
  std::vector<Path> paths_;
};

struct UpdateAction;  // opaque parse tree

// UpdateExpression: SET (with + and -, if_not_exists, list_append), REMOVE, ADD, DELETE.
class UpdateExpression {
 public:
  static Result<UpdateExpression> Parse(std::string_view text, ExpressionContext& context);
  // Applies the update to `item` (empty for a new item) in place. Errors are DynamoDB's
  // run-time ValidationException messages, e.g. "The provided expression refers to an attribute
  // that does not exist in the item" and "An operand in the update expression has an incorrect
  // data type". On error `item` is left unchanged.
  Status Apply(Item& item) const;
  // Top-level attribute names this update writes or removes (for UPDATED_OLD/UPDATED_NEW and to
  // reject updates of key attributes: "Cannot update attribute ckid. This attribute is part of
  // the key").
  std::vector<std::string> TopLevelAttributes() const;
  // Full paths touched by the update, for UPDATED_OLD/UPDATED_NEW projections.
  std::vector<Path> Paths() const;

 private:
  std::vector<std::shared_ptr<const UpdateAction>> actions_;
};

}  // namespace ck::store::expr
