// TaskStatsSampler: per-task CPU, memory and TCP traffic read from the OS, for the supervisor's
// Container Insights figures (CpuUtilized, MemoryUtilized, NetworkRxBytes, NetworkTxBytes).
//
//   TaskStatsSampler sampler;                       // keeps the previous sample per pid
//   const pid_t pids[] = {task_a, task_b};
//   auto stats = sampler.Sample(pids);              // every second or so
//   if (auto it = stats.find(task_a); it != stats.end() && it->second.cpu_units) ...
//
// A task is its root pid plus every descendant (ppid links from one scan of /proc/*/stat per
// call) plus, when the root leads its own process group (SpawnProcess makes it so), every
// member of that group and their descendants, so a double-forked helper still counts. (The
// /proc/<pid>/task/<tid>/children files would avoid reading every process, but the kernel
// documents them as reliable only while the children are stopped, and they need
// CONFIG_PROC_CHILDREN.) A root that is another root's descendant counts in both.
// - CPU: utime+stime+cutime+cstime of every member (cutime/cstime carry the time of children
//   the task has already reaped), as a rate over the interval since the pid's previous sample.
//   The first sample of a pid has no rate. cpu_seconds_total adds non-negative deltas only, so
//   it never decreases even when members leave the tree.
// - Memory: the sum of the members' resident set sizes (/proc/<pid>/stat field 24, the VmRSS
//   figure). Pages shared between members (fork copy-on-write, shared libraries) count once per
//   member, as `ps` would add them up.
// - Network: tasks share the host's network namespace, so per-interface counters say nothing
//   per task. Instead the sampler finds each member's socket inodes (/proc/<pid>/fd/*), dumps
//   every TCP socket once per call over NETLINK_SOCK_DIAG (AF_INET and AF_INET6, with TCP_INFO)
//   and adds, per socket, the growth of tcpi_bytes_received (rx) and tcpi_bytes_acked (tx:
//   payload the peer acknowledged; retransmissions do not count twice; SYN and FIN add a byte
//   each, as they take a sequence number). A socket first seen contributes everything it has
//   carried so far. Bytes a socket carried after the last sample before it closed are lost.
//   UDP and Unix sockets are not counted. When the dump fails (no netlink, no permission) or a
//   member's descriptors cannot be read, the task's network figures are std::nullopt for that
//   call — never a partial sum.
// A pid that no longer exists (or whose /proc entry cannot be parsed) is absent from the result;
// a pid reused by a new process (different start time) starts over as a first sample. State is
// kept only for the pids of the latest call, so memory is bounded by the tasks sampled.
//
// Cost per call: one read of every /proc/<pid>/stat, one readlink per descriptor of the task
// members, two netlink dumps (only when a task holds a socket).
// Thread-safety: not thread-safe; use one sampler from one thread (the supervisor's).
// Failure modes: none raised; missing or unreadable data shows as an absent pid or as
// std::nullopt figures. Nothing throws.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"
#include "core/status.h"

namespace ck::platform {

// ECS counts 1024 CPU units per vCPU.
inline constexpr double kCpuUnitsPerCore = 1024.0;

struct TaskStats {
  // Over the interval since this pid's previous sample; std::nullopt on the first sample or when
  // the clock did not advance. 100 percent = 1024 units = one core fully busy.
  std::optional<double> cpu_percent;
  std::optional<double> cpu_units;
  double cpu_seconds_total = 0;  // user + system, monotonic while the pid is sampled
  uint64_t rss_bytes = 0;        // summed over the task's processes
  // Cumulative TCP payload bytes since the pid was first sampled (including what its sockets
  // carried before that); std::nullopt when TCP counters are unavailable in this call.
  std::optional<uint64_t> network_rx_bytes_total;
  std::optional<uint64_t> network_tx_bytes_total;
  // Over the interval since the previous call with network figures; std::nullopt on the first.
  std::optional<double> network_rx_bytes_per_second;
  std::optional<double> network_tx_bytes_per_second;
  int processes = 0;  // the root plus descendants and group members, zombies included
};

// Byte counters of one TCP socket, from TCP_INFO.
struct TcpSocketCounters {
  uint64_t cookie = 0;  // the kernel's socket cookie: tells a new socket from a reused inode
  uint64_t bytes_received = 0;
  uint64_t bytes_acked = 0;
};
// Socket inode -> counters, for every TCP socket of the caller's network namespace.
using TcpSocketTable = std::unordered_map<uint64_t, TcpSocketCounters>;
using TcpSocketDumper = std::function<Result<TcpSocketTable>()>;

// One NETLINK_SOCK_DIAG dump per address family (AF_INET, AF_INET6) with INET_DIAG_INFO.
// kUnavailable when the netlink socket cannot be created; kPermissionDenied when the kernel
// refuses the dump; kUnimplemented when the kernel's tcp_info lacks the byte counters (< 4.1);
// kDeadlineExceeded when the kernel does not answer within 2 s; kInternal on malformed replies.
Result<TcpSocketTable> DumpTcpSockets();

class TaskStatsSampler {
 public:
  // `dump_tcp_sockets` is the seam for tests; the default asks the kernel.
  explicit TaskStatsSampler(const Clock& clock = SystemClock::Instance(),
                            TcpSocketDumper dump_tcp_sockets = DumpTcpSockets);

  // Readings for every pid in `pids` that still exists. Negative, zero and duplicate pids are
  // ignored. Forgets the state of pids not in this call.
  std::map<pid_t, TaskStats> Sample(std::span<const pid_t> pids);

 private:
  struct SocketState {
    uint64_t cookie = 0;
    uint64_t received = 0;
    uint64_t acked = 0;
  };
  struct TaskState {
    uint64_t start_time = 0;  // of the root, in ticks after boot: detects pid reuse
    WallTime sampled_at;
    uint64_t cpu_ticks = 0;        // latest raw reading
    uint64_t cpu_ticks_total = 0;  // accumulated non-negative deltas
    std::optional<WallTime> network_sampled_at;
    uint64_t rx_total = 0;
    uint64_t tx_total = 0;
    std::unordered_map<uint64_t, SocketState> sockets;  // by inode, as of the last network sample
  };

  const Clock& clock_;
  TcpSocketDumper dump_tcp_sockets_;
  std::unordered_map<pid_t, TaskState> tasks_;
};

// --- Parsers, exposed for tests -------------------------------------------------------------

// The fields of /proc/<pid>/stat the sampler uses.
struct ProcStat {
  pid_t pid = 0;
  std::string comm;  // may hold spaces, parentheses, even newlines
  char state = '?';
  pid_t ppid = 0;
  pid_t pgrp = 0;
  uint64_t utime = 0;  // clock ticks
  uint64_t stime = 0;
  uint64_t cutime = 0;  // of reaped children
  uint64_t cstime = 0;
  uint64_t start_time = 0;  // clock ticks after boot
  uint64_t rss_pages = 0;
};
// std::nullopt when `text` is not a well-formed stat line. The command name is whatever lies
// between the first '(' and the last ')'.
std::optional<ProcStat> ParseProcStat(std::string_view text);

// "socket:[12345]" -> 12345; std::nullopt for anything else (files, pipes, anon inodes).
std::optional<uint64_t> ParseSocketInode(std::string_view link);

// Adds the TCP sockets in one buffer of SOCK_DIAG_BY_FAMILY replies to `table` (sockets
// without an inode, such as TIME_WAIT, are skipped); sets `done` on NLMSG_DONE. Errors: the
// kernel's NLMSG_ERROR (kPermissionDenied for EPERM/EACCES, kNotFound for ENOENT: no diag
// handler for the family), kUnimplemented for a tcp_info too
// short to hold the byte counters, kInternal for malformed framing.
Status ParseSockDiagReplies(std::span<const std::byte> buffer, TcpSocketTable& table, bool& done);

}  // namespace ck::platform
