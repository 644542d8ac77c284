// Evaluates parsed Logs Insights expressions (query_syntax.h) against one event or one row.
//
//   class EventContext : public EvalContext { Value Field(int slot) override { ... } };
//   Value latency = Evaluate(*command.items[0].expr, context);
//   if (Truthy(Evaluate(*filter.condition, context))) ...
//
// Semantics (docs/logs-insights.md): arithmetic needs numeric operands (numbers, numeric
// strings, timestamps as ms, booleans as 1/0) and yields no value otherwise, or for division or
// modulo by zero and results that are not finite; comparisons, like, =~ and in are false when
// their left side is absent (also when negated); and/or short-circuit; bin(p) floors the row's
// @timestamp. Aggregate nodes read Aggregate(index), which only stats' result rows provide.
//
// Failure modes: none; evaluation never fails and never throws. Strings computed on the way live
// in the context's Scratch until it is reset.
// Thread-safety: a context belongs to one run; expressions are shared read-only.
#pragma once

#include "collector/insights/query_syntax.h"
#include "collector/insights/value.h"

namespace ck::collector::insights {

class EvalContext {
 public:
  explicit EvalContext(Scratch& scratch) : scratch_(scratch) {}
  virtual ~EvalContext() = default;

  virtual Value Field(int slot) = 0;
  virtual Value Aggregate(int index) { return Value::Absent(); }
  Scratch& scratch() { return scratch_; }

 private:
  Scratch& scratch_;
};

Value Evaluate(const Expr& expr, EvalContext& context);

// A timestamp in ms from a timestamp or numeric value, if it is a valid timestamp.
std::optional<int64_t> TimestampOf(const Value& value);

}  // namespace ck::collector::insights
