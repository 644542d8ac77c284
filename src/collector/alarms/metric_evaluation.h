// Metric alarm evaluation: M out of N datapoints against a threshold, with CloudWatch's handling
// of missing data, and the StateReason / StateReasonData CloudWatch would write.
//
// The evaluation looks at an *evaluation range* of EvaluationRange(spec) = N + 2 periods ending
// at EvaluationEndMs(spec, now) (CloudWatch fetches more periods than N in case some are missing;
// its documented example uses 5 for N = 3). Then, with R real (non-missing) datapoints:
//   - R >= N: the N most recent real datapoints are evaluated; missing ones in between are
//     skipped and TreatMissingData does not matter. ALARM if at least M breach, else OK.
//   - R == 0: missing -> INSUFFICIENT_DATA; ignore -> the current state is kept;
//     breaching -> ALARM; notBreaching -> OK.
//   - 0 < R < N, breaching / notBreaching: all R real datapoints plus N - R filled ones (the
//     fewest fills possible) are evaluated; fills count as breaching / not breaching.
//   - 0 < R < N, missing / ignore: only real datapoints count. ALARM if at least M breach;
//     otherwise, if every real datapoint breaches and the oldest is at least M periods old
//     (CloudWatch's "premature alarm" rule), missing -> ALARM and ignore keeps the current
//     state; otherwise OK.
// This reproduces both tables of the CloudWatch guide's "How alarm state is evaluated when data
// is missing" (see metric_evaluation_test.cc and docs/alarms.md).
//
//   int64_t end_ms = EvaluationEndMs(spec, now_ms);
//   auto range = source.Datapoints(spec, end_ms, EvaluationRange(spec));
//   MetricEvaluation result = EvaluateMetricAlarm(spec, range, end_ms, now_ms, current);
//   if (!result.retained && result.state != current) ... record a transition
//
// Thread-safety: pure functions. Failure: none; a range shorter than N is treated as if its
// oldest periods were missing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "collector/alarms/alarm_types.h"

namespace ck::collector {

inline constexpr int kExtraEvaluationPeriods = 2;

// N + kExtraEvaluationPeriods.
int EvaluationRange(const MetricAlarmSpec& spec);

// The end (exclusive) of the newest period evaluated at `now_ms`: now truncated to the period for
// sub-minute periods and to the minute otherwise (CloudWatch evaluates every minute, so a
// 5-minute alarm evaluated at 12:16 looks at 12:01-12:06, 12:06-12:11, 12:11-12:16).
int64_t EvaluationEndMs(const MetricAlarmSpec& spec, int64_t now_ms);

struct MetricEvaluation {
  // True when TreatMissingData "ignore" keeps the current state; state is then `current` and
  // reason / reason_data are empty.
  bool retained = false;
  AlarmState state = AlarmState::kInsufficientData;
  std::string reason;
  AlarmJson reason_data;
};

// `range`: one value per period, oldest first, the newest ending at `end_ms` (nullopt = no
// datapoint). `query_ms` is the evaluation time (StateReasonData.queryDate).
MetricEvaluation EvaluateMetricAlarm(const MetricAlarmSpec& spec,
                                     std::span<const std::optional<double>> range, int64_t end_ms,
                                     int64_t query_ms, AlarmState current);

}  // namespace ck::collector
