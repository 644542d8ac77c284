// Supervisor: the local stand-in for ECS/Fargate. Runs a StackSpec's datastore, jobs and
// services as child processes and keeps the declared number of healthy tasks running.
//
//   DiscoveryRegistry discovery;
//   Supervisor supervisor(io, stack, discovery, SupervisorOptions{.data_dir = "/abs/.ck", ...});
//   supervisor.Start();                 // spawns in dependency order as dependencies get healthy
//   ...
//   supervisor.Shutdown([&] { io.stop(); });   // dependents first, SIGTERM then SIGKILL
//
// Behaviour (docs/platform.md has the full story):
// - A controller loop on a short timer (tick, 25 ms) reconciles every service: reaps exited
//   processes (waitpid WNOHANG per task pid — children of others are never touched), spawns
//   tasks whose dependencies are ready (services: one healthy task; jobs: completed with exit 0),
//   starts health probes, escalates SIGTERM to SIGKILL after the service's stop grace, and
//   adds or retires tasks to match desired counts.
// - Task ids are "<service>-<version>-<n>", n counting every start of that service, so a
//   replacement task gets a new id (docs/platform-contract.md: unique per task start); the slot
//   keeps its restart count.
// - A crashed task, a job that exits non-zero, or a task found unhealthy is replaced after an
//   exponential backoff (backoff.h). Ports: fixed when the stack says so, otherwise a free
//   loopback port chosen per start (FindFreePort).
// - Every task's stdout/stderr go to <data dir>/logs/<service>/<task id>.log (appended).
// - CPU% and RSS of each task are sampled from /proc when it turns healthy and every second;
//   TasksJson() reports them as null for a task with no sample yet (or no process).
//
// Thread-safety: not thread-safe; construct, call and destroy on the io_context's thread (the
// control API runs there too). The destructor SIGKILLs and reaps anything still running.
// Failure modes: spawn failures (missing program, unwritable log) count as crashes and are
// retried with backoff; the reason is in the task's `last_exit`.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"
#include "platform/backoff.h"
#include "platform/discovery.h"
#include "platform/stack_spec.h"

namespace ck::platform {

struct SupervisorOptions {
  std::string data_dir;         // absolute; logs go to <data_dir>/logs
  std::string self_executable;  // what argv[0] "ck" becomes
  std::string discovery_url;    // CK_DISCOVERY_URL given to tasks
  std::chrono::milliseconds tick{25};
  std::chrono::milliseconds sample_interval{1000};
  // When nothing ships the task log files elsewhere (no collector), each running task's file
  // keeps only its last log_keep_bytes..2*log_keep_bytes on disk: at each sample, the blocks
  // before size - log_keep_bytes are freed (core/file_space.h). 0: files keep everything.
  uint64_t log_keep_bytes = 0;
  BackoffPolicy backoff;
  // Variables copied from the supervisor's own environment when set; nothing else leaks in
  // (no HTTP_PROXY, no credentials).
  std::vector<std::string> inherited_env = {"PATH", "HOME", "LANG",   "LC_ALL",
                                            "TZ",   "USER", "TMPDIR", "CK_LOG_LEVEL"};
  // Added to every task's environment (before the task definition's own env), e.g. where the
  // collector listens: AWS_XRAY_DAEMON_ADDRESS, OTEL_EXPORTER_OTLP_ENDPOINT.
  std::vector<std::string> extra_env;
  // Notable events (task started, healthy, exited, restarting...) for the CLI to print and log.
  std::function<void(const std::string& message, const nlohmann::json& fields)> on_event;
  // Runs once, the first time every service has its desired tasks healthy and jobs completed.
  std::function<void()> on_all_healthy;
};

// One service's task numbers, for metrics (supervisor_metrics.h).
struct ServiceTaskCounts {
  std::string service;
  ServiceKind kind = ServiceKind::kService;
  int desired = 0;        // tasks the supervisor aims for: 0 while stopped or shutting down
  int running = 0;        // tasks with a live process (starting, running, healthy, stopping)
  int healthy = 0;        // tasks passing their health check
  uint64_t restarts = 0;  // task restarts since the supervisor started (never decreases)
};

class Supervisor {
 public:
  Supervisor(boost::asio::io_context& io, StackSpec stack, DiscoveryRegistry& discovery,
             SupervisorOptions options);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts the controller loop.
  void Start();
  // `ck stop`: stops the service's tasks (desired count kept); kNotFound for unknown names.
  Status StopService(const std::string& name);
  // `ck start`: undoes StopService.
  Status StartService(const std::string& name);
  // `ck scale`: 0..64 tasks; kFailedPrecondition for jobs, the datastore and fixed ports > 1.
  Status Scale(const std::string& name, int desired);
  // Stops everything, dependents before their dependencies; `on_stopped` runs once when no
  // process is left.
  void Shutdown(std::function<void()> on_stopped);

  bool shutting_down() const;
  bool AllHealthy() const;
  // `ck ps` data: services, tasks (id, state, health, pid, port, restarts, uptime, CPU, RSS).
  nlohmann::json TasksJson() const;
  // Per service, in dependency order.
  std::vector<ServiceTaskCounts> TaskCounts() const;
  const StackSpec& stack() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck::platform
