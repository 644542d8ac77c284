#include "collector/insights/query_plan.h"

#include <algorithm>
#include <vector>

namespace ck::collector::insights {
namespace {

int SlotNamed(Query* query, std::string_view name, SystemField system) {
  for (size_t i = 0; i < query->slots.size(); ++i) {
    if (query->slots[i].name == name) return static_cast<int>(i);
  }
  FieldSlot slot;
  slot.name = std::string(name);
  slot.system = system;
  slot.segment_starts.push_back(0);
  query->slots.push_back(std::move(slot));
  return static_cast<int>(query->slots.size() - 1);
}

bool Blocking(CommandKind kind) {
  return kind == CommandKind::kStats || kind == CommandKind::kSort || kind == CommandKind::kLimit ||
         kind == CommandKind::kDedup;
}

void AddUnique(std::vector<int>* slots, int slot) {
  if (std::find(slots->begin(), slots->end(), slot) == slots->end()) slots->push_back(slot);
}

// Every slot a command reads or writes.
void SlotsOf(const Command& command, std::vector<int>* slots) {
  auto add = [&](int slot) { AddUnique(slots, slot); };
  for (const NamedExpr& item : command.items) {
    ForEachSlotRead(*item.expr, add);
    add(item.slot);
  }
  for (const NamedExpr& group : command.groups) {
    ForEachSlotRead(*group.expr, add);
    add(group.slot);
  }
  for (int slot : command.slots) add(slot);
  if (command.condition) ForEachSlotRead(*command.condition, add);
  for (const SortKey& key : command.keys) ForEachSlotRead(*key.expr, add);
  if (command.source) add(command.source->slot);
  for (int slot : command.capture_slots) {
    if (slot >= 0) add(slot);
  }
}

// Which event columns the store must provide (ScanNeeds), following names as the pipeline
// defines them: a name assigned earlier reads no column.
class NeedsTracker {
 public:
  explicit NeedsTracker(const Query& query) : query_(query), defined_(query.slots.size(), false) {
    needs_.message = needs_.log_stream = needs_.log_group = needs_.ingestion_time = false;
  }

  void Read(int slot) {
    switch (query_.slots[slot].system) {
      case SystemField::kMessage:
        needs_.message = true;
        break;
      case SystemField::kLogStream:
        needs_.log_stream = true;
        break;
      case SystemField::kLog:
        needs_.log_group = true;
        break;
      case SystemField::kIngestionTime:
        needs_.ingestion_time = true;
        break;
      case SystemField::kNone:
        if (!defined_[slot]) needs_.message = true;
        break;
      case SystemField::kTimestamp:
      case SystemField::kPtr:
        break;
    }
  }
  void Define(int slot) { defined_[slot] = true; }

  void Visit(const Command& command) {
    auto read = [&](int slot) { Read(slot); };
    for (const NamedExpr& item : command.items) {
      ForEachSlotRead(*item.expr, read);
      if (command.kind == CommandKind::kFields && item.assigns) Define(item.slot);
    }
    for (const NamedExpr& group : command.groups) ForEachSlotRead(*group.expr, read);
    if (command.condition) ForEachSlotRead(*command.condition, read);
    for (const SortKey& key : command.keys) ForEachSlotRead(*key.expr, read);
    if (command.kind == CommandKind::kDedup) {
      for (int slot : command.slots) Read(slot);
    }
    if (command.source) Read(command.source->slot);
    for (int slot : command.capture_slots) {
      if (slot >= 0) Define(slot);
    }
  }

  ScanNeeds needs() const { return needs_; }

 private:
  const Query& query_;
  std::vector<bool> defined_;
  ScanNeeds needs_;
};

}  // namespace

void PlanQuery(Query* query) {
  QueryPlan& plan = query->plan;
  plan.timestamp_slot = SlotNamed(query, "@timestamp", SystemField::kTimestamp);
  plan.ptr_slot = SlotNamed(query, "@ptr", SystemField::kPtr);
  const std::vector<Command>& commands = query->commands;

  plan.first_blocking = commands.size();
  size_t last_stats = commands.size();
  for (size_t i = 0; i < commands.size(); ++i) {
    if (Blocking(commands[i].kind) && plan.first_blocking == commands.size()) {
      plan.first_blocking = i;
    }
    if (commands[i].kind == CommandKind::kStats) last_stats = i;
    if (commands[i].kind == CommandKind::kLimit) plan.has_limit = true;
  }
  plan.stats_query = last_stats < commands.size();

  // Result columns.
  const size_t tail = plan.stats_query ? last_stats + 1 : 0;
  const Command* display = nullptr;
  for (size_t i = tail; i < commands.size(); ++i) {
    if (commands[i].kind == CommandKind::kDisplay) display = &commands[i];
  }
  std::vector<int>& output = plan.output_slots;
  if (display != nullptr) {
    for (int slot : display->slots) AddUnique(&output, slot);
  } else {
    if (plan.stats_query) {
      for (const NamedExpr& group : commands[last_stats].groups) AddUnique(&output, group.slot);
      for (const NamedExpr& item : commands[last_stats].items) AddUnique(&output, item.slot);
    }
    for (size_t i = tail; i < commands.size(); ++i) {
      if (commands[i].kind != CommandKind::kFields) continue;
      for (const NamedExpr& item : commands[i].items) AddUnique(&output, item.slot);
    }
    if (!plan.stats_query && output.empty()) {
      output.push_back(plan.timestamp_slot);
      output.push_back(SlotNamed(query, "@message", SystemField::kMessage));
    }
  }
  if (!plan.stats_query) AddUnique(&output, plan.ptr_slot);

  // What a kept event must carry into the rest of the pipeline: what the commands up to the
  // first stats use, and the result columns when no stats replaces the rows.
  if (!plan.stats_query) plan.row_slots = output;
  AddUnique(&plan.row_slots, plan.timestamp_slot);
  for (size_t i = plan.first_blocking; i < commands.size(); ++i) {
    if (commands[i].kind == CommandKind::kStats) {
      auto add = [&](int slot) { AddUnique(&plan.row_slots, slot); };
      for (const NamedExpr& group : commands[i].groups) ForEachSlotRead(*group.expr, add);
      for (const NamedExpr& item : commands[i].items) ForEachSlotRead(*item.expr, add);
      break;
    }
    SlotsOf(commands[i], &plan.row_slots);
  }

  // Columns to read, up to the first stats (after it no command reads events).
  NeedsTracker tracker(*query);
  size_t first_stats = commands.size();
  for (size_t i = 0; i < commands.size(); ++i) {
    tracker.Visit(commands[i]);
    if (commands[i].kind == CommandKind::kStats) {
      first_stats = i;
      break;
    }
  }
  if (first_stats == commands.size()) {
    for (int slot : plan.row_slots) tracker.Read(slot);
  }
  plan.needs = tracker.needs();

  // Early stop and scan order.
  if (plan.first_blocking < commands.size()) {
    const Command& first = commands[plan.first_blocking];
    const Command* next =
        plan.first_blocking + 1 < commands.size() ? &commands[plan.first_blocking + 1] : nullptr;
    if (first.kind == CommandKind::kLimit) plan.stop_after = first.limit;
    bool assigned_timestamp = false;
    for (size_t i = 0; i < plan.first_blocking; ++i) {
      for (const NamedExpr& item : commands[i].items) {
        assigned_timestamp =
            assigned_timestamp || (item.assigns && item.slot == plan.timestamp_slot);
      }
      for (int slot : commands[i].capture_slots) {
        assigned_timestamp = assigned_timestamp || slot == plan.timestamp_slot;
      }
    }
    if (first.kind == CommandKind::kSort && first.keys.size() == 1 && !assigned_timestamp &&
        first.keys[0].expr->kind == ExprKind::kField &&
        first.keys[0].expr->slot == plan.timestamp_slot) {
      plan.needs.ascending = !first.keys[0].descending;
      plan.scan_sorted = true;
      if (next != nullptr && next->kind == CommandKind::kLimit) plan.stop_after = next->limit;
    }
  }
  plan.needs.stop_after_matches = plan.stop_after;
}

}  // namespace ck::collector::insights
