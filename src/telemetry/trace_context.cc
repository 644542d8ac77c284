#include "telemetry/trace_context.h"

#include <fmt/format.h>

#include <chrono>

#include "core/hex.h"

namespace ck::telemetry {
namespace {

constexpr size_t kMaxHeaderBytes = 8 * 1024;
constexpr size_t kMaxFields = 32;
constexpr size_t kMaxTracestateBytes = 512;

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool AllLowerHex(std::string_view text) {
  for (char c : text) {
    if (!IsLowerHex(c)) return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Printable ASCII without the separators of the header grammar: safe to forward verbatim.
bool IsSafeToken(std::string_view text, bool allow_equals) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c <= 0x20 || c >= 0x7f || c == ';' || c == ',') return false;
    if (c == '=' && !allow_equals) return false;
  }
  return true;
}

std::string Hex64(uint64_t value) { return fmt::format("{:016x}", value); }

}  // namespace

std::string NewTraceId(WallTime now, RandomSource& random) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  uint64_t high = random.NextU64() & 0xffffffffULL;
  uint64_t low = random.NextU64();
  return fmt::format("1-{:08x}-{:08x}{:016x}", static_cast<uint32_t>(seconds), high, low);
}

std::string NewSpanId(RandomSource& random) {
  uint64_t value = random.NextU64();
  if (value == 0) value = 1;
  return Hex64(value);
}

std::optional<std::string> XRayToW3cTraceId(std::string_view xray_id) {
  if (!IsValidXRayTraceId(xray_id)) return std::nullopt;
  std::string out = AsciiLower(xray_id.substr(2, 8)) + AsciiLower(xray_id.substr(11));
  if (IsAllZeros(out)) return std::nullopt;
  return out;
}

std::optional<std::string> W3cToXRayTraceId(std::string_view w3c_id) {
  if (w3c_id.size() != 32 || !IsAllHex(w3c_id) || IsAllZeros(w3c_id)) return std::nullopt;
  return "1-" + AsciiLower(w3c_id.substr(0, 8)) + "-" + AsciiLower(w3c_id.substr(8));
}

std::optional<TraceContext> ParseAmznTraceId(std::string_view header) {
  if (header.size() > kMaxHeaderBytes) return std::nullopt;
  TraceContext context;
  size_t fields = 0;
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view field = Trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    if (field.empty()) continue;
    if (++fields > kMaxFields) return std::nullopt;
    size_t equals = field.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view key = Trim(field.substr(0, equals));
    std::string_view value = Trim(field.substr(equals + 1));
    if (EqualsIgnoreCase(key, "Root")) {
      if (!IsValidXRayTraceId(value)) return std::nullopt;
      context.trace_id = AsciiLower(value);
    } else if (EqualsIgnoreCase(key, "Parent")) {
      context.parent_id = IsValidSpanId(value) ? AsciiLower(value) : std::string();
    } else if (EqualsIgnoreCase(key, "Sampled")) {
      context.sampled = value == "1"   ? Sampled::kYes
                        : value == "0" ? Sampled::kNo
                        : value == "?" ? Sampled::kRequested
                                       : Sampled::kUnset;
    } else if (EqualsIgnoreCase(key, "Self")) {
      if (IsSafeToken(value, false)) context.self = std::string(value);
    } else if (IsSafeToken(key, false) && IsSafeToken(value, true)) {
      context.extra.emplace_back(std::string(key), std::string(value));
    }
  }
  if (!context.valid()) return std::nullopt;
  return context;
}

std::string FormatAmznTraceId(const TraceContext& context) {
  std::string out;
  auto append = [&out](std::string_view key, std::string_view value) {
    if (!out.empty()) out.push_back(';');
    out.append(key);
    out.push_back('=');
    out.append(value);
  };
  if (IsSafeToken(context.self, false)) append("Self", context.self);
  if (IsValidXRayTraceId(context.trace_id)) append("Root", context.trace_id);
  if (IsValidSpanId(context.parent_id)) append("Parent", context.parent_id);
  switch (context.sampled) {
    case Sampled::kYes:
      append("Sampled", "1");
      break;
    case Sampled::kNo:
      append("Sampled", "0");
      break;
    case Sampled::kRequested:
      append("Sampled", "?");
      break;
    case Sampled::kUnset:
      break;
  }
  for (const auto& [key, value] : context.extra) {
    if (IsSafeToken(key, false) && IsSafeToken(value, true)) append(key, value);
  }
  return out;
}

std::string FormatAmznTraceIdEcho(const TraceContext& context, bool sampled) {
  if (!IsValidXRayTraceId(context.trace_id)) return {};
  return "Root=" + context.trace_id + ";Sampled=" + (sampled ? "1" : "0");
}

std::optional<TraceContext> ParseTraceparent(std::string_view traceparent,
                                             std::string_view tracestate) {
  traceparent = Trim(traceparent);
  // version(2) - trace-id(32) - parent-id(16) - flags(2) = 55 characters.
  if (traceparent.size() < 55) return std::nullopt;
  std::string_view version = traceparent.substr(0, 2);
  if (!AllLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" && traceparent.size() != 55) return std::nullopt;
  if (traceparent.size() > 55 && traceparent[55] != '-') return std::nullopt;
  if (traceparent[2] != '-' || traceparent[35] != '-' || traceparent[52] != '-')
    return std::nullopt;
  std::string_view trace = traceparent.substr(3, 32);
  std::string_view parent = traceparent.substr(36, 16);
  std::string_view flags = traceparent.substr(53, 2);
  if (!AllLowerHex(trace) || !AllLowerHex(parent) || !AllLowerHex(flags)) return std::nullopt;
  auto xray_id = W3cToXRayTraceId(trace);
  if (!xray_id || !IsValidSpanId(parent)) return std::nullopt;
  TraceContext context;
  context.trace_id = std::move(*xray_id);
  context.parent_id = std::string(parent);
  int flag_bits = std::stoi(std::string(flags), nullptr, 16);
  context.sampled = (flag_bits & 1) ? Sampled::kYes : Sampled::kNo;
  tracestate = Trim(tracestate);
  bool state_ok = tracestate.size() <= kMaxTracestateBytes;
  for (char c : tracestate) {
    if (c < 0x20 || c >= 0x7f) state_ok = false;
  }
  if (state_ok) context.tracestate = std::string(tracestate);
  return context;
}

std::string FormatTraceparent(const TraceContext& context) {
  auto trace = XRayToW3cTraceId(context.trace_id);
  if (!trace || !IsValidSpanId(context.parent_id)) return {};
  return fmt::format("00-{}-{}-{}", *trace, AsciiLower(context.parent_id),
                     context.sampled == Sampled::kYes ? "01" : "00");
}

std::optional<TraceContext> ExtractTraceContext(const http::HttpRequest& request) {
  std::string_view amzn = http::HeaderValue(request, kAmznTraceIdHeader);
  std::string_view traceparent = http::HeaderValue(request, kTraceparentHeader);
  std::string_view tracestate = http::HeaderValue(request, kTracestateHeader);
  std::optional<TraceContext> w3c;
  if (!traceparent.empty()) w3c = ParseTraceparent(traceparent, tracestate);
  if (!amzn.empty()) {
    if (auto context = ParseAmznTraceId(amzn)) {
      // tracestate belongs to the W3C trace; keep it only when both headers describe one trace.
      if (w3c && w3c->trace_id == context->trace_id) context->tracestate = w3c->tracestate;
      return context;
    }
  }
  return w3c;
}

void InjectTraceContext(http::HttpRequest& request, const TraceContext& context) {
  std::string amzn = FormatAmznTraceId(context);
  if (amzn.empty()) {
    request.erase(kAmznTraceIdHeader);
  } else {
    request.set(kAmznTraceIdHeader, amzn);
  }
  std::string traceparent = FormatTraceparent(context);
  if (traceparent.empty()) {
    request.erase(kTraceparentHeader);
    request.erase(kTracestateHeader);
    return;
  }
  request.set(kTraceparentHeader, traceparent);
  if (context.tracestate.empty()) {
    request.erase(kTracestateHeader);
  } else {
    request.set(kTracestateHeader, context.tracestate);
  }
}

}  // namespace ck::telemetry
