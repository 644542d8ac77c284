// Time periods of the Logs Insights language (`5m`, `1h`, `1mo`) and the UTC timestamp arithmetic
// built on them: bin(), datefloor(), dateceil() and the "YYYY-MM-DD hh:mm:ss.SSS" rendering of
// timestamps in query results.
//
//   std::optional<Period> period = ParsePeriod("5m");
//   int64_t bucket = FloorToPeriod(event.timestamp_ms, *period);   // start of its 5-minute bin
//   std::string text = FormatTimestamp(bucket);                    // "2024-05-01 12:35:00.000"
//
// Units: ms, s, m, h, d, w, mo, q, y (and the long forms sec/second(s), min/minute(s),
// hr/hour(s), day(s), week(s), month(s), quarter(s), yr/year(s)). Up to weeks a period is a
// fixed number of milliseconds and bins are aligned to the epoch (weeks start on Monday);
// months, quarters and years follow the UTC calendar. All functions are total: timestamps are
// kept inside [kMinTimestampMs, kMaxTimestampMs] by the callers (ValidTimestamp).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ck::collector::insights {

enum class PeriodUnit {
  kMillisecond,
  kSecond,
  kMinute,
  kHour,
  kDay,
  kWeek,
  kMonth,
  kQuarter,
  kYear
};

struct Period {
  int64_t count = 1;  // 1..kMaxPeriodCount
  PeriodUnit unit = PeriodUnit::kMinute;
  friend bool operator==(const Period&, const Period&) = default;
};

inline constexpr int64_t kMaxPeriodCount = 1'000'000;
// 0001-01-01 00:00:00.000 and 9999-12-31 23:59:59.999 UTC.
inline constexpr int64_t kMinTimestampMs = -62'135'596'800'000;
inline constexpr int64_t kMaxTimestampMs = 253'402'300'799'999;

inline bool ValidTimestamp(int64_t ms) { return ms >= kMinTimestampMs && ms <= kMaxTimestampMs; }

// "5m" -> {5, kMinute}. nullopt for a missing or zero count, a count above kMaxPeriodCount or an
// unknown unit.
std::optional<Period> ParsePeriod(std::string_view text);

// The period's length when it is fixed (ms up to weeks); nullopt for calendar units.
std::optional<int64_t> FixedPeriodMillis(const Period& period);

// Start of the period containing `ms`; for dateceil, the start of the next period unless `ms`
// is already aligned. Results stay valid timestamps or are nullopt.
std::optional<int64_t> FloorToPeriod(int64_t ms, const Period& period);
std::optional<int64_t> CeilToPeriod(int64_t ms, const Period& period);

// "YYYY-MM-DD hh:mm:ss.SSS" in UTC.
void AppendTimestamp(int64_t ms, std::string* out);
std::string FormatTimestamp(int64_t ms);

}  // namespace ck::collector::insights
