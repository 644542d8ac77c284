// libFuzzer target for the X-Ray daemon datagram decoder (src/collector/xray_document).
//
// Each input is decoded as a datagram (header line + document). Invariants: failures are
// kInvalidArgument with a message; every decoded span has a valid trace id, a 16-hex id and a
// name; the stored form of each span decodes back to the same stored form; assembling the spans
// into documents and decoding those again yields as many spans.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collector/model/xray_document.h"
#include "core/hex.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ck::collector;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto spans = DecodeDatagram(input);
  if (!spans.ok()) {
    Check(spans.status().code() == ck::StatusCode::kInvalidArgument);
    Check(!spans.status().message().empty());
    return 0;
  }
  Check(!spans->empty());
  for (const Span& span : *spans) {
    Check(ck::IsValidXRayTraceId(span.trace_id));
    Check(ck::IsValidSpanId(span.id));
    Check(!span.name.empty());
    auto back = SpanFromStoredJson(StoredSpanJson(span));
    Check(back.ok());
    Check(StoredSpanJson(*back) == StoredSpanJson(span));
  }
  size_t reassembled = 0;
  for (const nlohmann::json& document : AssembleSegmentDocuments(*spans)) {
    auto again = DecodeSegmentJson(document);
    Check(again.ok());
    reassembled += again->size();
  }
  Check(reassembled == spans->size());
  return 0;
}
