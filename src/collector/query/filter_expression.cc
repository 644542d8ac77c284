#include "collector/query/filter_expression.h"

#include <string>
#include <utility>
#include <variant>

namespace ck::collector {
namespace {

bool SelectorMatches(const NodeSelector& selector, const ServiceId& id) {
  if (selector.name && *selector.name != id.name) return false;
  if (selector.type && *selector.type != id.type) return false;
  return true;
}

bool CompareNumbers(FilterOperator op, double actual, double expected) {
  switch (op) {
    case FilterOperator::kEqual:
      return actual == expected;
    case FilterOperator::kNotEqual:
      return actual != expected;
    case FilterOperator::kLess:
      return actual < expected;
    case FilterOperator::kLessOrEqual:
      return actual <= expected;
    case FilterOperator::kGreater:
      return actual > expected;
    case FilterOperator::kGreaterOrEqual:
      return actual >= expected;
    default:
      return false;
  }
}

bool CompareStrings(FilterOperator op, std::string_view actual, std::string_view expected) {
  switch (op) {
    case FilterOperator::kEqual:
      return actual == expected;
    case FilterOperator::kNotEqual:
      return actual != expected;
    case FilterOperator::kContains:
      return actual.find(expected) != std::string_view::npos;
    case FilterOperator::kBeginsWith:
      return actual.starts_with(expected);
    case FilterOperator::kEndsWith:
      return actual.ends_with(expected);
    default:
      return false;
  }
}

bool BooleanFact(const FilterFacts& facts, BooleanField field) {
  switch (field) {
    case BooleanField::kOk:
      return facts.ok;
    case BooleanField::kError:
      return facts.error;
    case BooleanField::kFault:
      return facts.fault;
    case BooleanField::kThrottle:
      return facts.throttle;
    case BooleanField::kPartial:
      return facts.partial;
    case BooleanField::kInferred:
      return facts.inferred;
  }
  return false;
}

const std::string& StringFact(const FilterFacts& facts, StringField field) {
  switch (field) {
    case StringField::kHttpUrl:
      return facts.http.url;
    case StringField::kHttpMethod:
      return facts.http.method;
    case StringField::kHttpUserAgent:
      return facts.http.user_agent;
    case StringField::kHttpClientIp:
      return facts.http.client_ip;
  }
  return facts.http.url;
}

bool MatchesNumberField(const FilterNode& node, const FilterFacts& facts) {
  switch (static_cast<NumberField>(node.field)) {
    case NumberField::kResponseTime:
      return CompareNumbers(node.op, facts.response_time, node.number_value);
    case NumberField::kDuration:
      return CompareNumbers(node.op, facts.duration, node.number_value);
    case NumberField::kHttpStatus:
      // No response status: nothing to compare, not even "!=".
      return facts.http.status != 0 &&
             CompareNumbers(node.op, static_cast<double>(facts.http.status), node.number_value);
  }
  return false;
}

bool AnnotationMatches(const FilterNode& node, const AnnotationValue& value) {
  switch (node.value_kind) {
    case FilterValueKind::kString:
      if (const auto* text = std::get_if<std::string>(&value)) {
        return CompareStrings(node.op, *text, node.string_value);
      }
      return false;
    case FilterValueKind::kNumber:
      if (const auto* integer = std::get_if<int64_t>(&value)) {
        return CompareNumbers(node.op, static_cast<double>(*integer), node.number_value);
      }
      if (const auto* real = std::get_if<double>(&value)) {
        return CompareNumbers(node.op, *real, node.number_value);
      }
      return false;
    case FilterValueKind::kBoolean:
      if (const auto* flag = std::get_if<bool>(&value)) {
        return node.op == FilterOperator::kEqual ? *flag == node.boolean_value
                                                 : *flag != node.boolean_value;
      }
      return false;
    case FilterValueKind::kNone:
      return true;  // presence
  }
  return false;
}

}  // namespace

Result<FilterExpression> FilterExpression::Parse(std::string_view text) {
  CK_ASSIGN_OR_RETURN(FilterProgram program, ParseFilterProgram(text));
  FilterExpression expression;
  expression.text_ = std::string(text);
  expression.program_ = std::move(program);
  return expression;
}

bool FilterExpression::Matches(const TraceSummary& trace) const {
  if (program_.root < 0) return true;
  return Evaluate(program_.root, trace.facts, trace);
}

bool FilterExpression::EvaluateInner(const FilterNode& node, const FilterFacts& facts,
                                     const TraceSummary& trace) const {
  return node.inner < 0 || Evaluate(node.inner, facts, trace);
}

bool FilterExpression::Evaluate(int32_t index, const FilterFacts& facts,
                                const TraceSummary& trace) const {
  const FilterNode& node = program_.nodes[static_cast<size_t>(index)];
  switch (node.kind) {
    case FilterNodeKind::kAnd:
      for (uint32_t i = 0; i < node.count; ++i) {
        if (!Evaluate(static_cast<int32_t>(program_.children[node.first + i]), facts, trace)) {
          return false;
        }
      }
      return true;
    case FilterNodeKind::kOr:
      for (uint32_t i = 0; i < node.count; ++i) {
        if (Evaluate(static_cast<int32_t>(program_.children[node.first + i]), facts, trace)) {
          return true;
        }
      }
      return false;
    case FilterNodeKind::kNot:
      return !Evaluate(static_cast<int32_t>(node.first), facts, trace);
    case FilterNodeKind::kBoolean: {
      bool fact = BooleanFact(facts, static_cast<BooleanField>(node.field));
      return node.op == FilterOperator::kEqual ? fact == node.boolean_value
                                               : fact != node.boolean_value;
    }
    case FilterNodeKind::kNumber:
      return MatchesNumberField(node, facts);
    case FilterNodeKind::kString: {
      const std::string& fact = StringFact(facts, static_cast<StringField>(node.field));
      return !fact.empty() && CompareStrings(node.op, fact, node.string_value);
    }
    case FilterNodeKind::kAnnotation:
      for (const auto& [key, value] : facts.annotations) {
        if (key == node.annotation_key && AnnotationMatches(node, value)) return true;
      }
      return false;
    case FilterNodeKind::kService:
      for (const TraceNode& visit : trace.nodes) {
        if (SelectorMatches(node.target, visit.id) && EvaluateInner(node, visit.facts, trace)) {
          return true;
        }
      }
      return false;
    case FilterNodeKind::kEdge:
      for (const TraceEdge& call : trace.edges) {
        if (SelectorMatches(node.source, call.source) &&
            SelectorMatches(node.target, call.target) && EvaluateInner(node, call.facts, trace)) {
          return true;
        }
      }
      return false;
  }
  return false;
}

}  // namespace ck::collector
