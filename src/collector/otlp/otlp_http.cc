#include "collector/otlp/otlp_http.h"

#include <iterator>
#include <nlohmann/json.hpp>
#include <utility>

#include <fmt/format.h>

#include "collector/otlp/gzip.h"
#include "collector/otlp/otlp_logs_json.h"
#include "collector/otlp/otlp_logs_protobuf.h"
#include "collector/otlp/otlp_trace_decoder.h"
#include "collector/otlp/otlp_trace_json.h"
#include "collector/otlp/otlp_trace_protobuf.h"
#include "collector/otlp/protobuf_writer.h"
#include "core/utf8.h"

namespace ck::collector::otlp {
namespace {

// google.rpc.Code values.
constexpr int kGrpcInvalidArgument = 3;
constexpr int kGrpcNotFound = 5;
constexpr int kGrpcResourceExhausted = 8;
constexpr int kGrpcUnimplemented = 12;
constexpr int kGrpcInternal = 13;
constexpr int kGrpcUnavailable = 14;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

int GrpcCodeFor(int http_status) {
  switch (http_status) {
    case 400:
    case 413:
      return kGrpcInvalidArgument;
    case 404:
      return kGrpcNotFound;
    case 405:
    case 415:
      return kGrpcUnimplemented;
    case 429:
      return kGrpcResourceExhausted;
    case 502:
    case 503:
    case 504:
      return kGrpcUnavailable;
    default:
      return http_status >= 500 ? kGrpcInternal : kGrpcInvalidArgument;
  }
}

std::string_view ContentTypeFor(OtlpEncoding encoding) {
  return encoding == OtlpEncoding::kProtobuf ? kOtlpProtobufContentType : kOtlpJsonContentType;
}

std::string DumpJson(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

OtlpReply ErrorReply(OtlpEncoding encoding, int http_status, std::string_view raw_message) {
  // Messages may quote header values; a Status message is a UTF-8 string.
  std::string message = ToValidUtf8(raw_message);
  OtlpReply reply;
  reply.status = http_status;
  reply.content_type = std::string(ContentTypeFor(encoding));
  int code = GrpcCodeFor(http_status);
  if (encoding == OtlpEncoding::kProtobuf) {
    ProtobufWriter status;  // google.rpc.Status {int32 code = 1; string message = 2;}
    status.WriteVarint(1, static_cast<uint64_t>(code));
    status.WriteString(2, message);
    reply.body = std::move(status).Take();
  } else {
    reply.body = DumpJson({{"code", code}, {"message", message}});
  }
  return reply;
}

enum class Signal { kTraces, kLogs };

// 200 with an ExportTraceServiceResponse or ExportLogsServiceResponse; both have one layout:
//   Export*ServiceResponse {Export*PartialSuccess partial_success = 1;}
//   Export*PartialSuccess {int64 rejected_<spans|log_records> = 1; string error_message = 2;}
OtlpReply SuccessReply(OtlpEncoding encoding, Signal signal, int64_t rejected,
                       std::string_view error_message) {
  OtlpReply reply;
  reply.status = 200;
  reply.content_type = std::string(ContentTypeFor(encoding));
  (signal == Signal::kTraces ? reply.rejected_spans : reply.rejected_log_records) = rejected;
  bool partial = rejected > 0 || !error_message.empty();
  if (encoding == OtlpEncoding::kProtobuf) {
    if (partial) {
      ProtobufWriter partial_success;
      if (rejected != 0) partial_success.WriteInt64(1, rejected);
      if (!error_message.empty()) partial_success.WriteString(2, error_message);
      ProtobufWriter response;
      response.WriteMessage(1, partial_success);
      reply.body = std::move(response).Take();
    }
  } else {
    nlohmann::json response = nlohmann::json::object();
    if (partial) {
      // proto3 JSON writes int64 as a decimal string.
      response["partialSuccess"] = {
          {signal == Signal::kTraces ? "rejectedSpans" : "rejectedLogRecords",
           std::to_string(rejected)},
          {"errorMessage", error_message}};
    }
    reply.body = DumpJson(response);
  }
  return reply;
}

// An export request's body once Content-Type and Content-Encoding are checked and undone.
struct ExportPayload {
  OtlpEncoding encoding = OtlpEncoding::kJson;
  std::string_view body;
  std::optional<std::string> inflated;  // the body un-gzipped, when it came gzipped

  std::string_view bytes() const { return inflated ? std::string_view(*inflated) : body; }
};

// Fills *payload, or returns the reply that refuses the request (415, 413 or 400).
std::optional<OtlpReply> ReadExportPayload(std::string_view content_type,
                                           std::string_view content_encoding, std::string_view body,
                                           const OtlpLimits& limits, ExportPayload* payload) {
  std::optional<OtlpEncoding> encoding = OtlpEncodingFor(content_type);
  if (!encoding) {
    return ErrorReply(OtlpEncoding::kJson, 415,
                      fmt::format("unsupported Content-Type \"{}\"; use {} or {}",
                                  Trim(content_type).substr(0, 100), kOtlpProtobufContentType,
                                  kOtlpJsonContentType));
  }
  payload->encoding = *encoding;
  payload->body = body;
  if (body.size() > limits.max_body_bytes) {
    return ErrorReply(*encoding, 413,
                      fmt::format("request body of {} bytes exceeds the limit of {} bytes",
                                  body.size(), limits.max_body_bytes));
  }
  std::string_view coding = Trim(content_encoding);
  if (EqualsIgnoreCase(coding, "gzip") || EqualsIgnoreCase(coding, "x-gzip")) {
    Result<std::string> plain = Gunzip(body, limits.max_decompressed_bytes);
    if (!plain.ok()) {
      bool too_large = plain.status().code() == StatusCode::kResourceExhausted;
      return ErrorReply(*encoding, too_large ? 413 : 400, plain.status().message());
    }
    payload->inflated = std::move(plain).value();
  } else if (!coding.empty() && !EqualsIgnoreCase(coding, "identity")) {
    return ErrorReply(*encoding, 415,
                      fmt::format("unsupported Content-Encoding \"{}\"; use gzip or identity",
                                  coding.substr(0, 100)));
  } else if (body.size() > limits.max_decompressed_bytes) {
    return ErrorReply(*encoding, 413,
                      fmt::format("request body of {} bytes exceeds the limit of {} bytes",
                                  body.size(), limits.max_decompressed_bytes));
  }
  return std::nullopt;
}

}  // namespace

std::optional<OtlpEncoding> OtlpEncodingFor(std::string_view content_type) {
  std::string_view media_type = Trim(content_type.substr(0, content_type.find(';')));
  if (EqualsIgnoreCase(media_type, kOtlpProtobufContentType)) return OtlpEncoding::kProtobuf;
  if (EqualsIgnoreCase(media_type, kOtlpJsonContentType)) return OtlpEncoding::kJson;
  return std::nullopt;
}

OtlpReply OtlpErrorReply(std::string_view content_type, int http_status, std::string_view message) {
  return ErrorReply(OtlpEncodingFor(content_type).value_or(OtlpEncoding::kJson), http_status,
                    message);
}

OtlpReply OtlpOverloaded(std::string_view content_type, int retry_after_seconds, int http_status) {
  OtlpReply reply = OtlpErrorReply(content_type, http_status,
                                   http_status == 429 ? "too many requests; retry later"
                                                      : "the receiver is overloaded; retry later");
  reply.retry_after_seconds = retry_after_seconds;
  return reply;
}

OtlpReply HandleTraceExport(std::string_view content_type, std::string_view content_encoding,
                            std::string_view body, const OtlpLimits& limits,
                            std::vector<Span>* spans_out) {
  ExportPayload payload;
  if (auto refused = ReadExportPayload(content_type, content_encoding, body, limits, &payload)) {
    return *std::move(refused);
  }
  Result<OtlpDecodeResult> decoded = payload.encoding == OtlpEncoding::kProtobuf
                                         ? DecodeOtlpTraceProtobuf(payload.bytes())
                                         : DecodeOtlpTraceJson(payload.bytes());
  if (!decoded.ok()) return ErrorReply(payload.encoding, 400, decoded.status().message());
  if (spans_out != nullptr) {
    spans_out->insert(spans_out->end(), std::make_move_iterator(decoded->spans.begin()),
                      std::make_move_iterator(decoded->spans.end()));
  }
  return SuccessReply(payload.encoding, Signal::kTraces, decoded->rejected_spans,
                      decoded->error_message);
}

OtlpReply HandleTraceExportByTrace(std::string_view content_type, std::string_view content_encoding,
                                   std::string_view body, const OtlpLimits& limits,
                                   std::vector<OtlpTraceGroup>* groups_out) {
  ExportPayload payload;
  if (auto refused = ReadExportPayload(content_type, content_encoding, body, limits, &payload)) {
    return *std::move(refused);
  }
  Result<OtlpTraceRequest> request = payload.encoding == OtlpEncoding::kProtobuf
                                         ? ParseOtlpTraceProtobuf(payload.bytes())
                                         : ParseOtlpTraceJson(payload.bytes());
  if (!request.ok()) return ErrorReply(payload.encoding, 400, request.status().message());
  OtlpDecodeResult decoded = MapOtlpTraceRequest(*request, SpanDetail::kIndex);
  OtlpReply reply = SuccessReply(payload.encoding, Signal::kTraces, decoded.rejected_spans,
                                 decoded.error_message);
  if (groups_out != nullptr) {
    for (OtlpTraceGroup& group : GroupOtlpSpansByTrace(*request, std::move(decoded))) {
      groups_out->push_back(std::move(group));
    }
  }
  return reply;
}

OtlpReply HandleLogsExport(std::string_view content_type, std::string_view content_encoding,
                           std::string_view body, const OtlpLimits& limits,
                           std::vector<OtlpLogRecord>* records_out) {
  ExportPayload payload;
  if (auto refused = ReadExportPayload(content_type, content_encoding, body, limits, &payload)) {
    return *std::move(refused);
  }
  Result<OtlpLogsRequest> decoded = payload.encoding == OtlpEncoding::kProtobuf
                                        ? DecodeOtlpLogsProtobuf(payload.bytes())
                                        : DecodeOtlpLogsJson(payload.bytes());
  if (!decoded.ok()) return ErrorReply(payload.encoding, 400, decoded.status().message());
  if (records_out != nullptr) {
    records_out->insert(records_out->end(), std::make_move_iterator(decoded->records.begin()),
                        std::make_move_iterator(decoded->records.end()));
  }
  return SuccessReply(payload.encoding, Signal::kLogs, decoded->rejected_log_records,
                      decoded->error_message);
}

}  // namespace ck::collector::otlp
