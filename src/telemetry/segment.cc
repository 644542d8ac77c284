#include "telemetry/segment.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstring>

#include "telemetry/trace_context.h"

namespace ck::telemetry {
namespace {

constexpr size_t kMaxAnnotationKeyBytes = 500;
constexpr size_t kMaxAnnotationValueChars = 1000;
constexpr size_t kMaxNameBytes = 200;

// Cuts UTF-8 text to at most `max_chars` code points.
std::string TruncateUtf8(std::string text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xc0) == 0x80) continue;
    if (++chars > max_chars) {
      text.resize(i);
      break;
    }
  }
  return text;
}

nlohmann::json AnnotationToJson(const AnnotationValue& value) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

nlohmann::json ExceptionToJson(const ExceptionInfo& exception) {
  nlohmann::json out = {{"id", exception.id}, {"message", exception.message}};
  if (!exception.type.empty()) out["type"] = exception.type;
  if (exception.remote) out["remote"] = true;
  if (!exception.stack.empty()) {
    nlohmann::json stack = nlohmann::json::array();
    for (const StackFrame& frame : exception.stack) {
      stack.push_back({{"path", frame.path}, {"line", frame.line}, {"label", frame.label}});
    }
    out["stack"] = std::move(stack);
  }
  return out;
}

nlohmann::json HttpToJson(const Segment& segment) {
  nlohmann::json http = nlohmann::json::object();
  if (segment.http_request) {
    const HttpRequestInfo& request = *segment.http_request;
    nlohmann::json out = nlohmann::json::object();
    if (!request.method.empty()) out["method"] = request.method;
    if (!request.url.empty()) out["url"] = request.url;
    if (!request.user_agent.empty()) out["user_agent"] = request.user_agent;
    if (!request.client_ip.empty()) out["client_ip"] = request.client_ip;
    if (request.x_forwarded_for) out["x_forwarded_for"] = true;
    if (request.traced) out["traced"] = true;
    http["request"] = std::move(out);
  }
  if (segment.http_response) {
    nlohmann::json out = nlohmann::json::object();
    if (segment.http_response->status != 0) out["status"] = segment.http_response->status;
    if (segment.http_response->content_length) {
      out["content_length"] = *segment.http_response->content_length;
    }
    http["response"] = std::move(out);
  }
  return http;
}

nlohmann::json AwsToJson(const AwsCallInfo& aws) {
  nlohmann::json out = nlohmann::json::object();
  if (!aws.operation.empty()) out["operation"] = aws.operation;
  if (!aws.table_name.empty()) out["table_name"] = aws.table_name;
  if (!aws.region.empty()) out["region"] = aws.region;
  if (!aws.request_id.empty()) out["request_id"] = aws.request_id;
  if (aws.retries) out["retries"] = *aws.retries;
  return out;
}

bool IsAllowedNameByte(unsigned char c) {
  if (c >= 0x80) return true;  // part of a UTF-8 letter; X-Ray accepts Unicode letters
  if (std::isalnum(c) || c == ' ' || c == '\t') return true;
  return std::strchr("_.:/%&#=+\\-@", c) != nullptr && c != 0;
}

}  // namespace

void Segment::SetHttpResponse(int status, std::optional<uint64_t> content_length) {
  http_response = HttpResponseInfo{status, content_length};
  SetFlagsFromStatus(status);
}

void Segment::SetFlagsFromStatus(int status) {
  if (status >= 400 && status < 500) {
    error = true;
    if (status == 429) throttle = true;
  } else if (status >= 500 && status < 600) {
    fault = true;
  }
}

void Segment::AddException(std::string type, std::string message, bool remote,
                           RandomSource& random) {
  ExceptionInfo exception;
  exception.id = NewSpanId(random);
  exception.type = std::move(type);
  exception.message = std::move(message);
  exception.remote = remote;
  exceptions.push_back(std::move(exception));
  fault = true;
}

Status Segment::AddAnnotation(std::string_view key, AnnotationValue value) {
  if (!IsValidAnnotationKey(key)) {
    return InvalidArgument("annotation key must be 1-500 characters of [A-Za-z0-9_]: " +
                           std::string(key.substr(0, 64)));
  }
  if (auto* text = std::get_if<std::string>(&value)) {
    *text = TruncateUtf8(std::move(*text), kMaxAnnotationValueChars);
  }
  if (auto* number = std::get_if<double>(&value); number && !std::isfinite(*number)) {
    return InvalidArgument("annotation " + std::string(key) + " is not a finite number");
  }
  annotations[std::string(key)] = std::move(value);
  return Status::Ok();
}

Status Segment::AddMetadata(std::string_view key, nlohmann::json value,
                            std::string_view metadata_namespace) {
  if (metadata_namespace.empty() || metadata_namespace.substr(0, 4) == "AWS.") {
    return InvalidArgument("metadata namespace is empty or reserved: " +
                           std::string(metadata_namespace));
  }
  metadata[std::string(metadata_namespace)][std::string(key)] = std::move(value);
  return Status::Ok();
}

nlohmann::json Segment::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  out["name"] = SanitizeSegmentName(name);
  out["id"] = id;
  out["start_time"] = start_time;
  if (in_progress) {
    out["in_progress"] = true;
  } else {
    out["end_time"] = end_time;
  }
  if (kind == SegmentKind::kSegment) {
    out["trace_id"] = trace_id;
    if (!parent_id.empty()) out["parent_id"] = parent_id;
    if (!origin.empty()) out["origin"] = origin;
  } else if (!namespace_name.empty()) {
    out["namespace"] = namespace_name;
  }
  nlohmann::json http = HttpToJson(*this);
  if (!http.empty()) out["http"] = std::move(http);
  if (aws) out["aws"] = AwsToJson(*aws);
  if (error) out["error"] = true;
  if (throttle) out["throttle"] = true;
  if (fault) out["fault"] = true;
  if (!exceptions.empty()) {
    nlohmann::json cause = nlohmann::json::object();
    if (!working_directory.empty()) cause["working_directory"] = working_directory;
    nlohmann::json list = nlohmann::json::array();
    for (const ExceptionInfo& exception : exceptions) list.push_back(ExceptionToJson(exception));
    cause["exceptions"] = std::move(list);
    out["cause"] = std::move(cause);
  }
  if (!annotations.empty()) {
    nlohmann::json list = nlohmann::json::object();
    for (const auto& [key, value] : annotations) list[key] = AnnotationToJson(value);
    out["annotations"] = std::move(list);
  }
  if (metadata.is_object() && !metadata.empty()) out["metadata"] = metadata;
  if (!subsegments.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const Segment& child : subsegments) list.push_back(child.ToJson());
    out["subsegments"] = std::move(list);
  }
  return out;
}

nlohmann::json Segment::ToIndependentJson(std::string_view trace_id_of_segment,
                                          std::string_view parent) const {
  nlohmann::json out = ToJson();
  out["type"] = "subsegment";
  out["trace_id"] = trace_id_of_segment;
  out["parent_id"] = parent;
  return out;
}

double ToEpochSeconds(WallTime time) {
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
  return static_cast<double>(micros) / 1e6;
}

std::string SanitizeSegmentName(std::string_view name) {
  std::string out;
  out.reserve(std::min(name.size(), kMaxNameBytes));
  for (char c : name) {
    if (IsAllowedNameByte(static_cast<unsigned char>(c))) out.push_back(c);
  }
  if (out.size() > kMaxNameBytes) {
    size_t cut = kMaxNameBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut;
    out.resize(cut);
  }
  if (out.empty()) out = "unknown";
  return out;
}

bool IsValidAnnotationKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxAnnotationKeyBytes) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace ck::telemetry
