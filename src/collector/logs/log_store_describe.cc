// LogStore's DescribeLogGroups / DescribeLogStreams: pages of groups and streams with opaque next
// tokens (CloudWatch semantics). Paging is by key (the last name, or last event time and name,
// returned), so a page never repeats or skips an entry that existed throughout; like CloudWatch,
// ordering by last event time can move a stream that receives events between two pages.
#include <algorithm>
#include <cstdlib>

#include "collector/logs/log_store.h"
#include "collector/logs/log_store_impl.h"

namespace ck::collector::logs {
namespace {

constexpr std::string_view kTokenGroups = "g";
constexpr std::string_view kTokenStreamsByName = "n";
constexpr std::string_view kTokenStreamsByTime = "t";

// Next tokens are opaque to clients: a kind letter and a position, hex-encoded.
std::string EncodeToken(std::string_view kind, std::string_view position) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string payload(kind);
  payload += position;
  std::string token;
  token.reserve(payload.size() * 2);
  for (unsigned char c : payload) {
    token += kDigits[c >> 4];
    token += kDigits[c & 15];
  }
  return token;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The position of a token of `kind`; InvalidArgument for anything EncodeToken did not produce.
Result<std::string> DecodeToken(std::string_view kind, std::string_view token) {
  const Status invalid = InvalidArgument("The specified nextToken is invalid.");
  if (token.size() % 2 != 0) return invalid;
  std::string payload;
  payload.reserve(token.size() / 2);
  for (size_t i = 0; i < token.size(); i += 2) {
    const int high = HexValue(token[i]);
    const int low = HexValue(token[i + 1]);
    if (high < 0 || low < 0) return invalid;
    payload += static_cast<char>(high * 16 + low);
  }
  if (payload.size() <= kind.size() || payload.compare(0, kind.size(), kind) != 0) return invalid;
  return payload.substr(kind.size());
}

std::optional<int64_t> OptionalColumn(const Statement& statement, int column) {
  if (statement.ColumnIsNull(column)) return std::nullopt;
  return statement.ColumnInt(column);
}

}  // namespace

Result<Page<LogGroupInfo>> LogStore::DescribeGroups(std::string_view name_prefix, size_t limit,
                                                    std::string_view next_token) {
  std::string after;
  if (!next_token.empty()) {
    CK_ASSIGN_OR_RETURN(after, DecodeToken(kTokenGroups, next_token));
  }
  limit = std::max<size_t>(limit, 1);
  CK_ASSIGN_OR_RETURN(
      auto select,
      impl_->database->Prepare(
          "SELECT g.name, g.created_ms, g.retention_days, coalesce(sum(s.stored_bytes), 0), "
          "coalesce(sum(s.event_count), 0) FROM groups g LEFT JOIN streams s ON s.group_id = "
          "g.id WHERE g.name > ?1 AND g.name >= ?2 AND substr(g.name, 1, length(?2)) = ?2 "
          "GROUP BY g.id ORDER BY g.name LIMIT ?3"));
  select->BindText(1, after);
  select->BindText(2, name_prefix);
  select->BindInt(3, static_cast<int64_t>(limit) + 1);
  Page<LogGroupInfo> page;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    if (page.items.size() == limit) {
      page.next_token = EncodeToken(kTokenGroups, page.items.back().name);
      break;
    }
    LogGroupInfo info;
    info.name = select->ColumnText(0);
    info.creation_time_ms = select->ColumnInt(1);
    if (auto days = OptionalColumn(*select, 2)) info.retention_days = static_cast<int>(*days);
    info.stored_bytes = static_cast<uint64_t>(select->ColumnInt(3));
    info.event_count = static_cast<uint64_t>(select->ColumnInt(4));
    page.items.push_back(std::move(info));
  }
  return page;
}

Result<Page<LogStreamInfo>> LogStore::DescribeStreams(std::string_view group,
                                                      std::string_view name_prefix,
                                                      bool order_by_last_event, bool descending,
                                                      size_t limit, std::string_view next_token) {
  if (order_by_last_event && !name_prefix.empty()) {
    return InvalidArgument("Cannot order by LastEventTime with a logStreamNamePrefix.");
  }
  Impl& impl = *impl_;
  CK_ASSIGN_OR_RETURN(int64_t group_id, impl.GroupOrNotFound(group));
  limit = std::max<size_t>(limit, 1);
  // Keyset paging: the token holds the sort key of the last stream returned.
  std::optional<int64_t> after_ms;
  std::optional<std::string> after_name;
  if (!next_token.empty()) {
    if (order_by_last_event) {
      CK_ASSIGN_OR_RETURN(std::string position, DecodeToken(kTokenStreamsByTime, next_token));
      const size_t colon = position.find(':');
      if (colon == std::string::npos || colon == 0) {
        return InvalidArgument("The specified nextToken is invalid.");
      }
      char* end = nullptr;
      const long long ms = std::strtoll(position.c_str(), &end, 10);
      if (end != position.c_str() + colon) {
        return InvalidArgument("The specified nextToken is invalid.");
      }
      after_ms = ms;
      after_name = position.substr(colon + 1);
    } else {
      CK_ASSIGN_OR_RETURN(after_name, DecodeToken(kTokenStreamsByName, next_token));
    }
  }
  const std::string direction = descending ? " DESC" : "";
  const std::string compare = descending ? " < " : " > ";
  std::string sql =
      "SELECT name, created_ms, first_event_ms, last_event_ms, last_ingestion_ms, stored_bytes "
      "FROM streams WHERE group_id = ?1 AND name >= ?2 AND substr(name, 1, length(?2)) = ?2";
  if (order_by_last_event) {
    // Streams without events sort as if their last event were at the epoch.
    if (after_name) sql += " AND (coalesce(last_event_ms, 0), name)" + compare + "(?4, ?5)";
    sql += " ORDER BY coalesce(last_event_ms, 0)" + direction + ", name" + direction;
  } else {
    if (after_name) sql += " AND name" + compare + "?5";
    sql += " ORDER BY name" + direction;
  }
  sql += " LIMIT ?3";
  CK_ASSIGN_OR_RETURN(auto select, impl.database->Prepare(sql));
  select->BindInt(1, group_id);
  select->BindText(2, name_prefix);
  select->BindInt(3, static_cast<int64_t>(limit) + 1);
  if (after_ms) select->BindInt(4, *after_ms);
  if (after_name) select->BindText(5, *after_name);
  Page<LogStreamInfo> page;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    if (page.items.size() == limit) {
      const LogStreamInfo& last = page.items.back();
      page.next_token = order_by_last_event
                            ? EncodeToken(kTokenStreamsByTime,
                                          std::to_string(last.last_event_timestamp_ms.value_or(0)) +
                                              ":" + last.name)
                            : EncodeToken(kTokenStreamsByName, last.name);
      break;
    }
    LogStreamInfo info;
    info.name = select->ColumnText(0);
    info.creation_time_ms = select->ColumnInt(1);
    info.first_event_timestamp_ms = OptionalColumn(*select, 2);
    info.last_event_timestamp_ms = OptionalColumn(*select, 3);
    info.last_ingestion_time_ms = OptionalColumn(*select, 4);
    info.stored_bytes = static_cast<uint64_t>(select->ColumnInt(5));
    page.items.push_back(std::move(info));
  }
  return page;
}

}  // namespace ck::collector::logs
