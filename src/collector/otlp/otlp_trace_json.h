// OTLP ExportTraceServiceRequest in the OTLP/JSON encoding (application/json), read into and
// written from OtlpTraceRequest.
//
// The encoding is protobuf's proto3 JSON mapping with OTLP's deviations: traceId/spanId/
// parentSpanId are case-insensitive hex strings (not base64), enums are integers, 64-bit integers
// are decimal strings or numbers, keys are lowerCamelCase. The parser is lenient where that costs
// nothing: it also accepts the proto field names (snake_case), enum names ("SPAN_KIND_SERVER"),
// `null` for any field (= absent), doubles as "NaN"/"Infinity"/"-Infinity" or numeric strings,
// and the pre-1.0 `instrumentationLibrarySpans`/`instrumentationLibrary` keys. Unknown keys are
// ignored, as the OTLP spec requires. bytesValue is kept as the base64 text that was sent.
//
//   auto request = ParseOtlpTraceJson(body);
//   if (!request.ok()) return 400 with request.status().message();
//
// Failure modes (InvalidArgument, naming the JSON path, e.g. "resourceSpans[0].scopeSpans[1].
// spans[2].kind: expected an integer"): not JSON, not an object at the top, a known field of the
// wrong type, an integer out of range, nesting deeper than kMaxOtlpJsonDepth brackets. Ids of the
// wrong length or not hex are not an error here; the mapping rejects those spans one by one.
//
// EncodeOtlpTraceJson writes the model back as OTLP/JSON (lowerCamelCase, hex ids, int64 as
// strings), for tests, seed corpora and load generators.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "collector/otlp/otlp_trace_request.h"
#include "core/status.h"

namespace ck::collector::otlp {

// Deepest bracket nesting accepted: room for ~35 levels of nested arrayValue/kvlistValue.
inline constexpr int kMaxOtlpJsonDepth = 128;

Result<OtlpTraceRequest> ParseOtlpTraceJson(std::string_view text);

std::string EncodeOtlpTraceJson(const OtlpTraceRequest& request);

}  // namespace ck::collector::otlp
