// libFuzzer target for the OTLP/JSON trace decoder (src/collector/otlp): ExportTraceServiceRequest
// in OTLP/JSON through the parser, the span mapping and the OTLP/HTTP reply builder.
//
// Beyond "no crash, no hang, no sanitizer report", the target checks invariants: a failure is
// InvalidArgument with a message; every decoded span has an X-Ray trace id "1-<8 hex>-<24 hex>",
// a 16-hex id, a parent and segment id that are empty or 16 hex, and metadata that serialises;
// rejected spans come with a reason. Whatever parses survives re-encoding: written back as
// OTLP/JSON and as protobuf, it decodes to the same numbers of accepted and rejected spans (or,
// for JSON, fails only on the nesting limit). The HTTP handler answers 200 or 400 with a JSON body.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "collector/otlp/otlp_http.h"
#include "collector/otlp/otlp_trace_decoder.h"
#include "collector/otlp/otlp_trace_json.h"
#include "collector/otlp/otlp_trace_protobuf.h"
#include "otlp_span_checks.h"

namespace {

namespace otlp = ck::collector::otlp;
using ck::collector::Span;

using ck::fuzz::Check;

void CheckSpan(const Span& span) { ck::fuzz::CheckOtlpSpan(span); }

void CheckResult(const otlp::OtlpDecodeResult& result) {
  for (const Span& span : result.spans) CheckSpan(span);
  Check(result.rejected_spans >= 0);
  Check((result.rejected_spans > 0) == !result.error_message.empty());
}

void CheckSameCounts(const ck::Result<otlp::OtlpDecodeResult>& again,
                     const otlp::OtlpDecodeResult& original, bool may_hit_nesting_limit) {
  if (!again.ok()) {
    Check(may_hit_nesting_limit &&
          again.status().message().find("nested deeper") != std::string::npos);
    return;
  }
  Check(again->spans.size() == original.spans.size());
  Check(again->rejected_spans == original.rejected_spans);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto decoded = otlp::DecodeOtlpTraceJson(text);
  if (!decoded.ok()) {
    Check(decoded.status().code() == ck::StatusCode::kInvalidArgument);
    Check(!decoded.status().message().empty());
  } else {
    CheckResult(*decoded);
    auto request = otlp::ParseOtlpTraceJson(text);
    Check(request.ok());
    CheckSameCounts(otlp::DecodeOtlpTraceJson(otlp::EncodeOtlpTraceJson(*request)), *decoded,
                    /*may_hit_nesting_limit=*/true);
    CheckSameCounts(otlp::DecodeOtlpTraceProtobuf(otlp::EncodeOtlpTraceProtobuf(*request)),
                    *decoded, /*may_hit_nesting_limit=*/false);
  }

  std::vector<Span> spans;
  otlp::OtlpReply reply = otlp::HandleTraceExport("application/json", "", text, {}, &spans);
  Check(reply.status == (decoded.ok() ? 200 : 400));
  Check(reply.content_type == "application/json");
  Check(nlohmann::json::accept(reply.body));
  Check(spans.size() == (decoded.ok() ? decoded->spans.size() : 0));
  return 0;
}
