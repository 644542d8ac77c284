// Trace context: the X-Amzn-Trace-Id and W3C traceparent/tracestate headers, and trace/span ids.
//
// A TraceContext is what one hop learns from its caller and hands to its callees: the trace id
// (always kept in X-Ray form, "1-5759e988-bd862e3fe1be46a994272793"), the caller's span id
// (Parent), the sampling decision (1, 0, or '?' = "you decide and tell me"), ALB's Self field,
// unknown X-Amzn-Trace-Id keys such as Lineage (passed through in order), and the W3C tracestate.
//
//   TraceContext incoming = ExtractTraceContext(request).value_or(TraceContext{});
//   ...
//   TraceContext outgoing = incoming;
//   outgoing.parent_id = subsegment_id;
//   InjectTraceContext(downstream_request, outgoing);  // writes both header families
//
// W3C mapping: a W3C trace id is the X-Ray root without its version and dashes (8 hex epoch
// seconds followed by 24 hex random); the span id is the same 16 hex in both worlds.
//
// Parsers never fail loudly: malformed, oversized or hostile input yields std::nullopt ("no
// context", start a new trace) and never a crash; values that would be unsafe to forward (control
// characters, separators) are dropped. Formatting never emits CR/LF.
//
// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/hex.h"
#include "http/message.h"
#include "telemetry/random_source.h"

namespace ck::telemetry {

inline constexpr std::string_view kAmznTraceIdHeader = "X-Amzn-Trace-Id";
inline constexpr std::string_view kTraceparentHeader = "traceparent";
inline constexpr std::string_view kTracestateHeader = "tracestate";

enum class Sampled {
  kUnset,      // no Sampled field
  kYes,        // Sampled=1 (or W3C flag 01)
  kNo,         // Sampled=0 (or W3C flag 00)
  kRequested,  // Sampled=? : the callee decides and echoes its decision
};

struct TraceContext {
  std::string trace_id;   // X-Ray form; empty = no context
  std::string parent_id;  // 16 lower-case hex, or empty
  Sampled sampled = Sampled::kUnset;
  std::string self;  // ALB's Self=... value, or empty
  // Unknown X-Amzn-Trace-Id fields (e.g. Lineage), in arrival order, forwarded unchanged.
  std::vector<std::pair<std::string, std::string>> extra;
  std::string tracestate;  // W3C tracestate, forwarded verbatim when well-formed

  bool valid() const { return !trace_id.empty(); }
  friend bool operator==(const TraceContext&, const TraceContext&) = default;
};

// --- ids ---------------------------------------------------------------------------------------

// "1-" + 8 hex epoch seconds of `now` + "-" + 24 hex (96 random bits).
std::string NewTraceId(WallTime now, RandomSource& random);
// 16 lower-case hex, never all zero.
std::string NewSpanId(RandomSource& random);
// IsValidXRayTraceId and IsValidSpanId (core/hex.h) check id shapes.
// X-Ray "1-5759e988-bd862e3fe1be46a994272793" <-> W3C "5759e988bd862e3fe1be46a994272793".
std::optional<std::string> XRayToW3cTraceId(std::string_view xray_id);
std::optional<std::string> W3cToXRayTraceId(std::string_view w3c_id);

// --- X-Amzn-Trace-Id ---------------------------------------------------------------------------

// Parses "Root=...;Parent=...;Sampled=1;Lineage=...". Keys are matched case-insensitively,
// whitespace around fields is ignored. nullopt when Root is missing or invalid, the header is
// longer than 8 KiB or has more than 32 fields. An invalid Parent is dropped, an unknown Sampled
// value becomes kUnset, unsafe unknown fields are dropped.
std::optional<TraceContext> ParseAmznTraceId(std::string_view header);
// "Self=...;Root=...;Parent=...;Sampled=...;<extra...>" with absent parts omitted.
std::string FormatAmznTraceId(const TraceContext& context);
// The response echo: "Root=...;Sampled=1" (or 0), as X-Ray SDKs answer.
std::string FormatAmznTraceIdEcho(const TraceContext& context, bool sampled);

// --- W3C trace context -------------------------------------------------------------------------

// Parses "00-<32 hex>-<16 hex>-<2 hex>" (higher versions: the first four fields, per the spec's
// forward-compatibility rule). nullopt when malformed, version ff, or an id is all zero.
// `tracestate` is kept when it is at most 512 printable characters, otherwise dropped.
std::optional<TraceContext> ParseTraceparent(std::string_view traceparent,
                                             std::string_view tracestate = {});
// "00-<trace>-<parent>-<01|00>"; empty when the context has no valid trace id or parent id.
std::string FormatTraceparent(const TraceContext& context);

// --- HTTP --------------------------------------------------------------------------------------

// X-Amzn-Trace-Id wins when it parses; otherwise traceparent (+ tracestate).
std::optional<TraceContext> ExtractTraceContext(const http::HttpRequest& request);
// Sets X-Amzn-Trace-Id, and traceparent/tracestate when representable (replacing any present).
void InjectTraceContext(http::HttpRequest& request, const TraceContext& context);

}  // namespace ck::telemetry
