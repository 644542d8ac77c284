// EMF decoder: extracts metric datums from a log line in CloudWatch Embedded Metric Format.
//
// An EMF document is a JSON object whose `_aws` member holds a Timestamp (epoch milliseconds,
// an integer) and CloudWatchMetrics, an array of directives {Namespace, Dimensions, Metrics}.
// Dimensions is an array of dimension sets (arrays of at most 30 root member names, whose values
// must be strings); Metrics an array of at most 100 {Name, Unit?, StorageResolution? (1 or 60)}
// naming root members whose values are a number or an array of at most 100 numbers. Each metric
// yields one datum per dimension set of its directive, with that set's dimensions and values.
//
// DecodeEmf classifies a line:
//   kNotEmf  — no `"_aws"` substring (checked first, without parsing), the line does not start
//              with '{', or the JSON object has no `_aws` member;
//   kInvalid — it claims to be EMF but breaks the specification; `error` says where and why
//              (e.g. `_aws.CloudWatchMetrics[0].Metrics[1].StorageResolution must be 1 or 60`);
//   kValid   — `datums` holds every datum, each accepted by NormalizeDatum.
// Limits beyond the specification: a document of at most 1 MiB yielding at most 1,000 datums.
// Text before the JSON object (as Lambda prepends) is not supported: such a line is not EMF.
//
//   EmfDecodeResult decoded = DecodeEmf(line);
//   if (decoded.status == EmfStatus::kValid) store.PutMetricData(std::move(decoded.datums));
//   else if (decoded.status == EmfStatus::kInvalid) ++emf_errors;
//
// Never throws. Thread-safety: a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "collector/metrics/metric_types.h"

namespace ck::collector::metrics {

inline constexpr size_t kMaxEmfDocumentBytes = 1 << 20;
inline constexpr size_t kMaxEmfDatums = 1000;

enum class EmfStatus { kNotEmf, kValid, kInvalid };

struct EmfDecodeResult {
  EmfStatus status = EmfStatus::kNotEmf;
  std::vector<MetricDatum> datums;  // when kValid
  std::string error;                // when kInvalid
};

EmfDecodeResult DecodeEmf(std::string_view line);

}  // namespace ck::collector::metrics
