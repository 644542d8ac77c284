// OTLP ExportTraceServiceRequest in the binary protobuf encoding (application/x-protobuf), read
// into and written from OtlpTraceRequest.
//
// ParseOtlpTraceProtobuf reads the messages of opentelemetry/proto/collector/trace/v1
// (ExportTraceServiceRequest > ResourceSpans > ScopeSpans > Span, with Resource, KeyValue,
// AnyValue, Event and Status) with ProtobufReader, skipping unknown fields as protobuf requires;
// the pre-1.0 field `instrumentation_library_spans` (1000) is read like `scope_spans`. A field
// whose wire type does not match its declaration is treated as unknown, as libprotobuf does.
// Strings that are not valid UTF-8 have the bad bytes replaced by U+FFFD (they end up in JSON).
//
//   auto request = ParseOtlpTraceProtobuf(body);
//   if (!request.ok()) return 400 with request.status().message();
//
// Failure modes: InvalidArgument for anything ProtobufReader rejects (truncation, over-long
// varints, group wire types, nesting deeper than ProtobufReader::kDefaultMaxDepth). Ids are kept
// as hex of whatever bytes were sent and validated later, per span.
//
// EncodeOtlpTraceProtobuf writes the same model back: ids from hex (an id that is not hex becomes
// one zero byte, so it stays invalid), attribute JSON as AnyValue (bytes values, kept as base64
// text, come back as strings). Used by tests, seed corpora, load generators and the trace store
// (which keeps OTLP spans as the protobuf of their trace's part of the request).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "collector/otlp/otlp_trace_request.h"
#include "core/status.h"

namespace ck::collector::otlp {

Result<OtlpTraceRequest> ParseOtlpTraceProtobuf(std::string_view bytes);

std::string EncodeOtlpTraceProtobuf(const OtlpTraceRequest& request);

// Only the spans at `positions` (in request order), each under its resource and scope: the part
// of a request that the trace store keeps for one trace.
std::string EncodeOtlpTraceProtobuf(const OtlpTraceRequest& request,
                                    const std::vector<OtlpSpanPosition>& positions);

}  // namespace ck::collector::otlp
