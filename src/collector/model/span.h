// Span: the collector's one model for what X-Ray segments and OpenTelemetry spans describe.
//
// Every receiver turns its wire format into Spans: the X-Ray decoder flattens a segment document
// (segment + nested subsegments) into one Span each; the OTLP decoders map one OTLP span to one
// Span (SERVER/CONSUMER spans become segments, the rest subsegments). The trace store, the service
// graph, trace summaries and filter expressions all work on this type only.
//
// Identity: (trace_id, id). trace_id is always in X-Ray form ("1-5f84c7a1-<24 hex>"; W3C ids are
// mapped with telemetry::W3cToXRayTraceId), id is 16 lower-case hex. For a segment, `service` is
// its own name; for a subsegment, `service` is the name of the segment that recorded it and
// `segment_id` that segment's id, so a subsegment can be attributed to its service without
// looking at the rest of the trace.
//
//   Span span;
//   span.kind = SpanKind::kSubsegment; span.name = "DynamoDB"; span.namespace_name = "aws";
//   span.service = "register-api"; span.segment_id = "...";  // the edge register-api -> DynamoDB
//
// Thread-safety: a value type.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ck::collector {

enum class SpanKind { kSegment, kSubsegment };

// Where the span came from; BatchGetTraces documents keep the original when there is one.
enum class SpanSource { kXRay, kOtlp };

// How much of its source a decoder keeps in a Span. kFull: every field, including the JSON trees
// `metadata` and `original` that only documents (BatchGetTraces) show. kIndex: every field but
// those two: what ingest needs (the trace store keeps the source bytes and decodes them again,
// in full, for reads; the service graph and the store's keys use the other fields), at a
// fraction of the cost.
enum class SpanDetail { kFull, kIndex };

using AnnotationValue = std::variant<std::string, int64_t, double, bool>;

struct SpanCause {
  std::string type;
  std::string message;
  bool remote = false;
};

struct Span {
  SpanKind kind = SpanKind::kSegment;
  SpanSource source = SpanSource::kXRay;
  std::string trace_id;        // X-Ray form
  std::string id;              // 16 hex
  std::string parent_id;       // empty for a root segment
  std::string segment_id;      // subsegments: the enclosing segment's id; segments: == id
  std::string service;         // the recording service (segment name)
  std::string name;            // segments: the service; subsegments: the callee or operation
  std::string namespace_name;  // subsegments: "remote", "aws" or empty (local work)
  std::string origin;          // segments: e.g. "AWS::ECS::Container"
  double start_time = 0;       // epoch seconds
  double end_time = 0;         // 0 while in progress
  bool in_progress = false;

  // http.request / http.response
  std::string http_method;
  std::string http_url;
  std::string user_agent;
  std::string client_ip;
  int http_status = 0;  // 0 = none
  bool traced = false;  // remote subsegments: the callee sends its own segment

  bool error = false;     // 4xx
  bool throttle = false;  // 429
  bool fault = false;     // 5xx or exception

  std::vector<SpanCause> causes;
  std::map<std::string, AnnotationValue> annotations;

  // aws subsegments
  std::string aws_operation;
  std::string aws_table_name;
  std::string aws_region;
  std::string aws_request_id;

  // Everything else the source sent (metadata, sql, OTLP attributes), kept for documents: an
  // object, or null (as empty) when there is none.
  nlohmann::json metadata;
  // X-Ray: the (sub)segment document exactly as sent, without its nested subsegments, so
  // BatchGetTraces returns what the SDK wrote (service, aws.xray, stack frames, exception ids).
  // Null for spans from other sources, whose documents are built from the fields above.
  nlohmann::json original;

  double Duration() const { return end_time > start_time ? end_time - start_time : 0; }
  bool IsRoot() const { return kind == SpanKind::kSegment && parent_id.empty(); }
};

// The node type X-Ray shows for a span's callee: "AWS::DynamoDB::Table" for an aws subsegment
// named DynamoDB, "remote" for other remote subsegments, the origin (or "client"-less service
// type "AWS::ECS::Container" default) for segments.
std::string NodeTypeFor(const Span& span);

// JSON for an AnnotationValue (string, number or boolean).
nlohmann::json AnnotationToJson(const AnnotationValue& value);

}  // namespace ck::collector
