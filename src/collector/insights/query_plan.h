// PlanQuery: derives from a parsed query what running it needs (QueryPlan in query_syntax.h):
// which commands run per event and where the first blocking command (stats, sort, limit,
// dedup) starts, the result columns, the slots a kept row must carry, the columns the store
// must read (ScanNeeds) and when the scan may stop early.
//
// Result columns (as Insights shows them): the names of the last display command after the last
// stats; else the stats' outputs (by-fields, then aggregates) followed by the names of fields
// commands after it; else, without stats, the names of all fields commands, or @timestamp and
// @message when there are none. Queries without stats end with an @ptr column.
//
// Early stop: the scan is complete after N kept events when the first blocking command is
// `limit N`, or `sort @timestamp [asc|desc] | limit N` (the store then scans in that order).
//
// Thread-safety: runs once inside ParseQuery.
#pragma once

#include <cstdint>

#include "collector/insights/query_syntax.h"

namespace ck::collector::insights {

// Insights' default and maximum number of result rows (RunOptions::insights_limits): a query
// without limit returns at most kDefaultLimit rows, and larger limits are lowered to kMaxLimit.
inline constexpr uint64_t kDefaultLimit = 1'000;
inline constexpr uint64_t kMaxLimit = 10'000;

void PlanQuery(Query* query);

// Calls `visit(slot)` for every slot an expression reads (fields and bin's @timestamp).
template <typename Visit>
void ForEachSlotRead(const Expr& expr, Visit&& visit) {
  if (expr.kind == ExprKind::kField || (expr.kind == ExprKind::kCall && expr.slot >= 0)) {
    visit(expr.slot);
  }
  for (const auto& arg : expr.args) ForEachSlotRead(*arg, visit);
}

}  // namespace ck::collector::insights
