#include "telemetry/emitter.h"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "core/logger.h"

namespace ck::telemetry {
namespace {

constexpr auto kResolveRetry = std::chrono::seconds(5);

bool ParsePort(std::string_view text, uint16_t* port) {
  if (text.empty() || text.size() > 5) return false;
  uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint32_t>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  *port = static_cast<uint16_t>(value);
  return true;
}

// "host:port" or "[v6]:port".
bool ParseHostPort(std::string_view text, std::string* host, uint16_t* port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view host_part = text.substr(0, colon);
  if (host_part.front() == '[') {
    if (host_part.size() < 3 || host_part.back() != ']') return false;
    host_part = host_part.substr(1, host_part.size() - 2);
  } else if (host_part.find(':') != std::string_view::npos) {
    return false;  // an unbracketed IPv6 address is ambiguous
  }
  for (char c : host_part) {
    if (c <= 0x20 || c >= 0x7f || c == '/' || c == '[' || c == ']') return false;
  }
  if (!ParsePort(text.substr(colon + 1), port)) return false;
  *host = std::string(host_part);
  return true;
}

std::string Dump(const nlohmann::json& document) {
  return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void Encode(nlohmann::json document, size_t max_bytes, OversizePolicy policy,
            std::vector<std::string>* out, uint64_t* dropped) {
  std::string body = Dump(document);
  if (kDaemonHeader.size() + body.size() <= max_bytes) {
    std::string datagram;
    datagram.reserve(kDaemonHeader.size() + body.size());
    datagram.append(kDaemonHeader);
    datagram.append(body);
    out->push_back(std::move(datagram));
    return;
  }
  auto subsegments = document.find("subsegments");
  bool splittable = policy == OversizePolicy::kSplitSubsegments && document.is_object() &&
                    subsegments != document.end() && subsegments->is_array() &&
                    !subsegments->empty() && document.contains("trace_id") &&
                    document.contains("id");
  if (!splittable) {
    ++*dropped;
    return;
  }
  nlohmann::json children = std::move(*subsegments);
  document.erase("subsegments");
  const nlohmann::json trace_id = document["trace_id"];
  const nlohmann::json parent_id = document["id"];
  for (nlohmann::json& child : children) {
    if (!child.is_object()) continue;
    child["type"] = "subsegment";
    child["trace_id"] = trace_id;
    child["parent_id"] = parent_id;
    Encode(std::move(child), max_bytes, policy, out, dropped);
  }
  Encode(std::move(document), max_bytes, policy, out, dropped);
}

}  // namespace

Result<DaemonAddress> ParseDaemonAddress(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == ',' || text[i] == '\t') {
      if (i > start) parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  auto invalid = [&text] {
    return InvalidArgument("invalid X-Ray daemon address \"" + std::string(text.substr(0, 200)) +
                           "\": expected host:port or \"tcp:host:port udp:host:port\"");
  };
  DaemonAddress address;
  if (parts.size() == 1 && parts[0].substr(0, 4) != "udp:" && parts[0].substr(0, 4) != "tcp:") {
    if (!ParseHostPort(parts[0], &address.udp_host, &address.udp_port)) return invalid();
    address.tcp_host = address.udp_host;
    address.tcp_port = address.udp_port;
    return address;
  }
  if (parts.empty() || parts.size() > 2) return invalid();
  bool have_udp = false, have_tcp = false;
  for (std::string_view part : parts) {
    std::string_view scheme = part.substr(0, 4);
    if (scheme == "udp:" && !have_udp) {
      if (!ParseHostPort(part.substr(4), &address.udp_host, &address.udp_port)) return invalid();
      have_udp = true;
    } else if (scheme == "tcp:" && !have_tcp) {
      if (!ParseHostPort(part.substr(4), &address.tcp_host, &address.tcp_port)) return invalid();
      have_tcp = true;
    } else {
      return invalid();
    }
  }
  if (!have_udp) return invalid();
  if (!have_tcp) {
    address.tcp_host = address.udp_host;
    address.tcp_port = address.udp_port;
  }
  return address;
}

EmitterOptions EmitterOptionsFromEnvironment() {
  EmitterOptions options;
  const char* value = std::getenv("AWS_XRAY_DAEMON_ADDRESS");
  if (value != nullptr && *value != '\0') {
    auto address = ParseDaemonAddress(value);
    if (address.ok()) {
      options.address = *address;
    } else {
      Logger::Global().Warn("ignoring AWS_XRAY_DAEMON_ADDRESS",
                            {{"error", address.status().message()}});
    }
  }
  return options;
}

bool TracingEnabledFromEnvironment() {
  const char* value = std::getenv("CK_TRACING");
  if (value == nullptr) return true;
  std::string_view text(value);
  return !(text == "off" || text == "0" || text == "false" || text == "no");
}

std::vector<std::string> EncodeDatagrams(nlohmann::json document, size_t max_datagram_bytes,
                                         OversizePolicy policy, uint64_t* dropped) {
  std::vector<std::string> out;
  Encode(std::move(document), max_datagram_bytes, policy, &out, dropped);
  return out;
}

UdpEmitter::UdpEmitter(EmitterOptions options) : options_(std::move(options)) {
  if (!options_.start_paused) sender_ = std::thread([this] { Run(); });
}

UdpEmitter::~UdpEmitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (sender_.joinable()) sender_.join();
  if (socket_ >= 0) ::close(socket_);
}

void UdpEmitter::Start() {
  std::lock_guard lock(mutex_);
  if (!sender_.joinable() && !stopping_) sender_ = std::thread([this] { Run(); });
}

void UdpEmitter::Emit(nlohmann::json document) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queue_documents || stopping_) {
      dropped_queue_full_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    queue_.push_back(std::move(document));
  }
  wake_.notify_one();
}

bool UdpEmitter::Flush(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return queue_.empty() && !in_flight_; });
}

EmitterStats UdpEmitter::stats() const {
  EmitterStats stats;
  stats.emitted = emitted_.load(std::memory_order_relaxed);
  stats.dropped_queue_full = dropped_queue_full_.load(std::memory_order_relaxed);
  stats.dropped_too_large = dropped_too_large_.load(std::memory_order_relaxed);
  stats.send_errors = send_errors_.load(std::memory_order_relaxed);
  stats.split_documents = split_documents_.load(std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  stats.queued = queue_.size();
  return stats;
}

void UdpEmitter::Run() {
  std::deque<nlohmann::json> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping, and everything queued has been sent
    batch.swap(queue_);
    in_flight_ = true;
    lock.unlock();
    SendBatch(batch);
    batch.clear();
    lock.lock();
    in_flight_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

void UdpEmitter::SendBatch(std::deque<nlohmann::json>& batch) {
  for (nlohmann::json& document : batch) {
    uint64_t dropped = 0;
    std::vector<std::string> datagrams = EncodeDatagrams(
        std::move(document), options_.max_datagram_bytes, options_.oversize, &dropped);
    if (dropped > 0) dropped_too_large_.fetch_add(dropped, std::memory_order_relaxed);
    if (datagrams.size() > 1) {
      split_documents_.fetch_add(datagrams.size() - 1, std::memory_order_relaxed);
    }
    for (const std::string& datagram : datagrams) SendDatagram(datagram);
  }
}

bool UdpEmitter::EnsureSocket() {
  if (socket_ >= 0) return true;
  auto now = std::chrono::steady_clock::now();
  if (now < next_resolve_) return false;
  next_resolve_ = now + kResolveRetry;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* result = nullptr;
  std::string port = std::to_string(options_.address.udp_port);
  if (::getaddrinfo(options_.address.udp_host.c_str(), port.c_str(), &hints, &result) != 0 ||
      result == nullptr) {
    return false;
  }
  int fd = ::socket(result->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd >= 0) {
    auto* bytes = reinterpret_cast<const unsigned char*>(result->ai_addr);
    destination_.assign(bytes, bytes + result->ai_addrlen);
    socket_ = fd;
  }
  ::freeaddrinfo(result);
  return socket_ >= 0;
}

void UdpEmitter::SendDatagram(const std::string& datagram) {
  if (!EnsureSocket()) {
    send_errors_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  // Unconnected sendto: an ICMP "port unreachable" from an absent daemon does not turn later
  // sends into errors, and MSG_DONTWAIT drops instead of waiting when the buffer is full.
  ssize_t sent = ::sendto(socket_, datagram.data(), datagram.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                          reinterpret_cast<const sockaddr*>(destination_.data()),
                          static_cast<socklen_t>(destination_.size()));
  if (sent == static_cast<ssize_t>(datagram.size())) {
    emitted_.fetch_add(1, std::memory_order_relaxed);
  } else {
    send_errors_.fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace ck::telemetry
