// The stats command: groups events (or rows) by the `by` expressions and folds each group's
// values through the aggregate functions, then evaluates the stats items over the results.
//
//   StatsAggregator stats(command, query, /*max_groups=*/options.max_rows);
//   for each event: stats.Add(context);          // no allocation unless a new group starts
//   std::vector<ResultRow> rows = stats.Finish(scratch);
//
// Aggregates: count(*) / count() count every input, count(x) those where x is present;
// count_distinct(x) is exact; sum, avg and stddev (sample, n-1; 0 for one value) use numeric
// values and are absent without any; min and max compare numbers numerically (ignoring
// non-numbers when numbers exist), else in sort order; sortsFirst/sortsLast use the sort order;
// pct(x, p) is the nearest-rank percentile of the numeric values; earliest(x)/latest(x) take x
// from the input with the smallest/largest (@timestamp, event id) where x is present.
// A stats command without `by` always yields one row, even over no input.
//
// Groups keep first-seen order. Beyond max_groups new groups are dropped and truncated() is set.
// Thread-safety: one aggregator per run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/insights/expression_evaluator.h"
#include "collector/insights/query_syntax.h"
#include "collector/insights/result_row.h"

namespace ck::collector::insights {

class Accumulator {
 public:
  virtual ~Accumulator() = default;
  // `order` breaks timestamp ties (the event id, or the row's position).
  virtual void Add(const Value& value, int64_t timestamp_ms, uint64_t order) = 0;
  virtual Value Result(Scratch& scratch) = 0;
};

std::unique_ptr<Accumulator> MakeAccumulator(const Expr& aggregate);

// A group key made of values: equal keys mean equal kinds and values.
void AppendKey(const Value& value, std::string* key);

class StatsAggregator {
 public:
  StatsAggregator(const Command& stats, const Query& query, size_t max_groups);
  ~StatsAggregator();

  void Add(EvalContext& context, uint64_t order);
  std::vector<ResultRow> Finish(Scratch& scratch);
  bool truncated() const { return truncated_; }

 private:
  struct Group {
    std::vector<Cell> keys;
    std::vector<std::unique_ptr<Accumulator>> accumulators;
  };
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>()(key); }
  };

  size_t GroupFor(EvalContext& context);
  // `by bin(period)` alone with a fixed period: groups keyed by the bin's start, and no work at
  // all while events stay inside the last bin (events arrive in time order).
  size_t BinGroupFor(EvalContext& context);
  size_t NewGroup();

  const Command& stats_;
  const Query& query_;
  size_t max_groups_;
  bool needs_time_ = false;
  bool truncated_ = false;
  std::vector<Group> groups_;
  std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>> index_;
  std::string key_;
  std::string last_key_;
  size_t last_group_ = SIZE_MAX;
  std::vector<Value> key_values_;
  std::optional<int64_t> bin_step_ms_;
  int64_t bin_start_ = 0;
  int64_t bin_end_ = 0;  // [bin_start_, bin_end_) is the last bin seen; empty at first
  size_t bin_group_ = SIZE_MAX;
  std::unordered_map<int64_t, size_t> bin_index_;
};

}  // namespace ck::collector::insights
