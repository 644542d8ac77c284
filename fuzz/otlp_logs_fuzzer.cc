// libFuzzer target for the OTLP logs decoders and the OTLP/HTTP logs handler
// (src/collector/otlp): the same bytes as an ExportLogsServiceRequest in OTLP/JSON, in
// protobuf, and as a gzip protobuf body.
//
// Beyond "no crash, no hang, no sanitizer report", the target checks invariants: a failure is
// InvalidArgument with a message; every decoded record has a service, ids that are empty or
// 32/16 lower-case hex, non-negative times, valid UTF-8 text and an attributes object that
// serialises; rejected records come with a reason. Whatever decodes survives re-encoding: written
// back as protobuf and as OTLP/JSON it decodes to the same records (JSON may only fail on its
// nesting limit). HandleLogsExport answers 200 exactly when the decoder accepts the body, with a
// reply in the request's encoding; as a gzip body the input gets 200, 400 or 413.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "collector/otlp/otlp_http.h"
#include "collector/otlp/otlp_logs_json.h"
#include "collector/otlp/otlp_logs_protobuf.h"
#include "collector/otlp/protobuf_reader.h"
#include "core/utf8.h"
#include "otlp_span_checks.h"

namespace {

namespace otlp = ck::collector::otlp;
using ck::fuzz::Check;
using ck::fuzz::IsLowerHex;

void CheckRecord(const otlp::OtlpLogRecord& record) {
  Check(!record.service_name.empty());
  Check(record.trace_id.empty() || IsLowerHex(record.trace_id, 32));
  Check(record.span_id.empty() || IsLowerHex(record.span_id, 16));
  Check(record.time_unix_nano >= 0 && record.observed_time_unix_nano >= 0);
  for (const std::string* text :
       {&record.service_name, &record.scope_name, &record.severity_text, &record.body}) {
    Check(ck::IsValidUtf8(*text));
  }
  Check(record.attributes.is_object());
  try {
    (void)record.attributes.dump();
  } catch (const nlohmann::json::exception&) {
    std::abort();
  }
}

void CheckResult(const otlp::OtlpLogsRequest& result) {
  for (const otlp::OtlpLogRecord& record : result.records) CheckRecord(record);
  Check(result.rejected_log_records >= 0);
  Check((result.rejected_log_records > 0) == !result.error_message.empty());
}

// NaN attributes are unequal to themselves; their serialisations are not.
std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void CheckSameRecords(const ck::Result<otlp::OtlpLogsRequest>& again,
                      const otlp::OtlpLogsRequest& original, bool may_hit_nesting_limit) {
  if (!again.ok()) {
    Check(may_hit_nesting_limit &&
          again.status().message().find("nested deeper") != std::string::npos);
    return;
  }
  Check(again->rejected_log_records == 0);
  Check(again->records.size() == original.records.size());
  for (size_t i = 0; i < original.records.size(); ++i) {
    const otlp::OtlpLogRecord& a = original.records[i];
    const otlp::OtlpLogRecord& b = again->records[i];
    Check(a.service_name == b.service_name && a.scope_name == b.scope_name);
    Check(a.time_unix_nano == b.time_unix_nano);
    Check(a.observed_time_unix_nano == b.observed_time_unix_nano);
    Check(a.severity_number == b.severity_number && a.severity_text == b.severity_text);
    Check(a.body == b.body);
    Check(Dump(a.attributes) == Dump(b.attributes));
    Check(a.trace_id == b.trace_id && a.span_id == b.span_id);
  }
}

// The reply body must be a well-formed protobuf message.
void CheckProtobufBody(std::string_view body) {
  otlp::ProtobufReader reader(body);
  while (!reader.AtEnd()) Check(reader.Next().ok());
}

void CheckDecoded(const ck::Result<otlp::OtlpLogsRequest>& decoded) {
  if (!decoded.ok()) {
    Check(decoded.status().code() == ck::StatusCode::kInvalidArgument);
    Check(!decoded.status().message().empty());
    return;
  }
  CheckResult(*decoded);
  CheckSameRecords(otlp::DecodeOtlpLogsProtobuf(otlp::EncodeOtlpLogsProtobuf(*decoded)), *decoded,
                   /*may_hit_nesting_limit=*/false);
  CheckSameRecords(otlp::DecodeOtlpLogsJson(otlp::EncodeOtlpLogsJson(*decoded)), *decoded,
                   /*may_hit_nesting_limit=*/true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  auto from_json = otlp::DecodeOtlpLogsJson(bytes);
  CheckDecoded(from_json);
  std::vector<otlp::OtlpLogRecord> json_records;
  otlp::OtlpReply json_reply =
      otlp::HandleLogsExport("application/json", "", bytes, {}, &json_records);
  Check(json_reply.status == (from_json.ok() ? 200 : 400));
  Check(json_reply.content_type == "application/json");
  Check(nlohmann::json::accept(json_reply.body));
  Check(json_records.size() == (from_json.ok() ? from_json->records.size() : 0));

  auto from_protobuf = otlp::DecodeOtlpLogsProtobuf(bytes);
  CheckDecoded(from_protobuf);
  std::vector<otlp::OtlpLogRecord> protobuf_records;
  otlp::OtlpReply protobuf_reply =
      otlp::HandleLogsExport("application/x-protobuf", "", bytes, {}, &protobuf_records);
  Check(protobuf_reply.status == (from_protobuf.ok() ? 200 : 400));
  Check(protobuf_reply.content_type == "application/x-protobuf");
  CheckProtobufBody(protobuf_reply.body);
  Check(protobuf_records.size() == (from_protobuf.ok() ? from_protobuf->records.size() : 0));
  Check(protobuf_reply.rejected_log_records ==
        (from_protobuf.ok() ? from_protobuf->rejected_log_records : 0));

  otlp::OtlpLimits limits;
  limits.max_decompressed_bytes = 1 << 20;
  otlp::OtlpReply gzip_reply =
      otlp::HandleLogsExport("application/x-protobuf", "gzip", bytes, limits, nullptr);
  Check(gzip_reply.status == 200 || gzip_reply.status == 400 || gzip_reply.status == 413);
  CheckProtobufBody(gzip_reply.body);
  return 0;
}
