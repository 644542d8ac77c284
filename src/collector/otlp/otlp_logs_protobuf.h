// OTLP ExportLogsServiceRequest in the binary protobuf encoding (application/x-protobuf),
// decoded into OtlpLogsRequest records (otlp_logs_request.h) and written back from them.
//
// Reads opentelemetry/proto/collector/logs/v1 and logs/v1 with ProtobufReader and the common
// messages of otlp_protobuf_common.h: ExportLogsServiceRequest {resource_logs = 1},
// ResourceLogs {resource = 1, scope_logs = 2 (also the pre-1.0 instrumentation_library_logs,
// same number, and 1000), schema_url = 3}, ScopeLogs {scope = 1, log_records = 2},
// LogRecord {time_unix_nano = 1 fixed64, observed_time_unix_nano = 11 fixed64,
// severity_number = 2, severity_text = 3, body = 5, attributes = 6, trace_id = 9,
// span_id = 10; dropped_attributes_count = 7, flags = 8 and event_name = 12 are read past}.
// Unknown fields and fields of an unexpected wire type are skipped, as libprotobuf does; strings
// that are not valid UTF-8 have the bad bytes replaced by U+FFFD.
//
//   auto request = DecodeOtlpLogsProtobuf(body);
//   if (!request.ok()) return 400 with request.status().message();
//
// Failure modes: InvalidArgument for anything ProtobufReader rejects (truncation, over-long
// varints, group wire types, nesting deeper than ProtobufReader::kDefaultMaxDepth). A record
// with bad ids is not an error: it is rejected alone.
//
// EncodeOtlpLogsProtobuf writes records back as EncodeOtlpLogsJson does (otlp_logs_json.h).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "collector/otlp/otlp_logs_request.h"
#include "core/status.h"

namespace ck::collector::otlp {

Result<OtlpLogsRequest> DecodeOtlpLogsProtobuf(std::string_view bytes);

std::string EncodeOtlpLogsProtobuf(const OtlpLogsRequest& request);

}  // namespace ck::collector::otlp
