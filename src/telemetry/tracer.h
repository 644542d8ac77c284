// Tracer: the per-request tracing API for services and proxies.
//
// For each handled request, StartRequest() extracts the caller's trace context
// (X-Amzn-Trace-Id, else traceparent), makes or honours the sampling decision, and opens a
// segment named after the service with http.request filled in. Each downstream call gets a
// Subsegment ("remote" for HTTP, named after the callee; "aws" for AWS calls with the operation,
// table, region and request id) whose id goes out as the callee's Parent. Ending a span records
// the response status (4xx error, 429 throttle, 5xx fault) or an error with its cause, and a
// sampled segment is handed to the SegmentSink (never blocking) when the request span ends.
//
//   RequestSpan span = tracer.StartRequest(request, client_ip);
//   Subsegment call = span.StartSubsegment("DynamoDB", kNamespaceAws);
//   call.SetAws({.operation = "PutItem", .table_name = "residents", .region = "us-east-1"});
//   call.Inject(outgoing_request);                      // Root=..;Parent=<call id>;Sampled=..
//   auto result = co_await client.Send(url, std::move(outgoing_request));
//   if (!result.ok()) call.EndWithError("TLSHandshakeError", result.status().message());
//   else call.End(result->result_int());
//   HttpResponse response = ...;
//   span.EchoHeader(response);                          // X-Amzn-Trace-Id: Root=..;Sampled=1
//   span.End(response);
//
// Logging: LogContext (core/logger.h) is per thread, and one io thread interleaves many request
// coroutines, so a trace context must never stay installed across a co_await. Install it only
// for synchronous stretches: `{ LogScope scope = span.ActivateLogContext(); ...; }` (restores the
// previous context on scope exit) or use span.Log(...), which installs it for one line. Re-enter
// a scope after each co_await that resumes code which logs.
//
// Unsampled requests (and a disabled tracer, CK_TRACING=off) still get ids, so headers and log
// lines stay linked, but record nothing and emit nothing.
//
// Lifetimes and thread-safety: the Tracer, its sink, sampler, clock and random source must
// outlive every span. Spans are move-only handles; a span's methods may be called from any one
// thread at a time, and a Subsegment may end on another thread than its RequestSpan (they share
// state under a mutex). A span destroyed without End() is ended then (a RequestSpan without a
// response status). A Subsegment ending after its RequestSpan is sent as an independent
// "subsegment" document.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/logger.h"
#include "core/status.h"
#include "http/message.h"
#include "telemetry/emitter.h"
#include "telemetry/random_source.h"
#include "telemetry/sampler.h"
#include "telemetry/segment.h"
#include "telemetry/trace_context.h"

namespace ck::telemetry {

struct TracerOptions {
  std::string service_name = "ck";
  bool enabled = true;  // false: no sampling, no recording, ids only
  std::string origin;   // segment origin, e.g. "AWS::ECS::Container"
};

// Installs trace_id/span_id in LogContext::Current() and restores the previous values on
// destruction. Never keep one alive across a co_await.
class LogScope {
 public:
  LogScope(std::string_view trace_id, std::string_view span_id);
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;

 private:
  LogContext previous_;
};

struct SpanState;

class Subsegment {
 public:
  Subsegment() = default;  // inert
  Subsegment(Subsegment&&) noexcept;
  Subsegment& operator=(Subsegment&&) noexcept;
  ~Subsegment();

  const std::string& id() const;
  // The context for the callee: this subsegment as Parent, the trace's sampling decision.
  TraceContext OutgoingContext() const;
  // Writes the trace headers into `request` and records its method and URL (traced = true).
  void Inject(http::HttpRequest& request, std::string_view url);
  void SetAws(AwsCallInfo aws);
  Status AddAnnotation(std::string_view key, AnnotationValue value);
  Status AddMetadata(std::string_view key, nlohmann::json value,
                     std::string_view metadata_namespace = "default");
  LogScope ActivateLogContext() const;

  // Ends with the callee's response status (and body length when known).
  void End(int status, std::optional<uint64_t> content_length = std::nullopt);
  // Ends as a fault whose cause is `type: message` (remote: the callee reported it).
  void EndWithError(std::string type, std::string message, bool remote = false);
  // Ends as a fault from a transport Status (type = the status code name).
  void EndWithStatus(const Status& status);

 private:
  friend class RequestSpan;
  void Finish();

  std::shared_ptr<SpanState> parent_;
  std::unique_ptr<Segment> segment_;  // null when not recording
  std::string id_;
  bool ended_ = true;
};

class RequestSpan {
 public:
  RequestSpan() = default;  // inert
  RequestSpan(RequestSpan&&) noexcept = default;
  RequestSpan& operator=(RequestSpan&&) noexcept;
  ~RequestSpan();

  bool sampled() const;
  const std::string& trace_id() const;
  const std::string& span_id() const;
  // The context to forward when calling without a subsegment: this segment as Parent.
  TraceContext OutgoingContext() const;

  Subsegment StartSubsegment(std::string name, std::string_view namespace_name);
  Status AddAnnotation(std::string_view key, AnnotationValue value);
  Status AddMetadata(std::string_view key, nlohmann::json value,
                     std::string_view metadata_namespace = "default");
  // Adds an exception to the segment's cause and marks it a fault.
  void RecordException(std::string type, std::string message, bool remote = false);

  // Sets X-Amzn-Trace-Id: Root=...;Sampled=1|0 on the response.
  void EchoHeader(http::HttpResponse& response) const;
  LogScope ActivateLogContext() const;
  void Log(LogLevel level, std::string_view msg, const nlohmann::json& fields = nullptr) const;

  void End(const http::HttpResponse& response);
  void End(int status, std::optional<uint64_t> content_length = std::nullopt);

 private:
  friend class Tracer;
  void Finish(std::optional<HttpResponseInfo> response);

  std::shared_ptr<SpanState> state_;
};

class Tracer {
 public:
  Tracer(TracerOptions options, SegmentSink* sink, Sampler& sampler,
         const Clock& clock = SystemClock::Instance(),
         RandomSource& random = SystemRandom::Instance());

  // Starts the span for an incoming request. `client_ip` is the peer address; X-Forwarded-For's
  // first entry wins when present.
  RequestSpan StartRequest(const http::HttpRequest& request, std::string_view client_ip = {});

  const TracerOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }
  RandomSource& random() const { return random_; }
  SegmentSink* sink() const { return sink_; }

 private:
  TracerOptions options_;
  SegmentSink* sink_;
  Sampler& sampler_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace ck::telemetry
