#include "collector/insights/aggregates.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "collector/insights/time_period.h"

namespace ck::collector::insights {
namespace {

class CountAccumulator : public Accumulator {
 public:
  void Add(const Value& value, int64_t, uint64_t) override { count_ += value.present() ? 1 : 0; }
  Value Result(Scratch&) override { return Value::Number(static_cast<double>(count_)); }

 private:
  uint64_t count_ = 0;
};

class CountDistinctAccumulator : public Accumulator {
 public:
  void Add(const Value& value, int64_t, uint64_t) override {
    if (!value.present()) return;
    key_.clear();
    AppendKey(value, &key_);
    if (seen_.find(key_) == seen_.end()) seen_.insert(key_);
  }
  Value Result(Scratch&) override { return Value::Number(static_cast<double>(seen_.size())); }

 private:
  std::string key_;
  std::unordered_set<std::string> seen_;
};

// sum, avg and stddev (Welford's running mean and squared deviations).
class MomentsAccumulator : public Accumulator {
 public:
  explicit MomentsAccumulator(FunctionId function) : function_(function) {}
  void Add(const Value& value, int64_t, uint64_t) override {
    std::optional<double> x = NumericValue(value);
    if (!x) return;
    ++count_;
    sum_ += *x;
    const double delta = *x - mean_;
    mean_ += delta / static_cast<double>(count_);
    squares_ += delta * (*x - mean_);
  }
  Value Result(Scratch&) override {
    if (count_ == 0) return Value::Absent();
    double result = sum_;
    if (function_ == FunctionId::kAvg) result = sum_ / static_cast<double>(count_);
    if (function_ == FunctionId::kStddev) {
      result = count_ < 2 ? 0 : std::sqrt(squares_ / static_cast<double>(count_ - 1));
    }
    return std::isfinite(result) ? Value::Number(result) : Value::Absent();
  }

 private:
  FunctionId function_;
  uint64_t count_ = 0;
  double sum_ = 0;
  double mean_ = 0;
  double squares_ = 0;
};

class PercentileAccumulator : public Accumulator {
 public:
  explicit PercentileAccumulator(double percentile) : percentile_(percentile) {}
  void Add(const Value& value, int64_t, uint64_t) override {
    if (std::optional<double> x = NumericValue(value)) values_.push_back(*x);
  }
  Value Result(Scratch&) override {
    if (values_.empty()) return Value::Absent();
    // Nearest rank: the smallest value with at least p% of the values at or below it.
    double rank = std::ceil(percentile_ / 100.0 * static_cast<double>(values_.size()));
    size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
    if (index >= values_.size()) index = values_.size() - 1;
    std::nth_element(values_.begin(), values_.begin() + static_cast<ptrdiff_t>(index),
                     values_.end());
    return Value::Number(values_[index]);
  }

 private:
  double percentile_;
  std::vector<double> values_;
};

// min, max, sortsFirst, sortsLast.
class ExtremeAccumulator : public Accumulator {
 public:
  ExtremeAccumulator(bool smallest, bool numbers_first)
      : smallest_(smallest), numbers_first_(numbers_first) {}
  void Add(const Value& value, int64_t, uint64_t) override {
    if (!value.present()) return;
    Cell& best = numbers_first_ && NumericValue(value) ? number_ : other_;
    if (!best.present()) {
      best = Cell::From(value);
      return;
    }
    const int order = SortCompare(value, best.view());
    if (smallest_ ? order < 0 : order > 0) best = Cell::From(value);
  }
  Value Result(Scratch&) override { return number_.present() ? number_.view() : other_.view(); }

 private:
  bool smallest_;
  bool numbers_first_;
  Cell number_;  // with numbers_first: the best numeric value
  Cell other_;
};

class TimeAccumulator : public Accumulator {
 public:
  explicit TimeAccumulator(bool earliest) : earliest_(earliest) {}
  void Add(const Value& value, int64_t timestamp_ms, uint64_t order) override {
    if (!value.present()) return;
    if (has_value_) {
      const bool before =
          timestamp_ms < timestamp_ms_ || (timestamp_ms == timestamp_ms_ && order < order_);
      const bool after =
          timestamp_ms > timestamp_ms_ || (timestamp_ms == timestamp_ms_ && order > order_);
      if (earliest_ ? !before : !after) return;
    }
    has_value_ = true;
    timestamp_ms_ = timestamp_ms;
    order_ = order;
    value_ = Cell::From(value);
  }
  Value Result(Scratch&) override { return value_.view(); }

 private:
  bool earliest_;
  bool has_value_ = false;
  int64_t timestamp_ms_ = 0;
  uint64_t order_ = 0;
  Cell value_;
};

// Aggregate results for stats items.
class GroupContext : public EvalContext {
 public:
  GroupContext(std::vector<std::unique_ptr<Accumulator>>& accumulators, Scratch& scratch)
      : EvalContext(scratch), accumulators_(accumulators) {}
  Value Field(int) override { return Value::Absent(); }
  Value Aggregate(int index) override { return accumulators_[index]->Result(scratch()); }

 private:
  std::vector<std::unique_ptr<Accumulator>>& accumulators_;
};

}  // namespace

std::unique_ptr<Accumulator> MakeAccumulator(const Expr& aggregate) {
  switch (aggregate.function) {
    case FunctionId::kCountDistinct:
      return std::make_unique<CountDistinctAccumulator>();
    case FunctionId::kSum:
    case FunctionId::kAvg:
    case FunctionId::kStddev:
      return std::make_unique<MomentsAccumulator>(aggregate.function);
    case FunctionId::kPct:
      return std::make_unique<PercentileAccumulator>(aggregate.percentile);
    case FunctionId::kMin:
      return std::make_unique<ExtremeAccumulator>(true, true);
    case FunctionId::kMax:
      return std::make_unique<ExtremeAccumulator>(false, true);
    case FunctionId::kSortsFirst:
      return std::make_unique<ExtremeAccumulator>(true, false);
    case FunctionId::kSortsLast:
      return std::make_unique<ExtremeAccumulator>(false, false);
    case FunctionId::kEarliest:
      return std::make_unique<TimeAccumulator>(true);
    case FunctionId::kLatest:
      return std::make_unique<TimeAccumulator>(false);
    default:
      return std::make_unique<CountAccumulator>();
  }
}

void AppendKey(const Value& value, std::string* key) {
  key->push_back(static_cast<char>(value.kind));
  switch (value.kind) {
    case ValueKind::kNumber: {
      const double number = value.number == 0 ? 0.0 : value.number;
      char bytes[sizeof(double)];
      std::memcpy(bytes, &number, sizeof(bytes));
      key->append(bytes, sizeof(bytes));
      break;
    }
    case ValueKind::kTimestamp: {
      char bytes[sizeof(int64_t)];
      std::memcpy(bytes, &value.millis, sizeof(bytes));
      key->append(bytes, sizeof(bytes));
      break;
    }
    case ValueKind::kBool:
      key->push_back(value.boolean ? '1' : '0');
      break;
    case ValueKind::kString: {
      const auto length = static_cast<uint32_t>(value.text.size());
      char bytes[sizeof(length)];
      std::memcpy(bytes, &length, sizeof(bytes));
      key->append(bytes, sizeof(bytes));
      key->append(value.text);
      break;
    }
    case ValueKind::kAbsent:
      break;
  }
}

StatsAggregator::StatsAggregator(const Command& stats, const Query& query, size_t max_groups)
    : stats_(stats), query_(query), max_groups_(max_groups) {
  for (const Expr* aggregate : stats.aggregates) {
    needs_time_ = needs_time_ || aggregate->function == FunctionId::kEarliest ||
                  aggregate->function == FunctionId::kLatest;
  }
  key_values_.resize(stats.groups.size());
  if (stats.groups.size() == 1) {
    const Expr& group = *stats.groups[0].expr;
    if (group.kind == ExprKind::kCall && group.function == FunctionId::kBin) {
      bin_step_ms_ = FixedPeriodMillis(group.args[0]->period);
    }
  }
}

StatsAggregator::~StatsAggregator() = default;

size_t StatsAggregator::NewGroup() {
  if (groups_.size() >= max_groups_) {
    truncated_ = true;
    return SIZE_MAX;
  }
  Group& created = groups_.emplace_back();
  for (const Value& value : key_values_) created.keys.push_back(Cell::From(value));
  for (const Expr* aggregate : stats_.aggregates) {
    created.accumulators.push_back(MakeAccumulator(*aggregate));
  }
  return groups_.size() - 1;
}

size_t StatsAggregator::BinGroupFor(EvalContext& context) {
  const Expr& bin = *stats_.groups[0].expr;
  const Value timestamp = context.Field(bin.slot);
  if (timestamp.kind == ValueKind::kTimestamp && timestamp.millis >= bin_start_ &&
      timestamp.millis < bin_end_) {
    return bin_group_;
  }
  std::optional<int64_t> ms = TimestampOf(timestamp);
  std::optional<int64_t> start;
  if (ms) start = FloorToPeriod(*ms, bin.args[0]->period);
  if (!start) return GroupFor(context);  // no bin: the group of the absent key
  auto found = bin_index_.find(*start);
  size_t group;
  if (found != bin_index_.end()) {
    group = found->second;
  } else {
    key_values_[0] = Value::Timestamp(*start);
    group = NewGroup();
    if (group == SIZE_MAX) return SIZE_MAX;
    bin_index_.emplace(*start, group);
  }
  if (timestamp.kind == ValueKind::kTimestamp) {
    bin_start_ = *start;
    bin_end_ = *start + *bin_step_ms_;
    bin_group_ = group;
  }
  return group;
}

size_t StatsAggregator::GroupFor(EvalContext& context) {
  key_.clear();
  for (size_t i = 0; i < stats_.groups.size(); ++i) {
    key_values_[i] = Evaluate(*stats_.groups[i].expr, context);
    AppendKey(key_values_[i], &key_);
  }
  if (last_group_ != SIZE_MAX && key_ == last_key_) return last_group_;
  auto found = index_.find(std::string_view(key_));
  size_t group;
  if (found != index_.end()) {
    group = found->second;
  } else {
    group = NewGroup();
    if (group == SIZE_MAX) return SIZE_MAX;
    index_.emplace(key_, group);
  }
  last_key_.assign(key_);
  last_group_ = group;
  return group;
}

void StatsAggregator::Add(EvalContext& context, uint64_t order) {
  const size_t index = bin_step_ms_ ? BinGroupFor(context) : GroupFor(context);
  if (index == SIZE_MAX) return;
  Group& group = groups_[index];
  int64_t timestamp_ms = 0;
  if (needs_time_) {
    timestamp_ms = TimestampOf(context.Field(query_.plan.timestamp_slot)).value_or(0);
  }
  for (size_t i = 0; i < stats_.aggregates.size(); ++i) {
    const Expr& aggregate = *stats_.aggregates[i];
    const Expr* argument = aggregate.args.empty() ? nullptr : aggregate.args[0].get();
    if (argument == nullptr || argument->kind == ExprKind::kStar) {
      group.accumulators[i]->Add(Value::Bool(true), timestamp_ms, order);
    } else {
      group.accumulators[i]->Add(Evaluate(*argument, context), timestamp_ms, order);
    }
  }
}

std::vector<ResultRow> StatsAggregator::Finish(Scratch& scratch) {
  if (groups_.empty() && stats_.groups.empty()) {
    Group& empty = groups_.emplace_back();
    for (const Expr* aggregate : stats_.aggregates) {
      empty.accumulators.push_back(MakeAccumulator(*aggregate));
    }
  }
  std::vector<ResultRow> rows;
  rows.reserve(groups_.size());
  for (Group& group : groups_) {
    ResultRow& row = rows.emplace_back();
    row.cells.resize(query_.slots.size());
    for (size_t i = 0; i < group.keys.size(); ++i) {
      row.cells[stats_.groups[i].slot] = std::move(group.keys[i]);
    }
    GroupContext context(group.accumulators, scratch);
    for (const NamedExpr& item : stats_.items) {
      row.cells[item.slot] = Cell::From(Evaluate(*item.expr, context));
    }
    group.accumulators.clear();
    scratch.Reset();
  }
  groups_.clear();
  index_.clear();
  return rows;
}

}  // namespace ck::collector::insights
