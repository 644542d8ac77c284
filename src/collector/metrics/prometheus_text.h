// Parser for the Prometheus text exposition format, version 0.0.4 — the body of a /metrics scrape.
//
//   # HELP http_requests_total Requests served.
//   # TYPE http_requests_total counter
//   http_requests_total{method="GET",code="200"} 1027 1395066363000
//   latency_seconds_bucket{le="0.1"} 3
//
// Lines are separated by '\n' (a trailing '\r' is tolerated); blank lines and comments other than
// HELP and TYPE are ignored. A sample is a metric name, optional {labels} (values in double quotes
// with \\, \" and \n escapes; a trailing comma is allowed), a value (a float, NaN, +Inf, -Inf)
// and an optional timestamp in epoch milliseconds. HELP text unescapes \\ and \n.
//
// Samples are grouped into families as the reference parser (expfmt) does: a family is named by
// its HELP/TYPE lines or by its first sample; a histogram family also takes <name>_bucket (which
// needs a numeric "le" label), <name>_sum and <name>_count, a summary <name>_sum and <name>_count
// (its plain samples need a numeric "quantile" label). Families keep the order they first
// appear in; samples keep input order.
//
// Errors reject the whole exposition, as a Prometheus scrape does: InvalidArgument with
// "line N: reason" — a malformed name, label, escape or number, a second HELP or TYPE line for a
// family, a TYPE after the family's samples, an unknown type, invalid UTF-8 in a label value or
// HELP text, or more than 100,000 samples.
//
//   CK_ASSIGN_OR_RETURN(PrometheusExposition scrape, ParsePrometheusText(body));
//
// Never throws. Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::collector::metrics {

inline constexpr size_t kMaxPrometheusSamples = 100'000;

enum class PrometheusType { kCounter, kGauge, kHistogram, kSummary, kUntyped };

struct PrometheusLabel {
  std::string name;
  std::string value;
  friend bool operator==(const PrometheusLabel&, const PrometheusLabel&) = default;
};

struct PrometheusSample {
  std::string name;                     // the full sample name, e.g. "latency_seconds_bucket"
  std::vector<PrometheusLabel> labels;  // in input order
  double value = 0;
  std::optional<int64_t> timestamp_ms;
};

struct PrometheusFamily {
  std::string name;
  std::string help;
  PrometheusType type = PrometheusType::kUntyped;
  std::vector<PrometheusSample> samples;
};

struct PrometheusExposition {
  std::vector<PrometheusFamily> families;
};

Result<PrometheusExposition> ParsePrometheusText(std::string_view text);

// A sample value or numeric label ("le", "quantile") as the format writes it: a decimal float,
// NaN, +Inf, -Inf (case-insensitive, Go's ParseFloat without hex and underscores); nullopt when
// malformed or out of double range.
std::optional<double> ParsePrometheusFloat(std::string_view token);

// "counter", "gauge", "histogram", "summary", "untyped".
std::string_view PrometheusTypeName(PrometheusType type);

}  // namespace ck::collector::metrics
