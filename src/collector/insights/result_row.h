// ResultRow: one row kept by a query run — an event's fields copied out of the store's buffers,
// or one group of a stats result — and the evaluation context that reads it.
//
// Cells are indexed by field slot (query_syntax.h); slots the rest of the pipeline never reads
// stay absent and cost no allocation.
//
// Thread-safety: values; a RowContext is used by one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "collector/insights/expression_evaluator.h"
#include "collector/insights/value.h"

namespace ck::collector::insights {

struct ResultRow {
  std::vector<Cell> cells;
  std::optional<uint64_t> event_id;  // rows copied from events (not stats results)
};

class RowContext : public EvalContext {
 public:
  RowContext(ResultRow* row, Scratch& scratch) : EvalContext(scratch), row_(row) {}
  void Reset(ResultRow* row) { row_ = row; }
  Value Field(int slot) override { return row_->cells[slot].view(); }
  void Assign(int slot, const Value& value) { row_->cells[slot] = Cell::From(value); }

 private:
  ResultRow* row_;
};

}  // namespace ck::collector::insights
