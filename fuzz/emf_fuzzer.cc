// libFuzzer target for the CloudWatch EMF decoder (src/collector/metrics/emf.h).
//
// Each input is one log line. Beyond "no crash, no sanitizer report", the target checks the
// decoder's contract: a line without a quoted "_aws" is never EMF; "not EMF" carries neither
// datums nor an error, "invalid" an error and no datums; every datum of a valid document passes
// NormalizeDatum unchanged and stays within the document limits; decoding is deterministic; and
// the datums survive aggregation and the store's binary encoding.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collector/metrics/aggregate.h"
#include "collector/metrics/emf.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

namespace {

using ck::collector::metrics::Aggregate;
using ck::collector::metrics::DecodeEmf;
using ck::collector::metrics::EmfDecodeResult;
using ck::collector::metrics::EmfStatus;
using ck::collector::metrics::MetricDatum;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  EmfDecodeResult decoded = DecodeEmf(line);
  if (line.find("\"_aws\"") == std::string_view::npos) Check(decoded.status == EmfStatus::kNotEmf);
  switch (decoded.status) {
    case EmfStatus::kNotEmf:
      Check(decoded.datums.empty() && decoded.error.empty());
      break;
    case EmfStatus::kInvalid:
      Check(decoded.datums.empty() && !decoded.error.empty());
      break;
    case EmfStatus::kValid:
      Check(decoded.error.empty());
      Check(decoded.datums.size() <= ck::collector::metrics::kMaxEmfDatums);
      break;
  }
  EmfDecodeResult again = DecodeEmf(line);
  Check(again.status == decoded.status && again.error == decoded.error &&
        again.datums.size() == decoded.datums.size());

  Aggregate total;
  for (const MetricDatum& datum : decoded.datums) {
    MetricDatum copy = datum;
    Check(ck::collector::metrics::NormalizeDatum(copy).ok());
    Check(copy.key == datum.key && copy.unit == datum.unit);
    Check(!datum.values.empty() && datum.values.size() <= 100 && datum.counts.empty());
    Aggregate aggregate;
    aggregate.Add(datum);
    Check(aggregate.sample_count == static_cast<double>(datum.values.size()));
    total.Merge(aggregate);
  }
  if (!total.empty()) {
    std::string encoded;
    total.EncodeTo(encoded);
    Aggregate decoded_total;
    Check(Aggregate::Decode(encoded, true, &decoded_total));
    Check(decoded_total.sample_count == total.sample_count && decoded_total.sum == total.sum);
    Check(decoded_total.Percentile(0.5) == total.Percentile(0.5));
  }
  return 0;
}
