#include "collector/otlp/otlp_trace_decoder.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "collector/otlp/otlp_trace_json.h"
#include "collector/otlp/otlp_trace_protobuf.h"
#include "core/hex.h"
#include "core/utf8.h"

namespace ck::collector::otlp {
namespace {

using nlohmann::json;

constexpr std::string_view kAnnotationsAttribute = "aws.xray.annotations";
constexpr size_t kMaxAnnotationKeyBytes = 500;
constexpr size_t kMaxAnnotationStringBytes = 1000;
constexpr size_t kTraceIdHexDigits = 32;
constexpr size_t kSpanIdHexDigits = 16;
// Ancestor walks that cross into other services are cut off after this many steps (a pathological
// request cannot make the mapping quadratic).
constexpr size_t kMaxAncestorSteps = 128;

bool IsSegmentKind(int kind) {
  return kind == kOtlpSpanKindServer || kind == kOtlpSpanKindConsumer;
}
bool IsRemoteKind(int kind) { return kind == kOtlpSpanKindClient || kind == kOtlpSpanKindProducer; }

// ---- attribute access (otlp_attributes.h: the last value of a repeated key wins) ----

std::string FirstString(const OtlpAttributes& attributes,
                        std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    std::string value = OtlpAttributeString(attributes, key);
    if (!value.empty()) return value;
  }
  return {};
}

// An integer attribute; numeric strings ("200") and integral doubles count too.
std::optional<int64_t> GetInt(const OtlpAttributes& attributes, std::string_view key) {
  const json* value = FindOtlpAttribute(attributes, key);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_unsigned()) {
    uint64_t v = value->get<uint64_t>();
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(v);
  }
  if (value->is_number_integer()) return value->get<int64_t>();
  if (value->is_number_float()) {
    double v = value->get<double>();
    if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < 1e15) {
      return static_cast<int64_t>(v);
    }
    return std::nullopt;
  }
  if (value->is_string()) {
    const std::string& text = value->get_ref<const std::string&>();
    if (text.empty() || text.size() > 18) return std::nullopt;
    int64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  }
  return std::nullopt;
}

std::optional<int64_t> FirstInt(const OtlpAttributes& attributes,
                                std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (auto value = GetInt(attributes, key)) return value;
  }
  return std::nullopt;
}

// "host:8080" -> "host", "[::1]:80" -> "[::1]"; an unbracketed IPv6 address stays whole.
std::string HostPart(std::string_view authority) {
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    return std::string(close == std::string_view::npos ? authority
                                                       : authority.substr(0, close + 1));
  }
  size_t colon = authority.find(':');
  if (colon != std::string_view::npos && authority.find(':', colon + 1) == std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  return std::string(authority);
}

std::string UrlHost(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme_end + 3);
  return HostPart(rest.substr(0, rest.find_first_of("/?#")));
}

std::string HttpUrl(const OtlpAttributes& attributes) {
  std::string url = FirstString(attributes, {"http.url", "url.full"});
  if (!url.empty()) return url;
  std::string scheme = FirstString(attributes, {"http.scheme", "url.scheme"});
  if (scheme.empty()) scheme = "http";
  std::string host = OtlpAttributeString(attributes, "http.host");
  if (host.empty()) {
    for (auto [name_key, port_key] : {std::pair{"server.address", "server.port"},
                                      std::pair{"net.host.name", "net.host.port"}}) {
      host = OtlpAttributeString(attributes, name_key);
      if (host.empty()) continue;
      std::optional<int64_t> port = GetInt(attributes, port_key);
      bool default_port =
          port && ((scheme == "http" && *port == 80) || (scheme == "https" && *port == 443));
      if (port && *port > 0 && !default_port) host += fmt::format(":{}", *port);
      break;
    }
  }
  std::string target = OtlpAttributeString(attributes, "http.target");
  if (target.empty()) {
    target = OtlpAttributeString(attributes, "url.path");
    std::string query = OtlpAttributeString(attributes, "url.query");
    if (!query.empty()) target += "?" + query;
  }
  if (!host.empty()) return scheme + "://" + host + target;
  return target;
}

std::string OriginFor(std::string_view cloud_platform) {
  static const std::pair<std::string_view, std::string_view> kOrigins[] = {
      {"aws_ecs", "AWS::ECS::Container"},
      {"aws_ec2", "AWS::EC2::Instance"},
      {"aws_eks", "AWS::EKS::Container"},
      {"aws_elastic_beanstalk", "AWS::ElasticBeanstalk::Environment"},
      {"aws_lambda", "AWS::Lambda::Function"},
      {"aws_app_runner", "AWS::AppRunner::Service"},
  };
  for (const auto& [platform, origin] : kOrigins) {
    if (platform == cloud_platform) return std::string(origin);
  }
  return {};
}

std::string KindName(int kind) {
  static constexpr std::string_view kNames[] = {"UNSPECIFIED", "INTERNAL", "SERVER",
                                                "CLIENT",      "PRODUCER", "CONSUMER"};
  if (kind >= 0 && kind < 6) return std::string(kNames[kind]);
  return std::to_string(kind);
}

std::string StatusName(int code) {
  static constexpr std::string_view kNames[] = {"UNSET", "OK", "ERROR"};
  if (code >= 0 && code < 3) return std::string(kNames[code]);
  return std::to_string(code);
}

double NanosToSeconds(uint64_t nanos) {
  return static_cast<double>(nanos / 1'000'000'000) +
         static_cast<double>(nanos % 1'000'000'000) / 1e9;
}

// Annotation keys must be usable in filter expressions: [A-Za-z0-9_], at most 500 bytes.
std::string AnnotationKey(std::string_view key) {
  std::string out(key.substr(0, kMaxAnnotationKeyBytes));
  for (char& c : out) {
    bool keep =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!keep) c = '_';
  }
  return out;
}

std::optional<AnnotationValue> ToAnnotation(const json& value) {
  if (value.is_string()) {
    return std::string(
        TruncateUtf8(value.get_ref<const std::string&>(), kMaxAnnotationStringBytes));
  }
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_unsigned()) {
    uint64_t v = value.get<uint64_t>();
    if (v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return static_cast<int64_t>(v);
    }
    return static_cast<double>(v);
  }
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) return value.get<double>();
  return std::nullopt;
}

void AppendAnnotationKeys(const OtlpAttributes& attributes, std::vector<std::string>* keys) {
  const json* list = FindOtlpAttribute(attributes, kAnnotationsAttribute);
  if (list == nullptr) return;
  if (list->is_string()) keys->push_back(list->get<std::string>());
  if (!list->is_array()) return;
  for (const json& key : *list) {
    if (key.is_string()) keys->push_back(key.get<std::string>());
  }
}

// What the spans of one ResourceSpans share.
struct ResourceContext {
  std::string service;
  std::string origin;
  std::string region;
  std::vector<std::string> annotation_keys;
  json attributes;
};

ResourceContext MakeResourceContext(const OtlpResourceSpans& resource, SpanDetail detail) {
  ResourceContext context;
  const OtlpAttributes& attributes = resource.resource_attributes;
  context.service = OtlpServiceName(attributes);
  context.origin = OriginFor(OtlpAttributeString(attributes, "cloud.platform"));
  context.region = OtlpAttributeString(attributes, "cloud.region");
  AppendAnnotationKeys(attributes, &context.annotation_keys);
  if (detail == SpanDetail::kFull) context.attributes = OtlpAttributesToJson(attributes);
  return context;
}

// A span whose ids passed validation, with the ids normalised to lower case.
struct Entry {
  const OtlpSpan* span = nullptr;
  const OtlpScopeSpans* scope = nullptr;
  size_t resource_index = 0;
  OtlpSpanPosition position;
  std::string trace_id;
  std::string span_id;
  std::string parent_id;  // empty for a root
};

std::string IdError(std::string_view field, std::string_view value, std::string_view rule) {
  std::string shown = value.empty()
                          ? std::string("empty")
                          : fmt::format("\"{}\"", TruncateUtf8(value, 2 * kTraceIdHexDigits));
  return fmt::format("{} must be {}, got {}", field, rule, shown);
}

// The reason `span` must be rejected, or empty. Fills the normalised ids on success.
std::string ValidateIds(const OtlpSpan& span, Entry* entry) {
  if (span.trace_id.size() != kTraceIdHexDigits || !IsAllHex(span.trace_id) ||
      IsAllZeros(span.trace_id)) {
    return IdError("traceId", span.trace_id, "32 hex digits and not all zero");
  }
  if (span.span_id.size() != kSpanIdHexDigits || !IsAllHex(span.span_id) ||
      IsAllZeros(span.span_id)) {
    return IdError("spanId", span.span_id, "16 hex digits and not all zero");
  }
  if (!span.parent_span_id.empty() &&
      (span.parent_span_id.size() != kSpanIdHexDigits || !IsAllHex(span.parent_span_id))) {
    return IdError("parentSpanId", span.parent_span_id, "empty or 16 hex digits");
  }
  entry->trace_id = AsciiLower(span.trace_id);
  entry->span_id = AsciiLower(span.span_id);
  if (!IsAllZeros(span.parent_span_id)) entry->parent_id = AsciiLower(span.parent_span_id);
  return {};
}

class RequestMapper {
 public:
  RequestMapper(const OtlpTraceRequest& request, SpanDetail detail)
      : request_(request), detail_(detail) {}

  OtlpDecodeResult Map() {
    CollectEntries();
    for (size_t i = 0; i < entries_.size(); ++i) {
      index_.emplace(Key(entries_[i].trace_id, entries_[i].span_id), i);
      if (IsSegmentKind(entries_[i].span->kind) && !entries_[i].parent_id.empty()) {
        server_parents_.insert(Key(entries_[i].trace_id, entries_[i].parent_id));
      }
    }
    segment_of_.assign(entries_.size(), kUnresolved);
    result_.spans.reserve(entries_.size());
    result_.positions.reserve(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i) {
      result_.spans.push_back(MapEntry(i));
      result_.positions.push_back(entries_[i].position);
    }
    return std::move(result_);
  }

 private:
  static std::string Key(std::string_view trace_id, std::string_view span_id) {
    std::string key;
    key.reserve(trace_id.size() + span_id.size());
    key.append(trace_id).append(span_id);
    return key;
  }

  void CollectEntries() {
    const auto& resources = request_.resource_spans;
    for (size_t r = 0; r < resources.size(); ++r) {
      contexts_.push_back(MakeResourceContext(resources[r], detail_));
      const auto& scopes = resources[r].scope_spans;
      for (size_t s = 0; s < scopes.size(); ++s) {
        for (size_t i = 0; i < scopes[s].spans.size(); ++i) {
          Entry entry;
          entry.span = &scopes[s].spans[i];
          entry.scope = &scopes[s];
          entry.resource_index = r;
          entry.position = {r, s, i};
          std::string reason = ValidateIds(*entry.span, &entry);
          if (reason.empty()) {
            entries_.push_back(std::move(entry));
            continue;
          }
          if (result_.rejected_spans++ == 0) {
            result_.error_message =
                fmt::format("resourceSpans[{}].scopeSpans[{}].spans[{}]: {}", r, s, i, reason);
          }
        }
      }
    }
  }

  const std::string& ServiceOf(size_t i) const {
    return contexts_[entries_[i].resource_index].service;
  }

  // The nearest ancestor SERVER/CONSUMER span of entry i's own service, or kNone. Results are
  // remembered along same-service chains, so long chains of local spans stay linear.
  size_t SegmentAncestor(size_t i) {
    if (segment_of_[i] != kUnresolved) return segment_of_[i];
    const std::string& service = ServiceOf(i);
    std::vector<size_t> same_service_path{i};
    size_t answer = kNone;
    size_t current = i;
    for (size_t steps = 0; steps < kMaxAncestorSteps; ++steps) {
      const Entry& entry = entries_[current];
      if (entry.parent_id.empty()) break;
      auto it = index_.find(Key(entry.trace_id, entry.parent_id));
      if (it == index_.end() || it->second == i) break;  // unknown parent, or a cycle
      size_t parent = it->second;
      if (ServiceOf(parent) == service) {
        if (IsSegmentKind(entries_[parent].span->kind)) {
          answer = parent;
          break;
        }
        if (segment_of_[parent] != kUnresolved) {
          answer = segment_of_[parent];
          break;
        }
        same_service_path.push_back(parent);
      }
      current = parent;
    }
    for (size_t node : same_service_path) segment_of_[node] = answer;
    return answer;
  }

  Span MapEntry(size_t i) {
    const Entry& entry = entries_[i];
    const OtlpSpan& otlp = *entry.span;
    const ResourceContext& context = contexts_[entry.resource_index];
    const OtlpAttributes& attributes = otlp.attributes;
    const OtlpAttributes& resource_attributes =
        request_.resource_spans[entry.resource_index].resource_attributes;

    Span span;
    span.source = SpanSource::kOtlp;
    span.trace_id = "1-" + entry.trace_id.substr(0, 8) + "-" + entry.trace_id.substr(8);
    span.id = entry.span_id;
    span.parent_id = entry.parent_id;
    span.service = context.service;
    span.start_time = NanosToSeconds(otlp.start_time_unix_nano);
    span.end_time = NanosToSeconds(otlp.end_time_unix_nano);
    span.in_progress = otlp.end_time_unix_nano == 0;

    if (IsSegmentKind(otlp.kind)) {
      span.kind = SpanKind::kSegment;
      span.name = context.service;
      span.segment_id = span.id;
      span.origin = context.origin;
      span.user_agent = FirstString(attributes, {"http.user_agent", "user_agent.original"});
      span.client_ip = FirstString(attributes, {"http.client_ip", "client.address", "net.peer.ip"});
    } else {
      span.kind = SpanKind::kSubsegment;
      size_t segment = SegmentAncestor(i);
      span.segment_id = segment != kNone ? entries_[segment].span_id : span.parent_id;
      MapSubsegmentTarget(entry, context, attributes, &span);
    }

    span.http_method = FirstString(attributes, {"http.method", "http.request.method"});
    span.http_url = HttpUrl(attributes);
    span.http_status = static_cast<int>(
        FirstInt(attributes, {"http.status_code", "http.response.status_code"}).value_or(0));
    if (span.http_status < 0 || span.http_status > 999) span.http_status = 0;
    if (span.http_status >= 400 && span.http_status < 500) {
      span.error = true;
      span.throttle = span.http_status == 429;
    } else if (span.http_status >= 500 && span.http_status < 600) {
      span.fault = true;
    }
    if (otlp.status_code == kOtlpStatusError && !span.error) span.fault = true;

    bool remote = IsRemoteKind(otlp.kind);
    for (const OtlpEvent& event : otlp.events) {
      if (event.name != "exception") continue;
      SpanCause cause{OtlpAttributeString(event.attributes, "exception.type"),
                      OtlpAttributeString(event.attributes, "exception.message"), remote};
      if (cause.type.empty() && cause.message.empty()) cause.message = "exception";
      span.causes.push_back(std::move(cause));
    }
    if (span.causes.empty() && otlp.status_code == kOtlpStatusError &&
        !otlp.status_message.empty()) {
      span.causes.push_back(SpanCause{"", otlp.status_message, remote});
    }

    // Annotations: keys named by the span or its resource; values from the span, else resource.
    std::vector<std::string> annotation_keys = context.annotation_keys;
    AppendAnnotationKeys(attributes, &annotation_keys);
    std::unordered_set<std::string_view> annotated;
    for (const std::string& key : annotation_keys) {
      const json* value = FindOtlpAttribute(attributes, key);
      bool from_span = value != nullptr;
      if (value == nullptr) value = FindOtlpAttribute(resource_attributes, key);
      if (value == nullptr) continue;
      std::optional<AnnotationValue> annotation = ToAnnotation(*value);
      std::string annotation_key = AnnotationKey(key);
      if (!annotation || annotation_key.empty()) continue;
      span.annotations[annotation_key] = std::move(*annotation);
      if (from_span) annotated.insert(key);
    }

    if (detail_ == SpanDetail::kIndex) return span;
    json otel = json::object();
    for (const auto& [key, value] : attributes) {
      if (key == kAnnotationsAttribute || annotated.count(key) > 0) continue;
      otel[key] = value;
    }
    if (!otel.empty()) span.metadata["otel"] = std::move(otel);
    // The resource is the same for every span of a service: keep it once per segment.
    if (!context.attributes.empty() && span.kind == SpanKind::kSegment) {
      span.metadata["otel.resource"] = context.attributes;
    }
    json span_info = {{"name", otlp.name},
                      {"kind", KindName(otlp.kind)},
                      {"status_code", StatusName(otlp.status_code)}};
    if (!otlp.status_message.empty()) span_info["status_message"] = otlp.status_message;
    if (!entry.scope->scope_name.empty()) span_info["scope"] = entry.scope->scope_name;
    span.metadata["otel.span"] = std::move(span_info);
    return span;
  }

  void MapSubsegmentTarget(const Entry& entry, const ResourceContext& context,
                           const OtlpAttributes& attributes, Span* span) {
    const OtlpSpan& otlp = *entry.span;
    std::string db_system = OtlpAttributeString(attributes, "db.system");
    if (OtlpAttributeString(attributes, "rpc.system") == "aws-api" || db_system == "dynamodb") {
      span->namespace_name = "aws";
      span->name = OtlpAttributeString(attributes, "rpc.service");
      if (span->name.empty() && db_system == "dynamodb") span->name = "DynamoDB";
      if (span->name.empty()) span->name = otlp.name;
      span->aws_operation =
          FirstString(attributes, {"rpc.method", "db.operation", "db.operation.name"});
      const json* tables = FindOtlpAttribute(attributes, "aws.dynamodb.table_names");
      if (tables != nullptr && tables->is_array() && !tables->empty() &&
          tables->front().is_string()) {
        span->aws_table_name = tables->front().get<std::string>();
      } else if (tables != nullptr && tables->is_string()) {
        span->aws_table_name = tables->get<std::string>();
      }
      span->aws_region = FirstString(attributes, {"cloud.region", "aws.region"});
      if (span->aws_region.empty()) span->aws_region = context.region;
      span->aws_request_id = FirstString(attributes, {"aws.request_id", "aws.request.id"});
      return;
    }
    if (IsRemoteKind(otlp.kind)) {
      span->namespace_name = "remote";
      span->name = OtlpAttributeString(attributes, "peer.service");
      for (std::string_view key : {"server.address", "net.peer.name", "http.host"}) {
        if (!span->name.empty()) break;
        span->name = HostPart(OtlpAttributeString(attributes, key));
      }
      if (span->name.empty())
        span->name = UrlHost(FirstString(attributes, {"url.full", "http.url"}));
      if (span->name.empty()) span->name = otlp.name;
      span->traced = server_parents_.count(Key(entry.trace_id, entry.span_id)) > 0;
      return;
    }
    span->namespace_name = "";
    span->name = otlp.name;
  }

  static constexpr size_t kNone = std::numeric_limits<size_t>::max();
  static constexpr size_t kUnresolved = kNone - 1;

  const OtlpTraceRequest& request_;
  const SpanDetail detail_;
  OtlpDecodeResult result_;
  std::vector<ResourceContext> contexts_;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> index_;
  std::unordered_set<std::string> server_parents_;
  std::vector<size_t> segment_of_;  // memo of SegmentAncestor: an entry, kNone or kUnresolved
};

}  // namespace

OtlpDecodeResult MapOtlpTraceRequest(const OtlpTraceRequest& request, SpanDetail detail) {
  return RequestMapper(request, detail).Map();
}

Result<OtlpDecodeResult> DecodeOtlpTraceProtobuf(std::string_view bytes, SpanDetail detail) {
  CK_ASSIGN_OR_RETURN(OtlpTraceRequest request, ParseOtlpTraceProtobuf(bytes));
  return MapOtlpTraceRequest(request, detail);
}

Result<OtlpDecodeResult> DecodeOtlpTraceJson(std::string_view text, SpanDetail detail) {
  CK_ASSIGN_OR_RETURN(OtlpTraceRequest request, ParseOtlpTraceJson(text));
  return MapOtlpTraceRequest(request, detail);
}

std::vector<OtlpTraceGroup> GroupOtlpSpansByTrace(const OtlpTraceRequest& request,
                                                  OtlpDecodeResult decoded) {
  std::vector<OtlpTraceGroup> groups;
  std::vector<std::vector<OtlpSpanPosition>> positions;
  std::unordered_map<std::string, size_t> group_of;  // trace id -> index in groups
  const size_t count = std::min(decoded.spans.size(), decoded.positions.size());
  for (size_t i = 0; i < count; ++i) {
    auto [it, added] = group_of.try_emplace(decoded.spans[i].trace_id, groups.size());
    if (added) {
      groups.emplace_back();
      positions.emplace_back();
    }
    groups[it->second].spans.push_back(std::move(decoded.spans[i]));
    positions[it->second].push_back(decoded.positions[i]);
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    groups[g].protobuf = EncodeOtlpTraceProtobuf(request, positions[g]);
  }
  return groups;
}

std::string OtlpTraceIdToXRay(std::string_view w3c_id) {
  if (w3c_id.size() != kTraceIdHexDigits || !IsAllHex(w3c_id) || IsAllZeros(w3c_id)) return {};
  std::string lower = AsciiLower(w3c_id);
  return "1-" + lower.substr(0, 8) + "-" + lower.substr(8);
}

}  // namespace ck::collector::otlp
