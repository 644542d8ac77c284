// Invariants every span decoded from OTLP must satisfy, shared by the OTLP fuzz targets: an X-Ray
// trace id in lower-case hex, 16-hex ids, the OTLP source, a service, and metadata and text that
// serialise as JSON. A violation aborts (the fuzzer reports it).
#pragma once

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "collector/model/span.h"
#include "fuzz_check.h"

namespace ck::fuzz {

inline bool IsLowerHex(std::string_view text, size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

inline void CheckOtlpSpan(const collector::Span& span) {
  const std::string& trace = span.trace_id;
  Check(trace.size() == 35 && trace.compare(0, 2, "1-") == 0 && trace[10] == '-');
  Check(IsLowerHex(std::string_view(trace).substr(2, 8), 8));
  Check(IsLowerHex(std::string_view(trace).substr(11), 24));
  Check(IsLowerHex(span.id, 16));
  Check(span.parent_id.empty() || IsLowerHex(span.parent_id, 16));
  Check(span.segment_id.empty() || IsLowerHex(span.segment_id, 16));
  Check(span.source == collector::SpanSource::kOtlp);
  Check(!span.service.empty());
  try {
    (void)span.metadata.dump();
    (void)nlohmann::json(span.name).dump();
    for (const auto& cause : span.causes) (void)nlohmann::json(cause.message).dump();
  } catch (const nlohmann::json::exception&) {
    std::abort();
  }
}

}  // namespace ck::fuzz
