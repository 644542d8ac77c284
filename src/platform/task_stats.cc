#include "platform/task_stats.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>
#include <unordered_set>
#include <vector>

#include "platform/process.h"

namespace ck::platform {
namespace {

// Parses a decimal unsigned field; std::nullopt on anything else.
std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Kernel "long" fields (cutime, cstime) are signed; a negative value is read as zero.
std::optional<uint64_t> ParseSignedAsUnsigned(std::string_view text) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value < 0 ? 0 : static_cast<uint64_t>(value);
}

std::optional<pid_t> ParsePid(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Reads a small /proc file whole; std::nullopt if it cannot be opened or read.
std::optional<std::string> ReadSmallFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string text;
  std::array<char, 4096> chunk;
  for (;;) {
    const ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    text.append(chunk.data(), static_cast<size_t>(n));
    if (text.size() > 64 * 1024) break;  // a stat line is far shorter; never read unbounded
  }
  ::close(fd);
  return text;
}

// Every process visible in /proc, by pid.
std::unordered_map<pid_t, ProcStat> ReadProcessTable() {
  std::unordered_map<pid_t, ProcStat> table;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return table;
  while (const dirent* entry = ::readdir(proc)) {
    const auto pid = ParsePid(entry->d_name);
    if (!pid || *pid <= 0) continue;
    // The process may exit between readdir and open: skip it.
    auto text = ReadSmallFile("/proc/" + std::string(entry->d_name) + "/stat");
    if (!text) continue;
    if (auto stat = ParseProcStat(*text); stat && stat->pid == *pid) table.emplace(*pid, *stat);
  }
  ::closedir(proc);
  return table;
}

// The root, its process group when it leads one, and all their descendants.
std::vector<pid_t> TaskMembers(pid_t root, const std::unordered_map<pid_t, ProcStat>& processes,
                               const std::unordered_multimap<pid_t, pid_t>& children,
                               const std::unordered_multimap<pid_t, pid_t>& group_members) {
  std::vector<pid_t> members;
  std::unordered_set<pid_t> seen;
  std::deque<pid_t> queue;
  auto visit = [&](pid_t pid) {
    if (seen.insert(pid).second) queue.push_back(pid);
  };
  visit(root);
  if (processes.at(root).pgrp == root) {
    auto [begin, end] = group_members.equal_range(root);
    for (auto it = begin; it != end; ++it) visit(it->second);
  }
  while (!queue.empty()) {
    const pid_t pid = queue.front();
    queue.pop_front();
    members.push_back(pid);
    auto [begin, end] = children.equal_range(pid);
    for (auto it = begin; it != end; ++it) visit(it->second);
  }
  return members;
}

// Adds the socket inodes among `pid`'s descriptors to `inodes`. False when the descriptors
// cannot be read for a reason other than the process having exited.
bool CollectSocketInodes(pid_t pid, std::unordered_set<uint64_t>& inodes) {
  const std::string path = "/proc/" + std::to_string(pid) + "/fd";
  DIR* directory = ::opendir(path.c_str());
  if (directory == nullptr) return errno == ENOENT || errno == ESRCH;
  const int directory_fd = ::dirfd(directory);
  std::array<char, 64> link;
  while (const dirent* entry = ::readdir(directory)) {
    if (entry->d_name[0] == '.') continue;
    const ssize_t n = ::readlinkat(directory_fd, entry->d_name, link.data(), link.size());
    if (n <= 0) continue;  // closed meanwhile
    if (auto inode = ParseSocketInode(std::string_view(link.data(), static_cast<size_t>(n)))) {
      inodes.insert(*inode);
    }
  }
  ::closedir(directory);
  return true;
}

double Seconds(WallTime from, WallTime to) {
  return std::chrono::duration<double>(to - from).count();
}

uint64_t Growth(uint64_t now, uint64_t before) { return now >= before ? now - before : 0; }

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view text) {
  // "pid (comm) state ppid pgrp ...": comm is free text, so split at the first '(' and the
  // last ')'; the fields after it are plain numbers (and the one-letter state).
  const size_t open = text.find('(');
  const size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open ||
      open == 0) {
    return std::nullopt;
  }
  ProcStat stat;
  std::string_view pid_text = text.substr(0, open);
  while (!pid_text.empty() && pid_text.back() == ' ') pid_text.remove_suffix(1);
  const auto pid = ParsePid(pid_text);
  if (!pid) return std::nullopt;
  stat.pid = *pid;
  stat.comm = std::string(text.substr(open + 1, close - open - 1));

  // Fields numbered as in proc(5): 3 = state ... 24 = rss.
  std::string_view rest = text.substr(close + 1);
  std::array<std::string_view, 25> fields{};
  int index = 3;
  while (index < static_cast<int>(fields.size())) {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\n')) rest.remove_prefix(1);
    if (rest.empty()) break;
    const size_t end = rest.find_first_of(" \n");
    fields[index++] = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  if (index < static_cast<int>(fields.size())) return std::nullopt;
  if (fields[3].size() != 1) return std::nullopt;
  stat.state = fields[3][0];
  const auto ppid = ParsePid(fields[4]);
  const auto pgrp = ParsePid(fields[5]);
  const auto utime = ParseUnsigned(fields[14]);
  const auto stime = ParseUnsigned(fields[15]);
  const auto cutime = ParseSignedAsUnsigned(fields[16]);
  const auto cstime = ParseSignedAsUnsigned(fields[17]);
  const auto start_time = ParseUnsigned(fields[22]);
  const auto rss_pages = ParseSignedAsUnsigned(fields[24]);
  if (!ppid || !pgrp || !utime || !stime || !cutime || !cstime || !start_time || !rss_pages) {
    return std::nullopt;
  }
  stat.ppid = *ppid;
  stat.pgrp = *pgrp;
  stat.utime = *utime;
  stat.stime = *stime;
  stat.cutime = *cutime;
  stat.cstime = *cstime;
  stat.start_time = *start_time;
  stat.rss_pages = *rss_pages;
  return stat;
}

std::optional<uint64_t> ParseSocketInode(std::string_view link) {
  constexpr std::string_view kPrefix = "socket:[";
  if (link.size() <= kPrefix.size() + 1 || link.substr(0, kPrefix.size()) != kPrefix ||
      link.back() != ']') {
    return std::nullopt;
  }
  return ParseUnsigned(link.substr(kPrefix.size(), link.size() - kPrefix.size() - 1));
}

Status ParseSockDiagReplies(std::span<const std::byte> buffer, TcpSocketTable& table, bool& done) {
  // Headers are copied out with memcpy: the buffer carries no alignment promise.
  size_t offset = 0;
  while (buffer.size() - offset >= sizeof(nlmsghdr)) {
    nlmsghdr header;
    std::memcpy(&header, buffer.data() + offset, sizeof header);
    if (header.nlmsg_len < NLMSG_HDRLEN || header.nlmsg_len > buffer.size() - offset) {
      return Internal("malformed netlink reply: message length " +
                      std::to_string(header.nlmsg_len));
    }
    const auto payload = buffer.subspan(offset + NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN);
    offset = std::min(buffer.size(), offset + NLMSG_ALIGN(header.nlmsg_len));

    if (header.nlmsg_type == NLMSG_DONE) {
      done = true;
      return Status::Ok();
    }
    if (header.nlmsg_type == NLMSG_ERROR) {
      int error = 0;
      if (payload.size() >= sizeof error) std::memcpy(&error, payload.data(), sizeof error);
      if (error == 0) continue;  // an acknowledgement
      const std::string message = std::string("sock_diag dump: ") + std::strerror(-error);
      if (error == -EPERM || error == -EACCES) return PermissionDenied(message);
      if (error == -ENOENT) return NotFound(message);  // no diag handler for the family
      return Internal(message);
    }
    if (header.nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;

    inet_diag_msg message;
    if (payload.size() < sizeof message) return Internal("malformed netlink reply: short message");
    std::memcpy(&message, payload.data(), sizeof message);
    if (message.idiag_inode == 0) continue;  // TIME_WAIT and SYN_RECV: no descriptor
    TcpSocketCounters counters;
    counters.cookie =
        message.id.idiag_cookie[0] | (static_cast<uint64_t>(message.id.idiag_cookie[1]) << 32);
    bool has_info = false;
    size_t attribute_offset = NLMSG_ALIGN(sizeof message);
    while (payload.size() >= attribute_offset &&
           payload.size() - attribute_offset >= sizeof(rtattr)) {
      rtattr attribute;
      std::memcpy(&attribute, payload.data() + attribute_offset, sizeof attribute);
      if (attribute.rta_len < sizeof(rtattr) ||
          attribute.rta_len > payload.size() - attribute_offset) {
        return Internal("malformed netlink reply: attribute length");
      }
      if ((attribute.rta_type & NLA_TYPE_MASK) == INET_DIAG_INFO) {
        const size_t length = attribute.rta_len - RTA_LENGTH(0);
        constexpr size_t kNeeded =
            offsetof(tcp_info, tcpi_bytes_received) + sizeof(tcp_info::tcpi_bytes_received);
        if (length < kNeeded) {
          return Unimplemented("the kernel's tcp_info has no byte counters");
        }
        tcp_info info{};
        std::memcpy(&info, payload.data() + attribute_offset + RTA_LENGTH(0),
                    std::min(length, sizeof info));
        counters.bytes_received = info.tcpi_bytes_received;
        counters.bytes_acked = info.tcpi_bytes_acked;
        has_info = true;
      }
      attribute_offset += RTA_ALIGN(attribute.rta_len);
    }
    if (has_info) table[message.idiag_inode] = counters;
  }
  return Status::Ok();
}

Result<TcpSocketTable> DumpTcpSockets() {
  const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    return Unavailable(std::string("cannot open a sock_diag netlink socket: ") +
                       std::strerror(errno));
  }
  // The kernel answers dumps promptly; the timeout only guards the sampler against a wedge.
  const timeval timeout{.tv_sec = 2, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  TcpSocketTable table;
  Status status;
  std::vector<std::byte> buffer(64 * 1024);
  for (const uint8_t family : {uint8_t{AF_INET}, uint8_t{AF_INET6}}) {
    struct {
      nlmsghdr header;
      inet_diag_req_v2 request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.header.nlmsg_seq = family;
    message.request.sdiag_family = family;
    message.request.sdiag_protocol = IPPROTO_TCP;
    message.request.idiag_states = ~0U;
    message.request.idiag_ext = 1U << (INET_DIAG_INFO - 1);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    if (::sendto(fd, &message, sizeof message, 0, reinterpret_cast<const sockaddr*>(&kernel),
                 sizeof kernel) < 0) {
      const int error = errno;
      status = error == EPERM || error == EACCES
                   ? PermissionDenied(std::string("sock_diag request: ") + std::strerror(error))
                   : Internal(std::string("sock_diag request: ") + std::strerror(error));
      break;
    }
    bool done = false;
    while (!done && status.ok()) {
      iovec part{.iov_base = buffer.data(), .iov_len = buffer.size()};
      msghdr reply{};
      reply.msg_iov = &part;
      reply.msg_iovlen = 1;
      const ssize_t n = ::recvmsg(fd, &reply, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        status = DeadlineExceeded("sock_diag dump: no answer from the kernel");
      } else if (n < 0) {
        status = Internal(std::string("sock_diag dump: ") + std::strerror(errno));
      } else if (n == 0 || (reply.msg_flags & MSG_TRUNC) != 0) {
        status = Internal("sock_diag dump: truncated reply");
      } else {
        status = ParseSockDiagReplies(
            std::span<const std::byte>(buffer.data(), static_cast<size_t>(n)), table, done);
      }
    }
    // A kernel without IPv6 has no AF_INET6 diag handler, and no IPv6 sockets to miss.
    if (family == AF_INET6 && status.code() == StatusCode::kNotFound) status = Status::Ok();
    if (!status.ok()) break;
  }
  ::close(fd);
  if (!status.ok()) return status;
  return table;
}

TaskStatsSampler::TaskStatsSampler(const Clock& clock, TcpSocketDumper dump_tcp_sockets)
    : clock_(clock), dump_tcp_sockets_(std::move(dump_tcp_sockets)) {}

std::map<pid_t, TaskStats> TaskStatsSampler::Sample(std::span<const pid_t> pids) {
  std::map<pid_t, TaskStats> result;
  std::unordered_set<pid_t> requested;
  for (const pid_t pid : pids) {
    if (pid > 0) requested.insert(pid);
  }
  std::erase_if(tasks_, [&](const auto& entry) { return !requested.contains(entry.first); });
  if (requested.empty()) return result;

  const WallTime now = clock_.Now();
  const auto processes = ReadProcessTable();
  std::unordered_multimap<pid_t, pid_t> children;
  std::unordered_multimap<pid_t, pid_t> group_members;
  for (const auto& [pid, stat] : processes) {
    children.emplace(stat.ppid, pid);
    group_members.emplace(stat.pgrp, pid);
  }
  const double ticks_per_second = static_cast<double>(ClockTicksPerSecond());
  const long page_size = ::sysconf(_SC_PAGESIZE);
  const uint64_t page_bytes = page_size > 0 ? static_cast<uint64_t>(page_size) : 4096;

  struct Pending {
    pid_t pid;
    std::unordered_set<uint64_t> inodes;
    bool descriptors_readable = true;
  };
  std::vector<Pending> pending;
  bool any_socket = false;
  for (const pid_t root : requested) {
    if (!processes.contains(root)) {
      tasks_.erase(root);
      continue;
    }
    const ProcStat& root_stat = processes.at(root);
    auto found = tasks_.find(root);
    const bool first = found == tasks_.end() || found->second.start_time != root_stat.start_time;
    if (first) {
      tasks_.erase(root);
      found = tasks_.emplace(root, TaskState{.start_time = root_stat.start_time}).first;
    }
    TaskState& state = found->second;

    TaskStats& stats = result[root];
    Pending task{.pid = root};
    uint64_t cpu_ticks = 0;
    for (const pid_t member : TaskMembers(root, processes, children, group_members)) {
      const ProcStat& stat = processes.at(member);
      cpu_ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
      stats.rss_bytes += stat.rss_pages * page_bytes;
      ++stats.processes;
      if (stat.state != 'Z' && !CollectSocketInodes(member, task.inodes)) {
        task.descriptors_readable = false;
      }
    }

    if (first) {
      state.cpu_ticks_total = cpu_ticks;
    } else {
      const uint64_t delta = Growth(cpu_ticks, state.cpu_ticks);
      state.cpu_ticks_total += delta;
      const double seconds = Seconds(state.sampled_at, now);
      if (seconds > 0) {
        stats.cpu_percent = 100.0 * static_cast<double>(delta) / ticks_per_second / seconds;
        stats.cpu_units = *stats.cpu_percent / 100.0 * kCpuUnitsPerCore;
      }
    }
    state.cpu_ticks = cpu_ticks;
    state.sampled_at = now;
    stats.cpu_seconds_total = static_cast<double>(state.cpu_ticks_total) / ticks_per_second;

    any_socket |= task.descriptors_readable && !task.inodes.empty();
    pending.push_back(std::move(task));
  }

  // One dump serves every task; skipped when no task holds a socket.
  std::optional<Result<TcpSocketTable>> dump;
  if (any_socket) dump.emplace(dump_tcp_sockets_());

  for (const Pending& task : pending) {
    TaskState& state = tasks_.at(task.pid);
    TaskStats& stats = result.at(task.pid);
    if (!task.descriptors_readable) continue;
    if (!task.inodes.empty() && !dump->ok()) continue;

    uint64_t rx_delta = 0;
    uint64_t tx_delta = 0;
    std::unordered_map<uint64_t, SocketState> sockets;
    for (const uint64_t inode : task.inodes) {
      const auto counters = (*dump)->find(inode);
      if (counters == (*dump)->end()) continue;  // not TCP (UDP, Unix) or closed meanwhile
      const TcpSocketCounters& now_counters = counters->second;
      const auto before = state.sockets.find(inode);
      if (before != state.sockets.end() && before->second.cookie == now_counters.cookie) {
        rx_delta += Growth(now_counters.bytes_received, before->second.received);
        tx_delta += Growth(now_counters.bytes_acked, before->second.acked);
      } else {
        rx_delta += now_counters.bytes_received;
        tx_delta += now_counters.bytes_acked;
      }
      sockets[inode] = {.cookie = now_counters.cookie,
                        .received = now_counters.bytes_received,
                        .acked = now_counters.bytes_acked};
    }
    state.sockets = std::move(sockets);
    state.rx_total += rx_delta;
    state.tx_total += tx_delta;
    if (state.network_sampled_at) {
      const double seconds = Seconds(*state.network_sampled_at, now);
      if (seconds > 0) {
        stats.network_rx_bytes_per_second = static_cast<double>(rx_delta) / seconds;
        stats.network_tx_bytes_per_second = static_cast<double>(tx_delta) / seconds;
      }
    }
    state.network_sampled_at = now;
    stats.network_rx_bytes_total = state.rx_total;
    stats.network_tx_bytes_total = state.tx_total;
  }
  return result;
}

}  // namespace ck::platform
