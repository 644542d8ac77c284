#include "platform/task_stats.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <thread>
#include <vector>

namespace ck::platform {
namespace {

using namespace std::chrono_literals;

constexpr uint64_t kMiB = 1024 * 1024;

// A forked child running `body`, which reports readiness by writing to the fd it is given.
// Killed (with its process group when it leads one) and reaped on destruction.
class Child {
 public:
  explicit Child(const std::function<void(int ready_fd)>& body) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // no stray burner if the test dies
      ::close(fds[0]);
      body(fds[1]);
      ::_exit(0);
    }
    ::close(fds[1]);
    ready_fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);  // no-op unless the child leads its own group
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (ready_fd_ >= 0) ::close(ready_fd_);
  }
  pid_t pid() const { return pid_; }

  // Waits for the child's readiness message (a pid_t); std::nullopt on timeout or failure.
  std::optional<pid_t> WaitReady() {
    pollfd entry{.fd = ready_fd_, .events = POLLIN, .revents = 0};
    if (::poll(&entry, 1, 10000) != 1) return std::nullopt;
    pid_t value = 0;
    if (::read(ready_fd_, &value, sizeof value) != sizeof value) return std::nullopt;
    return value;
  }

 private:
  pid_t pid_ = -1;
  int ready_fd_ = -1;
};

void Ready(int fd, pid_t value = 0) {
  if (::write(fd, &value, sizeof value) != sizeof value) ::_exit(1);
}

[[noreturn]] void BurnCpu() {
  volatile uint64_t counter = 0;
  for (;;) counter = counter + 1;
}

[[noreturn]] void WaitForever() {
  for (;;) ::pause();
}

// Closes every inherited descriptor except 0-2 and `keep`, so the child holds no sockets.
void CloseInherited(int keep) {
  for (int fd = 3; fd < 1024; ++fd) {
    if (fd != keep) ::close(fd);
  }
}

std::optional<ProcStat> ReadStat(const std::string& path) {
  std::ifstream file(path);
  return ParseProcStat(
      std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>()));
}

std::map<pid_t, TaskStats> SampleOne(TaskStatsSampler& sampler, pid_t pid) {
  const pid_t pids[] = {pid};
  return sampler.Sample(pids);
}

// ---------------------------------------------------------------------------------------------
// /proc/<pid>/stat parsing

std::string StatLine(std::string_view comm) {
  return "4242 (" + std::string(comm) +
         ") R 17 4242 4242 0 -1 4194304 120 0 0 0 250 75 10 5 20 0 3 0 987654 123456789 2048 "
         "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
}

TEST(TaskStatsParseTest, ReadsTheFieldsOfAPlainLine) {
  auto stat = ParseProcStat(StatLine("list-api"));
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->pid, 4242);
  EXPECT_EQ(stat->comm, "list-api");
  EXPECT_EQ(stat->state, 'R');
  EXPECT_EQ(stat->ppid, 17);
  EXPECT_EQ(stat->pgrp, 4242);
  EXPECT_EQ(stat->utime, 250u);
  EXPECT_EQ(stat->stime, 75u);
  EXPECT_EQ(stat->cutime, 10u);
  EXPECT_EQ(stat->cstime, 5u);
  EXPECT_EQ(stat->start_time, 987654u);
  EXPECT_EQ(stat->rss_pages, 2048u);
}

TEST(TaskStatsParseTest, CommandNamesWithSpacesAndParentheses) {
  for (std::string_view comm : {"a b", "a) b) (c", ") R 1 2 3", "((", "", "x\ny", "9 (z) S"}) {
    auto stat = ParseProcStat(StatLine(comm));
    ASSERT_TRUE(stat) << comm;
    EXPECT_EQ(stat->comm, comm);
    EXPECT_EQ(stat->state, 'R') << comm;
    EXPECT_EQ(stat->ppid, 17) << comm;
    EXPECT_EQ(stat->utime, 250u) << comm;
    EXPECT_EQ(stat->rss_pages, 2048u) << comm;
  }
}

TEST(TaskStatsParseTest, NegativeChildTimesReadAsZero) {
  std::string line = StatLine("x");
  line.replace(line.find(" 10 5 "), 6, " -10 -5 ");
  auto stat = ParseProcStat(line);
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->cutime, 0u);
  EXPECT_EQ(stat->cstime, 0u);
}

TEST(TaskStatsParseTest, RejectsMalformedLines) {
  const std::string good = StatLine("x");
  std::string bad_utime = good;
  bad_utime.replace(bad_utime.find(" 250 "), 5, " 2x0 ");
  std::string bad_state = good;
  bad_state.replace(bad_state.find(" R "), 3, " RR ");
  for (const std::string& text :
       {std::string(), std::string("4242"), std::string("4242 (x"), std::string("x) 4242 (y"),
        std::string("abc (x) R 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 1 1"),
        std::string("(x) R 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 1 1"),
        good.substr(0, good.find(" 2048 ")), bad_utime, bad_state}) {
    EXPECT_FALSE(ParseProcStat(text)) << text;
  }
}

TEST(TaskStatsParseTest, ReadsTheRealStatOfThisProcess) {
  auto stat = ReadStat("/proc/self/stat");
  ASSERT_TRUE(stat);
  EXPECT_EQ(stat->pid, ::getpid());
  EXPECT_EQ(stat->ppid, ::getppid());
  EXPECT_EQ(stat->pgrp, ::getpgrp());
  EXPECT_GT(stat->rss_pages, 0u);
}

TEST(TaskStatsParseTest, SocketInodes) {
  EXPECT_EQ(ParseSocketInode("socket:[12345]"), 12345u);
  EXPECT_EQ(ParseSocketInode("socket:[0]"), 0u);
  EXPECT_FALSE(ParseSocketInode("socket:[]"));
  EXPECT_FALSE(ParseSocketInode("socket:[12a]"));
  EXPECT_FALSE(ParseSocketInode("socket:[12"));
  EXPECT_FALSE(ParseSocketInode("pipe:[12345]"));
  EXPECT_FALSE(ParseSocketInode("anon_inode:[eventfd]"));
  EXPECT_FALSE(ParseSocketInode("/dev/null"));
  EXPECT_FALSE(ParseSocketInode(""));
}

// ---------------------------------------------------------------------------------------------
// sock_diag reply parsing, on hand-built messages

void Append(std::vector<std::byte>& buffer, const void* data, size_t size) {
  const auto* bytes = static_cast<const std::byte*>(data);
  buffer.insert(buffer.end(), bytes, bytes + size);
  buffer.resize(NLMSG_ALIGN(buffer.size()));
}

void AppendSocket(std::vector<std::byte>& buffer, uint32_t inode, uint64_t cookie,
                  uint64_t received, uint64_t acked, size_t info_length = sizeof(tcp_info)) {
  tcp_info info{};
  info.tcpi_bytes_received = received;
  info.tcpi_bytes_acked = acked;
  inet_diag_msg message{};
  message.idiag_family = AF_INET;
  message.idiag_inode = inode;
  message.id.idiag_cookie[0] = static_cast<uint32_t>(cookie);
  message.id.idiag_cookie[1] = static_cast<uint32_t>(cookie >> 32);
  const rtattr attribute{.rta_len = static_cast<unsigned short>(RTA_LENGTH(info_length)),
                         .rta_type = INET_DIAG_INFO};
  nlmsghdr header{};
  header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  header.nlmsg_len = NLMSG_LENGTH(NLMSG_ALIGN(sizeof message) + RTA_ALIGN(attribute.rta_len));
  Append(buffer, &header, sizeof header);
  Append(buffer, &message, sizeof message);
  Append(buffer, &attribute, sizeof attribute);
  Append(buffer, &info, info_length);
}

void AppendDone(std::vector<std::byte>& buffer) {
  nlmsghdr header{};
  header.nlmsg_type = NLMSG_DONE;
  header.nlmsg_len = NLMSG_LENGTH(sizeof(int));
  const int zero = 0;
  Append(buffer, &header, sizeof header);
  Append(buffer, &zero, sizeof zero);
}

TEST(TaskStatsSockDiagTest, ParsesSocketsAndTheEnd) {
  std::vector<std::byte> buffer;
  AppendSocket(buffer, 77, 0x0000000500000007ULL, 1000, 2000);
  AppendSocket(buffer, 0, 9, 5, 5);  // TIME_WAIT: no inode, skipped
  AppendSocket(buffer, 78, 8, 3, 4);
  TcpSocketTable table;
  bool done = false;
  ASSERT_TRUE(ParseSockDiagReplies(buffer, table, done).ok());
  EXPECT_FALSE(done);
  AppendDone(buffer);
  table.clear();
  ASSERT_TRUE(ParseSockDiagReplies(buffer, table, done).ok());
  EXPECT_TRUE(done);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.at(77).cookie, 0x0000000500000007ULL);
  EXPECT_EQ(table.at(77).bytes_received, 1000u);
  EXPECT_EQ(table.at(77).bytes_acked, 2000u);
  EXPECT_EQ(table.at(78).bytes_received, 3u);
  EXPECT_EQ(table.at(78).bytes_acked, 4u);
}

TEST(TaskStatsSockDiagTest, AShortTcpInfoMeansNoByteCounters) {
  std::vector<std::byte> buffer;
  AppendSocket(buffer, 77, 1, 1000, 2000, offsetof(tcp_info, tcpi_bytes_acked));
  TcpSocketTable table;
  bool done = false;
  EXPECT_EQ(ParseSockDiagReplies(buffer, table, done).code(), StatusCode::kUnimplemented);
}

TEST(TaskStatsSockDiagTest, KernelErrorsBecomeStatuses) {
  for (const auto& [error, code] :
       {std::pair{EPERM, StatusCode::kPermissionDenied},
        std::pair{EACCES, StatusCode::kPermissionDenied}, std::pair{ENOENT, StatusCode::kNotFound},
        std::pair{EINVAL, StatusCode::kInternal}}) {
    std::vector<std::byte> buffer;
    nlmsghdr header{};
    header.nlmsg_type = NLMSG_ERROR;
    header.nlmsg_len = NLMSG_LENGTH(sizeof(nlmsgerr));
    nlmsgerr body{};
    body.error = -error;
    Append(buffer, &header, sizeof header);
    Append(buffer, &body, sizeof body);
    TcpSocketTable table;
    bool done = false;
    EXPECT_EQ(ParseSockDiagReplies(buffer, table, done).code(), code) << error;
  }
}

TEST(TaskStatsSockDiagTest, MalformedFramingIsAnErrorNeverACrash) {
  std::vector<std::byte> valid;
  AppendSocket(valid, 77, 1, 1000, 2000);
  AppendSocket(valid, 78, 2, 10, 20);
  AppendDone(valid);
  // Every truncation and every single-byte corruption: parse without reading out of bounds.
  for (size_t length = 0; length < valid.size(); ++length) {
    std::vector<std::byte> prefix(valid.begin(), valid.begin() + length);
    TcpSocketTable table;
    bool done = false;
    (void)ParseSockDiagReplies(prefix, table, done);
    EXPECT_FALSE(done) << length;
  }
  for (size_t position = 0; position < valid.size(); ++position) {
    for (const std::byte value : {std::byte{0x00}, std::byte{0x03}, std::byte{0xff}}) {
      std::vector<std::byte> corrupt = valid;
      corrupt[position] = value;
      TcpSocketTable table;
      bool done = false;
      (void)ParseSockDiagReplies(corrupt, table, done);
    }
  }
  std::vector<std::byte> lying = valid;
  const uint32_t huge = 1U << 30;
  std::memcpy(lying.data(), &huge, sizeof huge);
  TcpSocketTable table;
  bool done = false;
  EXPECT_EQ(ParseSockDiagReplies(lying, table, done).code(), StatusCode::kInternal);
}

// ---------------------------------------------------------------------------------------------
// Real processes

TEST(TaskStatsSamplerTest, CpuOfATaskIncludesItsDescendants) {
  // The child only waits; its own child burns CPU.
  Child child([](int ready_fd) {
    const pid_t parent = ::getpid();
    const pid_t burner = ::fork();
    if (burner == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(0);
      BurnCpu();
    }
    Ready(ready_fd, burner);
    WaitForever();
  });
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(child.WaitReady());

  TaskStatsSampler sampler;
  auto first = SampleOne(sampler, child.pid());
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first.at(child.pid()).processes, 2);
  EXPECT_FALSE(first.at(child.pid()).cpu_percent);  // no rate on a first sample
  EXPECT_FALSE(first.at(child.pid()).cpu_units);

  std::this_thread::sleep_for(300ms);
  auto second = SampleOne(sampler, child.pid());
  ASSERT_EQ(second.size(), 1u);
  const TaskStats& stats = second.at(child.pid());
  EXPECT_EQ(stats.processes, 2);
  ASSERT_TRUE(stats.cpu_percent);
  ASSERT_TRUE(stats.cpu_units);
  EXPECT_GT(*stats.cpu_percent, 0.0);
  EXPECT_DOUBLE_EQ(*stats.cpu_units, *stats.cpu_percent / 100.0 * 1024.0);
  EXPECT_GT(stats.cpu_seconds_total, first.at(child.pid()).cpu_seconds_total);
}

TEST(TaskStatsSamplerTest, ProcessGroupMembersCountEvenWhenReparented) {
  // The child leads its group; its grandchild is orphaned (double fork) and reparented away.
  Child child([](int ready_fd) {
    ::setpgid(0, 0);
    int fds[2];
    if (::pipe(fds) != 0) ::_exit(1);
    const pid_t middle = ::fork();
    if (middle == 0) {
      const pid_t orphan = ::fork();
      if (orphan == 0) WaitForever();
      Ready(fds[1], orphan);
      ::_exit(0);
    }
    pid_t orphan = 0;
    if (::read(fds[0], &orphan, sizeof orphan) != sizeof orphan) ::_exit(1);
    ::waitpid(middle, nullptr, 0);
    Ready(ready_fd, orphan);
    WaitForever();
  });
  ASSERT_GT(child.pid(), 0);
  auto orphan = child.WaitReady();
  ASSERT_TRUE(orphan);

  auto orphan_stat = ReadStat("/proc/" + std::to_string(*orphan) + "/stat");
  ASSERT_TRUE(orphan_stat);
  EXPECT_NE(orphan_stat->ppid, child.pid());
  EXPECT_EQ(orphan_stat->pgrp, child.pid());

  TaskStatsSampler sampler;
  auto stats = SampleOne(sampler, child.pid());
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats.at(child.pid()).processes, 2);
}

TEST(TaskStatsSamplerTest, MemoryIsTheResidentSetOfTheTask) {
  Child child([](int ready_fd) {
    CloseInherited(ready_fd);
    void* memory =
        ::mmap(nullptr, 64 * kMiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) ::_exit(1);
    std::memset(memory, 1, 64 * kMiB);  // touch every page
    Ready(ready_fd);
    WaitForever();
  });
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(child.WaitReady());

  int dumps = 0;
  TaskStatsSampler sampler(SystemClock::Instance(), [&]() -> Result<TcpSocketTable> {
    ++dumps;
    return Unavailable("not expected");
  });
  auto stats = SampleOne(sampler, child.pid());
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_GE(stats.at(child.pid()).rss_bytes, 64 * kMiB);
  EXPECT_EQ(stats.at(child.pid()).processes, 1);
  // No socket at all: nothing to dump, and the traffic is a known zero.
  EXPECT_EQ(dumps, 0);
  EXPECT_EQ(stats.at(child.pid()).network_rx_bytes_total, 0u);
  EXPECT_EQ(stats.at(child.pid()).network_tx_bytes_total, 0u);
}

TEST(TaskStatsSamplerTest, DeadAndInvalidPidsAreAbsent) {
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ASSERT_GT(dead, 0);
  ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);

  TaskStatsSampler sampler;
  const pid_t self = ::getpid();
  const pid_t pids[] = {dead, -1, 0, 2147483647, self, self};
  auto stats = sampler.Sample(pids);
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_TRUE(stats.contains(self));
}

int ListenOnLoopback(uint16_t& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 4) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return -1;
  }
  port = ntohs(address.sin_port);
  return fd;
}

// A connected TCP socket to 127.0.0.1:port, or -1.
int ConnectToLoopback(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    return -1;
  }
  return fd;
}

bool SkipIfNoSockDiag() {
  auto dump = DumpTcpSockets();
  return !dump.ok() && dump.status().code() == StatusCode::kUnavailable;
}

TEST(TaskStatsSamplerTest, TcpTrafficOfAChildProcess) {
  if (SkipIfNoSockDiag()) GTEST_SKIP() << "no NETLINK_SOCK_DIAG here";
  uint16_t port = 0;
  const int listener = ListenOnLoopback(port);
  ASSERT_GE(listener, 0);
  constexpr size_t kSent = kMiB;
  constexpr size_t kReplied = 4096;

  // The child sends 1 MiB, then reads the 4 KiB reply, then holds the connection open.
  Child child([&](int ready_fd) {
    CloseInherited(ready_fd);
    const int fd = ConnectToLoopback(port);
    if (fd < 0) ::_exit(1);
    char data[16 * 1024];  // no allocation after fork
    std::memset(data, 'x', sizeof data);
    for (size_t sent = 0; sent < kSent;) {
      const ssize_t n = ::write(fd, data, std::min(sizeof data, kSent - sent));
      if (n <= 0) ::_exit(1);
      sent += static_cast<size_t>(n);
    }
    for (size_t received = 0; received < kReplied;) {
      const ssize_t n = ::read(fd, data, sizeof data);
      if (n <= 0) ::_exit(1);
      received += static_cast<size_t>(n);
    }
    Ready(ready_fd);
    WaitForever();
  });
  ASSERT_GT(child.pid(), 0);

  const int connection = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(connection, 0);
  std::vector<char> data(64 * 1024);
  size_t received = 0;
  while (received < kSent) {
    const ssize_t n = ::read(connection, data.data(), data.size());
    ASSERT_GT(n, 0);
    received += static_cast<size_t>(n);
  }
  EXPECT_EQ(received, kSent);
  const std::vector<char> reply(kReplied, 'y');
  ASSERT_EQ(::write(connection, reply.data(), reply.size()), static_cast<ssize_t>(kReplied));
  ASSERT_TRUE(child.WaitReady());

  // Acknowledgements may trail the data by a delayed-ACK interval: sample until they are in.
  TaskStatsSampler sampler;
  std::map<pid_t, TaskStats> stats;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  do {
    stats = SampleOne(sampler, child.pid());
    ASSERT_EQ(stats.size(), 1u);
    ASSERT_TRUE(stats.at(child.pid()).network_tx_bytes_total);
    if (*stats.at(child.pid()).network_tx_bytes_total > kSent) break;
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < deadline);

  const TaskStats& total = stats.at(child.pid());
  // tcpi_bytes_acked counts the connecting side's SYN as one acknowledged byte.
  EXPECT_EQ(total.network_tx_bytes_total, kSent + 1);
  EXPECT_EQ(total.network_rx_bytes_total, kReplied);

  // Nothing moves any more: the next sample has rates, both exactly zero, and the same totals.
  std::this_thread::sleep_for(50ms);
  auto idle = SampleOne(sampler, child.pid());
  ASSERT_EQ(idle.size(), 1u);
  EXPECT_EQ(idle.at(child.pid()).network_tx_bytes_total, total.network_tx_bytes_total);
  EXPECT_EQ(idle.at(child.pid()).network_rx_bytes_total, kReplied);
  EXPECT_EQ(idle.at(child.pid()).network_rx_bytes_per_second, 0.0);
  EXPECT_EQ(idle.at(child.pid()).network_tx_bytes_per_second, 0.0);

  ::close(connection);
  ::close(listener);
}

uint64_t InodeOf(int fd) {
  struct stat info {};
  return ::fstat(fd, &info) == 0 ? info.st_ino : 0;
}

TEST(TaskStatsSamplerTest, NetworkTotalsAddPerSocketGrowth) {
  const int socket_a = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int socket_b = ::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(socket_a, 0);
  ASSERT_GE(socket_b, 0);
  const uint64_t inode_a = InodeOf(socket_a);
  const uint64_t inode_b = InodeOf(socket_b);
  ASSERT_NE(inode_a, 0u);

  FakeClock clock(WallTime(std::chrono::seconds(1'700'000'000)));
  std::optional<TcpSocketTable> kernel;  // std::nullopt: the dump fails
  TaskStatsSampler sampler(clock, [&]() -> Result<TcpSocketTable> {
    if (!kernel) return PermissionDenied("no");
    return *kernel;
  });
  const pid_t self = ::getpid();
  auto sample = [&] {
    auto stats = SampleOne(sampler, self);
    EXPECT_EQ(stats.size(), 1u);
    return stats.contains(self) ? stats.at(self) : TaskStats{};
  };

  kernel = TcpSocketTable{{inode_a, {.cookie = 1, .bytes_received = 100, .bytes_acked = 10}}};
  TaskStats stats = sample();
  EXPECT_EQ(stats.network_rx_bytes_total, 100u);  // what the socket carried before counts
  EXPECT_EQ(stats.network_tx_bytes_total, 10u);
  EXPECT_FALSE(stats.network_rx_bytes_per_second);
  EXPECT_FALSE(stats.network_tx_bytes_per_second);

  clock.Advance(2s);
  kernel = TcpSocketTable{{inode_a, {.cookie = 1, .bytes_received = 300, .bytes_acked = 50}},
                          {inode_b, {.cookie = 2, .bytes_received = 40, .bytes_acked = 0}}};
  stats = sample();
  EXPECT_EQ(stats.network_rx_bytes_total, 340u);
  EXPECT_EQ(stats.network_tx_bytes_total, 50u);
  EXPECT_EQ(stats.network_rx_bytes_per_second, 120.0);
  EXPECT_EQ(stats.network_tx_bytes_per_second, 20.0);

  // B closes: its counters are still in the kernel's table (another process's socket now, say)
  // but not among our descriptors, so they no longer count.
  ::close(socket_b);
  clock.Advance(1s);
  kernel->at(inode_b).bytes_received = 1'000'000;
  stats = sample();
  EXPECT_EQ(stats.network_rx_bytes_total, 340u);
  EXPECT_EQ(stats.network_rx_bytes_per_second, 0.0);

  // The dump fails: no numbers rather than wrong ones.
  kernel.reset();
  clock.Advance(1s);
  stats = sample();
  EXPECT_FALSE(stats.network_rx_bytes_total);
  EXPECT_FALSE(stats.network_tx_bytes_total);
  EXPECT_FALSE(stats.network_rx_bytes_per_second);
  EXPECT_FALSE(stats.network_tx_bytes_per_second);

  // Back: growth and rate since the last good sample (2 s ago). A's counters went down with a
  // new cookie, i.e. a new socket behind the same inode: all of its bytes are new.
  clock.Advance(1s);
  kernel = TcpSocketTable{{inode_a, {.cookie = 9, .bytes_received = 60, .bytes_acked = 8}}};
  stats = sample();
  EXPECT_EQ(stats.network_rx_bytes_total, 400u);
  EXPECT_EQ(stats.network_tx_bytes_total, 58u);
  EXPECT_EQ(stats.network_rx_bytes_per_second, 30.0);
  EXPECT_EQ(stats.network_tx_bytes_per_second, 4.0);

  // Counters going backwards on the same socket never make totals shrink.
  clock.Advance(1s);
  kernel->at(inode_a).bytes_received = 10;
  stats = sample();
  EXPECT_EQ(stats.network_rx_bytes_total, 400u);
  EXPECT_EQ(stats.network_rx_bytes_per_second, 0.0);

  // The clock stands still: totals, but no rate.
  kernel->at(inode_a).bytes_received = 70;
  stats = sample();
  EXPECT_EQ(stats.network_rx_bytes_total, 460u);
  EXPECT_FALSE(stats.network_rx_bytes_per_second);
  EXPECT_FALSE(stats.cpu_percent);

  ::close(socket_a);
}

TEST(TaskStatsSamplerTest, ForgetsPidsLeftOutOfACall) {
  FakeClock clock(WallTime(std::chrono::seconds(1'700'000'000)));
  TaskStatsSampler sampler(clock, [] { return Result<TcpSocketTable>(TcpSocketTable{}); });
  const pid_t self = ::getpid();
  ASSERT_EQ(SampleOne(sampler, self).size(), 1u);
  clock.Advance(1s);
  EXPECT_TRUE(SampleOne(sampler, self).at(self).cpu_percent);
  EXPECT_TRUE(sampler.Sample({}).empty());
  clock.Advance(1s);
  EXPECT_FALSE(SampleOne(sampler, self).at(self).cpu_percent);  // a first sample again
}

TEST(TaskStatsSamplerTest, DumpTcpSocketsFindsAConnectedSocket) {
  if (SkipIfNoSockDiag()) GTEST_SKIP() << "no NETLINK_SOCK_DIAG here";
  uint16_t port = 0;
  const int listener = ListenOnLoopback(port);
  ASSERT_GE(listener, 0);
  const int client = ConnectToLoopback(port);
  ASSERT_GE(client, 0);
  const int server = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(server, 0);
  ASSERT_EQ(::write(client, "hello", 5), 5);
  char buffer[5];
  ASSERT_EQ(::read(server, buffer, sizeof buffer), 5);

  auto table = DumpTcpSockets();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_TRUE(table->contains(InodeOf(listener)));
  ASSERT_TRUE(table->contains(InodeOf(server)));
  ASSERT_TRUE(table->contains(InodeOf(client)));
  EXPECT_EQ(table->at(InodeOf(server)).bytes_received, 5u);
  EXPECT_EQ(table->at(InodeOf(listener)).bytes_received, 0u);
  EXPECT_NE(table->at(InodeOf(server)).cookie, table->at(InodeOf(client)).cookie);
  ::close(server);
  ::close(client);
  ::close(listener);
}

}  // namespace
}  // namespace ck::platform
