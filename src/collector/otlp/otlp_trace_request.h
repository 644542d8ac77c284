// OtlpTraceRequest: an OTLP ExportTraceServiceRequest as decoded from the wire, before mapping.
//
// Both wire formats (binary protobuf and OTLP/JSON) decode into this one model, and the mapping
// to the collector's Span (otlp_trace_decoder.h) works on it only, so the two formats cannot
// disagree. It keeps exactly the fields the mapping uses, plus what the encoders need to write
// them back (requests for tests, seeds and load generators).
//
// Attributes are OtlpAttributes (otlp_attributes.h: AnyValue kept as JSON). Ids are the
// lower-case hex of the id bytes exactly as sent (any length, possibly not hex at all when JSON
// sent garbage): the mapping validates them, so one bad id rejects one span, not the request.
//
//   OtlpSpan span;
//   span.trace_id = "5759e988bd862e3fe1be46a994272793"; span.span_id = "53995c3f42cd8ad8";
//   span.kind = kOtlpSpanKindServer;
//   span.attributes.emplace_back("http.request.method", "GET");
//
// Thread-safety: value types. Not covered: links, trace_state, flags and dropped_* counts are
// read past and not kept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "collector/otlp/otlp_attributes.h"

namespace ck::collector::otlp {

// Span.SpanKind and Status.StatusCode values (trace.proto).
inline constexpr int kOtlpSpanKindUnspecified = 0;
inline constexpr int kOtlpSpanKindInternal = 1;
inline constexpr int kOtlpSpanKindServer = 2;
inline constexpr int kOtlpSpanKindClient = 3;
inline constexpr int kOtlpSpanKindProducer = 4;
inline constexpr int kOtlpSpanKindConsumer = 5;
inline constexpr int kOtlpStatusUnset = 0;
inline constexpr int kOtlpStatusOk = 1;
inline constexpr int kOtlpStatusError = 2;

struct OtlpEvent {
  uint64_t time_unix_nano = 0;
  std::string name;
  OtlpAttributes attributes;
};

struct OtlpSpan {
  std::string trace_id;        // hex as sent; valid: 32 hex digits, not all zero
  std::string span_id;         // hex as sent; valid: 16 hex digits, not all zero
  std::string parent_span_id;  // hex as sent; empty for a root span
  std::string name;
  int kind = kOtlpSpanKindUnspecified;
  uint64_t start_time_unix_nano = 0;
  uint64_t end_time_unix_nano = 0;
  OtlpAttributes attributes;
  std::vector<OtlpEvent> events;
  int status_code = kOtlpStatusUnset;
  std::string status_message;
};

struct OtlpScopeSpans {
  std::string scope_name;
  std::string scope_version;
  std::vector<OtlpSpan> spans;
};

struct OtlpResourceSpans {
  OtlpAttributes resource_attributes;
  std::vector<OtlpScopeSpans> scope_spans;
};

struct OtlpTraceRequest {
  std::vector<OtlpResourceSpans> resource_spans;
};

// Where one span sits in an OtlpTraceRequest: resource_spans[resource].scope_spans[scope].
// spans[span].
struct OtlpSpanPosition {
  size_t resource = 0;
  size_t scope = 0;
  size_t span = 0;

  friend bool operator==(const OtlpSpanPosition&, const OtlpSpanPosition&) = default;
};

}  // namespace ck::collector::otlp
