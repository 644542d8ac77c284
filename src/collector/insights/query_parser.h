// Parses the commands of a Logs Insights query into a Query (query_syntax.h); ParseQuery
// (query.h) is this plus PlanQuery (query_plan.h).
//
//   fields  expr [as name], ...            display name, ...        dedup name, ...
//   filter  expr                           sort expr [asc|desc], ...  (desc by default)
//   stats   aggregate-expr [as name], ... [by expr [as name], ...]
//   limit   N                              parse [field] "glob*" as name, ... | /(?<name>re)/
//
// Commands are separated by `|`, in any order and any number; command names and keywords ignore
// case. Unnamed results are named by their source text (`count(*)`, `bin(5m)`).
//
// Failure: InvalidArgument in Insights' wording with "at line L and position P"; the query is
// limited to kMaxQueryLength bytes. Never throws.
// Thread-safety: pure function.
#pragma once

#include <memory>
#include <string_view>

#include "collector/insights/query_syntax.h"
#include "core/status.h"

namespace ck::collector::insights {

// StartQuery's queryString limit.
inline constexpr size_t kMaxQueryLength = 10'000;

Result<std::unique_ptr<Query>> ParseCommands(std::string_view text);

}  // namespace ck::collector::insights
