// libFuzzer target for the NextToken of DescribeAlarms and DescribeAlarmHistory
// (src/collector/alarms/alarm_paging.h). Any input is tried as both kinds of token; whatever
// parses must encode back to a token that parses to the same position, and no input parses as
// both kinds.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collector/alarms/alarm_paging.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ck::collector;
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  const auto name = ParseAlarmsPageToken(token);
  const auto position = ParseAlarmHistoryPageToken(token);
  Check(!(name && position));
  if (name) {
    const auto again = ParseAlarmsPageToken(AlarmsPageToken(*name));
    Check(again && *again == *name);
  }
  if (position) {
    const auto again = ParseAlarmHistoryPageToken(AlarmHistoryPageToken(*position));
    Check(again && *again == *position);
  }
  return 0;
}
