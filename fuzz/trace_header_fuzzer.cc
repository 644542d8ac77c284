// libFuzzer target for the trace-context header parsers (src/telemetry/trace_context) and the
// other text the telemetry layer reads from its environment or peers: the daemon address and
// sampling-rule globs.
//
// The input is used whole as an X-Amzn-Trace-Id value and as a traceparent value, and split at
// the first newline into traceparent + tracestate and into glob pattern + text. Beyond "no crash,
// no sanitizer report", the target checks invariants: whatever parses has a valid trace id,
// formats without CR/LF or other control characters, and re-parses to the same context; the W3C
// and X-Ray forms of an id map back to each other.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/message.h"
#include "telemetry/emitter.h"
#include "telemetry/sampler.h"
#include "telemetry/trace_context.h"

using ck::fuzz::Check;

namespace {

namespace telemetry = ck::telemetry;

void CheckHeaderSafe(std::string_view value) {
  for (char c : value) Check(c >= 0x20 && c < 0x7f);
}

void FuzzAmzn(std::string_view text) {
  auto context = telemetry::ParseAmznTraceId(text);
  if (!context) return;
  Check(ck::IsValidXRayTraceId(context->trace_id));
  Check(context->parent_id.empty() || ck::IsValidSpanId(context->parent_id));
  std::string formatted = telemetry::FormatAmznTraceId(*context);
  CheckHeaderSafe(formatted);
  auto again = telemetry::ParseAmznTraceId(formatted);
  Check(again.has_value() && *again == *context);
  auto w3c = telemetry::XRayToW3cTraceId(context->trace_id);
  Check(w3c.has_value() && telemetry::W3cToXRayTraceId(*w3c) == context->trace_id);
  CheckHeaderSafe(telemetry::FormatAmznTraceIdEcho(*context, true));
}

void FuzzTraceparent(std::string_view traceparent, std::string_view tracestate) {
  auto context = telemetry::ParseTraceparent(traceparent, tracestate);
  if (!context) return;
  Check(ck::IsValidXRayTraceId(context->trace_id));
  Check(ck::IsValidSpanId(context->parent_id));
  CheckHeaderSafe(context->tracestate);
  std::string formatted = telemetry::FormatTraceparent(*context);
  Check(formatted.size() == 55);
  auto again = telemetry::ParseTraceparent(formatted, context->tracestate);
  Check(again.has_value() && again->trace_id == context->trace_id &&
        again->parent_id == context->parent_id && again->sampled == context->sampled);
}

void FuzzRequest(std::string_view amzn, std::string_view traceparent) {
  ck::http::HttpRequest request(ck::http::Verb::get, "/", 11);
  // Beast rejects nothing here; real requests only carry what its parser accepted, so strip
  // the characters a header value cannot hold.
  auto clean = [](std::string_view value) {
    std::string out;
    for (char c : value) {
      if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
    }
    return out;
  };
  request.set(telemetry::kAmznTraceIdHeader, clean(amzn));
  request.set(telemetry::kTraceparentHeader, clean(traceparent));
  auto context = telemetry::ExtractTraceContext(request);
  if (!context) return;
  ck::http::HttpRequest outgoing(ck::http::Verb::get, "/", 11);
  telemetry::InjectTraceContext(outgoing, *context);
  auto again = telemetry::ExtractTraceContext(outgoing);
  Check(again.has_value() && again->trace_id == context->trace_id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t newline = text.find('\n');
  std::string_view head = text.substr(0, newline);
  std::string_view tail =
      newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  FuzzAmzn(text);
  FuzzTraceparent(text, {});
  FuzzTraceparent(head, tail);
  FuzzRequest(head, tail);
  (void)telemetry::ParseDaemonAddress(text);
  (void)telemetry::GlobMatch(head.substr(0, 256), tail.substr(0, 4096));
  return 0;
}
