// The commands of a Logs Insights query applied to kept rows (everything from the first
// blocking command on: stats, sort, limit, dedup, and the fields/filter/parse/display after
// them), plus the pieces QueryRun shares with them while streaming events.
//
//   for (size_t i = begin; i < query.commands.size(); ++i)
//     ApplyToRows(query.commands[i], query, options, &rows, scratch, &truncated);
//
// sort is stable with absent values last in either direction; dedup keeps the first row of each
// combination and every row with an absent dedup field; limit keeps the first N rows (N capped
// at kMaxLimit under RunOptions::insights_limits).
//
// Failure modes: none. Thread-safety: rows and scratch belong to one run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collector/insights/expression_evaluator.h"
#include "collector/insights/query.h"
#include "collector/insights/query_syntax.h"
#include "collector/insights/result_row.h"

namespace ck::collector::insights {

void ApplyToRows(const Command& command, const Query& query, const RunOptions& options,
                 std::vector<ResultRow>* rows, Scratch& scratch, bool* truncated);

// Stable sort by the command's keys, then keeps the first `keep` rows.
void SortRows(const Command& sort, std::vector<ResultRow>* rows, Scratch& scratch, size_t keep);

// The limit a `limit N` command applies under `options`.
uint64_t EffectiveLimit(uint64_t limit, const RunOptions& options);

// parse: one value per capture slot, borrowing from `text`; all absent when it does not match.
void CaptureParse(const Command& parse, std::string_view text, std::vector<Value>* captures);

// dedup: the row's key in `key`; false when a dedup field is absent (the row is always kept).
bool DedupKey(const Command& dedup, EvalContext& context, std::string* key);

}  // namespace ck::collector::insights
