#include "collector/model/xray_document.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "collector/model/simdjson_document.h"
#include "core/hex.h"

namespace ck::collector {
namespace {

using nlohmann::json;
namespace dom = simdjson::dom;

constexpr std::string_view kOwnFields = "_ck";

// The members of one (sub)segment object the decoder reads. When a key repeats, the last one
// counts, as in a JSON object read into a map.
struct Members {
  std::optional<dom::element> id, name, start_time, end_time, in_progress, namespace_name, origin,
      error, throttle, fault, http, cause, annotations, aws, metadata, trace_id, parent_id, type,
      subsegments, own;
};

std::optional<dom::element>* Slot(Members& members, std::string_view key) {
  static const std::pair<std::string_view, std::optional<dom::element> Members::*> kSlots[] = {
      {"id", &Members::id},
      {"name", &Members::name},
      {"start_time", &Members::start_time},
      {"end_time", &Members::end_time},
      {"in_progress", &Members::in_progress},
      {"namespace", &Members::namespace_name},
      {"origin", &Members::origin},
      {"error", &Members::error},
      {"throttle", &Members::throttle},
      {"fault", &Members::fault},
      {"http", &Members::http},
      {"cause", &Members::cause},
      {"annotations", &Members::annotations},
      {"aws", &Members::aws},
      {"metadata", &Members::metadata},
      {"trace_id", &Members::trace_id},
      {"parent_id", &Members::parent_id},
      {"type", &Members::type},
      {"subsegments", &Members::subsegments},
      {kOwnFields, &Members::own},
  };
  for (const auto& [name, member] : kSlots) {
    if (name == key) return &(members.*member);
  }
  return nullptr;
}

Members Collect(dom::object object) {
  Members members;
  for (dom::key_value_pair field : object) {
    if (std::optional<dom::element>* slot = Slot(members, field.key)) *slot = field.value;
  }
  return members;
}

// The last member named `key` of `element` when it is an object.
std::optional<dom::element> Member(const std::optional<dom::element>& element,
                                   std::string_view key) {
  dom::object object;
  if (!element || element->get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  std::optional<dom::element> found;
  for (dom::key_value_pair field : object) {
    if (field.key == key) found = field.value;
  }
  return found;
}

bool IsObject(const std::optional<dom::element>& element) {
  return element && element->type() == dom::element_type::OBJECT;
}

bool IsInteger(dom::element element) {
  return element.type() == dom::element_type::INT64 || element.type() == dom::element_type::UINT64;
}

std::string StringField(const std::optional<dom::element>& element) {
  std::string_view text;
  if (!element || element->get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

// Ids are compared as text, so "ABCD..." and "abcd..." must not become two spans.
std::string IdField(const std::optional<dom::element>& element) {
  std::string id = StringField(element);
  for (char& c : id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return id;
}

bool BoolField(const std::optional<dom::element>& element) {
  bool value = false;
  return element && element->get_bool().get(value) == simdjson::SUCCESS && value;
}

void ReadHttp(const Members& members, Span& span) {
  if (auto request = Member(members.http, "request"); IsObject(request)) {
    span.http_method = StringField(Member(request, "method"));
    span.http_url = StringField(Member(request, "url"));
    span.user_agent = StringField(Member(request, "user_agent"));
    span.client_ip = StringField(Member(request, "client_ip"));
    span.traced = BoolField(Member(request, "traced"));
  }
  if (auto status = Member(Member(members.http, "response"), "status");
      status && IsInteger(*status)) {
    // Beyond int64 wraps, as a cast of the unsigned value does.
    uint64_t value = 0;
    int64_t signed_value = 0;
    if (status->get_int64().get(signed_value) == simdjson::SUCCESS) {
      span.http_status = static_cast<int>(signed_value);
    } else if (status->get_uint64().get(value) == simdjson::SUCCESS) {
      span.http_status = static_cast<int>(value);
    }
  }
}

void ReadCause(const Members& members, Span& span) {
  // A string cause refers to an exception recorded on a child; nothing more to show.
  dom::array exceptions;
  auto list = Member(members.cause, "exceptions");
  if (!list || list->get_array().get(exceptions) != simdjson::SUCCESS) return;
  for (dom::element exception : exceptions) {
    if (exception.type() != dom::element_type::OBJECT) continue;
    span.causes.push_back({StringField(Member(exception, "type")),
                           StringField(Member(exception, "message")),
                           BoolField(Member(exception, "remote"))});
  }
}

void ReadAnnotations(const Members& members, Span& span) {
  dom::object annotations;
  if (!members.annotations ||
      members.annotations->get_object().get(annotations) != simdjson::SUCCESS) {
    return;
  }
  for (dom::key_value_pair field : annotations) {
    std::string key(field.key);
    const dom::element value = field.value;
    switch (value.type()) {
      case dom::element_type::STRING:
        span.annotations[key] = std::string(value.get_string().value_unsafe());
        break;
      case dom::element_type::BOOL:
        span.annotations[key] = value.get_bool().value_unsafe();
        break;
      case dom::element_type::INT64:
        span.annotations[key] = value.get_int64().value_unsafe();
        break;
      case dom::element_type::UINT64:
        span.annotations[key] = static_cast<int64_t>(value.get_uint64().value_unsafe());
        break;
      case dom::element_type::DOUBLE:
        span.annotations[key] = value.get_double().value_unsafe();
        break;
      default:
        span.annotations.erase(key);  // a repeated key's last value counts
        break;
    }
  }
}

void ReadAws(const Members& members, Span& span) {
  if (!IsObject(members.aws)) return;
  span.aws_operation = StringField(Member(members.aws, "operation"));
  span.aws_table_name = StringField(Member(members.aws, "table_name"));
  span.aws_region = StringField(Member(members.aws, "region"));
  span.aws_request_id = StringField(Member(members.aws, "request_id"));
}

Status Invalid(std::string_view what, std::string_view id) {
  if (id.empty()) return InvalidArgument(std::string(what));
  return InvalidArgument(fmt::format("{} (id {})", what, id));
}

Status NotAnObject() { return InvalidArgument("a segment document must be a JSON object"); }

// Reads the fields every (sub)segment has. `trace_id` is inherited for nested subsegments.
Status ReadCommon(const Members& members, SpanDetail detail, Span& span) {
  span.id = IdField(members.id);
  if (!IsValidSpanId(span.id)) {
    return InvalidArgument("id must be 16 lower-case hexadecimal digits");
  }
  span.name = StringField(members.name);
  if (span.name.empty()) return Invalid("name is required", span.id);
  if (!members.start_time || members.start_time->get_double().get(span.start_time)) {
    return Invalid("start_time must be a number of epoch seconds", span.id);
  }
  span.in_progress = BoolField(members.in_progress);
  if (!members.end_time || members.end_time->get_double().get(span.end_time)) {
    span.end_time = 0;
    if (!span.in_progress) {
      return Invalid("end_time is required unless in_progress is true", span.id);
    }
  }
  if (span.in_progress) span.end_time = 0;
  span.namespace_name = StringField(members.namespace_name);
  span.origin = StringField(members.origin);
  span.error = BoolField(members.error);
  span.throttle = BoolField(members.throttle);
  span.fault = BoolField(members.fault);
  ReadHttp(members, span);
  ReadCause(members, span);
  ReadAnnotations(members, span);
  ReadAws(members, span);
  if (detail == SpanDetail::kFull && IsObject(members.metadata)) {
    span.metadata = SimdjsonToJson(*members.metadata);
  }
  return Status::Ok();
}

// What nested subsegments inherit from the document they arrived in.
struct Enclosing {
  std::string trace_id;
  std::string segment_id;
  std::string service;
};

Status Flatten(const std::optional<dom::element>& children, const Enclosing& segment,
               const std::string& parent_id, int depth, SpanDetail detail, std::vector<Span>& out) {
  if (!children || children->is_null()) return Status::Ok();
  if (depth > kMaxSubsegmentDepth) {
    return InvalidArgument(
        fmt::format("subsegments are nested deeper than {} levels", kMaxSubsegmentDepth));
  }
  dom::array list;
  if (children->get_array().get(list) != simdjson::SUCCESS) {
    return InvalidArgument("subsegments must be an array");
  }
  for (dom::element child : list) {
    dom::object object;
    if (child.get_object().get(object) != simdjson::SUCCESS) return NotAnObject();
    const Members members = Collect(object);
    Span span;
    span.kind = SpanKind::kSubsegment;
    CK_RETURN_IF_ERROR(ReadCommon(members, detail, span));
    span.trace_id = segment.trace_id;
    span.parent_id = parent_id;
    span.segment_id = segment.segment_id;
    span.service = segment.service;
    if (detail == SpanDetail::kFull) span.original = SimdjsonToJson(child, "subsegments");
    out.push_back(std::move(span));
    const std::string id = out.back().id;
    CK_RETURN_IF_ERROR(Flatten(members.subsegments, segment, id, depth + 1, detail, out));
  }
  return Status::Ok();
}

// Parses `text` with this thread's parser; the element lives until the thread's next parse.
// What simdjson rejects but nlohmann::json accepts (big integers, a byte-order mark) is read as
// nlohmann reads it, so the decoder accepts what it always did.
simdjson::error_code Parse(std::string_view text, dom::element* root) {
  simdjson::error_code error = ParseWithSimdjson(text, root);
  if (error == simdjson::SUCCESS || error == simdjson::DEPTH_ERROR) return error;
  std::optional<std::string> normalized = NormalizeForSimdjson(text);
  if (!normalized) return error;
  return ParseWithSimdjson(*normalized, root);
}

// The first id that an earlier span of `spans` has too, or null.
const std::string* RepeatedId(const std::vector<Span>& spans) {
  if (spans.size() <= 16) {  // the usual document: no set to allocate
    for (size_t i = 1; i < spans.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (spans[i].id == spans[j].id) return &spans[i].id;
      }
    }
    return nullptr;
  }
  std::unordered_set<std::string_view> ids;
  for (const Span& span : spans) {
    if (!ids.insert(span.id).second) return &span.id;
  }
  return nullptr;
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

Result<std::vector<Span>> DecodeDatagram(std::string_view datagram, std::string_view* document,
                                         SpanDetail detail) {
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
    dom::element parsed;
    bool valid = Parse(header, &parsed) == simdjson::SUCCESS && IsObject(parsed) &&
                 StringField(Member(parsed, "format")) == "json";
    if (valid) {
      double version = 0;
      auto member = Member(parsed, "version");
      valid = member && member->get_double().get(version) == simdjson::SUCCESS && version == 1;
    }
    if (!valid) {
      return InvalidArgument("bad daemon header, expected {\"format\":\"json\",\"version\":1}");
    }
  }
  if (document != nullptr) *document = datagram.substr(newline + 1);
  return DecodeSegmentDocument(datagram.substr(newline + 1), detail);
}

Result<std::vector<Span>> DecodeSegmentDocument(std::string_view document, SpanDetail detail) {
  dom::element root;
  if (Parse(document, &root) != simdjson::SUCCESS) {
    return InvalidArgument("the segment document is not valid JSON");
  }
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return NotAnObject();
  const Members members = Collect(object);
  std::vector<Span> spans;
  // One allocation for the usual document (a segment and a flat list of subsegments).
  dom::array children;
  if (members.subsegments && members.subsegments->get_array().get(children) == simdjson::SUCCESS) {
    spans.reserve(1 + std::min<size_t>(children.size(), 64));
  }
  Span top;
  CK_RETURN_IF_ERROR(ReadCommon(members, detail, top));
  top.trace_id = IdField(members.trace_id);
  if (!IsValidXRayTraceId(top.trace_id)) {
    return Invalid("trace_id must look like 1-5759e988-bd862e3fe1be46a994272793", top.id);
  }
  top.parent_id = IdField(members.parent_id);
  if (!top.parent_id.empty() && !IsValidSpanId(top.parent_id)) {
    return Invalid("parent_id must be 16 lower-case hexadecimal digits", top.id);
  }
  if (StringField(members.type) == "subsegment") {
    if (top.parent_id.empty()) return Invalid("an independent subsegment needs parent_id", top.id);
    top.kind = SpanKind::kSubsegment;
    // The enclosing segment is resolved by the store from the parent span when it knows it.
  } else {
    top.kind = SpanKind::kSegment;
    top.service = top.name;
    top.segment_id = top.id;
  }
  if (detail == SpanDetail::kFull) top.original = SimdjsonToJson(root, "subsegments");
  const Enclosing enclosing{top.trace_id, top.segment_id, top.service};
  const std::string top_id = top.id;
  spans.push_back(std::move(top));
  CK_RETURN_IF_ERROR(Flatten(members.subsegments, enclosing, top_id, 1, detail, spans));
  // Parent links are ids: one id used twice would make the document's tree ambiguous.
  if (const std::string* repeated = RepeatedId(spans)) {
    return Invalid("the id is used by more than one (sub)segment of the document", *repeated);
  }
  return spans;
}

Result<std::vector<Span>> DecodeSegmentJson(const json& document, SpanDetail detail) {
  return DecodeSegmentDocument(document.dump(-1, ' ', false, json::error_handler_t::replace),
                               detail);
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
  stored[std::string(kOwnFields)] = std::move(own);
  return stored;
}

Result<Span> SpanFromStoredText(std::string_view text) {
  dom::element root;
  if (Parse(text, &root) != simdjson::SUCCESS) return InvalidArgument("not a stored span");
  dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return NotAnObject();
  const Members members = Collect(object);
  Span span;
  CK_RETURN_IF_ERROR(ReadCommon(members, SpanDetail::kFull, span));
  if (!IsObject(members.own)) return InvalidArgument("not a stored span");
  span.kind = StringField(Member(members.own, "kind")) == "segment" ? SpanKind::kSegment
                                                                    : SpanKind::kSubsegment;
  span.source =
      StringField(Member(members.own, "source")) == "otlp" ? SpanSource::kOtlp : SpanSource::kXRay;
  span.trace_id = StringField(Member(members.own, "trace_id"));
  span.parent_id = StringField(Member(members.own, "parent_id"));
  span.segment_id = StringField(Member(members.own, "segment_id"));
  span.service = StringField(Member(members.own, "service"));
  if (BoolField(Member(members.own, "original"))) span.original = SimdjsonToJson(root, kOwnFields);
  return span;
}

Result<Span> SpanFromStoredJson(const json& stored) {
  return SpanFromStoredText(stored.dump(-1, ' ', false, json::error_handler_t::replace));
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
