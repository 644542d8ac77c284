#include "platform/supervisor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>
#include <cstdlib>
#include <optional>

#include "core/file_space.h"
#include "core/tls_context.h"
#include "http/client.h"
#include "platform/health_tracker.h"
#include "platform/process.h"

namespace ck::platform {
namespace {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;
using TimePoint = SteadyClock::time_point;

enum class TaskState { kWaiting, kStarting, kRunning, kHealthy, kStopping, kBackoff, kCompleted };

const char* StateName(TaskState state) {
  switch (state) {
    case TaskState::kWaiting:
      return "waiting";
    case TaskState::kStarting:
      return "starting";
    case TaskState::kRunning:
      return "running";
    case TaskState::kHealthy:
      return "healthy";
    case TaskState::kStopping:
      return "stopping";
    case TaskState::kBackoff:
      return "backoff";
    case TaskState::kCompleted:
      return "completed";
  }
  return "unknown";
}

const char* KindName(ServiceKind kind) {
  switch (kind) {
    case ServiceKind::kService:
      return "service";
    case ServiceKind::kDatastore:
      return "datastore";
    case ServiceKind::kJob:
      return "job";
  }
  return "unknown";
}

// One slot of a service: the task running in it now, and its history.
struct Task {
  int slot = 0;
  std::string id;
  std::string version;
  TaskState state = TaskState::kWaiting;
  pid_t pid = 0;
  uint16_t port = 0;
  int restarts = 0;
  std::string last_exit;
  TimePoint started_at{}, healthy_since{}, restart_at{}, kill_at{}, next_probe_at{};
  std::optional<HealthTracker> health;
  RestartBackoff backoff;
  uint64_t generation = 0;  // bumped per start; late probe results of older starts are dropped
  bool probe_in_flight = false;
  bool killed = false;              // SIGKILL sent
  bool retire = false;              // scaled away or stopped: drop the slot once it has exited
  bool replace_after_exit = false;  // found unhealthy: start a new task once this one exits
  // The last CPU/RSS sample of the running process; sampled_at is {} until there is one.
  uint64_t cpu_ticks = 0;
  TimePoint sampled_at{};
  double cpu_percent = 0;
  uint64_t rss_bytes = 0;
  uint64_t log_released = 0;  // disk blocks of the log file before this were freed

  bool sampled() const { return sampled_at != TimePoint{}; }
  void ForgetSample() {
    cpu_ticks = 0;
    sampled_at = TimePoint{};
    cpu_percent = 0;
    rss_bytes = 0;
  }
};

struct ServiceRuntime {
  const ServiceSpec* spec = nullptr;
  int desired = 1;
  bool stopped = false;
  int next_task_number = 1;
  bool completed = false;  // jobs: ran to exit 0
  std::vector<std::shared_ptr<Task>> tasks;
  uint64_t restarts = 0;  // every slot's restarts, retired slots included (metrics)
};

}  // namespace

struct Supervisor::Impl {
  asio::io_context& io;
  StackSpec stack;
  DiscoveryRegistry& discovery;
  SupervisorOptions options;
  std::vector<ServiceRuntime> services;  // dependency order
  asio::steady_timer tick_timer;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
  std::shared_ptr<asio::ssl::context> datastore_tls;
  bool shutting_down = false;
  std::function<void()> on_stopped;
  bool announced_all_healthy = false;
  TimePoint last_sample{};

  Impl(asio::io_context& io_context, StackSpec stack_spec, DiscoveryRegistry& registry,
       SupervisorOptions supervisor_options)
      : io(io_context),
        stack(std::move(stack_spec)),
        discovery(registry),
        options(std::move(supervisor_options)),
        tick_timer(io_context) {
    for (const ServiceSpec& spec : stack.services) {
      ServiceRuntime runtime;
      runtime.spec = &spec;
      runtime.desired = spec.kind == ServiceKind::kService ? spec.desired : 1;
      services.push_back(std::move(runtime));
      if (spec.kind != ServiceKind::kJob) discovery.DeclareService(spec.name);
    }
  }

  void Event(const std::string& message, nlohmann::json fields) {
    if (options.on_event) options.on_event(message, fields);
  }

  ServiceRuntime* Find(const std::string& name) {
    for (ServiceRuntime& runtime : services) {
      if (runtime.spec->name == name) return &runtime;
    }
    return nullptr;
  }

  void ScheduleTick() {
    tick_timer.expires_after(options.tick);
    tick_timer.async_wait([this, alive = alive](const boost::system::error_code& error) {
      if (error || !*alive) return;
      Reconcile();
      if (!(shutting_down && !on_stopped)) ScheduleTick();
    });
  }

  bool DependenciesReady(const ServiceRuntime& runtime) {
    for (const std::string& name : runtime.spec->depends_on) {
      const ServiceRuntime* dependency = Find(name);
      if (!dependency) return false;
      if (dependency->spec->kind == ServiceKind::kJob) {
        if (!dependency->completed) return false;
        continue;
      }
      bool healthy = false;
      for (const auto& task : dependency->tasks) healthy |= task->state == TaskState::kHealthy;
      if (!healthy) return false;
    }
    return true;
  }

  bool DependentsRunning(const ServiceRuntime& runtime) {
    for (const ServiceRuntime& other : services) {
      for (const std::string& name : other.spec->depends_on) {
        if (name != runtime.spec->name) continue;
        for (const auto& task : other.tasks) {
          if (task->pid != 0) return true;
        }
      }
    }
    return false;
  }

  int Target(const ServiceRuntime& runtime) const {
    if (shutting_down || runtime.stopped) return 0;
    return runtime.desired;
  }

  std::vector<std::string> Environment(const ServiceRuntime& runtime, const TaskDefinition& def,
                                       const Task& task) {
    std::vector<std::string> env;
    for (const std::string& name : options.inherited_env) {
      if (const char* value = std::getenv(name.c_str())) env.push_back(name + "=" + value);
    }
    const DatastoreSpec& datastore = stack.datastore;
    env.push_back("CK_SERVICE=" + runtime.spec->name);
    env.push_back("CK_SERVICE_VERSION=" + task.version);
    env.push_back("CK_TASK_ID=" + task.id);
    env.push_back("CK_LISTEN=127.0.0.1:" + std::to_string(task.port));
    env.push_back("CK_SERVICE_DOMAIN=" + stack.domain);
    env.push_back("CK_DISCOVERY_URL=" + options.discovery_url);
    env.push_back("CK_DATA_DIR=" + options.data_dir);
    env.push_back("CK_TABLE=" + datastore.table);
    env.push_back(std::string("AWS_ENDPOINT_URL_DYNAMODB=") + (datastore.tls ? "https" : "http") +
                  "://127.0.0.1:" + std::to_string(datastore.port));
    if (def.ca_bundle == CaBundle::kLocal && datastore.tls) {
      env.push_back("AWS_CA_BUNDLE=" + options.data_dir + "/tls/ca.pem");
    }
    env.push_back("AWS_REGION=" + datastore.region);
    env.push_back("AWS_ACCESS_KEY_ID=" + datastore.access_key);
    env.push_back("AWS_SECRET_ACCESS_KEY=" + datastore.secret_key);
    for (const std::string& entry : options.extra_env) env.push_back(entry);
    for (const auto& [name, value] : def.env) {
      const std::string prefix = name + "=";
      std::erase_if(env, [&](const std::string& entry) { return entry.rfind(prefix, 0) == 0; });
      env.push_back(prefix + ExpandVariables(value, env));
    }
    return env;
  }

  void Spawn(ServiceRuntime& runtime, Task& task, TimePoint now) {
    const ServiceSpec& spec = *runtime.spec;
    const TaskDefinition& definition = spec.active();
    task.version = definition.version;
    task.id =
        spec.name + "-" + definition.version + "-" + std::to_string(runtime.next_task_number++);
    ++task.generation;
    task.killed = false;
    task.replace_after_exit = false;
    task.probe_in_flight = false;
    task.ForgetSample();
    task.log_released = 0;  // a new id, a new file
    auto fail = [&](const Status& status) {
      task.last_exit = status.message();
      ScheduleRestart(runtime, task, now, "could not start: " + status.message());
    };
    if (spec.port != 0) {
      task.port = spec.port;
    } else {
      auto port = FindFreePort();
      if (!port.ok()) return fail(port.status());
      task.port = *port;
    }
    SpawnOptions spawn;
    spawn.env = Environment(runtime, definition, task);
    for (const std::string& arg : definition.command) {
      spawn.argv.push_back(ExpandVariables(arg, spawn.env));
    }
    if (spawn.argv[0] == "ck") spawn.argv[0] = options.self_executable;
    spawn.log_path = LogPath(spec.name, task.id);
    auto pid = SpawnProcess(spawn);
    if (!pid.ok()) return fail(pid.status());
    task.pid = *pid;
    task.started_at = now;
    if (spec.kind == ServiceKind::kJob) {
      task.state = TaskState::kRunning;
    } else {
      task.state = TaskState::kStarting;
      task.health.emplace(spec.health_check, now);
      task.next_probe_at = now;
      discovery.Register(spec.name, {task.id, "127.0.0.1", task.port, task.version, false});
    }
    Event("task started", {{"task", task.id}, {"pid", task.pid}, {"port", task.port}});
  }

  std::string LogPath(const std::string& service, const std::string& task_id) const {
    return options.data_dir + "/logs/" + service + "/" + task_id + ".log";
  }

  void ScheduleRestart(ServiceRuntime& runtime, Task& task, TimePoint now,
                       const std::string& reason) {
    if (task.state == TaskState::kHealthy || task.healthy_since != TimePoint{}) {
      task.backoff.RecordHealthyFor(
          std::chrono::duration_cast<std::chrono::milliseconds>(now - task.healthy_since));
    }
    const auto delay = task.backoff.NextDelay();
    ++task.restarts;
    ++runtime.restarts;
    task.state = TaskState::kBackoff;
    task.restart_at = now + delay;
    task.healthy_since = TimePoint{};
    Event("task restarting", {{"task", task.id},
                              {"reason", reason},
                              {"delay_ms", delay.count()},
                              {"restarts", task.restarts}});
  }

  void BeginStop(const ServiceRuntime& runtime, Task& task, TimePoint now) {
    if (task.pid == 0 || task.state == TaskState::kStopping) return;
    discovery.SetHealthy(runtime.spec->name, task.id, false);
    SignalProcessGroup(task.pid, SIGTERM);
    task.state = TaskState::kStopping;
    task.kill_at = now + runtime.spec->stop_grace;
  }

  void OnExit(ServiceRuntime& runtime, Task& task, const ExitInfo& exit, TimePoint now) {
    const bool was_stopping = task.state == TaskState::kStopping;
    task.pid = 0;
    task.health.reset();
    task.ForgetSample();
    task.last_exit = exit.Describe();
    if (runtime.spec->kind != ServiceKind::kJob) discovery.Deregister(runtime.spec->name, task.id);
    Event("task exited", {{"task", task.id}, {"exit", task.last_exit}});
    if (was_stopping && !task.replace_after_exit) {
      task.state = TaskState::kWaiting;
      task.retire = true;
      return;
    }
    if (runtime.spec->kind == ServiceKind::kJob && !exit.signaled && exit.code == 0) {
      task.state = TaskState::kCompleted;
      runtime.completed = true;
      return;
    }
    ScheduleRestart(runtime, task, now,
                    task.replace_after_exit ? "unhealthy" : "exited: " + task.last_exit);
  }

  void OnProbeResult(const std::shared_ptr<Task>& task, uint64_t generation, bool success) {
    task->probe_in_flight = false;
    if (task->generation != generation || task->pid == 0 || !task->health) return;
    if (task->state != TaskState::kStarting && task->state != TaskState::kHealthy) return;
    const TimePoint now = SteadyClock::now();
    ServiceRuntime* runtime = nullptr;
    for (ServiceRuntime& candidate : services) {
      for (const auto& owned : candidate.tasks) {
        if (owned == task) runtime = &candidate;
      }
    }
    if (!runtime) return;
    const Health health = task->health->Record(success, now);
    task->next_probe_at = now + task->health->NextInterval();
    if (health == Health::kHealthy && task->state == TaskState::kStarting) {
      task->state = TaskState::kHealthy;
      task->healthy_since = now;
      discovery.SetHealthy(runtime->spec->name, task->id, true);
      // Sampled now, not only at the next sampler tick: `ck ps` right after "all healthy" must
      // show what the ready process uses, not what it used straight after exec.
      Sample(*task, now);
      Event("task healthy", {{"task", task->id},
                             {"startup_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                now - task->started_at)
                                                .count()}});
    } else if (health == Health::kUnhealthy) {
      Event("task unhealthy",
            {{"task", task->id}, {"failed_checks", task->health->consecutive_failures()}});
      task->replace_after_exit = true;
      BeginStop(*runtime, *task, now);
      task->replace_after_exit = true;
    }
  }

  asio::awaitable<void> Probe(std::shared_ptr<Task> task, uint64_t generation, http::Url url,
                              std::chrono::milliseconds timeout,
                              std::shared_ptr<asio::ssl::context> tls,
                              std::shared_ptr<bool> still_alive) {
    bool success = false;
    {
      http::ClientOptions client_options;
      client_options.connect_timeout = timeout;
      client_options.request_timeout = timeout;
      client_options.max_response_body_bytes = 64 * 1024;
      client_options.tls = tls;
      http::HttpClient client(co_await asio::this_coro::executor, client_options);
      http::HttpRequest request{http::Verb::get, url.target, 11};
      request.set(http::Field::user_agent, "ck-health-check");
      auto response = co_await client.Send(url, std::move(request));
      success = response.ok() && response->result_int() >= 200 && response->result_int() < 400;
    }
    if (!*still_alive) co_return;
    OnProbeResult(task, generation, success);
  }

  void StartProbe(const ServiceRuntime& runtime, const std::shared_ptr<Task>& task) {
    const HealthCheckSpec& check = runtime.spec->health_check;
    std::shared_ptr<asio::ssl::context> tls;
    if (check.scheme == "https") {
      if (!datastore_tls) {
        auto context = MakeClientTlsContext(options.data_dir + "/tls/ca.pem");
        if (!context.ok()) {
          OnProbeResult(task, task->generation, false);
          return;
        }
        datastore_tls = *context;
      }
      tls = datastore_tls;
    }
    auto url =
        http::ParseUrl(check.scheme + "://127.0.0.1:" + std::to_string(task->port) + check.path);
    if (!url.ok()) return;
    task->probe_in_flight = true;
    asio::co_spawn(io, Probe(task, task->generation, *url, check.timeout, tls, alive),
                   asio::detached);
  }

  // CPU% is over the time since the previous sample, or since the start for the first one (a
  // new process starts with no CPU time).
  void Sample(Task& task, TimePoint now) {
    auto sample = SampleProcess(task.pid);
    if (!sample.ok()) return;
    const TimePoint since = task.sampled() ? task.sampled_at : task.started_at;
    const double seconds = std::chrono::duration<double>(now - since).count();
    if (seconds > 0 && sample->cpu_ticks >= task.cpu_ticks) {
      task.cpu_percent = 100.0 * static_cast<double>(sample->cpu_ticks - task.cpu_ticks) /
                         static_cast<double>(ClockTicksPerSecond()) / seconds;
    }
    task.cpu_ticks = sample->cpu_ticks;
    task.rss_bytes = sample->rss_bytes;
    task.sampled_at = now;
  }

  void ReconcileService(ServiceRuntime& runtime, TimePoint now, bool sample) {
    for (const auto& task : runtime.tasks) {
      if (task->pid == 0) continue;
      if (auto exit = TryReap(task->pid)) OnExit(runtime, *task, *exit, now);
    }
    std::erase_if(runtime.tasks, [](const auto& task) { return task->retire && task->pid == 0; });

    // Match the target count: add slots, or retire the highest ones.
    const int target = runtime.spec->kind == ServiceKind::kJob && runtime.completed
                           ? static_cast<int>(runtime.tasks.size())
                           : Target(runtime);
    int active = 0;
    for (const auto& task : runtime.tasks) active += task->retire ? 0 : 1;
    for (int slot = 1; active < target; ++slot) {
      bool used = false;
      for (const auto& task : runtime.tasks) used |= !task->retire && task->slot == slot;
      if (used) continue;
      auto task = std::make_shared<Task>();
      task->slot = slot;
      task->backoff = RestartBackoff(options.backoff);
      runtime.tasks.push_back(task);
      ++active;
    }
    std::sort(runtime.tasks.begin(), runtime.tasks.end(),
              [](const auto& a, const auto& b) { return a->slot < b->slot; });
    for (auto it = runtime.tasks.rbegin(); it != runtime.tasks.rend() && active > target; ++it) {
      if (!(*it)->retire) {
        (*it)->retire = true;
        --active;
      }
    }

    for (const auto& task : runtime.tasks) {
      if (task->retire) {
        // Dependents stop first on shutdown, so in-flight requests can still reach us.
        if (task->pid != 0 && !(shutting_down && DependentsRunning(runtime))) {
          BeginStop(runtime, *task, now);
        }
      } else if ((task->state == TaskState::kWaiting ||
                  (task->state == TaskState::kBackoff && now >= task->restart_at)) &&
                 DependenciesReady(runtime)) {
        Spawn(runtime, *task, now);
      }
      if (task->pid == 0) continue;
      if (task->state == TaskState::kStopping && !task->killed && now >= task->kill_at) {
        SignalProcessGroup(task->pid, SIGKILL);
        task->killed = true;
        Event("task killed", {{"task", task->id}, {"reason", "stop grace period expired"}});
      }
      if ((task->state == TaskState::kStarting || task->state == TaskState::kHealthy) &&
          !task->probe_in_flight && now >= task->next_probe_at) {
        StartProbe(runtime, task);
      }
      if (sample) {
        Sample(*task, now);
        ReleaseLog(runtime, *task);
      }
    }
  }

  // Keeps the last log_keep_bytes..2*log_keep_bytes of a running task's log file on disk.
  void ReleaseLog(const ServiceRuntime& runtime, Task& task) {
    if (options.log_keep_bytes == 0) return;
    const std::string path = LogPath(runtime.spec->name, task.id);
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return;
    const uint64_t size = static_cast<uint64_t>(info.st_size);
    if (!ReleaseDue(size, options.log_keep_bytes, task.log_released)) return;
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return;
    KeepRecentPart(fd, size, options.log_keep_bytes, task.log_released);
    ::close(fd);
  }

  void Reconcile() {
    const TimePoint now = SteadyClock::now();
    const bool sample = now - last_sample >= options.sample_interval;
    if (sample) last_sample = now;
    for (ServiceRuntime& runtime : services) ReconcileService(runtime, now, sample);
    if (!announced_all_healthy && !shutting_down && AllHealthy()) {
      announced_all_healthy = true;
      if (options.on_all_healthy) options.on_all_healthy();
    }
    if (shutting_down && on_stopped) {
      for (const ServiceRuntime& runtime : services) {
        for (const auto& task : runtime.tasks) {
          if (task->pid != 0) return;
        }
      }
      auto callback = std::move(on_stopped);
      on_stopped = nullptr;
      callback();
    }
  }

  bool AllHealthy() const {
    for (const ServiceRuntime& runtime : services) {
      if (runtime.spec->kind == ServiceKind::kJob) {
        if (!runtime.completed) return false;
        continue;
      }
      int healthy = 0;
      for (const auto& task : runtime.tasks) {
        healthy += !task->retire && task->state == TaskState::kHealthy ? 1 : 0;
      }
      if (healthy < Target(runtime)) return false;
    }
    return true;
  }
};

Supervisor::Supervisor(asio::io_context& io, StackSpec stack, DiscoveryRegistry& discovery,
                       SupervisorOptions options)
    : impl_(std::make_unique<Impl>(io, std::move(stack), discovery, std::move(options))) {}

Supervisor::~Supervisor() {
  *impl_->alive = false;
  impl_->tick_timer.cancel();
  for (ServiceRuntime& runtime : impl_->services) {
    for (const auto& task : runtime.tasks) {
      if (task->pid == 0) continue;
      SignalProcessGroup(task->pid, SIGKILL);
      int status;
      ::waitpid(task->pid, &status, 0);
    }
  }
}

void Supervisor::Start() {
  impl_->last_sample = std::chrono::steady_clock::now();
  impl_->Reconcile();
  impl_->ScheduleTick();
}

Status Supervisor::StopService(const std::string& name) {
  ServiceRuntime* runtime = impl_->Find(name);
  if (!runtime) return NotFound("unknown service: " + name);
  runtime->stopped = true;
  impl_->announced_all_healthy = false;
  return Status::Ok();
}

Status Supervisor::StartService(const std::string& name) {
  ServiceRuntime* runtime = impl_->Find(name);
  if (!runtime) return NotFound("unknown service: " + name);
  if (impl_->shutting_down) return FailedPrecondition("the stack is shutting down");
  runtime->stopped = false;
  return Status::Ok();
}

Status Supervisor::Scale(const std::string& name, int desired) {
  ServiceRuntime* runtime = impl_->Find(name);
  if (!runtime) return NotFound("unknown service: " + name);
  if (runtime->spec->kind != ServiceKind::kService) {
    return FailedPrecondition(name + " is a " + KindName(runtime->spec->kind) +
                              "; only services scale");
  }
  if (desired < 0 || desired > 64) return InvalidArgument("desired must be between 0 and 64");
  if (runtime->spec->port != 0 && desired > 1) {
    return FailedPrecondition(name + " has a fixed port (" + std::to_string(runtime->spec->port) +
                              ") and runs one task");
  }
  runtime->desired = desired;
  return Status::Ok();
}

void Supervisor::Shutdown(std::function<void()> on_stopped) {
  impl_->shutting_down = true;
  impl_->on_stopped = std::move(on_stopped);
  impl_->Reconcile();
  if (impl_->on_stopped) impl_->ScheduleTick();
}

bool Supervisor::shutting_down() const { return impl_->shutting_down; }

bool Supervisor::AllHealthy() const { return impl_->AllHealthy(); }

const StackSpec& Supervisor::stack() const { return impl_->stack; }

std::vector<ServiceTaskCounts> Supervisor::TaskCounts() const {
  std::vector<ServiceTaskCounts> counts;
  for (const ServiceRuntime& runtime : impl_->services) {
    ServiceTaskCounts row;
    row.service = runtime.spec->name;
    row.kind = runtime.spec->kind;
    row.desired = impl_->Target(runtime);
    row.restarts = runtime.restarts;
    for (const auto& task : runtime.tasks) {
      row.running += task->pid != 0 ? 1 : 0;
      row.healthy += task->state == TaskState::kHealthy ? 1 : 0;
    }
    counts.push_back(std::move(row));
  }
  return counts;
}

nlohmann::json Supervisor::TasksJson() const {
  const TimePoint now = SteadyClock::now();
  nlohmann::json services = nlohmann::json::array();
  nlohmann::json tasks = nlohmann::json::array();
  for (const ServiceRuntime& runtime : impl_->services) {
    int healthy = 0;
    for (const auto& task : runtime.tasks) {
      healthy += task->state == TaskState::kHealthy ? 1 : 0;
      nlohmann::json row = {
          {"id", task->id},
          {"service", runtime.spec->name},
          {"kind", KindName(runtime.spec->kind)},
          {"version", task->version.empty() ? runtime.spec->version : task->version},
          {"slot", task->slot},
          {"state", StateName(task->state)},
          {"health", task->health ? HealthName(task->health->health()) : "none"},
          {"pid", task->pid},
          {"port", task->port},
          {"restarts", task->restarts},
          {"uptime_ms",
           task->pid ? std::chrono::duration_cast<std::chrono::milliseconds>(now - task->started_at)
                           .count()
                     : 0},
          // null until the running process has been sampled (and for no process).
          {"cpu_percent", task->sampled() ? nlohmann::json(task->cpu_percent) : nullptr},
          {"rss_bytes", task->sampled() ? nlohmann::json(task->rss_bytes) : nullptr},
          {"last_exit", task->last_exit},
          {"log", task->id.empty() ? "" : impl_->LogPath(runtime.spec->name, task->id)}};
      tasks.push_back(std::move(row));
    }
    services.push_back({{"name", runtime.spec->name},
                        {"kind", KindName(runtime.spec->kind)},
                        {"version", runtime.spec->version},
                        {"desired", runtime.desired},
                        {"stopped", runtime.stopped},
                        {"healthy", healthy},
                        {"completed", runtime.completed}});
  }
  nlohmann::json supervisor = {{"pid", ::getpid()}};
  if (auto self = SampleProcess(::getpid()); self.ok()) supervisor["rss_bytes"] = self->rss_bytes;
  return {{"stack", impl_->stack.name},
          {"all_healthy", impl_->AllHealthy()},
          {"shutting_down", impl_->shutting_down},
          {"supervisor", supervisor},
          {"services", services},
          {"tasks", tasks}};
}

}  // namespace ck::platform
