// ck_bench_collector: load generator and latency probe for the trace collector (`ck collector`).
//
// Four modes, each printing one JSON line on stdout (diagnostics go to stderr):
//
//   ck_bench_collector udp --port P --segments N [--rate R|max]
//     X-Ray daemon protocol: N datagrams, each the header line plus one segment document (list-api
//     serving GET / with two DynamoDB Scan subsegments, ~1 KB, 3 spans), every one a new trace.
//     --rate paces the sender (datagrams/s); max sends in sendmmsg batches as fast as it can.
//   ck_bench_collector otlp --port P --stats-port S --spans N [--batch 100] [--connections 4]
//                           [--encoding protobuf|json]
//     OTLP/HTTP POST /v1/traces: closed loop on C keep-alive connections (one thread each), every
//     request B spans = B/4 traces of public-site -> list-api -> DynamoDB (SERVER, CLIENT, SERVER,
//     CLIENT spans, two resources). 503/429 answers (queue full) are counted and the request is
//     resent after a backoff (10 ms, doubling up to 1 s), as OTLP exporters do.
//   ck_bench_collector query --port P (--traces FILE | --sample K) [--requests 1000]
//     BatchGetTraces (POST /Traces) for random stored trace ids, one request at a time: latency
//     p50/p99/max. FILE holds one X-Ray trace id per line (written by udp/otlp --ids-out); --sample
//     K takes the K newest trace ids from GetTraceSummaries over the last hour instead.
//   ck_bench_collector graph --port P [--requests 100] [--window-s 3600]
//     GetServiceGraph (POST /ServiceGraph) over the last window: latency p50/p99/max.
//
// What counts for ingest is what the collector stored, not what was sent: udp and otlp read
// GET /stats on the X-Ray API port before sending and poll it (every --poll-ms) after the last
// datagram/request until the queue is empty and the counters have stopped moving. The stored
// rate is the spans_stored delta over the time from the first send to the first poll that saw
// the final count (so it is understated by at most one poll interval).
//
// Generated documents are built once with the project's own encoders (telemetry::Segment,
// otlp::EncodeOtlpTraceProtobuf/Json) and then patched in place per send (trace ids and times
// have fixed widths), so the client spends almost nothing per span. Before sending, udp and otlp
// decode a patched sample with the collector's own decoders and stop if it is not what was meant
// to be sent. Thread-safety: otlp runs one thread per connection, sharing only const data and an
// atomic request counter; the rest is single-threaded. Failure modes: exit 2 on bad flags; exit 1
// when /stats cannot be read, a generated document does not decode, or (otlp, query, graph) any
// request failed; a queue that does not drain within --drain-timeout-ms shows as "drained":false.
#include <utility>  // Boost 1.74's asio/awaitable.hpp needs it first under g++ 12.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "collector/model/xray_document.h"
#include "collector/otlp/otlp_http.h"
#include "collector/otlp/otlp_trace_decoder.h"
#include "collector/otlp/otlp_trace_json.h"
#include "collector/otlp/otlp_trace_protobuf.h"
#include "collector/otlp/otlp_trace_request.h"
#include "core/status.h"
#include "telemetry/segment.h"

namespace {

using ck::Result;
using ck::Status;
using json = nlohmann::json;
using SteadyTime = std::chrono::steady_clock::time_point;
namespace otlp = ck::collector::otlp;

constexpr std::string_view kUsage =
    "usage: ck_bench_collector udp --port P --segments N [--rate R|max] [common flags]\n"
    "       ck_bench_collector otlp --port P --stats-port S --spans N [--batch 100]\n"
    "         [--connections 4] [--encoding protobuf|json] [common flags]\n"
    "       ck_bench_collector query --port P (--traces FILE | --sample K) [--requests 1000]\n"
    "         [--warmup 20] [--ids-per-request 1]\n"
    "       ck_bench_collector graph --port P [--requests 100] [--warmup 5] [--window-s 3600]\n"
    "common: [--host 127.0.0.1] [--poll-ms 10] [--drain-timeout-ms 300000] [--no-stats]\n"
    "        [--ids-out FILE] [--ids-sample 10000] [--seed 1]\n";

// ---------------------------------------------------------------------------------------------
// Flags

struct Options {
  std::string mode;
  std::string host = "127.0.0.1";
  int port = 0;
  int stats_port = 0;  // X-Ray API port for GET /stats; udp: --port
  int poll_ms = 10;
  int64_t drain_timeout_ms = 300000;
  bool no_stats = false;
  std::string ids_out;
  int64_t ids_sample = 10000;
  uint64_t seed = 1;
  // udp
  int64_t segments = 100000;
  int64_t rate = 0;  // datagrams/s; 0 = max
  // otlp
  int64_t spans = 100000;
  int batch = 100;
  int connections = 4;
  std::string encoding = "protobuf";
  // query / graph
  std::string traces_file;
  int64_t sample = 0;
  int64_t requests = 0;
  int64_t warmup = -1;
  int ids_per_request = 1;
  int64_t window_s = 3600;
};

[[noreturn]] void UsageError(const std::string& message) {
  std::cerr << "ck_bench_collector: " << message << "\n" << kUsage;
  std::exit(2);
}

[[noreturn]] void Fatal(const std::string& message) {
  std::cerr << "ck_bench_collector: " << message << "\n";
  std::exit(1);
}

int64_t ParseInt(const std::string& flag, const std::string& text, int64_t min) {
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < min) {
    UsageError(flag + " needs an integer >= " + std::to_string(min) + ", got '" + text + "'");
  }
  return value;
}

Options ParseFlags(int argc, char** argv) {
  Options options;
  if (argc < 2) UsageError("a mode is required");
  options.mode = argv[1];
  if (options.mode == "--help" || options.mode == "-h") {
    std::cout << kUsage;
    std::exit(0);
  }
  if (options.mode != "udp" && options.mode != "otlp" && options.mode != "query" &&
      options.mode != "graph") {
    UsageError("unknown mode '" + options.mode + "'");
  }
  for (int i = 2; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (flag == "--no-stats") {
      options.no_stats = true;
      continue;
    }
    std::string value;
    if (auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
    } else {
      if (i + 1 >= argc) UsageError(flag + " needs a value");
      value = argv[++i];
    }
    if (flag == "--host") {
      options.host = value;
    } else if (flag == "--port") {
      options.port = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--stats-port") {
      options.stats_port = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--poll-ms") {
      options.poll_ms = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--drain-timeout-ms") {
      options.drain_timeout_ms = ParseInt(flag, value, 1);
    } else if (flag == "--ids-out") {
      options.ids_out = value;
    } else if (flag == "--ids-sample") {
      options.ids_sample = ParseInt(flag, value, 1);
    } else if (flag == "--seed") {
      options.seed = static_cast<uint64_t>(ParseInt(flag, value, 0));
    } else if (flag == "--segments") {
      options.segments = ParseInt(flag, value, 1);
    } else if (flag == "--rate") {
      options.rate = value == "max" ? 0 : ParseInt(flag, value, 1);
    } else if (flag == "--spans") {
      options.spans = ParseInt(flag, value, 1);
    } else if (flag == "--batch") {
      options.batch = static_cast<int>(ParseInt(flag, value, 4));
    } else if (flag == "--connections") {
      options.connections = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--encoding") {
      if (value != "protobuf" && value != "json") UsageError("--encoding is protobuf or json");
      options.encoding = value;
    } else if (flag == "--traces") {
      options.traces_file = value;
    } else if (flag == "--sample") {
      options.sample = ParseInt(flag, value, 1);
    } else if (flag == "--requests") {
      options.requests = ParseInt(flag, value, 1);
    } else if (flag == "--warmup") {
      options.warmup = ParseInt(flag, value, 0);
    } else if (flag == "--ids-per-request") {
      options.ids_per_request = static_cast<int>(ParseInt(flag, value, 1));
      if (options.ids_per_request > 5) UsageError("BatchGetTraces takes at most 5 ids");
    } else if (flag == "--window-s") {
      options.window_s = ParseInt(flag, value, 1);
    } else {
      UsageError("unknown flag " + flag);
    }
  }
  if (options.port == 0) UsageError("--port is required");
  if (options.mode == "udp") options.stats_port = options.port;
  if (options.mode == "otlp") {
    if (options.batch % 4 != 0) UsageError("--batch must be a multiple of 4 (spans per trace)");
    if (options.stats_port == 0 && !options.no_stats) {
      UsageError("otlp needs --stats-port (the X-Ray API port) or --no-stats");
    }
  }
  if (options.mode == "query") {
    if (options.traces_file.empty() == (options.sample == 0)) {
      UsageError("query needs exactly one of --traces FILE and --sample K");
    }
    if (options.requests == 0) options.requests = 1000;
    if (options.warmup < 0) options.warmup = 20;
  }
  if (options.mode == "graph") {
    if (options.requests == 0) options.requests = 100;
    if (options.warmup < 0) options.warmup = 5;
  }
  return options;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double SecondsSince(SteadyTime start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

constexpr char kHexDigits[] = "0123456789abcdef";

// Writes `digits` lower-case hex digits of `value` (the low bits) at `out`.
void WriteHex(char* out, uint64_t value, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHexDigits[value & 0xf];
    value >>= 4;
  }
}

// Writes `digits` decimal digits of `value` at `out` (zero-padded).
void WriteDecimal(char* out, uint64_t value, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// A trace's identity: 32 bits of epoch seconds (as X-Ray ids carry), the run's nonce and a
// counter. X-Ray form "1-<8 hex time>-<8 hex nonce><16 hex counter>"; the W3C form is the same
// 32 hex digits without the dashes.
struct TraceIdParts {
  uint32_t epoch = 0;
  uint32_t nonce = 0;
  uint64_t counter = 0;
};

std::string XRayTraceId(const TraceIdParts& parts) {
  std::string id = "1-00000000-000000000000000000000000";
  WriteHex(&id[2], parts.epoch, 8);
  WriteHex(&id[11], parts.nonce, 8);
  WriteHex(&id[19], parts.counter, 16);
  return id;
}

// Which traces go to --ids-out: every stride-th, so about --ids-sample of them.
struct IdSampler {
  uint64_t stride = 1;
  std::vector<std::string> ids;
  IdSampler(uint64_t total_traces, int64_t wanted) {
    stride =
        std::max<uint64_t>(1, total_traces / static_cast<uint64_t>(std::max<int64_t>(1, wanted)));
  }
  void Offer(const TraceIdParts& parts) {
    if (parts.counter % stride == 0) ids.push_back(XRayTraceId(parts));
  }
};

void WriteIds(const std::string& path, const std::vector<std::string>& ids) {
  if (path.empty()) return;
  std::ofstream out(path, std::ios::trunc);
  for (const std::string& id : ids) out << id << '\n';
  out.close();
  if (!out) Fatal("cannot write " + path);
}

double PercentileMs(const std::vector<uint32_t>& sorted_us, double fraction) {
  if (sorted_us.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted_us.size())));
  rank = std::clamp<size_t>(rank, 1, sorted_us.size());
  return sorted_us[rank - 1] / 1000.0;
}

// The system-wide UDP receive-buffer drop counter (/proc/net/snmp Udp RcvbufErrors): datagrams
// the kernel discarded because a socket's buffer was full. Other sockets count too.
uint64_t UdpRcvbufErrors() {
  std::ifstream in("/proc/net/snmp");
  std::string header;
  std::string values;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Udp: ", 0) != 0) continue;
    if (header.empty()) {
      header = line;
    } else {
      values = line;
      break;
    }
  }
  std::vector<std::string> names;
  std::vector<std::string> numbers;
  auto split = [](const std::string& text, std::vector<std::string>& out) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t end = text.find(' ', pos);
      if (end == std::string::npos) end = text.size();
      if (end > pos) out.push_back(text.substr(pos, end - pos));
      pos = end + 1;
    }
  };
  split(header, names);
  split(values, numbers);
  for (size_t i = 0; i < names.size() && i < numbers.size(); ++i) {
    if (names[i] == "RcvbufErrors") return std::strtoull(numbers[i].c_str(), nullptr, 10);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// A blocking keep-alive HTTP/1.1 client on a bare socket: one request at a time, Content-Length
// bodies only. Used for /stats polls, the query modes (latency, one request in flight) and by each
// OTLP connection thread.

struct HttpReply {
  int status = 0;
  std::string body;
};

class BlockingHttp {
 public:
  BlockingHttp(std::string host, int port) : host_(std::move(host)), port_(port) {}
  ~BlockingHttp() { Close(); }
  BlockingHttp(const BlockingHttp&) = delete;
  BlockingHttp& operator=(const BlockingHttp&) = delete;

  Result<HttpReply> Send(std::string_view method, std::string_view target,
                         std::string_view content_type, std::string_view body) {
    // A pooled connection the server closed fails on first use: retry once on a fresh one.
    const bool reused = fd_ >= 0;
    Result<HttpReply> reply = Attempt(method, target, content_type, body);
    if (!reply.ok() && reused) reply = Attempt(method, target, content_type, body);
    return reply;
  }

 private:
  Status Connect() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return ck::Unavailable(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    if (inet_pton(AF_INET, host_.c_str(), &address.sin_addr) != 1) {
      Close();
      return ck::InvalidArgument("--host must be an IPv4 address, got " + host_);
    }
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      Status status = ck::Unavailable("connect to " + host_ + ":" + std::to_string(port_) + ": " +
                                      std::strerror(errno));
      Close();
      return status;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    timeval timeout{30, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    in_.clear();
    return Status::Ok();
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  Status Fail(const std::string& what) {
    Status status = ck::Unavailable(what + ": " + std::strerror(errno));
    Close();
    return status;
  }

  Result<HttpReply> Attempt(std::string_view method, std::string_view target,
                            std::string_view content_type, std::string_view body) {
    if (fd_ < 0) CK_RETURN_IF_ERROR(Connect());
    out_.clear();
    out_ += method;
    out_ += ' ';
    out_ += target;
    out_ += " HTTP/1.1\r\nHost: ";
    out_ += host_;
    out_ += ':';
    out_ += std::to_string(port_);
    out_ += "\r\n";
    if (!content_type.empty()) {
      out_ += "Content-Type: ";
      out_ += content_type;
      out_ += "\r\n";
    }
    out_ += "Content-Length: ";
    out_ += std::to_string(body.size());
    out_ += "\r\n\r\n";
    // Large bodies go out with a second send so they are not copied.
    const bool inline_body = body.size() <= 4096;
    if (inline_body) out_ += body;
    if (!WriteAll(out_)) return Fail("write");
    if (!inline_body && !WriteAll(body)) return Fail("write");

    size_t header_end = std::string::npos;
    size_t content_length = 0;
    bool close = false;
    int status = 0;
    while (true) {
      if (header_end == std::string::npos) {
        size_t pos = in_.find("\r\n\r\n");
        if (pos != std::string::npos) {
          header_end = pos + 4;
          std::string_view head(in_.data(), pos);
          if (head.size() < 12 || head.substr(0, 5) != "HTTP/") {
            Close();
            return ck::Internal("not an HTTP response");
          }
          status = std::atoi(in_.c_str() + 9);
          if (!HeaderValue(head, "transfer-encoding").empty()) {
            Close();
            return ck::Internal("chunked responses are not supported");
          }
          content_length =
              std::strtoull(std::string(HeaderValue(head, "content-length")).c_str(), nullptr, 10);
          close = HeaderValue(head, "connection") == "close";
        }
      }
      if (header_end != std::string::npos && in_.size() >= header_end + content_length) break;
      size_t old_size = in_.size();
      in_.resize(old_size + 65536);
      ssize_t n = ::recv(fd_, in_.data() + old_size, 65536, 0);
      if (n <= 0) {
        in_.resize(old_size);
        if (n == 0) errno = ECONNRESET;
        return Fail("read");
      }
      in_.resize(old_size + static_cast<size_t>(n));
    }
    HttpReply reply;
    reply.status = status;
    reply.body.assign(in_, header_end, content_length);
    in_.erase(0, header_end + content_length);
    if (close) Close();
    return reply;
  }

  bool WriteAll(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  static std::string_view HeaderValue(std::string_view head, std::string_view name) {
    size_t line = head.find("\r\n");
    while (line != std::string_view::npos) {
      size_t next = head.find("\r\n", line + 2);
      std::string_view text = head.substr(
          line + 2, next == std::string_view::npos ? std::string_view::npos : next - line - 2);
      if (text.size() > name.size() && text[name.size()] == ':' &&
          std::equal(name.begin(), name.end(), text.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          })) {
        std::string_view value = text.substr(name.size() + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        return value;
      }
      line = next;
    }
    return {};
  }

  std::string host_;
  int port_;
  int fd_ = -1;
  std::string out_;
  std::string in_;
};

std::string Describe(const Result<HttpReply>& reply) {
  if (!reply.ok()) return reply.status().ToString();
  return "HTTP " + std::to_string(reply->status) + ": " + reply->body.substr(0, 500);
}

// ---------------------------------------------------------------------------------------------
// The collector's counters (GET /stats) and waiting for the queue to drain

struct CollectorStats {
  uint64_t spans_stored = 0;
  uint64_t spans_received = 0;
  uint64_t spans_dropped = 0;
  uint64_t datagrams_received = 0;
  uint64_t datagrams_rejected = 0;
  uint64_t otlp_rejected_requests = 0;
  uint64_t write_errors = 0;
  uint64_t queue_depth = 0;
  uint64_t store_spans = 0;
  std::string last_rejection;
};

Result<CollectorStats> FetchStats(BlockingHttp& http) {
  CK_ASSIGN_OR_RETURN(HttpReply reply, http.Send("GET", "/stats", "", ""));
  if (reply.status != 200) return ck::Internal("GET /stats: HTTP " + std::to_string(reply.status));
  json body = json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return ck::Internal("GET /stats: not a JSON object");
  CollectorStats stats;
  auto number = [&](const char* key) { return body.value(key, uint64_t{0}); };
  stats.spans_stored = number("spans_stored");
  stats.spans_received = number("spans_received");
  stats.spans_dropped = number("spans_dropped");
  stats.datagrams_received = number("datagrams_received");
  stats.datagrams_rejected = number("datagrams_rejected");
  stats.otlp_rejected_requests = number("otlp_rejected_requests");
  stats.write_errors = number("write_errors");
  stats.queue_depth = number("queue_depth");
  stats.last_rejection = body.value("last_rejection", "");
  if (body.contains("store") && body["store"].is_object()) {
    stats.store_spans = body["store"].value("spans_stored", uint64_t{0});
  }
  return stats;
}

CollectorStats FetchStatsOrDie(BlockingHttp& http) {
  Result<CollectorStats> stats = FetchStats(http);
  if (!stats.ok()) Fatal("cannot read the collector's /stats: " + stats.status().ToString());
  return *stats;
}

struct DrainResult {
  bool drained = false;
  double stored_at_s = 0;  // since the first send: first poll that saw the final spans_stored
  CollectorStats last;
};

// Polls /stats until the queue is empty and no counter has moved for a while (datagrams may
// still sit in the socket buffer after the queue empties once).
DrainResult WaitForDrain(BlockingHttp& http, SteadyTime first_send, const Options& options) {
  const auto poll = std::chrono::milliseconds(options.poll_ms);
  const double stable_s = std::max(0.05, 5.0 * options.poll_ms / 1000.0);
  DrainResult result;
  CollectorStats previous = FetchStatsOrDie(http);
  double last_change_s = SecondsSince(first_send);
  double stored_changed_s = last_change_s;
  while (true) {
    std::this_thread::sleep_for(poll);
    CollectorStats now = FetchStatsOrDie(http);
    const double at = SecondsSince(first_send);
    if (now.spans_stored != previous.spans_stored) stored_changed_s = at;
    if (now.spans_stored != previous.spans_stored ||
        now.datagrams_received != previous.datagrams_received ||
        now.spans_received != previous.spans_received || now.queue_depth != 0) {
      last_change_s = at;
    }
    previous = now;
    if (now.queue_depth == 0 && at - last_change_s >= stable_s) {
      result.drained = true;
      break;
    }
    if (at * 1000 > static_cast<double>(options.drain_timeout_ms)) break;
  }
  result.last = previous;
  result.stored_at_s = stored_changed_s;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Templates: documents encoded once, patched in place per send

// A marker in a JSON text replaced by a fixed-width slot; the slot's offset is recorded.
// numeric: the marker is a JSON string standing for a number, its quotes are dropped too.
struct Slot {
  std::string marker;
  size_t width = 0;
  bool numeric = false;
  size_t offset = 0;
};

void ReplaceMarkers(std::string& text, std::vector<Slot>& slots) {
  for (size_t i = 0; i < slots.size(); ++i) {
    Slot& slot = slots[i];
    const std::string quoted = "\"" + slot.marker + "\"";
    size_t pos = text.find(quoted);
    if (pos == std::string::npos || text.find(quoted, pos + 1) != std::string::npos) {
      Fatal("template marker " + slot.marker + " not found exactly once");
    }
    size_t start = slot.numeric ? pos : pos + 1;
    size_t old_width = slot.numeric ? quoted.size() : slot.marker.size();
    // Digits so the template stays valid JSON; every send overwrites them.
    text.replace(start, old_width, std::string(slot.width, '1'));
    slot.offset = start;
    for (size_t j = 0; j < i; ++j) {
      if (slots[j].offset > start) slots[j].offset += slot.width - old_width;
    }
  }
}

// Epoch seconds with 6 decimals, always 17 characters ("1764129600.123456").
void WriteEpochSeconds(char* out, int64_t micros) {
  WriteDecimal(out, static_cast<uint64_t>(micros / 1000000), 10);
  out[10] = '.';
  WriteDecimal(out + 11, static_cast<uint64_t>(micros % 1000000), 6);
}

// --- X-Ray segment documents ----------------------------------------------------------------

struct SegmentTemplate {
  std::string datagram;
  size_t trace_id_offset = 0;                     // 35 characters
  std::vector<std::pair<size_t, int64_t>> times;  // offset, micros after the trace's start
  int spans = 0;
};

ck::telemetry::Segment ScanSubsegment(std::string id, std::string request_id) {
  ck::telemetry::Segment scan;
  scan.kind = ck::telemetry::SegmentKind::kSubsegment;
  scan.name = "DynamoDB";
  scan.id = std::move(id);
  scan.namespace_name = std::string(ck::telemetry::kNamespaceAws);
  scan.aws =
      ck::telemetry::AwsCallInfo{"Scan", "cuddlykube", "us-east-1", std::move(request_id), 0};
  scan.SetHttpResponse(200, 4180);
  return scan;
}

// list-api answering GET / for public-site: Scan two pages of the residents table.
SegmentTemplate BuildSegmentTemplate() {
  ck::telemetry::Segment segment;
  segment.name = "list-api";
  segment.id = "6442dd8806f5d43b";
  segment.trace_id = "@trace@";
  segment.parent_id = "fcc5de249086fd41";
  segment.origin = "AWS::ECS::Container";
  segment.http_request = ck::telemetry::HttpRequestInfo{"GET",
                                                        "http://list-api.cuddle-kube.local/",
                                                        "ck-service-client/1 (public-site)",
                                                        "127.0.0.1",
                                                        false,
                                                        false};
  segment.SetHttpResponse(200, 8247);
  segment.subsegments.push_back(
      ScanSubsegment("c5c0c5db2b45b900", "8274489CAC0592065D5AF78A0ED09E45250AA0AFDCE7F090AB46"));
  segment.subsegments.push_back(
      ScanSubsegment("d1a0e4f3b9c27a15", "F1D3A90B6C2E4B8A9E7D1C0B5A4F3E2D1C0B9A8F7E6D5C4B3A29"));
  json document = segment.ToJson();
  document["start_time"] = "@t0@";
  document["end_time"] = "@t1@";
  document["subsegments"][0]["start_time"] = "@t2@";
  document["subsegments"][0]["end_time"] = "@t3@";
  document["subsegments"][1]["start_time"] = "@t4@";
  document["subsegments"][1]["end_time"] = "@t5@";
  std::string text = std::string(ck::collector::kDaemonHeader) + "\n" + document.dump();
  std::vector<Slot> slots = {{"@trace@", 35, false}, {"@t0@", 17, true}, {"@t1@", 17, true},
                             {"@t2@", 17, true},     {"@t3@", 17, true}, {"@t4@", 17, true},
                             {"@t5@", 17, true}};
  ReplaceMarkers(text, slots);
  SegmentTemplate result;
  result.datagram = std::move(text);
  result.trace_id_offset = slots[0].offset;
  result.datagram.replace(result.trace_id_offset, 35, XRayTraceId({}));
  // Segment 2.9 ms; Scans at 0.1-1.2 ms and 1.3-2.6 ms.
  const int64_t at_us[] = {0, 2900, 100, 1200, 1300, 2600};
  for (int i = 0; i < 6; ++i) result.times.emplace_back(slots[1 + i].offset, at_us[i]);
  result.spans = 3;
  return result;
}

void PatchSegment(char* datagram, const SegmentTemplate& segment, const TraceIdParts& trace,
                  int64_t start_us) {
  char* id = datagram + segment.trace_id_offset;
  WriteHex(id + 2, trace.epoch, 8);
  WriteHex(id + 11, trace.nonce, 8);
  WriteHex(id + 19, trace.counter, 16);
  for (const auto& [offset, delta] : segment.times) {
    WriteEpochSeconds(datagram + offset, start_us + delta);
  }
}

void CheckSegmentTemplate(const SegmentTemplate& segment) {
  std::string sample = segment.datagram;
  TraceIdParts trace{static_cast<uint32_t>(NowNanos() / 1000000000), 0xabcdef01u, 42};
  const int64_t start_us = NowNanos() / 1000;
  PatchSegment(sample.data(), segment, trace, start_us);
  auto spans = ck::collector::DecodeDatagram(sample);
  if (!spans.ok()) Fatal("the generated datagram does not decode: " + spans.status().ToString());
  if (static_cast<int>(spans->size()) != segment.spans ||
      (*spans)[0].trace_id != XRayTraceId(trace) ||
      std::llround((*spans)[0].start_time * 1e6) != start_us) {
    Fatal("the generated datagram decodes to something else:\n" + sample);
  }
}

// --- OTLP export requests -------------------------------------------------------------------

struct OtlpTemplate {
  std::string body;
  bool json = false;
  int traces = 0;
  // Per trace slot: where its trace id is (4 spans) and its 8 times with their offsets in ns.
  std::vector<std::vector<size_t>> trace_id_offsets;
  std::vector<std::vector<std::pair<size_t, int64_t>>> times;
};

constexpr int kSpansPerOtlpTrace = 4;
constexpr uint64_t kTimeSentinel = 1'234'567'890'000'000'000ull;  // 19 digits, like real nanos

std::string MarkerTraceId(int slot) {
  std::string id = "c0ffee015ca1ab1e0000000000000000";
  WriteHex(&id[16], static_cast<uint64_t>(slot) + 1, 16);
  return id;
}

std::string SpanIdFor(int slot, int span) {
  std::string id(16, '0');
  WriteHex(&id[0], static_cast<uint64_t>(span) + 0xa1, 2);
  WriteHex(&id[2], static_cast<uint64_t>(slot) + 1, 14);
  return id;
}

otlp::OtlpAttributes ResourceAttributes(const std::string& service) {
  return {{"service.name", service},         {"service.version", "v1"},
          {"cloud.provider", "aws"},         {"cloud.platform", "aws_ecs"},
          {"cloud.region", "us-east-1"},     {"telemetry.sdk.name", "opentelemetry"},
          {"telemetry.sdk.language", "cpp"}, {"telemetry.sdk.version", "1.16.1"}};
}

otlp::OtlpTraceRequest BuildOtlpRequest(int traces) {
  otlp::OtlpTraceRequest request;
  otlp::OtlpResourceSpans site{ResourceAttributes("public-site"), {{"ck.http", "1", {}}}};
  otlp::OtlpResourceSpans list{ResourceAttributes("list-api"), {{"ck.http", "1", {}}}};
  for (int slot = 0; slot < traces; ++slot) {
    const std::string trace_id = MarkerTraceId(slot);
    auto time = [slot](int k) { return kTimeSentinel + static_cast<uint64_t>(slot) * 16 + k; };
    otlp::OtlpSpan server;
    server.trace_id = trace_id;
    server.span_id = SpanIdFor(slot, 0);
    server.name = "GET /list";
    server.kind = otlp::kOtlpSpanKindServer;
    server.start_time_unix_nano = time(0);
    server.end_time_unix_nano = time(1);
    server.attributes = {{"http.request.method", "GET"},
                         {"url.full", "http://127.0.0.1:8080/list"},
                         {"http.route", "/list"},
                         {"http.response.status_code", 200},
                         {"user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
                         {"client.address", "127.0.0.1"}};
    server.status_code = otlp::kOtlpStatusUnset;
    otlp::OtlpSpan call;
    call.trace_id = trace_id;
    call.span_id = SpanIdFor(slot, 1);
    call.parent_span_id = server.span_id;
    call.name = "GET";
    call.kind = otlp::kOtlpSpanKindClient;
    call.start_time_unix_nano = time(2);
    call.end_time_unix_nano = time(3);
    call.attributes = {{"http.request.method", "GET"},
                       {"url.full", "http://list-api.cuddle-kube.local/"},
                       {"server.address", "list-api.cuddle-kube.local"},
                       {"peer.service", "list-api"},
                       {"http.response.status_code", 200}};
    site.scope_spans[0].spans.push_back(std::move(server));
    site.scope_spans[0].spans.push_back(call);

    otlp::OtlpSpan list_server;
    list_server.trace_id = trace_id;
    list_server.span_id = SpanIdFor(slot, 2);
    list_server.parent_span_id = call.span_id;
    list_server.name = "GET /";
    list_server.kind = otlp::kOtlpSpanKindServer;
    list_server.start_time_unix_nano = time(4);
    list_server.end_time_unix_nano = time(5);
    list_server.attributes = {{"http.request.method", "GET"},
                              {"url.full", "http://list-api.cuddle-kube.local/"},
                              {"http.route", "/"},
                              {"http.response.status_code", 200}};
    otlp::OtlpSpan scan;
    scan.trace_id = trace_id;
    scan.span_id = SpanIdFor(slot, 3);
    scan.parent_span_id = list_server.span_id;
    scan.name = "DynamoDB.Scan";
    scan.kind = otlp::kOtlpSpanKindClient;
    scan.start_time_unix_nano = time(6);
    scan.end_time_unix_nano = time(7);
    scan.attributes = {{"rpc.system", "aws-api"},
                       {"rpc.service", "DynamoDB"},
                       {"rpc.method", "Scan"},
                       {"db.system", "dynamodb"},
                       {"aws.dynamodb.table_names", json::array({"cuddlykube"})},
                       {"aws.request_id", "8274489CAC0592065D5AF78A0ED09E45250AA0AFDCE7F090AB46"},
                       {"http.response.status_code", 200}};
    list.scope_spans[0].spans.push_back(std::move(list_server));
    list.scope_spans[0].spans.push_back(std::move(scan));
  }
  request.resource_spans.push_back(std::move(site));
  request.resource_spans.push_back(std::move(list));
  return request;
}

// Offsets of every occurrence of `needle` in `haystack`.
std::vector<size_t> FindAll(std::string_view haystack, std::string_view needle) {
  std::vector<size_t> found;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + 1)) {
    found.push_back(pos);
  }
  return found;
}

std::string BytesOfHex(std::string_view hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

std::string LittleEndian64(uint64_t value) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return bytes;
}

OtlpTemplate BuildOtlpTemplate(int batch, bool use_json) {
  OtlpTemplate result;
  result.json = use_json;
  result.traces = batch / kSpansPerOtlpTrace;
  otlp::OtlpTraceRequest request = BuildOtlpRequest(result.traces);
  result.body =
      use_json ? otlp::EncodeOtlpTraceJson(request) : otlp::EncodeOtlpTraceProtobuf(request);
  // The public-site server span covers 2.9 ms, its call to list-api 0.2-2.8 ms; list-api's own
  // span 0.4-2.7 ms and its Scan 0.5-2.5 ms.
  const int64_t at_ns[] = {0,       2'900'000, 200'000, 2'800'000,
                           400'000, 2'700'000, 500'000, 2'500'000};
  for (int slot = 0; slot < result.traces; ++slot) {
    const std::string marker = MarkerTraceId(slot);
    std::vector<size_t> ids = FindAll(result.body, use_json ? marker : BytesOfHex(marker));
    if (ids.size() != kSpansPerOtlpTrace) Fatal("OTLP template: trace id marker not found 4 times");
    result.trace_id_offsets.push_back(std::move(ids));
    std::vector<std::pair<size_t, int64_t>> times;
    for (int k = 0; k < 8; ++k) {
      const uint64_t sentinel = kTimeSentinel + static_cast<uint64_t>(slot) * 16 + k;
      std::vector<size_t> found =
          FindAll(result.body, use_json ? std::to_string(sentinel) : LittleEndian64(sentinel));
      if (found.size() != 1) Fatal("OTLP template: time marker not found exactly once");
      times.emplace_back(found[0], at_ns[k]);
    }
    result.times.push_back(std::move(times));
  }
  return result;
}

void PatchOtlp(std::string& body, const OtlpTemplate& otlp_template, int slot,
               const TraceIdParts& trace, int64_t start_ns) {
  for (size_t offset : otlp_template.trace_id_offsets[static_cast<size_t>(slot)]) {
    char* out = body.data() + offset;
    if (otlp_template.json) {
      WriteHex(out, trace.epoch, 8);
      WriteHex(out + 8, trace.nonce, 8);
      WriteHex(out + 16, trace.counter, 16);
    } else {
      for (int i = 0; i < 4; ++i) out[i] = static_cast<char>(trace.epoch >> (24 - 8 * i));
      for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>(trace.nonce >> (24 - 8 * i));
      for (int i = 0; i < 8; ++i) out[8 + i] = static_cast<char>(trace.counter >> (56 - 8 * i));
    }
  }
  for (const auto& [offset, delta] : otlp_template.times[static_cast<size_t>(slot)]) {
    const uint64_t nanos = static_cast<uint64_t>(start_ns + delta);
    char* out = body.data() + offset;
    if (otlp_template.json) {
      WriteDecimal(out, nanos, 19);
    } else {
      for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((nanos >> (8 * i)) & 0xff);
    }
  }
}

void CheckOtlpTemplate(const OtlpTemplate& otlp_template) {
  std::string sample = otlp_template.body;
  const int64_t start_ns = NowNanos();
  TraceIdParts trace{static_cast<uint32_t>(start_ns / 1000000000), 0x12345678u, 7};
  for (int slot = 0; slot < otlp_template.traces; ++slot) {
    trace.counter = 7 + static_cast<uint64_t>(slot);
    PatchOtlp(sample, otlp_template, slot, trace, start_ns);
  }
  auto decoded = otlp_template.json ? otlp::DecodeOtlpTraceJson(sample)
                                    : otlp::DecodeOtlpTraceProtobuf(sample);
  if (!decoded.ok())
    Fatal("the generated OTLP body does not decode: " + decoded.status().ToString());
  const size_t expected = static_cast<size_t>(otlp_template.traces) * kSpansPerOtlpTrace;
  bool as_meant = decoded->rejected_spans == 0 && decoded->spans.size() == expected;
  for (const auto& span : decoded->spans) {
    // Every span in one of the patched traces, within the first 3 ms after the start.
    const int64_t offset_us = std::llround(span.start_time * 1e6) - start_ns / 1000;
    const bool known_trace =
        span.trace_id.size() == 35 && span.trace_id.compare(0, 19, XRayTraceId(trace), 0, 19) == 0;
    if (!known_trace || offset_us < -1 || offset_us > 3000 || span.end_time <= span.start_time) {
      as_meant = false;
    }
  }
  if (!as_meant) {
    Fatal("the generated OTLP body decodes to something else (" +
          std::to_string(decoded->spans.size()) + " spans, " +
          std::to_string(decoded->rejected_spans) + " rejected: " + decoded->error_message + ")");
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting the stored rate

struct IngestOutcome {
  bool stats = false;
  CollectorStats before;
  DrainResult drain;
};

void AppendStoredFields(std::string& out, const IngestOutcome& outcome, int spans_per_document) {
  if (!outcome.stats) {
    out += ",\"spans_stored\":null";
    return;
  }
  const CollectorStats& before = outcome.before;
  const CollectorStats& after = outcome.drain.last;
  const uint64_t stored = after.spans_stored - before.spans_stored;
  const double seconds = outcome.drain.stored_at_s;
  char buffer[768];
  std::snprintf(
      buffer, sizeof(buffer),
      ",\"drained\":%s,\"stored_s\":%.3f,\"spans_stored\":%" PRIu64
      ",\"stored_spans_per_s\":%.1f,\"stored_documents_per_s\":%.1f,\"spans_dropped\":%" PRIu64
      ",\"datagrams_received\":%" PRIu64 ",\"datagrams_rejected\":%" PRIu64
      ",\"otlp_rejected_requests\":%" PRIu64 ",\"write_errors\":%" PRIu64
      ",\"store_spans_total\":%" PRIu64,
      outcome.drain.drained ? "true" : "false", seconds, stored,
      seconds > 0 ? static_cast<double>(stored) / seconds : 0.0,
      seconds > 0 ? static_cast<double>(stored) / spans_per_document / seconds : 0.0,
      after.spans_dropped - before.spans_dropped,
      after.datagrams_received - before.datagrams_received,
      after.datagrams_rejected - before.datagrams_rejected,
      after.otlp_rejected_requests - before.otlp_rejected_requests,
      after.write_errors - before.write_errors, after.store_spans);
  out += buffer;
  if (after.datagrams_rejected != before.datagrams_rejected ||
      after.otlp_rejected_requests != before.otlp_rejected_requests) {
    std::cerr << "ck_bench_collector: the collector rejected input; last: " << after.last_rejection
              << "\n";
  }
  if (!outcome.drain.drained) {
    std::cerr
        << "ck_bench_collector: the collector's queue did not drain within --drain-timeout-ms\n";
  }
}

// ---------------------------------------------------------------------------------------------
// udp

int RunUdp(const Options& options) {
  const SegmentTemplate segment = BuildSegmentTemplate();
  CheckSegmentTemplate(segment);

  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Fatal(std::string("socket: ") + std::strerror(errno));
  int send_buffer = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof(send_buffer));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(options.port));
  if (inet_pton(AF_INET, options.host.c_str(), &address.sin_addr) != 1) {
    Fatal("--host must be an IPv4 address");
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    Fatal(std::string("connect: ") + std::strerror(errno));
  }

  BlockingHttp stats_http(options.host, options.stats_port);
  IngestOutcome outcome;
  outcome.stats = !options.no_stats;
  if (outcome.stats) outcome.before = FetchStatsOrDie(stats_http);
  const uint64_t kernel_drops_before = UdpRcvbufErrors();

  constexpr int kBatch = 64;
  const size_t size = segment.datagram.size();
  std::vector<std::string> buffers(kBatch, segment.datagram);
  std::vector<iovec> iovecs(kBatch);
  std::vector<mmsghdr> messages(kBatch);
  for (int i = 0; i < kBatch; ++i) {
    iovecs[i] = {buffers[i].data(), size};
    messages[i] = {};
    messages[i].msg_hdr.msg_iov = &iovecs[i];
    messages[i].msg_hdr.msg_iovlen = 1;
  }
  std::mt19937_64 random(options.seed * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(NowNanos()));
  const uint32_t nonce = static_cast<uint32_t>(random());
  IdSampler sampler(static_cast<uint64_t>(options.segments), options.ids_sample);
  const int batch = options.rate == 0
                        ? kBatch
                        : static_cast<int>(std::clamp<int64_t>(options.rate / 2000, 1, kBatch));

  const double cpu_before = CpuSeconds();
  const SteadyTime start = std::chrono::steady_clock::now();
  int64_t sent = 0;
  uint64_t send_errors = 0;
  std::string first_error;
  while (sent < options.segments) {
    if (options.rate > 0) {
      const double due = SecondsSince(start) * static_cast<double>(options.rate);
      if (static_cast<double>(sent) >= due) {
        const double ahead_s =
            (static_cast<double>(sent) - due + 1) / static_cast<double>(options.rate);
        std::this_thread::sleep_for(std::chrono::duration<double>(std::min(ahead_s, 0.001)));
        continue;
      }
    }
    const int count = static_cast<int>(std::min<int64_t>(batch, options.segments - sent));
    const int64_t now_us = NowNanos() / 1000;
    for (int i = 0; i < count; ++i) {
      TraceIdParts trace{static_cast<uint32_t>(now_us / 1000000), nonce,
                         static_cast<uint64_t>(sent + i)};
      PatchSegment(buffers[i].data(), segment, trace, now_us - 3000);
      sampler.Offer(trace);
    }
    int done = 0;
    while (done < count) {
      int n = ::sendmmsg(fd, messages.data() + done, static_cast<unsigned>(count - done), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        // ECONNREFUSED: an earlier datagram found no listener (ICMP); ENOBUFS: local queue full.
        ++send_errors;
        if (first_error.empty()) first_error = std::strerror(errno);
        if (send_errors > 1000) Fatal("sendmmsg keeps failing: " + first_error);
        ++done;  // that datagram is lost
        continue;
      }
      done += n;
    }
    sent += count;
  }
  const double send_s = SecondsSince(start);
  if (outcome.stats) outcome.drain = WaitForDrain(stats_http, start, options);
  const double cpu_s = CpuSeconds() - cpu_before;
  const double wall_s = SecondsSince(start);
  const uint64_t kernel_drops = UdpRcvbufErrors() - kernel_drops_before;
  ::close(fd);
  WriteIds(options.ids_out, sampler.ids);

  std::string out;
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer),
                "{\"mode\":\"udp\",\"segments\":%" PRId64
                ",\"spans_per_segment\":%d,"
                "\"datagram_bytes\":%zu,\"rate\":%s,\"send_s\":%.3f,\"sent_per_s\":%.1f,"
                "\"send_errors\":%" PRIu64 ",\"kernel_rcvbuf_drops\":%" PRIu64,
                options.segments, segment.spans, size,
                options.rate == 0 ? "\"max\"" : std::to_string(options.rate).c_str(), send_s,
                static_cast<double>(options.segments) / send_s, send_errors, kernel_drops);
  out += buffer;
  AppendStoredFields(out, outcome, segment.spans);
  if (outcome.stats) {
    const uint64_t received =
        outcome.drain.last.datagrams_received - outcome.before.datagrams_received;
    std::snprintf(
        buffer, sizeof(buffer), ",\"lost_pct\":%.2f",
        100.0 * (1.0 - static_cast<double>(std::min<uint64_t>(received, options.segments)) /
                           static_cast<double>(options.segments)));
    out += buffer;
  }
  std::snprintf(buffer, sizeof(buffer), ",\"client_cpu_pct\":%.1f}", 100.0 * cpu_s / wall_s);
  out += buffer;
  std::printf("%s\n", out.c_str());
  if (!first_error.empty())
    std::cerr << "ck_bench_collector: send errors; first: " << first_error << "\n";
  return 0;
}

// ---------------------------------------------------------------------------------------------
// otlp

struct OtlpWorkerStats {
  uint64_t requests = 0;
  uint64_t spans = 0;
  uint64_t errors = 0;
  uint64_t overloaded = 0;  // 503/429 answers, retried
  uint64_t partial = 0;     // 200 with partial_success
  std::vector<uint32_t> latencies_us;
  std::vector<std::string> ids;
  std::string first_error;
};

void OtlpWorker(const Options& options, const OtlpTemplate& otlp_template, uint32_t nonce,
                uint64_t total_requests, std::atomic<uint64_t>& next_request,
                const IdSampler& sampler_shape, OtlpWorkerStats& stats) {
  BlockingHttp http(options.host, options.port);
  std::string body = otlp_template.body;
  const std::string_view content_type =
      otlp_template.json ? otlp::kOtlpJsonContentType : otlp::kOtlpProtobufContentType;
  IdSampler sampler = sampler_shape;
  stats.latencies_us.reserve(total_requests / static_cast<uint64_t>(options.connections) + 16);
  std::chrono::milliseconds backoff(10);
  while (true) {
    const uint64_t request = next_request.fetch_add(1);
    if (request >= total_requests) break;
    const int64_t start_ns = NowNanos() - 3'000'000;
    for (int slot = 0; slot < otlp_template.traces; ++slot) {
      TraceIdParts trace{
          static_cast<uint32_t>(start_ns / 1000000000), nonce,
          request * static_cast<uint64_t>(otlp_template.traces) + static_cast<uint64_t>(slot)};
      PatchOtlp(body, otlp_template, slot, trace, start_ns);
      sampler.Offer(trace);
    }
    while (true) {
      const SteadyTime sent = std::chrono::steady_clock::now();
      Result<HttpReply> reply = http.Send("POST", "/v1/traces", content_type, body);
      const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - sent)
                              .count();
      if (reply.ok() && (reply->status == 503 || reply->status == 429)) {
        // As exporters do: back off (10 ms doubling up to the 1 s Retry-After) and resend. The
        // queue is full then, so the writer stays busy while this connection waits.
        ++stats.overloaded;
        std::this_thread::sleep_for(backoff);
        backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
        continue;
      }
      backoff = std::chrono::milliseconds(10);
      ++stats.requests;
      if (reply.ok() && reply->status == 200) {
        stats.latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(micros, UINT32_MAX)));
        stats.spans += static_cast<uint64_t>(otlp_template.traces) * kSpansPerOtlpTrace;
        if (!reply->body.empty() && reply->body != "{}") ++stats.partial;
      } else {
        ++stats.errors;
        if (stats.first_error.empty()) stats.first_error = Describe(reply);
        if (!reply.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      break;
    }
  }
  stats.ids = std::move(sampler.ids);
}

int RunOtlp(const Options& options) {
  const OtlpTemplate otlp_template = BuildOtlpTemplate(options.batch, options.encoding == "json");
  CheckOtlpTemplate(otlp_template);
  const uint64_t total_requests =
      (static_cast<uint64_t>(options.spans) + static_cast<uint64_t>(options.batch) - 1) /
      static_cast<uint64_t>(options.batch);
  std::mt19937_64 random(options.seed * 0x9E3779B97F4A7C15ull ^ static_cast<uint64_t>(NowNanos()));
  const uint32_t nonce = static_cast<uint32_t>(random());
  const IdSampler sampler_shape(total_requests * static_cast<uint64_t>(otlp_template.traces),
                                options.ids_sample);

  std::optional<BlockingHttp> stats_http;
  IngestOutcome outcome;
  outcome.stats = !options.no_stats;
  if (outcome.stats) {
    stats_http.emplace(options.host, options.stats_port);
    outcome.before = FetchStatsOrDie(*stats_http);
  }
  std::vector<OtlpWorkerStats> stats(static_cast<size_t>(options.connections));
  std::atomic<uint64_t> next_request{0};
  const double cpu_before = CpuSeconds();
  const SteadyTime start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < options.connections; ++c) {
    threads.emplace_back([&, c] {
      OtlpWorker(options, otlp_template, nonce, total_requests, next_request, sampler_shape,
                 stats[static_cast<size_t>(c)]);
    });
  }
  for (auto& thread : threads) thread.join();
  const double send_s = SecondsSince(start);
  if (outcome.stats) outcome.drain = WaitForDrain(*stats_http, start, options);
  const double cpu_s = CpuSeconds() - cpu_before;
  const double wall_s = SecondsSince(start);

  OtlpWorkerStats total;
  std::vector<uint32_t> latencies;
  std::vector<std::string> ids;
  for (OtlpWorkerStats& s : stats) {
    total.requests += s.requests;
    total.spans += s.spans;
    total.errors += s.errors;
    total.overloaded += s.overloaded;
    total.partial += s.partial;
    latencies.insert(latencies.end(), s.latencies_us.begin(), s.latencies_us.end());
    ids.insert(ids.end(), s.ids.begin(), s.ids.end());
    if (total.first_error.empty()) total.first_error = s.first_error;
  }
  std::sort(latencies.begin(), latencies.end());
  WriteIds(options.ids_out, ids);
  if (!total.first_error.empty()) {
    std::cerr << "ck_bench_collector: " << total.errors << " errors; first: " << total.first_error
              << "\n";
  }

  std::string out;
  char buffer[768];
  std::snprintf(buffer, sizeof(buffer),
                "{\"mode\":\"otlp\",\"encoding\":\"%s\",\"batch\":%d,\"connections\":%d,"
                "\"request_bytes\":%zu,\"requests\":%" PRIu64 ",\"spans_sent\":%" PRIu64
                ",\"send_s\":%.3f,\"sent_spans_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
                "\"max_ms\":%.3f,\"errors\":%" PRIu64 ",\"overloaded_retries\":%" PRIu64
                ",\"partial_success\":%" PRIu64,
                options.encoding.c_str(), options.batch, options.connections,
                otlp_template.body.size(), total.requests, total.spans, send_s,
                static_cast<double>(total.spans) / send_s, PercentileMs(latencies, 0.50),
                PercentileMs(latencies, 0.99), PercentileMs(latencies, 1.0), total.errors,
                total.overloaded, total.partial);
  out += buffer;
  AppendStoredFields(out, outcome, 1);
  std::snprintf(buffer, sizeof(buffer), ",\"client_cpu_pct\":%.1f}", 100.0 * cpu_s / wall_s);
  out += buffer;
  std::printf("%s\n", out.c_str());
  return total.errors == 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// query / graph

std::string EpochJson(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f", seconds);
  return buffer;
}

std::vector<std::string> ReadIds(const std::string& path) {
  std::ifstream in(path);
  if (!in) Fatal("cannot read " + path);
  std::vector<std::string> ids;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) ids.push_back(line);
  }
  if (ids.empty()) Fatal(path + " holds no trace ids");
  return ids;
}

// The newest `wanted` trace ids in the last hour, from GetTraceSummaries pages.
std::vector<std::string> SampleIds(BlockingHttp& http, int64_t wanted) {
  std::vector<std::string> ids;
  const double now = static_cast<double>(NowNanos()) / 1e9;
  std::string token;
  while (static_cast<int64_t>(ids.size()) < wanted) {
    json request = {{"StartTime", now - 3600}, {"EndTime", now + 60}};
    if (!token.empty()) request["NextToken"] = token;
    Result<HttpReply> reply =
        http.Send("POST", "/TraceSummaries", "application/json", request.dump());
    if (!reply.ok() || reply->status != 200) Fatal("GetTraceSummaries: " + Describe(reply));
    json body = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) Fatal("GetTraceSummaries: not JSON");
    for (const json& summary : body.value("TraceSummaries", json::array())) {
      if (summary.contains("Id") && summary["Id"].is_string()) {
        ids.push_back(summary["Id"].get<std::string>());
      }
    }
    if (!body.contains("NextToken") || !body["NextToken"].is_string()) break;
    token = body["NextToken"].get<std::string>();
  }
  if (ids.empty()) Fatal("GetTraceSummaries found no traces in the last hour");
  if (static_cast<int64_t>(ids.size()) > wanted) ids.resize(static_cast<size_t>(wanted));
  return ids;
}

struct LatencyRun {
  std::vector<uint32_t> latencies_us;
  uint64_t errors = 0;
  uint64_t misses = 0;  // queried traces the answer did not hold
  uint64_t response_bytes = 0;
  uint64_t items = 0;  // segments (query) or services (graph) in the answers
  std::string first_error;
};

std::string LatencyJson(const LatencyRun& run) {
  std::vector<uint32_t> sorted = run.latencies_us;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (uint32_t v : sorted) sum += v;
  const double n = static_cast<double>(std::max<size_t>(1, sorted.size()));
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer),
                "\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f,"
                "\"errors\":%" PRIu64 ",\"misses\":%" PRIu64 ",\"mean_response_bytes\":%.0f",
                PercentileMs(sorted, 0.50), PercentileMs(sorted, 0.99), PercentileMs(sorted, 1.0),
                sum / n / 1000.0, run.errors, run.misses,
                static_cast<double>(run.response_bytes) / n);
  return buffer;
}

int RunQuery(const Options& options) {
  BlockingHttp http(options.host, options.port);
  std::vector<std::string> ids =
      options.traces_file.empty() ? SampleIds(http, options.sample) : ReadIds(options.traces_file);
  std::mt19937_64 random(options.seed);
  std::uniform_int_distribution<size_t> pick(0, ids.size() - 1);
  LatencyRun run;
  const double cpu_before = CpuSeconds();
  const SteadyTime start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < options.warmup + options.requests; ++i) {
    json request_ids = json::array();
    for (int k = 0; k < options.ids_per_request; ++k) request_ids.push_back(ids[pick(random)]);
    const std::string body = json{{"TraceIds", request_ids}}.dump();
    const SteadyTime sent = std::chrono::steady_clock::now();
    Result<HttpReply> reply = http.Send("POST", "/Traces", "application/json", body);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - sent)
                            .count();
    if (i < options.warmup) continue;
    if (!reply.ok() || reply->status != 200) {
      ++run.errors;
      if (run.first_error.empty()) run.first_error = Describe(reply);
      continue;
    }
    run.latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(micros, UINT32_MAX)));
    run.response_bytes += reply->body.size();
    json answer = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
    const json traces = answer.is_object() ? answer.value("Traces", json::array()) : json::array();
    if (traces.size() < request_ids.size()) run.misses += request_ids.size() - traces.size();
    for (const json& trace : traces) run.items += trace.value("Segments", json::array()).size();
  }
  const double wall_s = SecondsSince(start);
  const double cpu_s = CpuSeconds() - cpu_before;
  if (!run.first_error.empty())
    std::cerr << "ck_bench_collector: first error: " << run.first_error << "\n";
  if (run.misses > 0) {
    std::cerr << "ck_bench_collector: " << run.misses << " queried traces were not found\n";
  }
  std::printf("{\"mode\":\"query\",\"ids\":%zu,\"ids_per_request\":%d,\"requests\":%" PRId64
              ",%s,\"mean_segments\":%.2f,\"client_cpu_pct\":%.1f}\n",
              ids.size(), options.ids_per_request, options.requests, LatencyJson(run).c_str(),
              static_cast<double>(run.items) /
                  static_cast<double>(std::max<size_t>(1, run.latencies_us.size())),
              100.0 * cpu_s / wall_s);
  return run.errors == 0 ? 0 : 1;
}

int RunGraph(const Options& options) {
  BlockingHttp http(options.host, options.port);
  LatencyRun run;
  size_t services = 0;
  for (int64_t i = 0; i < options.warmup + options.requests; ++i) {
    const double now = static_cast<double>(NowNanos()) / 1e9;
    const std::string body =
        "{\"StartTime\":" + EpochJson(now - static_cast<double>(options.window_s)) +
        ",\"EndTime\":" + EpochJson(now) + "}";
    const SteadyTime sent = std::chrono::steady_clock::now();
    Result<HttpReply> reply = http.Send("POST", "/ServiceGraph", "application/json", body);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - sent)
                            .count();
    if (i < options.warmup) continue;
    if (!reply.ok() || reply->status != 200) {
      ++run.errors;
      if (run.first_error.empty()) run.first_error = Describe(reply);
      continue;
    }
    run.latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(micros, UINT32_MAX)));
    run.response_bytes += reply->body.size();
    if (services == 0) {
      json answer = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
      if (answer.is_object()) services = answer.value("Services", json::array()).size();
    }
  }
  if (!run.first_error.empty())
    std::cerr << "ck_bench_collector: first error: " << run.first_error << "\n";
  std::printf("{\"mode\":\"graph\",\"window_s\":%" PRId64 ",\"requests\":%" PRId64
              ",%s,\"services\":%zu}\n",
              options.window_s, options.requests, LatencyJson(run).c_str(), services);
  return run.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseFlags(argc, argv);
  int code = 0;
  if (options.mode == "udp") {
    code = RunUdp(options);
  } else if (options.mode == "otlp") {
    code = RunOtlp(options);
  } else if (options.mode == "query") {
    code = RunQuery(options);
  } else {
    code = RunGraph(options);
  }
  std::fflush(stdout);
  return code;
}
