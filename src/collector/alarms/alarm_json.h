// CloudWatch's JSON shapes for alarms: PutMetricAlarm / PutCompositeAlarm / DescribeAlarms /
// DescribeAlarmHistory request bodies in, DescribeAlarms / DescribeAlarmHistory elements out.
// Field names are AWS's (AlarmName, MetricName, Dimensions [{Name, Value}], StateValue, ...).
//
//   CK_ASSIGN_OR_RETURN(AlarmJson body, ParseAlarmJson(http_body));
//   CK_ASSIGN_OR_RETURN(MetricAlarmSpec spec, ParsePutMetricAlarm(body));
//   CK_RETURN_IF_ERROR(engine.PutMetricAlarm(spec, now_ms));
//   response = DescribeAlarmsResponse(engine.DescribeAlarms(filter)).dump();
//
// Output conventions: API timestamps are ISO 8601 strings with milliseconds and "Z"
// ("2026-11-26T06:45:00.000Z", as the AWS CLI prints them); StateReasonData and HistoryData are
// JSON documents serialized into strings, as CloudWatch returns them. Unknown request fields are
// ignored; metric math alarms (Metrics, ThresholdMetricId) are refused.
//
// Thread-safety: pure functions. Failure: InvalidArgument with a CloudWatch-style message
// (wrong JSON types, missing required fields, and everything alarm_validation.h checks).
// Nothing here throws.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "collector/alarms/alarm_history.h"
#include "collector/alarms/alarm_types.h"
#include "core/status.h"

namespace ck::collector {

// Parses a JSON document without exceptions; at most kMaxAlarmJsonDepth levels of nesting.
inline constexpr int kMaxAlarmJsonDepth = 64;
Result<AlarmJson> ParseAlarmJson(std::string_view text);

// Request bodies. The returned specs are validated.
Result<MetricAlarmSpec> ParsePutMetricAlarm(const AlarmJson& body);
Result<CompositeAlarmSpec> ParsePutCompositeAlarm(const AlarmJson& body);
// AlarmTypes defaults to [MetricAlarm] when absent, as in CloudWatch. MaxRecords is 1-100
// (ValidationError outside) and kDefaultAlarmMaxRecords when absent. NextToken is not read here
// (alarm_paging.h decodes it).
inline constexpr size_t kDefaultAlarmMaxRecords = 50;
Result<DescribeAlarmsFilter> ParseDescribeAlarms(const AlarmJson& body);
Result<HistoryQuery> ParseDescribeAlarmHistory(const AlarmJson& body);

// The PutMetricAlarm / PutCompositeAlarm fields of a spec (parses back to an equal spec).
AlarmJson MetricAlarmSpecToJson(const MetricAlarmSpec& spec);
AlarmJson CompositeAlarmSpecToJson(const CompositeAlarmSpec& spec);

// One element of DescribeAlarms' MetricAlarms[] or CompositeAlarms[]: the spec's fields plus
// AlarmArn, StateValue, StateReason, StateReasonData, StateUpdatedTimestamp,
// StateTransitionedTimestamp and AlarmConfigurationUpdatedTimestamp.
AlarmJson AlarmRecordToJson(const AlarmRecord& record);
// The inverse, for snapshots: spec (validated), state and timestamps. AlarmArn is not read.
Result<AlarmRecord> AlarmRecordFromJson(const AlarmJson& element, AlarmType type);
// {"MetricAlarms": [...], "CompositeAlarms": [...]}
AlarmJson DescribeAlarmsResponse(const std::vector<AlarmRecord>& records);

// One element of DescribeAlarmHistory's AlarmHistoryItems[], and its inverse.
AlarmJson HistoryItemToJson(const AlarmHistoryItem& item);
Result<AlarmHistoryItem> HistoryItemFromJson(const AlarmJson& element);
// {"AlarmHistoryItems": [...]}
AlarmJson DescribeAlarmHistoryResponse(const std::vector<AlarmHistoryItem>& items);

}  // namespace ck::collector
