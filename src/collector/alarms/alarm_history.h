// AlarmHistory: DescribeAlarmHistory's items (configuration updates, state updates, actions),
// kept in a bounded ring per alarm.
//
// Each alarm keeps its newest `capacity_per_alarm` items; adding to a full ring drops that
// alarm's oldest item and counts it in dropped(). Query merges the rings in timestamp order
// (ties keep insertion order). Every item added gets a sequence number, rising across all alarms,
// so (timestamp, sequence) is a unique position: a query can resume after the last item of a
// previous page (HistoryQuery::after) and neither repeat nor skip items, whatever was added since.
//
//   AlarmHistory history(100);
//   history.Add({.alarm_name = "5xx", .type = HistoryItemType::kStateUpdate, ...});
//   std::vector<AlarmHistoryItem> items = history.Query({.alarm_name = "5xx"});
//
// Thread-safety: not synchronized; AlarmEngine guards it with its own mutex.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/alarms/alarm_types.h"

namespace ck::collector {

enum class HistoryItemType { kConfigurationUpdate, kStateUpdate, kAction };

// "ConfigurationUpdate", "StateUpdate", "Action".
std::string_view HistoryItemTypeName(HistoryItemType type);
std::optional<HistoryItemType> ParseHistoryItemType(std::string_view text);

struct AlarmHistoryItem {
  std::string alarm_name;
  AlarmType alarm_type = AlarmType::kMetric;
  int64_t timestamp_ms = 0;
  HistoryItemType type = HistoryItemType::kStateUpdate;
  std::string summary;    // HistorySummary: "Alarm updated from OK to ALARM"
  AlarmJson data;         // HistoryData, an object (rendered as a JSON string by the API)
  uint64_t sequence = 0;  // set by AlarmHistory::Add: unique and rising (not kept in snapshots)
};

// Where an item stands in DescribeAlarmHistory's order: timestamp first, then sequence.
struct HistoryPosition {
  int64_t timestamp_ms = 0;
  uint64_t sequence = 0;

  auto operator<=>(const HistoryPosition&) const = default;
};

// DescribeAlarmHistory's filters.
struct HistoryQuery {
  std::string alarm_name;                    // AlarmName; empty matches every alarm
  std::vector<AlarmType> types;              // AlarmTypes; empty matches both
  std::optional<HistoryItemType> item_type;  // HistoryItemType
  std::optional<int64_t> start_ms;           // StartDate (inclusive)
  std::optional<int64_t> end_ms;             // EndDate (inclusive)
  size_t max_records = 100;                  // MaxRecords; 0 means no limit
  bool newest_first = true;                  // ScanBy: TimestampDescending (default)
  // Paging: only items after this position in the scan order (older ones when newest_first).
  std::optional<HistoryPosition> after;
};

class AlarmHistory {
 public:
  explicit AlarmHistory(size_t capacity_per_alarm) : capacity_(capacity_per_alarm) {}

  void Add(AlarmHistoryItem item);
  // Forgets every item of `alarm_name` (the alarm was deleted).
  void Erase(const std::string& alarm_name);
  void Clear();

  std::vector<AlarmHistoryItem> Query(const HistoryQuery& query) const;
  // Every item of every alarm, oldest first (for snapshots).
  std::vector<AlarmHistoryItem> All() const;

  size_t capacity_per_alarm() const { return capacity_; }
  uint64_t dropped() const { return dropped_; }

 private:
  size_t capacity_;
  uint64_t next_sequence_ = 0;
  uint64_t dropped_ = 0;
  std::map<std::string, std::deque<AlarmHistoryItem>> rings_;
};

}  // namespace ck::collector
