// `ck collector`: the telemetry collector on its own (the same one `ck up` hosts): traces and
// logs.
//
// Threads: the I/O thread runs the UDP receiver and the HTTP servers; the collector adds its
// storage writer and query threads.
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>

#include "cli/verbs/server_runtime.h"
#include "cli/verbs/verbs.h"
#include "collector/collector.h"
#include "core/logger.h"

namespace ck::cli {
namespace {

namespace asio = boost::asio;

struct CollectorFlags {
  std::string host = "127.0.0.1";
  int xray_port = 2000;
  int otlp_port = 4318;
  bool no_otlp = false;
  std::string data_dir = ".ck";
  double retention_hours = 24;
  uint64_t max_spans = 2'000'000;
  std::string ready_file;
  std::string log_level = "info";
  std::string log_group_prefix = "/ecs/cuddle-kube";
  int log_retention_days = 30;
  int log_max_mb = 1024;
};

Status Run(const CollectorFlags& flags) {
  Logger::Global().Configure("collector", ParseLogLevel(flags.log_level));
  collector::CollectorOptions options;
  options.data_dir = flags.data_dir;
  options.host = flags.host;
  options.xray_port = static_cast<uint16_t>(flags.xray_port);
  if (flags.no_otlp) {
    options.otlp_port.reset();
  } else {
    options.otlp_port = static_cast<uint16_t>(flags.otlp_port);
  }
  options.retention_seconds = flags.retention_hours * 3600;
  options.max_spans = flags.max_spans;
  options.log_group_prefix = flags.log_group_prefix;
  options.log_retention_days =
      flags.log_retention_days > 0 ? std::optional<int>(flags.log_retention_days) : std::nullopt;
  options.log_max_bytes = static_cast<uint64_t>(flags.log_max_mb) << 20;

  asio::io_context io;
  CK_ASSIGN_OR_RETURN(auto collector, collector::Collector::Start(io, std::move(options)));
  if (!flags.ready_file.empty()) {
    nlohmann::json ready = {{"xray_udp", collector->udp_endpoint().port()},
                            {"xray_api", collector->api_endpoint().port()}};
    if (auto otlp = collector->otlp_endpoint()) ready["otlp"] = otlp->port();
    CK_RETURN_IF_ERROR(WriteFileAtomically(flags.ready_file, ready.dump() + "\n"));
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal_number) {
    if (error) return;
    Logger::Global().Info("shutting down", {{"signal", signal_number}});
    collector->Shutdown();
  });
  io.run();
  collector->Flush();
  Logger::Global().Info("stopped", collector->StatsJson());
  return Status::Ok();
}

}  // namespace

void RegisterCollectorCommand(CLI::App& app) {
  auto flags = std::make_shared<CollectorFlags>();
  CLI::App* command = app.add_subcommand(
      "collector",
      "Run the telemetry collector: the X-Ray daemon protocol on UDP, the X-Ray API (sampling\n"
      "rules, service graph, trace summaries with filter expressions, traces) and the CloudWatch\n"
      "Logs API (log groups, filter patterns, Logs Insights queries) on TCP at the same port,\n"
      "and OTLP/HTTP /v1/traces and /v1/logs. It also tails task output the supervisor writes\n"
      "to <data-dir>/logs/<service>/<task>.log. Everything is stored under <data-dir>/telemetry.\n"
      "`ck up` runs the same collector itself; use this to collect for processes outside a stack.");
  command->add_option("--host", flags->host, "address to listen on")->capture_default_str();
  command
      ->add_option("--xray-port", flags->xray_port,
                   "UDP port of the daemon protocol and TCP port of the X-Ray API (0 picks one)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command->add_option("--otlp-port", flags->otlp_port, "OTLP/HTTP port (0 picks one)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command->add_flag("--no-otlp", flags->no_otlp, "do not listen for OTLP/HTTP");
  command->add_option("--data-dir", flags->data_dir, "data directory")
      ->envname("CK_DATA_DIR")
      ->capture_default_str();
  command->add_option("--retention-hours", flags->retention_hours, "delete traces older than this")
      ->check(CLI::Range(0.01, 24.0 * 365))
      ->capture_default_str();
  command->add_option("--max-spans", flags->max_spans, "delete the oldest traces beyond this")
      ->check(CLI::Range(1000, 2'000'000'000))
      ->capture_default_str();
  command
      ->add_option("--log-group-prefix", flags->log_group_prefix,
                   "task output goes to log group <prefix>/<service>")
      ->capture_default_str();
  command
      ->add_option("--log-retention-days", flags->log_retention_days,
                   "delete log events older than this (0: never)")
      ->check(CLI::Range(0, 3653))
      ->capture_default_str();
  command->add_option("--log-max-mb", flags->log_max_mb, "log text kept at most")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  command->add_option("--ready-file", flags->ready_file,
                      "write the bound ports as JSON to this file once listening");
  command->add_option("--log-level", flags->log_level, "debug, info, warn or error")
      ->capture_default_str();
  command->callback([flags] {
    Status status = Run(*flags);
    if (!status.ok()) {
      Logger::Global().Error("ck collector failed", {{"error", status.message()}});
      ExitCode() = 1;
    }
  });
}

}  // namespace ck::cli
