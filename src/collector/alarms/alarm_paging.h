// Alarm paging: DescribeAlarms and DescribeAlarmHistory one page at a time, with the opaque
// NextToken that CloudWatch's clients pass back for the next page.
//
// A page holds at most MaxRecords items (filter.max_records / query.max_records; 0 means all in
// one page). A token names the position of the last item of its page, not an offset: the alarm
// name for DescribeAlarms (pages in name order, metric and composite alarms counted together), and
// (timestamp, sequence) for DescribeAlarmHistory (pages in the query's ScanBy order). So paging a
// stable set of alarms or history returns every item exactly once, and alarms created or deleted,
// or history written, between two pages never make a page repeat or skip another item. The last
// page has an empty next_token. Tokens are not tied to the filters: a client that changes them
// between pages gets the new filters' items after the token's position.
//
//   CK_ASSIGN_OR_RETURN(AlarmsPage page, DescribeAlarmsPage(engine, filter, next_token));
//   reply with page.records, and NextToken = page.next_token unless it is empty
//
// Thread-safety: functions over the engine, which locks itself; each page is one read of it.
// Failure: InvalidArgument ("The service cannot process the NextToken.") for a token that is
// not one of ours, or one of the other operation's; the API answers InvalidNextToken.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/alarms/alarm_engine.h"
#include "collector/alarms/alarm_history.h"
#include "collector/alarms/alarm_types.h"
#include "core/status.h"

namespace ck::collector {

struct AlarmsPage {
  std::vector<AlarmRecord> records;  // in name order
  std::string next_token;            // empty on the last page
};

struct AlarmHistoryPage {
  std::vector<AlarmHistoryItem> items;  // in the query's order
  std::string next_token;               // empty on the last page
};

// `next_token` empty: the first page.
Result<AlarmsPage> DescribeAlarmsPage(const AlarmEngine& engine, DescribeAlarmsFilter filter,
                                      std::string_view next_token);
Result<AlarmHistoryPage> DescribeAlarmHistoryPage(const AlarmEngine& engine, HistoryQuery query,
                                                  std::string_view next_token);

// The tokens themselves (base64 of a tagged position).
std::string AlarmsPageToken(std::string_view last_name);
std::optional<std::string> ParseAlarmsPageToken(std::string_view token);
std::string AlarmHistoryPageToken(const HistoryPosition& last);
std::optional<HistoryPosition> ParseAlarmHistoryPageToken(std::string_view token);

}  // namespace ck::collector
