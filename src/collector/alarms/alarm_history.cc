#include "collector/alarms/alarm_history.h"

#include <algorithm>
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
  std::deque<Entry>& ring = rings_[item.alarm_name];
  if (ring.size() >= capacity_) {
    ring.pop_front();
    ++dropped_;
  }
  ring.push_back({next_sequence_++, std::move(item)});
}

void AlarmHistory::Erase(const std::string& alarm_name) { rings_.erase(alarm_name); }

void AlarmHistory::Clear() { rings_.clear(); }

std::vector<AlarmHistoryItem> AlarmHistory::Query(const HistoryQuery& query) const {
  std::vector<const Entry*> matches;
  auto consider = [&](const std::deque<Entry>& ring) {
    for (const Entry& entry : ring) {
      const AlarmHistoryItem& item = entry.item;
      if (!query.types.empty() &&
          std::find(query.types.begin(), query.types.end(), item.alarm_type) == query.types.end()) {
        continue;
      }
      if (query.item_type && item.type != *query.item_type) continue;
      if (query.start_ms && item.timestamp_ms < *query.start_ms) continue;
      if (query.end_ms && item.timestamp_ms > *query.end_ms) continue;
      matches.push_back(&entry);
    }
  };
  if (!query.alarm_name.empty()) {
    auto it = rings_.find(query.alarm_name);
    if (it != rings_.end()) consider(it->second);
  } else {
    for (const auto& [name, ring] : rings_) consider(ring);
  }
  std::sort(matches.begin(), matches.end(), [&](const Entry* a, const Entry* b) {
    if (a->item.timestamp_ms != b->item.timestamp_ms) {
      return query.newest_first ? a->item.timestamp_ms > b->item.timestamp_ms
                                : a->item.timestamp_ms < b->item.timestamp_ms;
    }
    return query.newest_first ? a->sequence > b->sequence : a->sequence < b->sequence;
  });
  if (query.max_records > 0 && matches.size() > query.max_records) {
    matches.resize(query.max_records);
  }
  std::vector<AlarmHistoryItem> out;
  out.reserve(matches.size());
  for (const Entry* entry : matches) out.push_back(entry->item);
  return out;
}

std::vector<AlarmHistoryItem> AlarmHistory::All() const {
  HistoryQuery query;
  query.max_records = 0;
  query.newest_first = false;
  return Query(query);
}

}  // namespace ck::collector
