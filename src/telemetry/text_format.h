// The lexical rules of the Prometheus text exposition format 0.0.4, as the registry
// (metrics.h) renders it: metric and label names, label value and HELP escaping, UTF-8 label
// values, and Go-compatible float formatting (Prometheus' own clients are the reference).
//
//   std::string line = "ck_up ";
//   line += FormatMetricValue(1e6);                  // "1e+06"
//   AppendEscapedLabelValue(out, "a\"b");            // a\"b
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/utf8.h"

namespace ck::telemetry {

// [a-zA-Z_][a-zA-Z0-9_]* (the ':' of recording rules is not ours to use).
bool IsValidMetricName(std::string_view name);

// Appends `value` with \ " and newline escaped, as inside label="...".
void AppendEscapedLabelValue(std::string& out, std::string_view value);
// Appends `help` with \ and newline escaped, as after "# HELP name ".
void AppendEscapedHelp(std::string& out, std::string_view help);

// Go's strconv.FormatFloat(value, 'g', -1, 64) with Prometheus' spellings of the specials:
// 0 -> "0", 2.5 -> "2.5", 1e6 -> "1e+06", 1.25e-05 -> "1.25e-05", "+Inf", "-Inf", "NaN".
std::string FormatMetricValue(double value);

}  // namespace ck::telemetry
