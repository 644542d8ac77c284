// Process: the supervisor's only contact with the OS process table — spawn from an argv array
// (never a shell), signal a task's process group, reap without blocking, sample CPU/RSS from
// /proc, find free loopback ports.
//
//   SpawnOptions options{.argv = {"/bin/sleep", "5"}, .env = {"A=b"}, .log_path = "t.log"};
//   CK_ASSIGN_OR_RETURN(pid_t pid, SpawnProcess(options));
//   SignalProcessGroup(pid, SIGTERM);
//   if (auto exit = TryReap(pid)) ...   // not yet exited -> std::nullopt
//
// The child gets its own process group (Ctrl-C in the terminal reaches only `ck up`, which then
// stops tasks gracefully), default signal dispositions, an empty signal mask, stdin from
// /dev/null, stdout+stderr appended straight to `log_path` (the file survives the supervisor),
// no inherited descriptors beyond 0-2, and SIGTERM if the spawning thread dies
// (PR_SET_PDEATHSIG), so a killed `ck up` leaves no orphans holding ports.
//
// Failure modes: a program that is not found or not executable, or an unwritable log file,
// fails SpawnProcess with kNotFound/kPermissionDenied/kInternal naming it (the exec error is
// reported back from the child through a close-on-exec pipe).
// Thread-safety: functions are thread-safe; TryReap must be called for every spawned pid.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace ck::platform {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] without '/' is searched in PATH
  std::vector<std::string> env;   // "NAME=value"; exactly the child's environment
  std::string log_path;           // stdout and stderr are appended here; empty = /dev/null
  std::string working_dir;        // empty = inherit
};

Result<pid_t> SpawnProcess(const SpawnOptions& options);

struct ExitInfo {
  bool signaled = false;
  int code = 0;  // exit code, or the signal number when signaled
  // "exit code 3" / "killed by signal 9 (SIGKILL)".
  std::string Describe() const;
};

// Reaps `pid` if it has exited (WNOHANG); std::nullopt while it runs.
std::optional<ExitInfo> TryReap(pid_t pid);

// Sends `signal` to the process group led by `pid` (falls back to the pid alone).
void SignalProcessGroup(pid_t pid, int signal);

struct ProcessSample {
  uint64_t cpu_ticks = 0;  // utime + stime, in clock ticks
  uint64_t rss_bytes = 0;  // VmRSS
};
// kNotFound when the process is gone.
Result<ProcessSample> SampleProcess(pid_t pid);
long ClockTicksPerSecond();

// Binds 127.0.0.1:0 to learn a free port, then releases it. The port could be taken by someone
// else before the task binds it; a task that fails to bind exits and is restarted on a new port.
Result<uint16_t> FindFreePort();

// Absolute path of the running executable (/proc/self/exe).
std::string SelfExecutable();

// Replaces "${NAME}" in `text` with `variables` values ("NAME=value" entries); unknown names are
// left as they are. Used for argv; there is no shell, so nothing else is interpreted.
std::string ExpandVariables(const std::string& text, const std::vector<std::string>& variables);

}  // namespace ck::platform
