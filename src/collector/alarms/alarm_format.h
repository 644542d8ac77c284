// Text formats CloudWatch uses around alarms: numbers as Java prints them ("9.0", "1.0E7") and
// the four timestamp spellings of its API, reason text and reason data.
//
//   FormatJavaDouble(9)                       -> "9.0"
//   FormatIsoMillis(ms)                       -> "2026-11-26T06:45:00.000Z"   (API timestamps)
//   FormatReasonDataMillis(ms)                -> "2026-11-26T06:45:00.000+0000" (StateReasonData)
//   FormatReasonDatapointTime(ms)             -> "26/11/26 06:45:00"        (threshold reasons)
//   FormatCompositeReasonTime(ms)             -> "Thursday 26 November, 2026 06:45:00 UTC"
//
// All times are UTC milliseconds since the Unix epoch; no locale or time zone is consulted.
// Thread-safety: pure functions. Failure: ParseIsoMillis returns nullopt for anything it does not
// recognize.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ck::collector {

// Java's Double.toString: shortest round-trip digits, at least one fractional digit, scientific
// ("1.0E7", "1.0E-4") outside [1e-3, 1e7); "NaN", "Infinity", "-Infinity".
std::string FormatJavaDouble(double value);

std::string FormatIsoMillis(int64_t ms);
std::string FormatReasonDataMillis(int64_t ms);
std::string FormatReasonDatapointTime(int64_t ms);
std::string FormatCompositeReasonTime(int64_t ms);

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+0000|+00:00)" (the outputs above and what AWS
// clients send), or a plain number of epoch seconds (AWS JSON protocol timestamps).
std::optional<int64_t> ParseIsoMillis(std::string_view text);

}  // namespace ck::collector
