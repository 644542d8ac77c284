// OTLP trace decoding: an ExportTraceServiceRequest (protobuf or OTLP/JSON) to collector Spans.
//
// Every valid OTLP span becomes one ck::collector::Span (source kOtlp):
//   ids       trace_id "1-<first 8 hex>-<last 24 hex>" (the W3C id in X-Ray form), ids 16
//             lower-case hex. A span whose trace or span id is not 16/8 bytes or all zero, or
//             whose parent id is not 8 bytes, is rejected: counted in rejected_spans, the first
//             reason kept in error_message, the rest of the request still accepted (OTLP partial
//             success). An all-zero parent id means "no parent".
//   service   the resource attribute service.name, else "unknown_service".
//   kind      SERVER and CONSUMER spans are segments (name = service, segment_id = own id).
//             Everything else is a subsegment whose segment_id is the nearest ancestor SERVER/
//             CONSUMER span of the same service in the same request, else its parent id (empty
//             for a root span). CLIENT/PRODUCER spans: namespace "remote", name = peer.service,
//             else the host of server.address / net.peer.name / http.host / the URL, else the
//             span name; `traced` when the request holds a SERVER span below it. With rpc.system
//             "aws-api" or db.system "dynamodb": namespace "aws", name = rpc.service ("DynamoDB"
//             for db.system dynamodb without one), aws_operation = rpc.method (else
//             db.operation[.name]), aws_table_name = first of aws.dynamodb.table_names,
//             aws_region = cloud.region (span, else resource), aws_request_id = aws.request_id.
//             INTERNAL/UNSPECIFIED: namespace "", name = span name.
//   origin    from the resource's cloud.platform (aws_ecs -> "AWS::ECS::Container", ...).
//   times     *_unix_nano as epoch seconds; end 0 -> in_progress.
//   http      method, url, status, user agent, client ip from the old and the new semantic
//             conventions (http.method | http.request.method, http.url | url.full | scheme +
//             host + target, http.status_code | http.response.status_code, http.user_agent |
//             user_agent.original, http.client_ip | client.address | net.peer.ip); user agent
//             and client ip on segments only.
//   flags     4xx -> error, 429 -> throttle + error, 5xx -> fault, status ERROR without a 4xx
//             -> fault.
//   causes    "exception" events (exception.type, exception.message), remote for CLIENT and
//             PRODUCER spans; a status ERROR message when there is no exception event.
//   annotations  the attributes named in the span's or resource's "aws.xray.annotations"
//             (array of keys) with a string, bool or number value: key with characters other
//             than [A-Za-z0-9_] replaced by '_' (at most 500), strings cut to 1,000 bytes.
//   metadata  "otel": the other span attributes; "otel.resource": the resource attributes;
//             "otel.span": {name, kind, status_code[, status_message][, scope]} (the OTLP span
//             name survives even though a segment is named after its service).
//
//   auto decoded = DecodeOtlpTraceProtobuf(body);
//   if (!decoded.ok()) return 400;                 // not protobuf / not an
//   ExportTraceServiceRequest store.Add(decoded->spans);                     //
//   decoded->rejected_spans for partial success
//
// Failure modes: whole-request problems (not protobuf, not JSON, wrong shape or types) are
// InvalidArgument with a message naming the problem; bad spans are counted, not errors.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/model/span.h"
#include "collector/otlp/otlp_trace_request.h"
#include "core/status.h"

namespace ck::collector::otlp {

struct OtlpDecodeResult {
  std::vector<Span> spans;
  std::vector<OtlpSpanPosition> positions;  // where spans[i] sits in the request
  int64_t rejected_spans = 0;
  std::string error_message;  // why the first rejected span was rejected; empty when none
};

Result<OtlpDecodeResult> DecodeOtlpTraceProtobuf(std::string_view bytes,
                                                 SpanDetail detail = SpanDetail::kFull);
Result<OtlpDecodeResult> DecodeOtlpTraceJson(std::string_view text,
                                             SpanDetail detail = SpanDetail::kFull);

// The mapping step on its own, for callers that already hold a decoded request. With
// SpanDetail::kIndex the spans get no `metadata` (every other field is the same).
OtlpDecodeResult MapOtlpTraceRequest(const OtlpTraceRequest& request,
                                     SpanDetail detail = SpanDetail::kFull);

// The spans of one trace from one request, and that part of the request re-encoded as protobuf
// (EncodeOtlpTraceProtobuf with their positions): what the trace store keeps as one row. Mapping
// only depends on spans of the same trace (segment ancestors, `traced` callees), so
// DecodeOtlpTraceProtobuf(protobuf) gives these spans again, with their metadata.
struct OtlpTraceGroup {
  std::vector<Span> spans;
  std::string protobuf;
};

// Moves decoded.spans into one group per trace, in order of each trace's first span.
std::vector<OtlpTraceGroup> GroupOtlpSpansByTrace(const OtlpTraceRequest& request,
                                                  OtlpDecodeResult decoded);

// "1-5759e988-bd862e3fe1be46a994272793" for the W3C id "5759e988bd862e3fe1be46a994272793" (any
// case); empty when `w3c_id` is not 32 hex digits or all zero.
std::string OtlpTraceIdToXRay(std::string_view w3c_id);

}  // namespace ck::collector::otlp
