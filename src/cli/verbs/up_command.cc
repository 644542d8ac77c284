// `ck up`: the local platform in one process — supervisor, discovery registry and control API —
// running the stack file's datastore, jobs and services (docs/platform.md).
//
// Threads: the supervisor's controller loop, health probes, the control API and the collector's
// receivers run on the main thread's io_context; the collector adds a storage writer and a query
// thread; the tasks are separate processes.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli/verbs/server_runtime.h"
#include "cli/verbs/stack_telemetry_feed.h"
#include "cli/verbs/verbs.h"
#include "collector/collector.h"
#include "core/logger.h"
#include "core/tls_context.h"
#include "http/server.h"
#include "platform/control_api.h"
#include "platform/discovery.h"
#include "platform/process.h"
#include "platform/stack_spec.h"
#include "platform/supervisor.h"
#include "platform/supervisor_metrics.h"
#include "telemetry/metrics.h"
#include "telemetry/process_metrics.h"

namespace ck::cli {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;

struct UpFlags {
  std::string stack_file = "stacks/cuddlekube.yaml";
  std::string data_dir;
  int port_offset = 0;
  int public_port = 0;
  int control_port = 0;
  int datastore_port = 0;
  int xray_port = 0;
  int otlp_port = 0;
  std::string ready_file;
  bool quiet = false;
  std::string log_level = "info";
};

asio::awaitable<http::HttpResponse> HandleControl(platform::ControlApi* api,
                                                  http::HttpRequest request) {
  co_return api->Handle(request);
}

// Holds an exclusive lock on <data dir>/up.lock for the life of `ck up`, so two stacks never
// share one store.
class DataDirLock {
 public:
  ~DataDirLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Acquire(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) return Internal("cannot open " + path);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return FailedPrecondition("another `ck up` is using this data directory (" + path + ")");
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

Status Run(const UpFlags& flags) {
  const auto began = std::chrono::steady_clock::now();
  CK_ASSIGN_OR_RETURN(platform::StackSpec stack, platform::LoadStackFile(flags.stack_file));
  platform::PortOverrides overrides;
  overrides.offset = flags.port_offset;
  overrides.control_port = static_cast<uint16_t>(flags.control_port);
  overrides.public_port = static_cast<uint16_t>(flags.public_port);
  overrides.datastore_port = static_cast<uint16_t>(flags.datastore_port);
  overrides.xray_port = static_cast<uint16_t>(flags.xray_port);
  overrides.otlp_port = static_cast<uint16_t>(flags.otlp_port);
  CK_RETURN_IF_ERROR(platform::ApplyPortOverrides(stack, overrides));
  if (!flags.data_dir.empty()) stack.data_dir = flags.data_dir;

  std::error_code error;
  const fs::path data_dir = fs::absolute(stack.data_dir, error).lexically_normal();
  fs::create_directories(data_dir / "logs", error);
  if (error)
    return Internal("cannot create " + (data_dir / "logs").string() + ": " + error.message());
  stack.data_dir = data_dir.string();
  DataDirLock lock;
  CK_RETURN_IF_ERROR(lock.Acquire((data_dir / "up.lock").string()));
  if (stack.datastore.tls && stack.Find(stack.datastore.name)) {
    CK_RETURN_IF_ERROR(
        EnsureLocalCertificates((data_dir / "tls").string(), {"localhost", "127.0.0.1", "::1"}));
  }

  const std::string supervisor_log = (data_dir / "logs" / "supervisor.log").string();
  std::FILE* log_file = std::fopen(supervisor_log.c_str(), "a");
  if (!log_file) return Internal("cannot write " + supervisor_log);
  Logger::Global().Configure("supervisor", ParseLogLevel(flags.log_level), log_file);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);

  const std::string control_url = "http://127.0.0.1:" + std::to_string(stack.control_port);
  asio::io_context io;
  // Declared before the collector, whose metrics thread asks it for scrape targets.
  StackTelemetryFeed feed(io, stack.name);
  std::unique_ptr<collector::Collector> telemetry;
  if (stack.telemetry.enabled) {
    collector::CollectorOptions collector_options;
    collector_options.data_dir = data_dir.string();
    collector_options.xray_port = stack.telemetry.xray_port;
    collector_options.otlp_port = stack.telemetry.otlp_port;
    CK_ASSIGN_OR_RETURN(platform::Milliseconds retention,
                        platform::ParseDuration(stack.telemetry.retention));
    collector_options.retention_seconds = static_cast<double>(retention.count()) / 1000.0;
    collector_options.max_spans = stack.telemetry.max_spans;
    collector_options.log_group_prefix = "/ecs/" + stack.name;
    collector_options.log_retention_days =
        stack.telemetry.log_retention_days > 0
            ? std::optional<int>(stack.telemetry.log_retention_days)
            : std::nullopt;
    collector_options.log_max_bytes = static_cast<uint64_t>(stack.telemetry.log_max_mb) << 20;
    collector_options.scrape_targets = [&feed] { return feed.Targets(); };
    collector_options.alarms = stack.alarms;
    auto started = collector::Collector::Start(io, std::move(collector_options));
    if (!started.ok()) {
      return Unavailable("collector: " + started.status().message() +
                         " (is another stack running? try --port-offset)");
    }
    telemetry = std::move(*started);
  }
  platform::DiscoveryRegistry discovery;
  platform::SupervisorOptions options;
  options.data_dir = data_dir.string();
  options.self_executable = platform::SelfExecutable();
  options.discovery_url = control_url;
  if (telemetry) {
    options.extra_env.push_back("AWS_XRAY_DAEMON_ADDRESS=127.0.0.1:" +
                                std::to_string(telemetry->udp_endpoint().port()));
    if (auto otlp = telemetry->otlp_endpoint()) {
      options.extra_env.push_back("OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" +
                                  std::to_string(otlp->port()));
    }
  } else {
    options.extra_env.push_back("CK_TRACING=off");
    // No collector ships the task logs: keep only their recent part on disk.
    options.log_keep_bytes = 16 * 1'048'576;
  }
  const bool quiet = flags.quiet;
  options.on_event = [quiet, began](const std::string& message, const nlohmann::json& fields) {
    Logger::Global().Info(message, fields);
    const bool trouble = message != "task started" && message != "task healthy";
    if (quiet && !trouble) return;
    const double at =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    std::printf("  %6.2fs  %-28s %s", at, fields.value("task", "").c_str(), message.c_str());
    for (const char* key : {"exit", "reason", "delay_ms"}) {
      if (fields.contains(key)) std::printf("  %s=%s", key, fields[key].dump().c_str());
    }
    std::printf("\n");
  };
  const size_t service_count = stack.services.size();
  options.on_all_healthy = [&flags, began, service_count, control_url] {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    std::printf("ck up: all %zu services healthy in %.2f s\n", service_count, seconds);
    Logger::Global().Info("all healthy", {{"seconds", seconds}});
    if (!flags.ready_file.empty()) {
      Status written = WriteFileAtomically(flags.ready_file, control_url + "\n");
      if (!written.ok()) Logger::Global().Error("ready file", {{"error", written.message()}});
    }
  };
  const std::string site_url = "http://127.0.0.1:" + std::to_string(stack.public_port) + "/";
  const std::string stack_name = stack.name;
  const bool has_public = !stack.public_service.empty();
  platform::Supervisor supervisor(io, std::move(stack), discovery, options);
  feed.Attach(&supervisor, telemetry.get());

  http::HttpServer* server_pointer = nullptr;
  bool stopping = false;
  auto begin_shutdown = [&] {
    if (stopping) return;
    stopping = true;
    std::printf(
        "ck up: stopping (dependents first; SIGTERM, then SIGKILL after the grace period)\n");
    feed.Stop();
    supervisor.Shutdown([&] {
      if (telemetry) telemetry->Shutdown();
      server_pointer->Shutdown([&] { io.stop(); });
    });
  };
  platform::ControlApi api(supervisor, discovery, [&] { asio::post(io, begin_shutdown); });
  // GET /metrics on the control port: the supervisor's numbers and this process (docs/metrics.md).
  telemetry::MetricsRegistry metrics;
  CK_RETURN_IF_ERROR(platform::AddSupervisorMetrics(metrics, supervisor));
  CK_RETURN_IF_ERROR(telemetry::AddProcessMetrics(metrics));
  api.ServeMetrics(&metrics);
  http::ServerOptions server_options;
  server_options.server_name = "ck-control";
  http::HttpServer server(io, server_options, [&api](http::HttpRequest request) {
    return HandleControl(&api, std::move(request));
  });
  server_pointer = &server;
  auto endpoint = server.Listen("127.0.0.1", supervisor.stack().control_port);
  if (!endpoint.ok()) {
    return Unavailable("control API port " + std::to_string(supervisor.stack().control_port) +
                       ": " + endpoint.status().message() +
                       " (is another stack running? try --port-offset)");
  }
  server.Start();

  std::printf("ck up: stack %s, data in %s\n", stack_name.c_str(), data_dir.c_str());
  if (has_public) std::printf("  site:     %s\n", site_url.c_str());
  std::printf("  control:  %s/v1/tasks  (ck ps, ck stop|start|scale, ck down)\n",
              control_url.c_str());
  std::printf("  logs:     %s/\n", (data_dir / "logs").c_str());
  if (telemetry) {
    std::printf(
        "  traces:   X-Ray daemon udp/%d, X-Ray API http://127.0.0.1:%d  (ck map, ck traces)\n",
        telemetry->udp_endpoint().port(), telemetry->api_endpoint().port());
    std::printf(
        "  telemetry API: logs (ck logs, ck query), metrics (ck metrics), alarms (ck alarms)\n"
        "            with --collector http://127.0.0.1:%d\n",
        telemetry->api_endpoint().port());
  }
  supervisor.Start();
  feed.Start();

  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& wait_error, int) {
        if (wait_error) return;
        if (stopping) {
          std::printf("ck up: second signal, killing every task now\n");
          io.stop();  // ~Supervisor sends SIGKILL and reaps
          return;
        }
        begin_shutdown();
        signals.async_wait(on_signal);
      };
  signals.async_wait(on_signal);
  io.run();
  std::printf("ck up: stopped\n");
  Logger::Global().Info("stopped");
  return Status::Ok();
}

}  // namespace

void RegisterUpCommand(CLI::App& app) {
  auto flags = std::make_shared<UpFlags>();
  CLI::App* command = app.add_subcommand(
      "up",
      "Start the stack: the local platform (supervisor, discovery, control API) runs the stack\n"
      "file's datastore, jobs and services in dependency order, keeps them healthy, and stops\n"
      "them gracefully on Ctrl-C or `ck down`. Data stays in the data directory between runs.");
  command->add_option("stack", flags->stack_file, "stack file")->capture_default_str();
  command->add_option("--data-dir", flags->data_dir,
                      "data directory (store, CA, logs); default: the stack file's data_dir");
  command
      ->add_option("--port-offset", flags->port_offset,
                   "add this to every fixed port (control, public, datastore), e.g. to run\n"
                   "a second stack beside the first")
      ->check(CLI::Range(-60000, 60000));
  command->add_option("--public-port", flags->public_port, "port of the site (default 8080)")
      ->check(CLI::Range(1, 65535));
  command
      ->add_option("--control-port", flags->control_port, "port of the control API (default 9900)")
      ->check(CLI::Range(1, 65535));
  command
      ->add_option("--datastore-port", flags->datastore_port,
                   "port of the datastore (default 8000)")
      ->check(CLI::Range(1, 65535));
  command
      ->add_option("--xray-port", flags->xray_port,
                   "collector port: X-Ray daemon protocol on UDP and the X-Ray API on TCP\n"
                   "(default 2000; tasks get AWS_XRAY_DAEMON_ADDRESS)")
      ->check(CLI::Range(1, 65535));
  command
      ->add_option("--otlp-port", flags->otlp_port,
                   "collector OTLP/HTTP port (default 4318; tasks get OTEL_EXPORTER_OTLP_ENDPOINT)")
      ->check(CLI::Range(1, 65535));
  command->add_option("--ready-file", flags->ready_file,
                      "write the control URL to this file once everything is healthy");
  command->add_flag("-q,--quiet", flags->quiet, "print only problems (exits, restarts)");
  command
      ->add_option("--log-level", flags->log_level,
                   "level of the supervisor's own log (<data dir>/logs/supervisor.log)")
      ->capture_default_str();
  command->callback([flags] {
    Status status = Run(*flags);
    if (!status.ok()) {
      std::fprintf(stderr, "ck up: %s\n", status.message().c_str());
      ExitCode() = 1;
    }
  });
}

}  // namespace ck::cli
