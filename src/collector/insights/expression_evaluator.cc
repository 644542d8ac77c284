#include "collector/insights/expression_evaluator.h"

#include <re2/re2.h>

#include <cmath>
#include <vector>

#include "collector/insights/time_period.h"

namespace ck::collector::insights {
namespace {

constexpr size_t kInlineArguments = 8;

Value Arithmetic(ArithmeticOp op, const Value& left, const Value& right) {
  std::optional<double> x = NumericValue(left);
  std::optional<double> y = NumericValue(right);
  if (!x || !y) return Value::Absent();
  double result = 0;
  switch (op) {
    case ArithmeticOp::kAdd:
      result = *x + *y;
      break;
    case ArithmeticOp::kSubtract:
      result = *x - *y;
      break;
    case ArithmeticOp::kMultiply:
      result = *x * *y;
      break;
    case ArithmeticOp::kDivide:
      if (*y == 0) return Value::Absent();
      result = *x / *y;
      break;
    case ArithmeticOp::kModulo:
      if (*y == 0) return Value::Absent();
      result = std::fmod(*x, *y);
      break;
    case ArithmeticOp::kPower:
      result = std::pow(*x, *y);
      break;
  }
  return std::isfinite(result) ? Value::Number(result) : Value::Absent();
}

bool Compare(CompareOp op, const Value& left, const Value& right) {
  switch (op) {
    case CompareOp::kEqual:
      return ValuesEqual(left, right);
    case CompareOp::kNotEqual:
      return left.present() && right.present() && !ValuesEqual(left, right);
    default:
      break;
  }
  std::optional<int> order = CompareValues(left, right);
  if (!order) return false;
  switch (op) {
    case CompareOp::kLess:
      return *order < 0;
    case CompareOp::kLessEqual:
      return *order <= 0;
    case CompareOp::kGreater:
      return *order > 0;
    case CompareOp::kGreaterEqual:
      return *order >= 0;
    default:
      return false;
  }
}

bool Match(const Expr& expr, EvalContext& context) {
  const Value subject = Evaluate(*expr.args[0], context);
  if (!subject.present()) return false;
  std::string_view text = TextOf(subject, context.scratch());
  bool matched;
  if (expr.regex != nullptr) {
    matched = RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *expr.regex);
  } else {
    matched = text.find(expr.literal.text) != std::string_view::npos;
  }
  return matched != expr.negated;
}

bool In(const Expr& expr, EvalContext& context) {
  const Value subject = Evaluate(*expr.args[0], context);
  if (!subject.present()) return false;
  bool found = false;
  for (size_t i = 1; i < expr.args.size() && !found; ++i) {
    found = ValuesEqual(subject, Evaluate(*expr.args[i], context));
  }
  return found != expr.negated;
}

Value Call(const Expr& expr, EvalContext& context) {
  switch (expr.function) {
    case FunctionId::kBin: {
      std::optional<int64_t> ms = TimestampOf(context.Field(expr.slot));
      if (!ms) return Value::Absent();
      std::optional<int64_t> floor = FloorToPeriod(*ms, expr.args[0]->period);
      return floor ? Value::Timestamp(*floor) : Value::Absent();
    }
    case FunctionId::kDateFloor:
    case FunctionId::kDateCeil: {
      std::optional<int64_t> ms = TimestampOf(Evaluate(*expr.args[0], context));
      if (!ms) return Value::Absent();
      const Period& period = expr.args[1]->period;
      std::optional<int64_t> rounded = expr.function == FunctionId::kDateFloor
                                           ? FloorToPeriod(*ms, period)
                                           : CeilToPeriod(*ms, period);
      return rounded ? Value::Timestamp(*rounded) : Value::Absent();
    }
    default:
      break;
  }
  if (expr.args.size() <= kInlineArguments) {
    Value args[kInlineArguments];
    for (size_t i = 0; i < expr.args.size(); ++i) args[i] = Evaluate(*expr.args[i], context);
    return CallScalar(expr.function, std::span<const Value>(args, expr.args.size()),
                      context.scratch());
  }
  std::vector<Value> args;
  args.reserve(expr.args.size());
  for (const auto& arg : expr.args) args.push_back(Evaluate(*arg, context));
  return CallScalar(expr.function, args, context.scratch());
}

}  // namespace

std::optional<int64_t> TimestampOf(const Value& value) {
  if (value.kind == ValueKind::kTimestamp) {
    if (!ValidTimestamp(value.millis)) return std::nullopt;
    return value.millis;
  }
  std::optional<double> number = NumericValue(value);
  if (!number || *number < static_cast<double>(kMinTimestampMs) ||
      *number > static_cast<double>(kMaxTimestampMs)) {
    return std::nullopt;
  }
  return static_cast<int64_t>(std::floor(*number));
}

Value Evaluate(const Expr& expr, EvalContext& context) {
  switch (expr.kind) {
    case ExprKind::kLiteral:
      return expr.literal.view();
    case ExprKind::kField:
      return context.Field(expr.slot);
    case ExprKind::kNegate: {
      std::optional<double> x = NumericValue(Evaluate(*expr.args[0], context));
      return x ? Value::Number(-*x) : Value::Absent();
    }
    case ExprKind::kArithmetic:
      return Arithmetic(expr.arithmetic, Evaluate(*expr.args[0], context),
                        Evaluate(*expr.args[1], context));
    case ExprKind::kCompare: {
      const Value left = Evaluate(*expr.args[0], context);
      return Value::Bool(Compare(expr.compare, left, Evaluate(*expr.args[1], context)));
    }
    case ExprKind::kAnd:
      return Value::Bool(Truthy(Evaluate(*expr.args[0], context)) &&
                         Truthy(Evaluate(*expr.args[1], context)));
    case ExprKind::kOr:
      return Value::Bool(Truthy(Evaluate(*expr.args[0], context)) ||
                         Truthy(Evaluate(*expr.args[1], context)));
    case ExprKind::kNot:
      return Value::Bool(!Truthy(Evaluate(*expr.args[0], context)));
    case ExprKind::kMatch:
      return Value::Bool(Match(expr, context));
    case ExprKind::kIn:
      return Value::Bool(In(expr, context));
    case ExprKind::kCall:
      return Call(expr, context);
    case ExprKind::kAggregate:
      return context.Aggregate(expr.aggregate_index);
    case ExprKind::kPeriod:
    case ExprKind::kStar:
      break;
  }
  return Value::Absent();
}

}  // namespace ck::collector::insights
