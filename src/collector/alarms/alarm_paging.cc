#include "collector/alarms/alarm_paging.h"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/crypto.h"

namespace ck::collector {

namespace {

// The tag says which operation a token belongs to and its format's version.
constexpr std::string_view kAlarmsTag = "alarms/1:";
constexpr std::string_view kHistoryTag = "history/1:";
// An alarm name is at most 255 bytes; its token is far shorter than this.
constexpr size_t kMaxTokenLength = 1024;

Status InvalidToken() { return InvalidArgument("The service cannot process the NextToken."); }

// The payload after `tag`, or nullopt when `token` is not base64 of tag + payload.
std::optional<std::string> Payload(std::string_view token, std::string_view tag) {
  if (token.size() > kMaxTokenLength) return std::nullopt;
  std::optional<std::string> decoded = Base64Decode(token);
  if (!decoded || !decoded->starts_with(tag)) return std::nullopt;
  return decoded->substr(tag.size());
}

// A whole decimal number, no sign, no leading zeros (so each position has one spelling).
template <typename Integer>
std::optional<Integer> ParseDecimal(std::string_view text) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  Integer value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Asking for one item more than a page holds tells whether another page follows. True when it
// does (`items` is then cut to the page).
template <typename Item>
bool CutToPage(std::vector<Item>& items, size_t page_size) {
  if (page_size == 0 || items.size() <= page_size) return false;
  items.resize(page_size);
  return true;
}

size_t OneMore(size_t page_size) { return page_size == 0 ? 0 : page_size + 1; }

}  // namespace

std::string AlarmsPageToken(std::string_view last_name) {
  return Base64Encode(std::string(kAlarmsTag) + std::string(last_name));
}

std::optional<std::string> ParseAlarmsPageToken(std::string_view token) {
  std::optional<std::string> name = Payload(token, kAlarmsTag);
  if (!name || name->empty()) return std::nullopt;
  return name;
}

std::string AlarmHistoryPageToken(const HistoryPosition& last) {
  return Base64Encode(std::string(kHistoryTag) + std::to_string(last.timestamp_ms) + ":" +
                      std::to_string(last.sequence));
}

std::optional<HistoryPosition> ParseAlarmHistoryPageToken(std::string_view token) {
  std::optional<std::string> payload = Payload(token, kHistoryTag);
  if (!payload) return std::nullopt;
  const size_t colon = payload->find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string_view timestamp = std::string_view(*payload).substr(0, colon);
  const bool negative = timestamp.starts_with('-');
  if (negative) timestamp.remove_prefix(1);
  std::optional<int64_t> ms = ParseDecimal<int64_t>(timestamp);
  std::optional<uint64_t> sequence =
      ParseDecimal<uint64_t>(std::string_view(*payload).substr(colon + 1));
  if (!ms || !sequence || (negative && *ms == 0)) return std::nullopt;
  return HistoryPosition{negative ? -*ms : *ms, *sequence};
}

Result<AlarmsPage> DescribeAlarmsPage(const AlarmEngine& engine, DescribeAlarmsFilter filter,
                                      std::string_view next_token) {
  if (!next_token.empty()) {
    std::optional<std::string> after = ParseAlarmsPageToken(next_token);
    if (!after) return InvalidToken();
    filter.after_name = std::move(*after);
  }
  const size_t page_size = std::exchange(filter.max_records, OneMore(filter.max_records));
  AlarmsPage page;
  page.records = engine.DescribeAlarms(filter);
  if (CutToPage(page.records, page_size)) {
    page.next_token = AlarmsPageToken(page.records.back().name());
  }
  return page;
}

Result<AlarmHistoryPage> DescribeAlarmHistoryPage(const AlarmEngine& engine, HistoryQuery query,
                                                  std::string_view next_token) {
  if (!next_token.empty()) {
    std::optional<HistoryPosition> after = ParseAlarmHistoryPageToken(next_token);
    if (!after) return InvalidToken();
    query.after = *after;
  }
  const size_t page_size = std::exchange(query.max_records, OneMore(query.max_records));
  AlarmHistoryPage page;
  page.items = engine.DescribeAlarmHistory(query);
  if (CutToPage(page.items, page_size)) {
    page.next_token =
        AlarmHistoryPageToken({page.items.back().timestamp_ms, page.items.back().sequence});
  }
  return page;
}

}  // namespace ck::collector
