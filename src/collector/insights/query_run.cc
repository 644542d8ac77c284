// QueryRun (query.h): streams events through the per-event commands of a parsed query into
// either a stats aggregator or kept rows, and finishes the pipeline over them.
#include <algorithm>
#include <string>
#include <unordered_set>
#include <vector>

#include "collector/insights/aggregates.h"
#include "collector/insights/expression_evaluator.h"
#include "collector/insights/field_access.h"
#include "collector/insights/query.h"
#include "collector/insights/query_parser.h"
#include "collector/insights/query_plan.h"
#include "collector/insights/query_syntax.h"
#include "collector/insights/result_row.h"
#include "collector/insights/row_pipeline.h"

namespace ck::collector::insights {
namespace {

class EventContext : public EvalContext {
 public:
  EventContext(EventFields& fields, Scratch& scratch) : EvalContext(scratch), fields_(fields) {}
  Value Field(int slot) override { return fields_.Get(slot, scratch()); }

 private:
  EventFields& fields_;
};

// Below this many kept rows a top-N sort is not worth pruning.
constexpr size_t kMinPruneRows = 1024;

}  // namespace

struct QueryRun::State {
  State(std::shared_ptr<const Query> query_in, RunOptions options_in)
      : query(std::move(query_in)),
        options(options_in),
        plan(query->plan),
        fields(query->slots),
        context(fields, scratch) {
    const std::vector<Command>& commands = query->commands;
    post_begin = plan.first_blocking;
    if (plan.first_blocking < commands.size()) {
      const Command& first = commands[plan.first_blocking];
      const Command* next =
          plan.first_blocking + 1 < commands.size() ? &commands[plan.first_blocking + 1] : nullptr;
      if (first.kind == CommandKind::kStats) {
        stats = std::make_unique<StatsAggregator>(first, *query, options.max_rows);
        post_begin = plan.first_blocking + 1;
      } else if (first.kind == CommandKind::kDedup) {
        dedup = &first;
        post_begin = plan.first_blocking + 1;
        if (std::optional<uint64_t> rows = RowsNeeded(plan.first_blocking + 1)) keep_limit = *rows;
      } else if (first.kind == CommandKind::kSort) {
        if (std::optional<uint64_t> rows = RowsNeeded(plan.first_blocking + 1)) {
          if (plan.scan_sorted) {
            keep_limit = *rows;  // the scan order already is the sort order
          } else {
            top_sort = &first;
            top_count = *rows;
          }
        }
      } else if (first.kind == CommandKind::kLimit) {
        keep_limit = EffectiveLimit(first.limit, options);
      }
    } else if (options.insights_limits) {
      keep_limit = kDefaultLimit;
    }
  }

  // How many of the rows reaching commands[from] can matter: a limit there, or the default limit
  // when only commands that map rows one to one follow. nullopt: all of them.
  std::optional<uint64_t> RowsNeeded(size_t from) const {
    const std::vector<Command>& commands = query->commands;
    if (from < commands.size() && commands[from].kind == CommandKind::kLimit) {
      return EffectiveLimit(commands[from].limit, options);
    }
    if (!options.insights_limits || plan.has_limit) return std::nullopt;
    for (size_t i = from; i < commands.size(); ++i) {
      const CommandKind kind = commands[i].kind;
      if (kind != CommandKind::kFields && kind != CommandKind::kDisplay &&
          kind != CommandKind::kParse) {
        return std::nullopt;
      }
    }
    return kDefaultLimit;
  }

  // Runs the per-event commands; false when the event is filtered out.
  bool Stream(const LogEvent& event) {
    fields.Reset(event);
    scratch.Reset();
    for (size_t i = 0; i < plan.first_blocking; ++i) {
      const Command& command = query->commands[i];
      switch (command.kind) {
        case CommandKind::kFilter:
          if (!Truthy(Evaluate(*command.condition, context))) return false;
          break;
        case CommandKind::kFields:
          for (const NamedExpr& item : command.items) {
            if (item.assigns) fields.Assign(item.slot, Evaluate(*item.expr, context));
          }
          break;
        case CommandKind::kParse: {
          const Value source = context.Field(command.source->slot);
          if (source.present()) {
            CaptureParse(command, TextOf(source, scratch), &captures);
          } else {
            captures.assign(command.capture_slots.size(), Value::Absent());
          }
          for (size_t c = 0; c < command.capture_slots.size(); ++c) {
            if (command.capture_slots[c] >= 0) fields.Assign(command.capture_slots[c], captures[c]);
          }
          break;
        }
        default:
          break;
      }
    }
    return true;
  }

  void Keep(const LogEvent& event) {
    if (dedup != nullptr && DedupKey(*dedup, context, &dedup_key) &&
        !dedup_seen.insert(dedup_key).second) {
      return;
    }
    if (rows.size() >= options.max_rows) {
      truncated = true;
      done = true;
      return;
    }
    ResultRow& row = rows.emplace_back();
    row.cells.resize(query->slots.size());
    row.event_id = event.id;
    for (int slot : plan.row_slots) row.cells[slot] = Cell::From(context.Field(slot));
    if (rows.size() >= keep_limit) done = true;
    if (top_sort != nullptr && rows.size() >= std::max(2 * top_count, kMinPruneRows)) {
      SortRows(*top_sort, &rows, scratch, top_count);
    }
  }

  std::shared_ptr<const Query> query;
  RunOptions options;
  const QueryPlan& plan;
  Scratch scratch;
  EventFields fields;
  EventContext context;
  std::vector<Value> captures;
  size_t post_begin = 0;
  std::unique_ptr<StatsAggregator> stats;
  const Command* dedup = nullptr;
  std::string dedup_key;
  std::unordered_set<std::string> dedup_seen;
  const Command* top_sort = nullptr;
  size_t top_count = 0;
  uint64_t keep_limit = UINT64_MAX;
  std::vector<ResultRow> rows;
  QueryStatistics statistics;
  bool truncated = false;
  bool done = false;
  bool finished = false;
};

Result<std::shared_ptr<const Query>> ParseQuery(std::string_view text) {
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Query> query, ParseCommands(text));
  PlanQuery(query.get());
  return std::shared_ptr<const Query>(std::move(query));
}

ScanNeeds NeedsOf(const Query& query) { return query.plan.needs; }

QueryRun::QueryRun(std::shared_ptr<const Query> query, RunOptions options)
    : state_(std::make_unique<State>(std::move(query), options)) {}

QueryRun::~QueryRun() = default;

bool QueryRun::Add(const LogEvent& event) {
  State& state = *state_;
  if (state.done || state.finished) return false;
  ++state.statistics.records_scanned;
  state.statistics.bytes_scanned += event.message.size();
  if (!state.Stream(event)) return true;
  ++state.statistics.records_matched;
  if (state.stats != nullptr) {
    state.stats->Add(state.context, event.id);
  } else {
    state.Keep(event);
  }
  return !state.done;
}

QueryResult QueryRun::Finish() {
  State& state = *state_;
  QueryResult result;
  result.statistics = state.statistics;
  if (state.finished) return result;
  state.finished = true;
  std::vector<ResultRow>& rows = state.rows;
  if (state.stats != nullptr) {
    rows = state.stats->Finish(state.scratch);
    state.truncated = state.truncated || state.stats->truncated();
  }
  const std::vector<Command>& commands = state.query->commands;
  for (size_t i = state.post_begin; i < commands.size(); ++i) {
    ApplyToRows(commands[i], *state.query, state.options, &rows, state.scratch, &state.truncated);
  }
  if (state.options.insights_limits && !state.plan.has_limit && rows.size() > kDefaultLimit) {
    rows.resize(kDefaultLimit);
  }
  if (rows.size() > state.options.max_rows) {
    rows.resize(state.options.max_rows);
    state.truncated = true;
  }
  const std::vector<int>& output = state.plan.output_slots;
  for (int slot : output) result.columns.push_back(state.query->slots[slot].name);
  result.rows.reserve(rows.size());
  for (const ResultRow& row : rows) {
    std::vector<std::optional<std::string>>& cells = result.rows.emplace_back();
    cells.reserve(output.size());
    for (int slot : output) {
      const Cell& cell = row.cells[slot];
      if (cell.present()) {
        cells.emplace_back(Render(cell.view()));
      } else {
        cells.emplace_back(std::nullopt);
      }
    }
  }
  rows.clear();
  result.truncated = state.truncated;
  return result;
}

}  // namespace ck::collector::insights
