// Segment: one X-Ray segment or subsegment and its JSON document, per the X-Ray segment document
// schema (the shape the X-Ray daemon, the X-Ray API and our collector accept).
//
// A segment records the work one service did for one request (name = the service, http.request
// and http.response, error/throttle/fault, cause, annotations, metadata). Subsegments record
// downstream calls and nest inside their segment: namespace "remote" for HTTP callees (name = the
// callee), "aws" for AWS calls (aws.operation, table_name, region, request_id, retries). A
// subsegment may also be sent on its own as an "independent subsegment" (type "subsegment",
// trace_id and parent_id = the enclosing (sub)segment's id), which the emitter uses for documents
// above the 64 KiB datagram limit.
//
//   Segment segment;
//   segment.name = "register-api"; segment.id = NewSpanId(random); segment.trace_id = ...;
//   segment.start_time = ToEpochSeconds(clock.Now());
//   segment.SetHttpResponse(503, 41);           // fault = true
//   segment.AddException("TLSError", "certificate verify failed", /*remote=*/true, random);
//   nlohmann::json document = segment.ToJson();
//
// Status mapping (as the X-Ray SDKs): 4xx -> error, 429 -> error + throttle, 5xx -> fault.
// Validation: annotation keys must be 1-500 characters of [A-Za-z0-9_] (anything else cannot be
// used in filter expressions) and string values are truncated to 1,000 characters; metadata
// namespaces starting with "AWS." are reserved. Both return InvalidArgument and leave the segment
// unchanged. Names are sanitised (SanitizeSegmentName) when serialised.
//
// Thread-safety: a value type; synchronise externally when shared.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "telemetry/random_source.h"

namespace ck::telemetry {

enum class SegmentKind { kSegment, kSubsegment };

inline constexpr std::string_view kNamespaceRemote = "remote";
inline constexpr std::string_view kNamespaceAws = "aws";

struct HttpRequestInfo {
  std::string method;
  std::string url;
  std::string user_agent;        // segments
  std::string client_ip;         // segments
  bool x_forwarded_for = false;  // segments: client_ip came from X-Forwarded-For
  bool traced = false;           // subsegments: the callee is instrumented and will send a segment
};

struct HttpResponseInfo {
  int status = 0;
  std::optional<uint64_t> content_length;
};

struct StackFrame {
  std::string path;
  int line = 0;
  std::string label;
};

struct ExceptionInfo {
  std::string id;  // 16 hex
  std::string message;
  std::string type;
  bool remote = false;  // the exception was caused by an error returned by a downstream service
  std::vector<StackFrame> stack;
};

struct AwsCallInfo {
  std::string operation;   // e.g. "PutItem"
  std::string table_name;  // DynamoDB
  std::string region;
  std::string request_id;
  std::optional<int> retries;
};

using AnnotationValue = std::variant<std::string, int64_t, double, bool>;

struct Segment {
  SegmentKind kind = SegmentKind::kSegment;
  std::string name;
  std::string id;
  std::string trace_id;   // segments (and independent subsegments)
  std::string parent_id;  // segments: the caller's span id, when there is one
  double start_time = 0;
  double end_time = 0;
  bool in_progress = false;
  std::string namespace_name;  // subsegments: "remote" or "aws"
  std::string origin;          // segments: e.g. "AWS::ECS::Container"
  std::optional<HttpRequestInfo> http_request;
  std::optional<HttpResponseInfo> http_response;
  bool error = false;
  bool throttle = false;
  bool fault = false;
  std::string working_directory;
  std::vector<ExceptionInfo> exceptions;
  std::map<std::string, AnnotationValue> annotations;
  nlohmann::json metadata = nlohmann::json::object();  // namespace -> {key: value}
  std::optional<AwsCallInfo> aws;
  std::vector<Segment> subsegments;

  // Records the response and sets error/throttle/fault from its status.
  void SetHttpResponse(int status, std::optional<uint64_t> content_length = std::nullopt);
  // Sets error/throttle/fault from an HTTP status (never clears flags already set).
  void SetFlagsFromStatus(int status);
  // Appends an exception to cause (with a fresh id) and marks the segment as a fault.
  void AddException(std::string type, std::string message, bool remote, RandomSource& random);
  Status AddAnnotation(std::string_view key, AnnotationValue value);
  Status AddMetadata(std::string_view key, nlohmann::json value,
                     std::string_view metadata_namespace = "default");

  // The document for this (sub)segment with its subsegments nested.
  nlohmann::json ToJson() const;
  // This subsegment as an independently sent document.
  nlohmann::json ToIndependentJson(std::string_view trace_id, std::string_view parent_id) const;
};

// Epoch seconds with microsecond precision, as start_time/end_time.
double ToEpochSeconds(WallTime time);
// Keeps letters (any UTF-8), digits, whitespace and _ . : / % & # = + \ - @; at most 200 bytes
// (cut on a character boundary); "unknown" when nothing is left.
std::string SanitizeSegmentName(std::string_view name);
bool IsValidAnnotationKey(std::string_view key);

}  // namespace ck::telemetry
