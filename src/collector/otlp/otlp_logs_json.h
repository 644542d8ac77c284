// OTLP ExportLogsServiceRequest in the OTLP/JSON encoding (application/json), decoded into
// OtlpLogsRequest records (otlp_logs_request.h) and written back from them.
//
// The encoding and its lenient reading are those of otlp_json_common.h (hex ids, proto field
// names accepted too, `null` = absent, unknown keys ignored). Read: resourceLogs[].resource,
// scopeLogs[] (or the pre-1.0 instrumentationLibraryLogs[]) with scope (or
// instrumentationLibrary), logRecords[] with timeUnixNano, observedTimeUnixNano, severityNumber
// (a number or a SEVERITY_NUMBER_* name), severityText, body, attributes, traceId and spanId.
//
//   auto request = DecodeOtlpLogsJson(body);
//   if (!request.ok()) return 400 with request.status().message();
//
// Failure modes (InvalidArgument, naming the JSON path): not JSON, not an object at the top, a
// known field of the wrong type, an integer out of range, nesting deeper than
// kMaxOtlpJsonDepth brackets. A record with bad ids is not an error: it is rejected alone.
//
// EncodeOtlpLogsJson writes records back as one ResourceLogs/ScopeLogs per run of records with
// the same service and scope; bodies become string bodies. For tests, seeds and load generators.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "collector/otlp/otlp_logs_request.h"
#include "core/status.h"

namespace ck::collector::otlp {

Result<OtlpLogsRequest> DecodeOtlpLogsJson(std::string_view text);

std::string EncodeOtlpLogsJson(const OtlpLogsRequest& request);

}  // namespace ck::collector::otlp
