#include "collector/alarms/alarm_history.h"

#include <algorithm>
#include <cstddef>
#include <utility>

namespace ck::collector {

std::string_view HistoryItemTypeName(HistoryItemType type) {
  switch (type) {
    case HistoryItemType::kConfigurationUpdate:
      return "ConfigurationUpdate";
    case HistoryItemType::kStateUpdate:
      return "StateUpdate";
    case HistoryItemType::kAction:
      return "Action";
  }
  return "";
}

std::optional<HistoryItemType> ParseHistoryItemType(std::string_view text) {
  for (HistoryItemType type : {HistoryItemType::kConfigurationUpdate, HistoryItemType::kStateUpdate,
                               HistoryItemType::kAction}) {
    if (HistoryItemTypeName(type) == text) return type;
  }
  return std::nullopt;
}

void AlarmHistory::Add(AlarmHistoryItem item) {
  if (capacity_ == 0) {
    ++dropped_;
    return;
  }
  std::deque<AlarmHistoryItem>& ring = rings_[item.alarm_name];
  if (ring.size() >= capacity_) {
    ring.pop_front();
    ++dropped_;
  }
  item.sequence = next_sequence_++;
  ring.push_back(std::move(item));
}

void AlarmHistory::Erase(const std::string& alarm_name) { rings_.erase(alarm_name); }

void AlarmHistory::Clear() { rings_.clear(); }

std::vector<AlarmHistoryItem> AlarmHistory::Query(const HistoryQuery& query) const {
  std::vector<const AlarmHistoryItem*> matches;
  auto consider = [&](const std::deque<AlarmHistoryItem>& ring) {
    for (const AlarmHistoryItem& item : ring) {
      if (!query.types.empty() &&
          std::find(query.types.begin(), query.types.end(), item.alarm_type) == query.types.end()) {
        continue;
      }
      if (query.item_type && item.type != *query.item_type) continue;
      if (query.start_ms && item.timestamp_ms < *query.start_ms) continue;
      if (query.end_ms && item.timestamp_ms > *query.end_ms) continue;
      if (query.after) {
        const HistoryPosition position{item.timestamp_ms, item.sequence};
        if (query.newest_first ? position >= *query.after : position <= *query.after) continue;
      }
      matches.push_back(&item);
    }
  };
  if (!query.alarm_name.empty()) {
    auto it = rings_.find(query.alarm_name);
    if (it != rings_.end()) consider(it->second);
  } else {
    for (const auto& [name, ring] : rings_) consider(ring);
  }
  auto in_order = [&](const AlarmHistoryItem* a, const AlarmHistoryItem* b) {
    const HistoryPosition left{a->timestamp_ms, a->sequence};
    const HistoryPosition right{b->timestamp_ms, b->sequence};
    return query.newest_first ? left > right : left < right;
  };
  // A page needs only its first max_records items in order.
  if (query.max_records > 0 && matches.size() > query.max_records) {
    std::partial_sort(matches.begin(), matches.begin() + static_cast<ptrdiff_t>(query.max_records),
                      matches.end(), in_order);
    matches.resize(query.max_records);
  } else {
    std::sort(matches.begin(), matches.end(), in_order);
  }
  std::vector<AlarmHistoryItem> out;
  out.reserve(matches.size());
  for (const AlarmHistoryItem* item : matches) out.push_back(*item);
  return out;
}

std::vector<AlarmHistoryItem> AlarmHistory::All() const {
  HistoryQuery query;
  query.max_records = 0;
  query.newest_first = false;
  return Query(query);
}

}  // namespace ck::collector
