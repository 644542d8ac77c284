#include "collector/insights/row_pipeline.h"

#include <re2/re2.h>

#include <algorithm>
#include <numeric>
#include <unordered_set>

#include "collector/insights/aggregates.h"
#include "collector/insights/query_plan.h"

namespace ck::collector::insights {
namespace {

constexpr int kInlineSubmatches = 17;

void Filter(const Command& command, std::vector<ResultRow>* rows, Scratch& scratch) {
  RowContext context(nullptr, scratch);
  std::erase_if(*rows, [&](ResultRow& row) {
    context.Reset(&row);
    const bool keep = Truthy(Evaluate(*command.condition, context));
    scratch.Reset();
    return !keep;
  });
}

void Fields(const Command& command, std::vector<ResultRow>* rows, Scratch& scratch) {
  RowContext context(nullptr, scratch);
  for (ResultRow& row : *rows) {
    context.Reset(&row);
    for (const NamedExpr& item : command.items) {
      if (item.assigns) context.Assign(item.slot, Evaluate(*item.expr, context));
    }
    scratch.Reset();
  }
}

void Parse(const Command& command, std::vector<ResultRow>* rows, Scratch& scratch) {
  RowContext context(nullptr, scratch);
  std::vector<Value> captures;
  for (ResultRow& row : *rows) {
    context.Reset(&row);
    const Value source = context.Field(command.source->slot);
    // A copy: assigning a capture may replace the cell the text lives in.
    std::string_view text = source.present() ? scratch.Keep(TextOf(source, scratch)) : "";
    if (source.present()) {
      CaptureParse(command, text, &captures);
    } else {
      captures.assign(command.capture_slots.size(), Value::Absent());
    }
    for (size_t i = 0; i < command.capture_slots.size(); ++i) {
      if (command.capture_slots[i] >= 0) context.Assign(command.capture_slots[i], captures[i]);
    }
    scratch.Reset();
  }
}

void Dedup(const Command& command, std::vector<ResultRow>* rows, Scratch& scratch) {
  RowContext context(nullptr, scratch);
  std::unordered_set<std::string> seen;
  std::string key;
  std::erase_if(*rows, [&](ResultRow& row) {
    context.Reset(&row);
    const bool duplicate = DedupKey(command, context, &key) && !seen.insert(key).second;
    scratch.Reset();
    return duplicate;
  });
}

void Stats(const Command& command, const Query& query, const RunOptions& options,
           std::vector<ResultRow>* rows, Scratch& scratch, bool* truncated) {
  StatsAggregator aggregator(command, query, options.max_rows);
  RowContext context(nullptr, scratch);
  for (size_t i = 0; i < rows->size(); ++i) {
    context.Reset(&(*rows)[i]);
    aggregator.Add(context, i);
    scratch.Reset();
  }
  *rows = aggregator.Finish(scratch);
  *truncated = *truncated || aggregator.truncated();
}

}  // namespace

uint64_t EffectiveLimit(uint64_t limit, const RunOptions& options) {
  return options.insights_limits ? std::min(limit, kMaxLimit) : limit;
}

void SortRows(const Command& sort, std::vector<ResultRow>* rows, Scratch& scratch, size_t keep) {
  const size_t width = sort.keys.size();
  std::vector<Cell> keys(rows->size() * width);
  RowContext context(nullptr, scratch);
  for (size_t i = 0; i < rows->size(); ++i) {
    context.Reset(&(*rows)[i]);
    for (size_t k = 0; k < width; ++k) {
      keys[i * width + k] = Cell::From(Evaluate(*sort.keys[k].expr, context));
    }
    scratch.Reset();
  }
  std::vector<size_t> order(rows->size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t k = 0; k < width; ++k) {
      const Cell& x = keys[a * width + k];
      const Cell& y = keys[b * width + k];
      if (!x.present() || !y.present()) {
        if (x.present() != y.present()) return x.present();  // absent values last
        continue;
      }
      int result = SortCompare(x.view(), y.view());
      if (sort.keys[k].descending) result = -result;
      if (result != 0) return result < 0;
    }
    return false;
  });
  if (order.size() > keep) order.resize(keep);
  std::vector<ResultRow> sorted;
  sorted.reserve(order.size());
  for (size_t index : order) sorted.push_back(std::move((*rows)[index]));
  *rows = std::move(sorted);
}

void CaptureParse(const Command& parse, std::string_view text, std::vector<Value>* captures) {
  const int groups = parse.pattern->NumberOfCapturingGroups();
  re2::StringPiece inline_submatches[kInlineSubmatches];
  std::vector<re2::StringPiece> heap_submatches;
  re2::StringPiece* submatches = inline_submatches;
  if (groups + 1 > kInlineSubmatches) {
    heap_submatches.resize(groups + 1);
    submatches = heap_submatches.data();
  }
  const bool matched = parse.pattern->Match(re2::StringPiece(text.data(), text.size()), 0,
                                            text.size(), RE2::UNANCHORED, submatches, groups + 1);
  captures->assign(parse.capture_slots.size(), Value::Absent());
  if (!matched) return;
  for (size_t i = 0; i < parse.capture_slots.size() && static_cast<int>(i) < groups; ++i) {
    const re2::StringPiece& group = submatches[i + 1];
    if (group.data() != nullptr) {
      (*captures)[i] = Value::String(std::string_view(group.data(), group.size()));
    }
  }
}

bool DedupKey(const Command& dedup, EvalContext& context, std::string* key) {
  key->clear();
  for (int slot : dedup.slots) {
    const Value value = context.Field(slot);
    if (!value.present()) return false;
    AppendKey(value, key);
  }
  return true;
}

void ApplyToRows(const Command& command, const Query& query, const RunOptions& options,
                 std::vector<ResultRow>* rows, Scratch& scratch, bool* truncated) {
  switch (command.kind) {
    case CommandKind::kFields:
      Fields(command, rows, scratch);
      break;
    case CommandKind::kFilter:
      Filter(command, rows, scratch);
      break;
    case CommandKind::kParse:
      Parse(command, rows, scratch);
      break;
    case CommandKind::kStats:
      Stats(command, query, options, rows, scratch, truncated);
      break;
    case CommandKind::kSort:
      SortRows(command, rows, scratch, rows->size());
      break;
    case CommandKind::kLimit:
      if (rows->size() > EffectiveLimit(command.limit, options)) {
        rows->resize(EffectiveLimit(command.limit, options));
      }
      break;
    case CommandKind::kDedup:
      Dedup(command, rows, scratch);
      break;
    case CommandKind::kDisplay:
      break;
  }
}

}  // namespace ck::collector::insights
