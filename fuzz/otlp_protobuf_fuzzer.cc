// libFuzzer target for the OTLP protobuf trace decoder and the OTLP/HTTP handler
// (src/collector/otlp): ExportTraceServiceRequest bytes through ProtobufReader, the span mapping
// and the reply builder, and the same bytes as a gzip body.
//
// Beyond "no crash, no hang, no sanitizer report", the target checks invariants: a failure is
// InvalidArgument with a message; every decoded span has an X-Ray trace id "1-<8 hex>-<24 hex>",
// a 16-hex id, a parent and segment id that are empty or 16 hex, and metadata that serialises
// (strings with invalid UTF-8 were repaired); rejected spans come with a reason. Whatever parses
// survives re-encoding to protobuf (and to OTLP/JSON, up to JSON's nesting limit) with the same
// numbers of accepted and rejected spans. The HTTP handler answers 200 or 400 with a reply that
// is itself valid protobuf; as a gzip body the input gets 200, 400 or 413, never more memory
// than the limit. Grouped by trace for storage, every group's protobuf decodes to the group's
// spans again (same ids, segment ids and traced flags).
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
#include "collector/otlp/protobuf_reader.h"
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

// The reply body must be a well-formed protobuf message.
void CheckProtobufBody(std::string_view body) {
  otlp::ProtobufReader reader(body);
  while (!reader.AtEnd()) Check(reader.Next().ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto decoded = otlp::DecodeOtlpTraceProtobuf(bytes);
  if (!decoded.ok()) {
    Check(decoded.status().code() == ck::StatusCode::kInvalidArgument);
    Check(!decoded.status().message().empty());
  } else {
    CheckResult(*decoded);
    auto request = otlp::ParseOtlpTraceProtobuf(bytes);
    Check(request.ok());
    CheckSameCounts(otlp::DecodeOtlpTraceProtobuf(otlp::EncodeOtlpTraceProtobuf(*request)),
                    *decoded, /*may_hit_nesting_limit=*/false);
    CheckSameCounts(otlp::DecodeOtlpTraceJson(otlp::EncodeOtlpTraceJson(*request)), *decoded,
                    /*may_hit_nesting_limit=*/true);
  }

  std::vector<Span> spans;
  otlp::OtlpReply reply = otlp::HandleTraceExport("application/x-protobuf", "", bytes, {}, &spans);
  Check(reply.status == (decoded.ok() ? 200 : 400));
  Check(reply.content_type == "application/x-protobuf");
  CheckProtobufBody(reply.body);
  Check(spans.size() == (decoded.ok() ? decoded->spans.size() : 0));

  // What ingest stores: one group per trace, whose protobuf decodes to the group's spans again.
  std::vector<otlp::OtlpTraceGroup> groups;
  otlp::OtlpReply grouped =
      otlp::HandleTraceExportByTrace("application/x-protobuf", "", bytes, {}, &groups);
  Check(grouped.status == reply.status && grouped.body == reply.body);
  size_t grouped_spans = 0;
  for (const otlp::OtlpTraceGroup& group : groups) {
    Check(!group.spans.empty());
    grouped_spans += group.spans.size();
    auto again = otlp::DecodeOtlpTraceProtobuf(group.protobuf);
    Check(again.ok() && again->rejected_spans == 0);
    Check(again->spans.size() == group.spans.size());
    for (size_t i = 0; i < group.spans.size(); ++i) {
      Check(again->spans[i].trace_id == group.spans[0].trace_id);
      Check(again->spans[i].id == group.spans[i].id);
      Check(again->spans[i].segment_id == group.spans[i].segment_id);
      Check(again->spans[i].traced == group.spans[i].traced);
    }
  }
  Check(grouped_spans == spans.size());

  otlp::OtlpLimits limits;
  limits.max_decompressed_bytes = 1 << 20;
  std::vector<Span> gzip_spans;
  otlp::OtlpReply gzip_reply =
      otlp::HandleTraceExport("application/x-protobuf", "gzip", bytes, limits, &gzip_spans);
  Check(gzip_reply.status == 200 || gzip_reply.status == 400 || gzip_reply.status == 413);
  CheckProtobufBody(gzip_reply.body);
  return 0;
}
