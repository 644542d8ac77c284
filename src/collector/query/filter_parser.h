// Parser for X-Ray filter expressions (private to collector/query; use FilterExpression).
//
// Recursive descent over the grammar in docs/trace-queries.md: OR binds loosest, then AND (also
// written as juxtaposition: "ok !partial duration < 3"), then ! / NOT. Keywords, operators and
// true/false are case-insensitive. The text is limited to kMaxFilterExpressionBytes and the
// nesting of (), {} and ! to kMaxFilterNesting, so hostile input cannot exhaust the stack.
//
//   CK_ASSIGN_OR_RETURN(FilterProgram program, ParseFilterProgram("service(\"x\") { fault }"));
//
// Failure: InvalidArgument "Invalid filter expression: expected ... at position N, found ...".
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

#include "collector/query/filter_syntax.h"
#include "core/status.h"

namespace ck::collector {

inline constexpr size_t kMaxFilterExpressionBytes = 4096;
inline constexpr int kMaxFilterNesting = 64;

Result<FilterProgram> ParseFilterProgram(std::string_view text);

}  // namespace ck::collector
