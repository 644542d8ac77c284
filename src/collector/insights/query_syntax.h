// The parsed form of a Logs Insights query: field slots, expression trees and the pipeline of
// commands, plus the plan query_plan.h derives from them. Built by ParseQuery (query_parser.h),
// read by the evaluator and QueryRun; immutable afterwards.
//
// Every field name the query mentions (system fields, JSON fields, names created by `as`,
// parse and stats) gets one slot; expressions refer to fields by slot. What a slot holds for an
// event is decided at run time: a value assigned earlier in the pipeline for this event, else the
// system field, else the JSON member of @message at the slot's dot path.
//
// Thread-safety: immutable after parsing; share freely (the RE2 objects are thread-safe).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collector/insights/functions.h"
#include "collector/insights/query.h"
#include "collector/insights/time_period.h"
#include "collector/insights/value.h"

namespace re2 {
class RE2;
}

namespace ck::collector::insights {

enum class SystemField : uint8_t {
  kNone,  // a JSON member of @message, or a name the query creates
  kTimestamp,
  kMessage,
  kLogStream,
  kLog,
  kIngestionTime,
  kPtr,
};

struct FieldSlot {
  std::string name;
  SystemField system = SystemField::kNone;
  // Where each dot-separated segment of `name` starts (JSON lookup by path).
  std::vector<uint32_t> segment_starts;
};

enum class ExprKind : uint8_t {
  kLiteral,     // literal
  kField,       // slot
  kNegate,      // -args[0]
  kArithmetic,  // args[0] op args[1]
  kCompare,     // args[0] op args[1]
  kAnd,
  kOr,
  kNot,
  kMatch,      // args[0] [not] like|=~ (regex or literal substring)
  kIn,         // args[0] [not] in [args[1..]]
  kCall,       // scalar function
  kAggregate,  // aggregate function (stats items only); aggregate_index
  kPeriod,     // a time period argument of bin/datefloor/dateceil
  kStar,       // the * of count(*)
};

enum class ArithmeticOp : uint8_t { kAdd, kSubtract, kMultiply, kDivide, kModulo, kPower };
enum class CompareOp : uint8_t { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  size_t offset = 0;  // byte offset of its first token in the query text
  int height = 1;     // 1 + the height of its tallest argument (bounded by the parser)
  Cell literal;       // kLiteral; kMatch: the substring when regex is null
  int slot = -1;      // kField
  ArithmeticOp arithmetic = ArithmeticOp::kAdd;
  CompareOp compare = CompareOp::kEqual;
  bool negated = false;  // kMatch, kIn
  FunctionId function = FunctionId::kAbs;
  int aggregate_index = -1;  // kAggregate
  double percentile = 0;     // kAggregate pct
  Period period;             // kPeriod
  std::shared_ptr<const re2::RE2> regex;
  std::vector<std::unique_ptr<Expr>> args;
};

enum class CommandKind : uint8_t {
  kFields,
  kDisplay,
  kFilter,
  kStats,
  kSort,
  kLimit,
  kParse,
  kDedup
};

struct NamedExpr {
  std::unique_ptr<Expr> expr;
  size_t offset = 0;     // where the expression starts in the query text
  int slot = -1;         // the result's name
  bool assigns = false;  // false for `fields name` (selects an existing field)
};

struct SortKey {
  std::unique_ptr<Expr> expr;
  bool descending = true;
};

struct Command {
  CommandKind kind = CommandKind::kFields;
  size_t offset = 0;
  std::vector<NamedExpr> items;             // fields; stats aggregate items
  std::vector<NamedExpr> groups;            // stats ... by
  std::vector<const Expr*> aggregates;      // stats: kAggregate nodes by aggregate_index
  std::vector<int> slots;                   // display, dedup
  std::unique_ptr<Expr> condition;          // filter
  std::vector<SortKey> keys;                // sort
  uint64_t limit = 0;                       // limit
  std::unique_ptr<Expr> source;             // parse: the field parsed
  std::shared_ptr<const re2::RE2> pattern;  // parse: glob or regex, compiled
  std::vector<int> capture_slots;           // parse: slot of capture group i+1, -1 if unnamed
};

// Derived from the commands by PlanQuery (query_plan.h).
struct QueryPlan {
  size_t first_blocking = 0;      // commands before it run per event (fields/filter/parse/display)
  bool stats_query = false;       // the result comes from a stats command
  std::vector<int> output_slots;  // result columns, in order
  std::vector<int> row_slots;     // slots copied into a row when an event is kept
  ScanNeeds needs;
  std::optional<uint64_t> stop_after;  // the run is complete after this many kept events
  bool scan_sorted = false;  // the first blocking command sorts by @timestamp in scan order
  bool has_limit = false;    // some limit command (the default limit does not apply)
  int timestamp_slot = -1;
  int ptr_slot = -1;
};

struct Query {
  std::string text;
  std::vector<FieldSlot> slots;
  std::vector<Command> commands;
  QueryPlan plan;
};

}  // namespace ck::collector::insights
