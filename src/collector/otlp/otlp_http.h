// OTLP/HTTP export semantics (POST /v1/traces and /v1/logs) as pure request -> reply functions.
//
// HandleTraceExport and HandleLogsExport take what the HTTP layer read (Content-Type,
// Content-Encoding, body) and return the status, Content-Type and body to answer with,
// appending the decoded spans (otlp_trace_decoder.h) or log records (otlp_logs_request.h) to
// their output. They know no HTTP library, so they build without Boost and are fuzzed directly.
// Both signals follow the same rules:
//
//   Content-Type     application/x-protobuf or application/json (parameters such as charset
//                    ignored, case-insensitive); anything else -> 415 (JSON Status body).
//   Content-Encoding gzip (or x-gzip), identity or none; anything else -> 415. The body as
//                    received may be at most limits.max_body_bytes and, inflated, at most
//                    limits.max_decompressed_bytes, else 413 (inflation stops at the limit, so a
//                    gzip bomb costs no more memory than the limit). Corrupt gzip -> 400.
//   Decoding         not protobuf / not JSON / wrong shape -> 400 with a google.rpc.Status body
//                    (code 3 INVALID_ARGUMENT, message naming the problem).
//   Success          200 with an ExportTraceServiceResponse / ExportLogsServiceResponse in the
//                    request's encoding: empty (protobuf: zero bytes, JSON: {}) when every span
//                    or record was accepted, else partial_success {rejected_spans |
//                    rejected_log_records, error_message}.
// Every reply body is in the request's encoding (JSON when the request's is unsupported), with
// the matching Content-Type, as the OTLP/HTTP spec requires.
//
//   std::vector<Span> spans;
//   OtlpReply reply = HandleTraceExport(request[content_type], request[content_encoding],
//                                       request.body(), limits, &spans);
//   if (!queue.TryPush(spans)) reply = OtlpOverloaded(request[content_type], 1);
//   respond(reply.status, reply.content_type, reply.body, reply.retry_after_seconds);
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/model/span.h"
#include "collector/otlp/otlp_logs_request.h"
#include "collector/otlp/otlp_trace_decoder.h"

namespace ck::collector::otlp {

inline constexpr std::string_view kOtlpProtobufContentType = "application/x-protobuf";
inline constexpr std::string_view kOtlpJsonContentType = "application/json";

enum class OtlpEncoding { kProtobuf, kJson };

// The encoding a Content-Type header names, or nullopt when OTLP/HTTP does not define it.
std::optional<OtlpEncoding> OtlpEncodingFor(std::string_view content_type);

struct OtlpLimits {
  size_t max_body_bytes = 8 * 1024 * 1024;           // as received
  size_t max_decompressed_bytes = 32 * 1024 * 1024;  // after Content-Encoding is undone
};

struct OtlpReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::optional<int> retry_after_seconds;  // for a Retry-After header
  int64_t rejected_spans = 0;              // spans in a 200 reply that were not accepted
  int64_t rejected_log_records = 0;        // log records in a 200 reply that were not accepted
};

// Decodes one export request; on 200 the accepted spans are appended to *spans_out.
OtlpReply HandleTraceExport(std::string_view content_type, std::string_view content_encoding,
                            std::string_view body, const OtlpLimits& limits,
                            std::vector<Span>* spans_out);

// The same for the collector's ingest: on 200 the accepted spans are appended to *groups_out one
// group per trace (GroupOtlpSpansByTrace), decoded at SpanDetail::kIndex (no metadata: the group's
// protobuf is what the trace store keeps and maps again in full on read).
OtlpReply HandleTraceExportByTrace(std::string_view content_type, std::string_view content_encoding,
                                   std::string_view body, const OtlpLimits& limits,
                                   std::vector<OtlpTraceGroup>* groups_out);

// Decodes one logs export request; on 200 the accepted records are appended to *records_out.
OtlpReply HandleLogsExport(std::string_view content_type, std::string_view content_encoding,
                           std::string_view body, const OtlpLimits& limits,
                           std::vector<OtlpLogRecord>* records_out);

// A failure reply with a google.rpc.Status body in the encoding `content_type` names (JSON when
// it names none). The Status code follows the HTTP status (400 -> INVALID_ARGUMENT, 429 ->
// RESOURCE_EXHAUSTED, 503 -> UNAVAILABLE, ...).
OtlpReply OtlpErrorReply(std::string_view content_type, int http_status, std::string_view message);

// The reply when the receiver cannot take the request now (its queue is full): 503 by default,
// or 429 when a client is over its rate, with Retry-After. Clients retry both.
OtlpReply OtlpOverloaded(std::string_view content_type, int retry_after_seconds,
                         int http_status = 503);

}  // namespace ck::collector::otlp
