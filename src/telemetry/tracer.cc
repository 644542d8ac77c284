#include "telemetry/tracer.h"

#include <mutex>

namespace ck::telemetry {

struct SpanState {
  const Tracer* tracer = nullptr;
  std::mutex mutex;
  TraceContext incoming;  // for Lineage and tracestate passthrough
  std::string trace_id;
  std::string span_id;
  Sampled propagated = Sampled::kUnset;  // what goes out as Sampled=
  bool sampled = false;
  bool ended = false;
  Segment segment;  // filled only when sampled
};

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string HostWithoutPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') return std::string(host.substr(0, host.find(']') + 1));
  return std::string(host.substr(0, host.find(':')));
}

HttpRequestInfo DescribeRequest(const http::HttpRequest& request, std::string_view peer_ip) {
  HttpRequestInfo info;
  info.method = std::string(request.method_string());
  std::string_view proto = Trim(http::HeaderValue(request, "X-Forwarded-Proto"));
  std::string_view host = http::HeaderValue(request, "Host");
  info.url = std::string(proto.empty() ? "http" : proto) + "://" + std::string(host) +
             std::string(request.target());
  info.user_agent = std::string(http::HeaderValue(request, "User-Agent"));
  std::string_view forwarded = http::HeaderValue(request, "X-Forwarded-For");
  std::string_view first = Trim(forwarded.substr(0, forwarded.find(',')));
  if (!first.empty()) {
    info.client_ip = std::string(first);
    info.x_forwarded_for = true;
  } else {
    info.client_ip = std::string(peer_ip);
  }
  return info;
}

TraceContext Outgoing(const SpanState& state, const std::string& parent_id) {
  TraceContext context;
  context.trace_id = state.trace_id;
  context.parent_id = parent_id;
  context.sampled = state.propagated;
  context.extra = state.incoming.extra;
  context.tracestate = state.incoming.tracestate;
  return context;
}

const std::string& EmptyString() {
  static const std::string empty;
  return empty;
}

}  // namespace

// --- LogScope ----------------------------------------------------------------------------------

LogScope::LogScope(std::string_view trace_id, std::string_view span_id)
    : previous_(LogContext::Current()) {
  LogContext& current = LogContext::Current();
  current.trace_id.assign(trace_id);
  current.span_id.assign(span_id);
}

LogScope::~LogScope() { LogContext::Current() = std::move(previous_); }

// --- Subsegment --------------------------------------------------------------------------------

Subsegment::Subsegment(Subsegment&& other) noexcept
    : parent_(std::move(other.parent_)),
      segment_(std::move(other.segment_)),
      id_(std::move(other.id_)),
      ended_(other.ended_) {
  other.ended_ = true;
}

Subsegment& Subsegment::operator=(Subsegment&& other) noexcept {
  if (this != &other) {
    Finish();
    parent_ = std::move(other.parent_);
    segment_ = std::move(other.segment_);
    id_ = std::move(other.id_);
    ended_ = other.ended_;
    other.ended_ = true;
  }
  return *this;
}

Subsegment::~Subsegment() { Finish(); }

const std::string& Subsegment::id() const { return id_; }

TraceContext Subsegment::OutgoingContext() const {
  if (!parent_) return {};
  return Outgoing(*parent_, id_);
}

void Subsegment::Inject(http::HttpRequest& request, std::string_view url) {
  if (parent_) InjectTraceContext(request, OutgoingContext());
  if (segment_) {
    HttpRequestInfo info;
    info.method = std::string(request.method_string());
    info.url = std::string(url);
    info.traced = true;
    segment_->http_request = std::move(info);
  }
}

void Subsegment::SetAws(AwsCallInfo aws) {
  if (segment_) segment_->aws = std::move(aws);
}

Status Subsegment::AddAnnotation(std::string_view key, AnnotationValue value) {
  if (!segment_) return IsValidAnnotationKey(key) ? Status::Ok() : InvalidArgument("bad key");
  return segment_->AddAnnotation(key, std::move(value));
}

Status Subsegment::AddMetadata(std::string_view key, nlohmann::json value,
                               std::string_view metadata_namespace) {
  if (!segment_) return Status::Ok();
  return segment_->AddMetadata(key, std::move(value), metadata_namespace);
}

LogScope Subsegment::ActivateLogContext() const {
  return LogScope(parent_ ? std::string_view(parent_->trace_id) : std::string_view(), id_);
}

void Subsegment::End(int status, std::optional<uint64_t> content_length) {
  if (ended_) return;
  if (segment_) segment_->SetHttpResponse(status, content_length);
  Finish();
}

void Subsegment::EndWithError(std::string type, std::string message, bool remote) {
  if (ended_) return;
  if (segment_) {
    segment_->AddException(std::move(type), std::move(message), remote, parent_->tracer->random());
  }
  Finish();
}

void Subsegment::EndWithStatus(const Status& status) {
  if (status.ok()) return End(0);
  EndWithError(std::string(StatusCodeName(status.code())), status.message());
}

void Subsegment::Finish() {
  if (ended_) return;
  ended_ = true;
  if (!segment_ || !parent_) return;
  const Tracer& tracer = *parent_->tracer;
  segment_->end_time = ToEpochSeconds(tracer.clock().Now());
  std::optional<nlohmann::json> independent;
  {
    std::lock_guard lock(parent_->mutex);
    if (!parent_->ended) {
      parent_->segment.subsegments.push_back(std::move(*segment_));
    } else {
      independent = segment_->ToIndependentJson(parent_->trace_id, parent_->span_id);
    }
  }
  segment_.reset();
  if (independent && tracer.sink() != nullptr) tracer.sink()->Emit(std::move(*independent));
}

// --- RequestSpan -------------------------------------------------------------------------------

RequestSpan& RequestSpan::operator=(RequestSpan&& other) noexcept {
  if (this != &other) {
    Finish(std::nullopt);
    state_ = std::move(other.state_);
  }
  return *this;
}

RequestSpan::~RequestSpan() { Finish(std::nullopt); }

bool RequestSpan::sampled() const { return state_ && state_->sampled; }
const std::string& RequestSpan::trace_id() const {
  return state_ ? state_->trace_id : EmptyString();
}
const std::string& RequestSpan::span_id() const { return state_ ? state_->span_id : EmptyString(); }

TraceContext RequestSpan::OutgoingContext() const {
  if (!state_) return {};
  return Outgoing(*state_, state_->span_id);
}

Subsegment RequestSpan::StartSubsegment(std::string name, std::string_view namespace_name) {
  Subsegment child;
  if (!state_) return child;
  child.parent_ = state_;
  child.id_ = NewSpanId(state_->tracer->random());
  child.ended_ = false;
  if (state_->sampled) {
    child.segment_ = std::make_unique<Segment>();
    child.segment_->kind = SegmentKind::kSubsegment;
    child.segment_->name = std::move(name);
    child.segment_->id = child.id_;
    child.segment_->namespace_name = std::string(namespace_name);
    child.segment_->start_time = ToEpochSeconds(state_->tracer->clock().Now());
  }
  return child;
}

Status RequestSpan::AddAnnotation(std::string_view key, AnnotationValue value) {
  if (!state_ || !state_->sampled) {
    return IsValidAnnotationKey(key) ? Status::Ok() : InvalidArgument("bad annotation key");
  }
  std::lock_guard lock(state_->mutex);
  return state_->segment.AddAnnotation(key, std::move(value));
}

Status RequestSpan::AddMetadata(std::string_view key, nlohmann::json value,
                                std::string_view metadata_namespace) {
  if (!state_ || !state_->sampled) return Status::Ok();
  std::lock_guard lock(state_->mutex);
  return state_->segment.AddMetadata(key, std::move(value), metadata_namespace);
}

void RequestSpan::RecordException(std::string type, std::string message, bool remote) {
  if (!state_ || !state_->sampled) return;
  std::lock_guard lock(state_->mutex);
  state_->segment.AddException(std::move(type), std::move(message), remote,
                               state_->tracer->random());
}

void RequestSpan::EchoHeader(http::HttpResponse& response) const {
  if (!state_) return;
  TraceContext context;
  context.trace_id = state_->trace_id;
  bool sampled = state_->propagated == Sampled::kYes;
  response.set(kAmznTraceIdHeader, FormatAmznTraceIdEcho(context, sampled));
}

LogScope RequestSpan::ActivateLogContext() const { return LogScope(trace_id(), span_id()); }

void RequestSpan::Log(LogLevel level, std::string_view msg, const nlohmann::json& fields) const {
  LogScope scope = ActivateLogContext();
  Logger::Global().Log(level, msg, fields);
}

void RequestSpan::End(const http::HttpResponse& response) {
  Finish(HttpResponseInfo{static_cast<int>(response.result_int()), response.body().size()});
}

void RequestSpan::End(int status, std::optional<uint64_t> content_length) {
  Finish(HttpResponseInfo{status, content_length});
}

void RequestSpan::Finish(std::optional<HttpResponseInfo> response) {
  if (!state_) return;
  std::optional<nlohmann::json> document;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->ended) return;
    state_->ended = true;
    if (!state_->sampled) return;
    Segment& segment = state_->segment;
    segment.end_time = ToEpochSeconds(state_->tracer->clock().Now());
    if (response) segment.SetHttpResponse(response->status, response->content_length);
    document = segment.ToJson();
    segment.subsegments.clear();
  }
  SegmentSink* sink = state_->tracer->sink();
  if (sink != nullptr) sink->Emit(std::move(*document));
}

// --- Tracer ------------------------------------------------------------------------------------

Tracer::Tracer(TracerOptions options, SegmentSink* sink, Sampler& sampler, const Clock& clock,
               RandomSource& random)
    : options_(std::move(options)),
      sink_(sink),
      sampler_(sampler),
      clock_(clock),
      random_(random) {}

RequestSpan Tracer::StartRequest(const http::HttpRequest& request, std::string_view client_ip) {
  auto state = std::make_shared<SpanState>();
  state->tracer = this;
  if (auto incoming = ExtractTraceContext(request)) state->incoming = std::move(*incoming);
  WallTime now = clock_.Now();
  state->trace_id = state->incoming.valid() ? state->incoming.trace_id : NewTraceId(now, random_);
  state->span_id = NewSpanId(random_);
  if (options_.enabled) {
    std::string_view target = request.target();
    SamplingRequest sampling;
    sampling.service_name = options_.service_name;
    sampling.host = HostWithoutPort(http::HeaderValue(request, "Host"));
    sampling.http_method = std::string(request.method_string());
    sampling.url_path = std::string(target.substr(0, target.find('?')));
    state->sampled = sampler_.Decide(state->incoming.sampled, sampling);
    state->propagated = state->sampled ? Sampled::kYes : Sampled::kNo;
  } else {
    // Not tracing here: pass the caller's decision on unchanged so callees still can.
    state->propagated = state->incoming.sampled;
  }
  if (state->sampled) {
    Segment& segment = state->segment;
    segment.name = options_.service_name;
    segment.id = state->span_id;
    segment.trace_id = state->trace_id;
    segment.parent_id = state->incoming.parent_id;
    segment.origin = options_.origin;
    segment.start_time = ToEpochSeconds(now);
    segment.http_request = DescribeRequest(request, client_ip);
  }
  RequestSpan span;
  span.state_ = std::move(state);
  return span;
}

}  // namespace ck::telemetry
