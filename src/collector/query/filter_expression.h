// FilterExpression: an X-Ray filter expression (GetTraceSummaries' FilterExpression), parsed once
// and evaluated against many TraceSummaries.
//
// Supports the boolean keywords ok, error, fault, throttle, partial, inferred (bare, negated or
// "= true|false"); the number keywords responsetime, duration, http.status (= != < <= > >=); the
// string keywords http.url, http.method, http.useragent, http.clientip (= != CONTAINS BEGINSWITH
// ENDSWITH, case-sensitive values); annotation.key and annotation[key] against strings, numbers
// and booleans, or bare for "the key is present"; service(...) and edge(..., ...) with names or
// id(name: ..., type: ...) and an optional { filter } that is evaluated against each visit of the
// node or each call on the edge; AND/&&, OR/||, !/NOT, parentheses, and juxtaposition as AND.
// Outside braces, ok/error/fault/throttle and the http keywords describe the root segment (the
// trace as its client saw it); annotations match if any span of the trace (or, inside braces,
// of the node visit or call) has a value that satisfies the comparison. A missing value (no
// http.status, no URL, no such annotation) satisfies no comparison, including != . The empty
// expression matches every trace. See docs/trace-queries.md for the grammar.
//
//   CK_ASSIGN_OR_RETURN(FilterExpression filter,
//                       FilterExpression::Parse("edge(\"register-api\", \"DynamoDB\") { fault }"));
//   for (const TraceSummary& trace : traces) if (filter.Matches(trace)) ...
//
// Failure: Parse returns InvalidArgument with the 1-based position and what was expected (the
// X-Ray API layer maps it to InvalidRequestException). Input is limited to
// kMaxFilterExpressionBytes bytes and kMaxFilterNesting levels of (), {} and !.
// Thread-safety: immutable after Parse; Matches may be called concurrently. Matches allocates
// nothing.
#pragma once

#include <string>
#include <string_view>

#include "collector/query/filter_parser.h"
#include "collector/query/filter_syntax.h"
#include "collector/query/trace_summary.h"
#include "core/status.h"

namespace ck::collector {

class FilterExpression {
 public:
  // The empty expression (matches everything).
  FilterExpression() = default;

  static Result<FilterExpression> Parse(std::string_view text);

  bool Matches(const TraceSummary& trace) const;

  bool empty() const { return program_.root < 0; }
  const std::string& text() const { return text_; }

 private:
  bool Evaluate(int32_t index, const FilterFacts& facts, const TraceSummary& trace) const;
  bool EvaluateInner(const FilterNode& node, const FilterFacts& facts,
                     const TraceSummary& trace) const;

  std::string text_;
  FilterProgram program_;
};

}  // namespace ck::collector
