#include "collector/model/xray_document.h"

#include <fmt/format.h>

#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/hex.h"

namespace ck::collector {
namespace {

using nlohmann::json;

bool IsLowerHexId(std::string_view id) { return IsValidSpanId(id); }

std::string StringField(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// Ids are compared as text, so "ABCD..." and "abcd..." must not become two spans.
std::string IdField(const json& object, const char* key) {
  return AsciiLower(StringField(object, key));
}

bool BoolField(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

void ReadHttp(const json& document, Span& span) {
  auto http = document.find("http");
  if (http == document.end() || !http->is_object()) return;
  if (auto request = http->find("request"); request != http->end() && request->is_object()) {
    span.http_method = StringField(*request, "method");
    span.http_url = StringField(*request, "url");
    span.user_agent = StringField(*request, "user_agent");
    span.client_ip = StringField(*request, "client_ip");
    span.traced = BoolField(*request, "traced");
  }
  if (auto response = http->find("response"); response != http->end() && response->is_object()) {
    auto status = response->find("status");
    if (status != response->end() && status->is_number_integer()) {
      span.http_status = status->get<int>();
    }
  }
}

void ReadCause(const json& document, Span& span) {
  auto cause = document.find("cause");
  if (cause == document.end()) return;
  if (cause->is_string()) {
    // A reference to an exception recorded on a child; nothing more to show.
    return;
  }
  if (!cause->is_object()) return;
  auto exceptions = cause->find("exceptions");
  if (exceptions == cause->end() || !exceptions->is_array()) return;
  for (const json& exception : *exceptions) {
    if (!exception.is_object()) continue;
    span.causes.push_back({StringField(exception, "type"), StringField(exception, "message"),
                           BoolField(exception, "remote")});
  }
}

void ReadAnnotations(const json& document, Span& span) {
  auto annotations = document.find("annotations");
  if (annotations == document.end() || !annotations->is_object()) return;
  for (const auto& [key, value] : annotations->items()) {
    if (value.is_string()) {
      span.annotations[key] = value.get<std::string>();
    } else if (value.is_boolean()) {
      span.annotations[key] = value.get<bool>();
    } else if (value.is_number_integer()) {
      span.annotations[key] = value.get<int64_t>();
    } else if (value.is_number()) {
      span.annotations[key] = value.get<double>();
    }
  }
}

void ReadAws(const json& document, Span& span) {
  auto aws = document.find("aws");
  if (aws == document.end() || !aws->is_object()) return;
  span.aws_operation = StringField(*aws, "operation");
  span.aws_table_name = StringField(*aws, "table_name");
  span.aws_region = StringField(*aws, "region");
  span.aws_request_id = StringField(*aws, "request_id");
}

constexpr const char* kOwnFields = "_ck";

Status Invalid(std::string_view what, std::string_view id) {
  if (id.empty()) return InvalidArgument(std::string(what));
  return InvalidArgument(fmt::format("{} (id {})", what, id));
}

// Reads the fields every (sub)segment has. `trace_id` is inherited for nested subsegments.
Status ReadCommon(const json& document, Span& span) {
  if (!document.is_object()) return InvalidArgument("a segment document must be a JSON object");
  span.id = IdField(document, "id");
  if (!IsLowerHexId(span.id)) {
    return InvalidArgument("id must be 16 lower-case hexadecimal digits");
  }
  span.name = StringField(document, "name");
  if (span.name.empty()) return Invalid("name is required", span.id);
  auto start = document.find("start_time");
  if (start == document.end() || !start->is_number()) {
    return Invalid("start_time must be a number of epoch seconds", span.id);
  }
  span.start_time = start->get<double>();
  span.in_progress = BoolField(document, "in_progress");
  auto end = document.find("end_time");
  if (end != document.end() && end->is_number()) {
    span.end_time = end->get<double>();
  } else if (!span.in_progress) {
    return Invalid("end_time is required unless in_progress is true", span.id);
  }
  if (span.in_progress) span.end_time = 0;
  span.namespace_name = StringField(document, "namespace");
  span.origin = StringField(document, "origin");
  span.error = BoolField(document, "error");
  span.throttle = BoolField(document, "throttle");
  span.fault = BoolField(document, "fault");
  ReadHttp(document, span);
  ReadCause(document, span);
  ReadAnnotations(document, span);
  ReadAws(document, span);
  if (auto metadata = document.find("metadata");
      metadata != document.end() && metadata->is_object()) {
    span.metadata = *metadata;
  }
  return Status::Ok();
}

// Moves the nested subsegments out of `document` (leaving the document as sent without them).
json TakeSubsegments(json& document) {
  json children;
  if (!document.is_object()) return children;
  auto it = document.find("subsegments");
  if (it == document.end()) return children;
  children = std::move(*it);
  document.erase(it);
  return children;
}

// What nested subsegments inherit from the document they arrived in.
struct Enclosing {
  std::string trace_id;
  std::string segment_id;
  std::string service;
};

Status Flatten(json children, const Enclosing& segment, const std::string& parent_id, int depth,
               std::vector<Span>& out) {
  if (children.is_null()) return Status::Ok();
  if (depth > kMaxSubsegmentDepth) {
    return InvalidArgument(
        fmt::format("subsegments are nested deeper than {} levels", kMaxSubsegmentDepth));
  }
  if (!children.is_array()) return InvalidArgument("subsegments must be an array");
  for (json& child : children) {
    json grandchildren = TakeSubsegments(child);
    Span span;
    span.kind = SpanKind::kSubsegment;
    CK_RETURN_IF_ERROR(ReadCommon(child, span));
    span.trace_id = segment.trace_id;
    span.parent_id = parent_id;
    span.segment_id = segment.segment_id;
    span.service = segment.service;
    span.original = std::move(child);
    out.push_back(std::move(span));
    const std::string id = out.back().id;
    CK_RETURN_IF_ERROR(Flatten(std::move(grandchildren), segment, id, depth + 1, out));
  }
  return Status::Ok();
}

json HttpJson(const Span& span) {
  json http = json::object();
  json request = json::object();
  if (!span.http_method.empty()) request["method"] = span.http_method;
  if (!span.http_url.empty()) request["url"] = span.http_url;
  if (!span.user_agent.empty()) request["user_agent"] = span.user_agent;
  if (!span.client_ip.empty()) request["client_ip"] = span.client_ip;
  if (span.traced) request["traced"] = true;
  if (!request.empty()) http["request"] = std::move(request);
  if (span.http_status != 0) http["response"] = {{"status", span.http_status}};
  return http;
}

// The X-Ray document fields of one span, without subsegments: as sent when there is an original.
json DocumentFields(const Span& span) {
  if (span.original.is_object()) return span.original;
  json document = {{"id", span.id}, {"name", span.name}, {"start_time", span.start_time}};
  if (span.in_progress) {
    document["in_progress"] = true;
  } else {
    document["end_time"] = span.end_time;
  }
  if (!span.namespace_name.empty()) document["namespace"] = span.namespace_name;
  if (!span.origin.empty()) document["origin"] = span.origin;
  if (span.error) document["error"] = true;
  if (span.throttle) document["throttle"] = true;
  if (span.fault) document["fault"] = true;
  json http = HttpJson(span);
  if (!http.empty()) document["http"] = std::move(http);
  if (!span.causes.empty()) {
    json exceptions = json::array();
    int index = 0;
    for (const SpanCause& cause : span.causes) {
      // Ids derived from the span keep documents stable across reads.
      json exception = {{"id", fmt::format("{}{:02x}", span.id.substr(0, 14), index++ & 0xff)},
                        {"type", cause.type},
                        {"message", cause.message}};
      if (cause.remote) exception["remote"] = true;
      exceptions.push_back(std::move(exception));
    }
    document["cause"] = {{"exceptions", std::move(exceptions)}};
  }
  if (!span.annotations.empty()) {
    json annotations = json::object();
    for (const auto& [key, value] : span.annotations) annotations[key] = AnnotationToJson(value);
    document["annotations"] = std::move(annotations);
  }
  if (!span.aws_operation.empty() || !span.aws_table_name.empty()) {
    json aws = json::object();
    if (!span.aws_operation.empty()) aws["operation"] = span.aws_operation;
    if (!span.aws_table_name.empty()) aws["table_name"] = span.aws_table_name;
    if (!span.aws_region.empty()) aws["region"] = span.aws_region;
    if (!span.aws_request_id.empty()) aws["request_id"] = span.aws_request_id;
    document["aws"] = std::move(aws);
  }
  if (span.metadata.is_object() && !span.metadata.empty()) document["metadata"] = span.metadata;
  return document;
}

}  // namespace

Result<std::vector<Span>> DecodeDatagram(std::string_view datagram, std::string_view* document) {
  if (datagram.size() > kMaxDatagramBytes) {
    return InvalidArgument("datagram larger than 64 KiB");
  }
  const size_t newline = datagram.find('\n');
  if (newline == std::string_view::npos) {
    return InvalidArgument("missing the daemon header line {\"format\":\"json\",\"version\":1}");
  }
  std::string_view header = datagram.substr(0, newline);
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);
  if (header != kDaemonHeader) {
    // Accept the header with insignificant whitespace, as the SDKs' encoders may differ.
    json parsed = json::parse(header, nullptr, /*allow_exceptions=*/false);
    // StringField, not value(): value() throws when "format" is not a string.
    auto version = parsed.is_object() ? parsed.find("version") : parsed.end();
    if (!parsed.is_object() || StringField(parsed, "format") != "json" || version == parsed.end() ||
        *version != 1) {
      return InvalidArgument("bad daemon header, expected {\"format\":\"json\",\"version\":1}");
    }
  }
  if (document != nullptr) *document = datagram.substr(newline + 1);
  return DecodeSegmentDocument(datagram.substr(newline + 1));
}

Result<std::vector<Span>> DecodeSegmentDocument(std::string_view document) {
  json parsed = json::parse(document, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgument("the segment document is not valid JSON");
  return DecodeSegmentJson(std::move(parsed));
}

Result<std::vector<Span>> DecodeSegmentJson(json document) {
  std::vector<Span> spans;
  json children = TakeSubsegments(document);
  Span top;
  CK_RETURN_IF_ERROR(ReadCommon(document, top));
  top.trace_id = IdField(document, "trace_id");
  if (!IsValidXRayTraceId(top.trace_id)) {
    return Invalid("trace_id must look like 1-5759e988-bd862e3fe1be46a994272793", top.id);
  }
  top.parent_id = IdField(document, "parent_id");
  if (!top.parent_id.empty() && !IsLowerHexId(top.parent_id)) {
    return Invalid("parent_id must be 16 lower-case hexadecimal digits", top.id);
  }
  if (StringField(document, "type") == "subsegment") {
    if (top.parent_id.empty()) return Invalid("an independent subsegment needs parent_id", top.id);
    top.kind = SpanKind::kSubsegment;
    // The enclosing segment is resolved by the store from the parent span when it knows it.
  } else {
    top.kind = SpanKind::kSegment;
    top.service = top.name;
    top.segment_id = top.id;
  }
  top.original = std::move(document);
  const Enclosing enclosing{top.trace_id, top.segment_id, top.service};
  const std::string top_id = top.id;
  spans.push_back(std::move(top));
  CK_RETURN_IF_ERROR(Flatten(std::move(children), enclosing, top_id, 1, spans));
  // Parent links are ids: one id used twice would make the document's tree ambiguous.
  std::unordered_set<std::string_view> ids;
  for (const Span& span : spans) {
    if (!ids.insert(span.id).second) {
      return Invalid("the id is used by more than one (sub)segment of the document", span.id);
    }
  }
  return spans;
}

json StoredSpanJson(const Span& span) {
  json stored = DocumentFields(span);
  // Our own fields live under one key that no X-Ray document uses.
  json own = {{"kind", span.kind == SpanKind::kSegment ? "segment" : "subsegment"},
              {"source", span.source == SpanSource::kXRay ? "xray" : "otlp"},
              {"trace_id", span.trace_id}};
  if (!span.parent_id.empty()) own["parent_id"] = span.parent_id;
  if (!span.segment_id.empty()) own["segment_id"] = span.segment_id;
  if (!span.service.empty()) own["service"] = span.service;
  own["original"] = span.original.is_object();
  stored[kOwnFields] = std::move(own);
  return stored;
}

Result<Span> SpanFromStoredJson(const json& stored) {
  Span span;
  CK_RETURN_IF_ERROR(ReadCommon(stored, span));
  auto own = stored.find(kOwnFields);
  if (own == stored.end() || !own->is_object()) return InvalidArgument("not a stored span");
  span.kind = StringField(*own, "kind") == "segment" ? SpanKind::kSegment : SpanKind::kSubsegment;
  span.source = StringField(*own, "source") == "otlp" ? SpanSource::kOtlp : SpanSource::kXRay;
  span.trace_id = StringField(*own, "trace_id");
  span.parent_id = StringField(*own, "parent_id");
  span.segment_id = StringField(*own, "segment_id");
  span.service = StringField(*own, "service");
  if (BoolField(*own, "original")) {
    span.original = stored;
    span.original.erase(kOwnFields);
  }
  return span;
}

std::vector<json> AssembleSegmentDocuments(const std::vector<Span>& spans) {
  std::unordered_map<std::string, std::vector<const Span*>> children;
  std::unordered_map<std::string, const Span*> by_id;
  for (const Span& span : spans) by_id[span.id] = &span;
  for (const Span& span : spans) {
    if (span.kind == SpanKind::kSubsegment) children[span.parent_id].push_back(&span);
  }
  // Builds a document with its descendants; depth-limited like the decoder.
  // Each span is placed once: ids repeated across documents of a trace must not make a cycle
  // (or an exponential tree) out of parent links.
  std::unordered_set<const Span*> placed;
  std::function<json(const Span&, int)> build = [&](const Span& span, int depth) {
    placed.insert(&span);
    json document = DocumentFields(span);
    auto it = children.find(span.id);
    if (it != children.end() && depth < kMaxSubsegmentDepth) {
      json nested = json::array();
      for (const Span* child : it->second) {
        if (placed.count(child) == 0) nested.push_back(build(*child, depth + 1));
      }
      if (!nested.empty()) document["subsegments"] = std::move(nested);
    }
    return document;
  };
  std::vector<json> documents;
  for (const Span& span : spans) {
    if (span.kind == SpanKind::kSegment) {
      json document = build(span, 0);
      document["trace_id"] = span.trace_id;
      if (!span.parent_id.empty()) document["parent_id"] = span.parent_id;
      documents.push_back(std::move(document));
    } else if (by_id.find(span.parent_id) == by_id.end()) {
      json document = build(span, 0);
      document["type"] = "subsegment";
      document["trace_id"] = span.trace_id;
      document["parent_id"] = span.parent_id;
      documents.push_back(std::move(document));
    }
  }
  return documents;
}

}  // namespace ck::collector
