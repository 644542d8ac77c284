#include "platform/process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ck::platform {
namespace {

Status ErrnoStatus(int error, const std::string& what) {
  std::string message = what + ": " + std::strerror(error);
  if (error == ENOENT) return NotFound(message);
  if (error == EACCES || error == EPERM) return PermissionDenied(message);
  return Internal(message);
}

// Resolves argv[0] the way execvp would, but before fork (the child may only make
// async-signal-safe calls).
Result<std::string> ResolveProgram(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::string search = path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::stringstream parts(search);
  std::string dir;
  while (std::getline(parts, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return NotFound("program '" + program + "' not found in PATH");
}

void CloseDescriptorsFrom(int first) {
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, first, ~0U, 0) == 0) return;
#endif
  for (int fd = first; fd < 4096; ++fd) ::close(fd);
}

}  // namespace

Result<pid_t> SpawnProcess(const SpawnOptions& options) {
  if (options.argv.empty()) return InvalidArgument("empty argv");
  CK_ASSIGN_OR_RETURN(std::string program, ResolveProgram(options.argv[0]));

  // Everything the child needs is prepared here: after fork it only calls async-signal-safe
  // functions.
  std::vector<char*> argv;
  for (const std::string& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& entry : options.env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);

  const std::string log_path = options.log_path.empty() ? "/dev/null" : options.log_path;
  if (!options.log_path.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(log_path).parent_path(), ignored);
  }
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return ErrnoStatus(errno, "cannot open log file " + log_path);
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int status_pipe[2];
  if (null_fd < 0 || ::pipe2(status_pipe, O_CLOEXEC) != 0) {
    const int error = errno;
    ::close(log_fd);
    if (null_fd >= 0) ::close(null_fd);
    return ErrnoStatus(error, "cannot prepare to spawn " + program);
  }
  const pid_t parent = ::getpid();

  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(log_fd);
    ::close(null_fd);
    ::close(status_pipe[0]);
    ::close(status_pipe[1]);
    return ErrnoStatus(error, "fork failed");
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
      ::sigaction(signal_number, &default_action, nullptr);
    }
    sigset_t empty;
    ::sigemptyset(&empty);
    ::sigprocmask(SIG_SETMASK, &empty, nullptr);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    // Keep the status pipe (close-on-exec) above 2; everything else inherited goes.
    const int report_fd = ::dup2(status_pipe[1], 3) == 3 ? 3 : status_pipe[1];
    ::fcntl(report_fd, F_SETFD, FD_CLOEXEC);
    CloseDescriptorsFrom(report_fd + 1);
    if (!options.working_dir.empty() && ::chdir(options.working_dir.c_str()) != 0) {
      const int error = errno;
      (void)!::write(report_fd, &error, sizeof error);
      ::_exit(127);
    }
    ::execve(program.c_str(), argv.data(), envp.data());
    const int error = errno;
    (void)!::write(report_fd, &error, sizeof error);
    ::_exit(127);
  }

  ::close(log_fd);
  ::close(null_fd);
  ::close(status_pipe[1]);
  // Make sure the group exists even if the child has not run setpgid yet (both may call it).
  ::setpgid(pid, pid);
  int child_error = 0;
  ssize_t n;
  do {
    n = ::read(status_pipe[0], &child_error, sizeof child_error);
  } while (n < 0 && errno == EINTR);
  ::close(status_pipe[0]);
  if (n == sizeof child_error) {
    int ignored;
    ::waitpid(pid, &ignored, 0);
    return ErrnoStatus(child_error, "cannot execute " + program);
  }
  return pid;
}

std::string ExitInfo::Describe() const {
  if (!signaled) return "exit code " + std::to_string(code);
  const char* name = sigabbrev_np(code);
  return "killed by signal " + std::to_string(code) +
         (name ? " (SIG" + std::string(name) + ")" : "");
}

std::optional<ExitInfo> TryReap(pid_t pid) {
  int status = 0;
  pid_t result;
  do {
    result = ::waitpid(pid, &status, WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == 0) return std::nullopt;
  ExitInfo info;
  if (result < 0) {  // not our child any more (already reaped): report it gone
    info.code = -1;
    return info;
  }
  if (WIFSIGNALED(status)) {
    info.signaled = true;
    info.code = WTERMSIG(status);
  } else {
    info.code = WEXITSTATUS(status);
  }
  return info;
}

void SignalProcessGroup(pid_t pid, int signal) {
  if (pid <= 0) return;
  if (::kill(-pid, signal) != 0) ::kill(pid, signal);
}

Result<ProcessSample> SampleProcess(pid_t pid) {
  const std::string base = "/proc/" + std::to_string(pid);
  std::ifstream stat_file(base + "/stat");
  std::string stat;
  if (!stat_file || !std::getline(stat_file, stat))
    return NotFound("no process " + std::to_string(pid));
  // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return Internal("malformed " + base + "/stat");
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  ProcessSample sample;
  // Fields from 3 (state) onwards; utime and stime are fields 14 and 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14 || index == 15) sample.cpu_ticks += std::strtoull(field.c_str(), nullptr, 10);
  }
  std::ifstream status_file(base + "/status");
  std::string line;
  while (std::getline(status_file, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      sample.rss_bytes = std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
      break;
    }
  }
  return sample;
}

long ClockTicksPerSecond() {
  static const long ticks = ::sysconf(_SC_CLK_TCK);
  return ticks > 0 ? ticks : 100;
}

Result<uint16_t> FindFreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoStatus(errno, "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    ::close(fd);
    return ErrnoStatus(error, "cannot find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string SelfExecutable() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? "/proc/self/exe" : path.string();
}

std::string ExpandVariables(const std::string& text, const std::vector<std::string>& variables) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t start = text.find("${", i);
    if (start == std::string::npos) break;
    const size_t end = text.find('}', start + 2);
    if (end == std::string::npos) break;
    out.append(text, i, start - i);
    const std::string name = text.substr(start + 2, end - start - 2);
    bool found = false;
    for (const std::string& entry : variables) {
      if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 &&
          entry[name.size()] == '=') {
        out += entry.substr(name.size() + 1);
        found = true;
        break;
      }
    }
    if (!found) out.append(text, start, end - start + 1);
    i = end + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

}  // namespace ck::platform
