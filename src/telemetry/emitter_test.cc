#include "telemetry/emitter.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

namespace ck::telemetry {
namespace {

// A UDP socket bound to 127.0.0.1:0 standing in for the daemon.
class FakeDaemon {
 public:
  FakeDaemon() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    int buffer = 8 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~FakeDaemon() { ::close(fd_); }
  uint16_t port() const { return port_; }

  // The next datagram, or "" after 5 s.
  std::string Receive() {
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, 5000) != 1) return {};
    std::string buffer(70000, '\0');
    ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    buffer.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return buffer;
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

EmitterOptions OptionsFor(uint16_t port) {
  EmitterOptions options;
  options.address.udp_port = port;
  return options;
}

nlohmann::json Body(const std::string& datagram) {
  EXPECT_EQ(datagram.substr(0, kDaemonHeader.size()), kDaemonHeader);
  return nlohmann::json::parse(datagram.substr(kDaemonHeader.size()));
}

nlohmann::json SegmentWithSubsegments(int count, size_t padding) {
  nlohmann::json segment = {{"name", "svc"},
                            {"id", "70de5b6f19ff9a0a"},
                            {"trace_id", "1-581cf771-a006649127e371903a2de979"},
                            {"start_time", 1.0},
                            {"end_time", 2.0}};
  for (int i = 0; i < count; ++i) {
    segment["subsegments"].push_back(
        {{"name", "call"},
         {"id", "000000000000000" + std::to_string(i % 10)},
         {"start_time", 1.0},
         {"end_time", 2.0},
         {"metadata", {{"default", {{"pad", std::string(padding, 'x')}}}}}});
  }
  return segment;
}

TEST(DaemonAddressTest, ParsesBothForms) {
  auto simple = ParseDaemonAddress("10.0.0.5:2001");
  ASSERT_TRUE(simple.ok());
  EXPECT_EQ(simple->udp_host, "10.0.0.5");
  EXPECT_EQ(simple->udp_port, 2001);
  EXPECT_EQ(simple->tcp_port, 2001);
  auto split = ParseDaemonAddress("tcp:127.0.0.1:2000 udp:127.0.0.2:2001");
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(split->udp_host, "127.0.0.2");
  EXPECT_EQ(split->udp_port, 2001);
  EXPECT_EQ(split->tcp_host, "127.0.0.1");
  auto comma = ParseDaemonAddress("udp:xray-daemon:2000,tcp:[::1]:2005");
  ASSERT_TRUE(comma.ok());
  EXPECT_EQ(comma->udp_host, "xray-daemon");
  EXPECT_EQ(comma->tcp_host, "::1");
  EXPECT_EQ(comma->tcp_port, 2005);
  for (const char* bad : {"", "host", ":2000", "host:0", "host:65536", "host:x", "::1:2000",
                          "tcp:127.0.0.1:2000", "udp:a:1 udp:b:2", "http://a:1", "a:1 b:2"}) {
    EXPECT_FALSE(ParseDaemonAddress(bad).ok()) << bad;
  }
}

TEST(EmitterEnvironmentTest, ReadsAddressAndSwitch) {
  ::setenv("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.9:2999", 1);
  EXPECT_EQ(EmitterOptionsFromEnvironment().address.udp_port, 2999);
  ::setenv("AWS_XRAY_DAEMON_ADDRESS", "nonsense", 1);
  EXPECT_EQ(EmitterOptionsFromEnvironment().address.udp_port, 2000);
  ::unsetenv("AWS_XRAY_DAEMON_ADDRESS");
  ::setenv("CK_TRACING", "off", 1);
  EXPECT_FALSE(TracingEnabledFromEnvironment());
  ::setenv("CK_TRACING", "on", 1);
  EXPECT_TRUE(TracingEnabledFromEnvironment());
  ::unsetenv("CK_TRACING");
  EXPECT_TRUE(TracingEnabledFromEnvironment());
}

TEST(UdpEmitterTest, SendsHeaderAndDocumentToTheDaemon) {
  FakeDaemon daemon;
  UdpEmitter emitter(OptionsFor(daemon.port()));
  nlohmann::json segment = SegmentWithSubsegments(1, 10);
  emitter.Emit(segment);
  std::string datagram = daemon.Receive();
  ASSERT_FALSE(datagram.empty());
  EXPECT_EQ(datagram.substr(0, kDaemonHeader.size()), "{\"format\": \"json\", \"version\": 1}\n");
  EXPECT_EQ(Body(datagram), segment);
  ASSERT_TRUE(emitter.Flush(std::chrono::seconds(5)));
  EXPECT_EQ(emitter.stats().emitted, 1u);
  EXPECT_EQ(emitter.stats().send_errors, 0u);
}

TEST(UdpEmitterTest, OversizeDocumentsAreSplitIntoIndependentSubsegments) {
  FakeDaemon daemon;
  EmitterOptions options = OptionsFor(daemon.port());
  options.max_datagram_bytes = 4096;
  UdpEmitter emitter(options);
  emitter.Emit(SegmentWithSubsegments(3, 2000));  // ~6 KB: does not fit
  emitter.Emit(SegmentWithSubsegments(1, 5000));  // a subsegment that can never fit
  ASSERT_TRUE(emitter.Flush(std::chrono::seconds(5)));
  std::vector<nlohmann::json> received;
  for (int i = 0; i < 5; ++i) received.push_back(Body(daemon.Receive()));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(received[i]["type"], "subsegment");
    EXPECT_EQ(received[i]["trace_id"], "1-581cf771-a006649127e371903a2de979");
    EXPECT_EQ(received[i]["parent_id"], "70de5b6f19ff9a0a");
  }
  EXPECT_EQ(received[3]["id"], "70de5b6f19ff9a0a");
  EXPECT_FALSE(received[3].contains("subsegments"));
  EXPECT_FALSE(received[3].contains("type"));
  EXPECT_FALSE(received[4].contains("subsegments"));  // the segment without its huge child
  EmitterStats stats = emitter.stats();
  EXPECT_EQ(stats.emitted, 5u);
  EXPECT_EQ(stats.split_documents, 3u);
  EXPECT_EQ(stats.dropped_too_large, 1u);
}

TEST(UdpEmitterTest, DropPolicyDropsOversizeDocumentsWhole) {
  uint64_t dropped = 0;
  auto datagrams =
      EncodeDatagrams(SegmentWithSubsegments(3, 2000), 4096, OversizePolicy::kDrop, &dropped);
  EXPECT_TRUE(datagrams.empty());
  EXPECT_EQ(dropped, 1u);
  datagrams = EncodeDatagrams(nlohmann::json::parse(R"({"name":"\u00e9"})"), 4096,
                              OversizePolicy::kDrop, &dropped);
  ASSERT_EQ(datagrams.size(), 1u);
  // Invalid UTF-8 from a caller is replaced, never thrown.
  datagrams =
      EncodeDatagrams({{"name", std::string("\xff\xfe")}}, 4096, OversizePolicy::kDrop, &dropped);
  EXPECT_EQ(datagrams.size(), 1u);
}

TEST(UdpEmitterTest, FullQueueDropsAndCountsWithoutBlocking) {
  FakeDaemon daemon;
  EmitterOptions options = OptionsFor(daemon.port());
  options.max_queue_documents = 4;
  options.start_paused = true;  // nothing drains: the queue must fill and overflow
  UdpEmitter emitter(options);
  for (int i = 0; i < 10; ++i) emitter.Emit({{"n", i}});
  EmitterStats stats = emitter.stats();
  EXPECT_EQ(stats.queued, 4u);
  EXPECT_EQ(stats.dropped_queue_full, 6u);
  emitter.Start();
  ASSERT_TRUE(emitter.Flush(std::chrono::seconds(5)));
  EXPECT_EQ(emitter.stats().emitted, 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Body(daemon.Receive())["n"], i);
}

TEST(UdpEmitterTest, AbsentDaemonNeverBlocksOrFails) {
  uint16_t closed_port;
  {
    FakeDaemon probe;  // a port that was free a moment ago and is now closed
    closed_port = probe.port();
  }
  UdpEmitter emitter(OptionsFor(closed_port));
  for (int i = 0; i < 2000; ++i) emitter.Emit({{"n", i}});
  ASSERT_TRUE(emitter.Flush(std::chrono::seconds(10)));
  EmitterStats stats = emitter.stats();
  EXPECT_EQ(stats.emitted + stats.send_errors + stats.dropped_queue_full, 2000u);
}

TEST(UdpEmitterTest, UnresolvableHostCountsSendErrors) {
  EmitterOptions options;
  options.address.udp_host = "bad host name";  // getaddrinfo fails immediately, no DNS query
  UdpEmitter emitter(options);
  for (int i = 0; i < 3; ++i) emitter.Emit({{"n", i}});
  ASSERT_TRUE(emitter.Flush(std::chrono::seconds(10)));
  EXPECT_EQ(emitter.stats().send_errors, 3u);
  EXPECT_EQ(emitter.stats().emitted, 0u);
}

}  // namespace
}  // namespace ck::telemetry
