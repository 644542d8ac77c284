// Segment emission to an X-Ray daemon (or our collector) over UDP, off the request path.
//
// SegmentSink is what the tracer hands finished segment documents to. UdpEmitter implements it
// with a bounded queue and one sender thread: Emit() only moves the document into the queue
// under a short lock and returns, so a slow, absent or misconfigured daemon never slows a
// request. The sender serialises each document and sends one datagram per document:
//
//   {"format": "json", "version": 1}\n{...segment document...}
//
// Limits and what happens at them (all counted in EmitterStats):
//   - queue full (default 10,000 documents): the new document is dropped (dropped_queue_full);
//   - datagram above max_datagram_bytes (default 65,507, the largest IPv4 UDP payload, which is
//     also under the daemon's 64 KiB read buffer): with kSplitSubsegments the document's
//     subsegments are sent as independent "subsegment" documents (trace_id, parent_id = their
//     parent's id), recursively, and the rest is sent on its own (split_documents counts the
//     extra datagrams); what still does not fit (a single huge subsegment) is dropped
//     (dropped_too_large). With kDrop the whole document is dropped;
//   - send failures (unresolvable host, ENETUNREACH, a full socket buffer: the socket is
//     non-blocking) drop the datagram (send_errors). The daemon address is resolved on the sender
//     thread, again at most every 5 s after a failure.
//
//   UdpEmitter emitter(EmitterOptionsFromEnvironment());
//   emitter.Emit(segment.ToJson());
//
// Configuration: AWS_XRAY_DAEMON_ADDRESS = "host:port" or "tcp:host:port udp:host:port"
// (space- or comma-separated, either order; the TCP address is for sampling requests and is
// only parsed here); CK_TRACING=off (or 0/false) disables tracing (see TracingEnabled...).
//
// Thread-safety: Emit(), Flush() and stats() are thread-safe. The destructor sends what is
// queued (non-blocking sends, so this is quick) and joins the sender.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/status.h"

namespace ck::telemetry {

class SegmentSink {
 public:
  virtual ~SegmentSink() = default;
  // Takes a finished segment (or independent subsegment) document. Never blocks.
  virtual void Emit(nlohmann::json document) = 0;
};

struct DaemonAddress {
  std::string udp_host = "127.0.0.1";
  uint16_t udp_port = 2000;
  std::string tcp_host = "127.0.0.1";
  uint16_t tcp_port = 2000;
};

// Parses the AWS_XRAY_DAEMON_ADDRESS forms; IPv6 hosts in brackets ("[::1]:2000").
Result<DaemonAddress> ParseDaemonAddress(std::string_view text);

enum class OversizePolicy { kSplitSubsegments, kDrop };

inline constexpr std::string_view kDaemonHeader = "{\"format\": \"json\", \"version\": 1}\n";

struct EmitterOptions {
  DaemonAddress address;
  size_t max_queue_documents = 10000;
  size_t max_datagram_bytes = 65507;
  OversizePolicy oversize = OversizePolicy::kSplitSubsegments;
  // Tests: construct without starting the sender; Start() starts it.
  bool start_paused = false;
};

// Options from AWS_XRAY_DAEMON_ADDRESS (an invalid value logs a warning and keeps the default).
EmitterOptions EmitterOptionsFromEnvironment();
// False when CK_TRACING is "off", "0", "false" or "no".
bool TracingEnabledFromEnvironment();

struct EmitterStats {
  uint64_t emitted = 0;             // datagrams handed to the kernel
  uint64_t dropped_queue_full = 0;  // documents
  uint64_t dropped_too_large = 0;   // documents or subsegments that could not fit a datagram
  uint64_t send_errors = 0;         // datagrams
  uint64_t split_documents = 0;     // extra datagrams produced by splitting
  size_t queued = 0;
};

// The datagrams (header + document) for one document under `max_datagram_bytes`, splitting as
// described above; `dropped` counts parts that could not fit. Pure; used by UdpEmitter.
std::vector<std::string> EncodeDatagrams(nlohmann::json document, size_t max_datagram_bytes,
                                         OversizePolicy policy, uint64_t* dropped);

class UdpEmitter final : public SegmentSink {
 public:
  explicit UdpEmitter(EmitterOptions options);
  ~UdpEmitter() override;
  UdpEmitter(const UdpEmitter&) = delete;
  UdpEmitter& operator=(const UdpEmitter&) = delete;

  void Emit(nlohmann::json document) override;
  // Starts the sender if constructed with start_paused; otherwise a no-op.
  void Start();
  // Waits until everything queued so far has been processed; false on timeout.
  bool Flush(std::chrono::milliseconds timeout);
  EmitterStats stats() const;

 private:
  void Run();
  void SendBatch(std::deque<nlohmann::json>& batch);
  bool EnsureSocket();
  void SendDatagram(const std::string& datagram);

  const EmitterOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<nlohmann::json> queue_;
  bool in_flight_ = false;
  bool stopping_ = false;
  std::thread sender_;

  // Sender-thread state.
  int socket_ = -1;
  std::vector<unsigned char> destination_;  // a sockaddr_storage's bytes
  std::chrono::steady_clock::time_point next_resolve_{};

  std::atomic<uint64_t> emitted_{0};
  std::atomic<uint64_t> dropped_queue_full_{0};
  std::atomic<uint64_t> dropped_too_large_{0};
  std::atomic<uint64_t> send_errors_{0};
  std::atomic<uint64_t> split_documents_{0};
};

}  // namespace ck::telemetry
