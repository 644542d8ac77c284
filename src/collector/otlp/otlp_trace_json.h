// OTLP ExportTraceServiceRequest in the OTLP/JSON encoding (application/json), read into and
// written from OtlpTraceRequest.
//
// The encoding and its lenient reading are those of otlp_json_common.h (hex ids, proto field
// names accepted too, `null` = absent, unknown keys ignored); enum names ("SPAN_KIND_SERVER")
// and the pre-1.0 `instrumentationLibrarySpans`/`instrumentationLibrary` keys are read as well.
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

#include "collector/otlp/otlp_json_common.h"  // kMaxOtlpJsonDepth
#include "collector/otlp/otlp_trace_request.h"
#include "core/status.h"

namespace ck::collector::otlp {

Result<OtlpTraceRequest> ParseOtlpTraceJson(std::string_view text);

std::string EncodeOtlpTraceJson(const OtlpTraceRequest& request);

}  // namespace ck::collector::otlp
