// `ck dynamodb`: the local DynamoDB (JSON 1.0 protocol over HTTP or HTTPS, SQLite storage).
//
// Threads: one I/O thread runs the HTTP server; one worker thread owns the DynamoDbService
// (SQLite) and runs every request and the TTL sweep, so blocking storage work never stalls I/O.
// `GET /metrics` (docs/metrics.md) is answered on the I/O thread; the API is `POST /`.
#include <utility>

#include <malloc.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <functional>
#include <thread>

#include "cli/verbs/server_runtime.h"
#include "cli/verbs/verbs.h"
#include "core/logger.h"
#include "core/tls_context.h"
#include "http/offload.h"
#include "http/server.h"
#include "store/api/dynamodb_service.h"
#include "store/api/server_metrics.h"
#include "telemetry/metrics.h"
#include "telemetry/process_metrics.h"

namespace ck::cli {
namespace {

namespace asio = boost::asio;

struct DynamoDbFlags {
  std::string listen = "127.0.0.1:8000";
  std::string data_dir = ".ck";
  std::string durability = "normal";
  std::string region = "us-east-1";
  std::string access_key = "ck-local";
  std::string secret_key = "ck-local-secret";
  bool no_verify_signatures = false;
  bool tls_auto = false;
  std::string tls_cert;
  std::string tls_key;
  std::string ready_file;
  int ttl_sweep_interval_ms = 5000;
  std::string log_level = "info";
};

// One request: metrics scrapes here, API calls on the worker, measured from arrival to answer.
asio::awaitable<http::HttpResponse> Serve(store::api::DynamoDbService* service,
                                          asio::any_io_executor worker,
                                          const telemetry::MetricsRegistry* registry,
                                          store::api::DynamoDbServerMetrics* metrics,
                                          http::HttpRequest request) {
  if (telemetry::IsMetricsRequest(request)) {
    co_return telemetry::MetricsResponse(*registry, request);
  }
  const auto start = std::chrono::steady_clock::now();
  const http::HttpRequest* incoming = &request;
  http::HttpResponse response =
      co_await http::OffloadTo(worker, [service, incoming] { return service->Handle(*incoming); });
  metrics->Record(request, response,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  co_return response;
}

Status Run(const DynamoDbFlags& flags) {
  Logger::Global().Configure("dynamodb", ParseLogLevel(flags.log_level));
  CK_ASSIGN_OR_RETURN(ListenAddress address, ParseListenAddress(flags.listen));
  if (flags.durability != "normal" && flags.durability != "full") {
    return InvalidArgument("--durability must be normal or full, not '" + flags.durability + "'");
  }
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path data_dir(flags.data_dir);
  fs::create_directories(data_dir / "dynamodb", error);
  if (error)
    return Internal("cannot create " + (data_dir / "dynamodb").string() + ": " + error.message());

  http::ServerOptions server_options;
  server_options.body_limit_bytes = 16u << 20;  // DynamoDB's request size limit
  server_options.server_name = "ck-dynamodb";
  std::string cert = flags.tls_cert;
  std::string key = flags.tls_key;
  if (flags.tls_auto && cert.empty()) {
    const std::string tls_dir = (data_dir / "tls").string();
    std::vector<std::string> names = {"localhost", "127.0.0.1", "::1"};
    if (address.host != "127.0.0.1" && address.host != "0.0.0.0") names.push_back(address.host);
    CK_RETURN_IF_ERROR(EnsureLocalCertificates(tls_dir, names));
    cert = tls_dir + "/server.pem";
    key = tls_dir + "/server-key.pem";
  }
  if (!cert.empty() || !key.empty()) {
    if (cert.empty() || key.empty()) return InvalidArgument("--tls-cert and --tls-key go together");
    CK_ASSIGN_OR_RETURN(server_options.tls, MakeServerTlsContext(cert, key));
  }

  store::api::DynamoDbOptions options;
  options.data_path = (data_dir / "dynamodb" / "dynamodb.sqlite3").string();
  options.durability = flags.durability == "full" ? store::engine::Durability::kFull
                                                  : store::engine::Durability::kNormal;
  options.region = flags.region;
  options.credentials = {{flags.access_key, flags.secret_key, ""}};
  options.verify_signatures = !flags.no_verify_signatures;
  CK_ASSIGN_OR_RETURN(auto service, store::api::DynamoDbService::Open(options));
  telemetry::MetricsRegistry registry;
  CK_ASSIGN_OR_RETURN(auto metrics,
                      store::api::DynamoDbServerMetrics::Create(registry, options.data_path));
  CK_RETURN_IF_ERROR(telemetry::AddProcessMetrics(registry));

  asio::io_context io;
  asio::io_context worker;
  auto worker_guard = asio::make_work_guard(worker);
  std::thread worker_thread([&] { worker.run(); });

  http::HttpServer server(io, server_options, [&](http::HttpRequest request) {
    return Serve(service.get(), worker.get_executor(), &registry, metrics.get(),
                 std::move(request));
  });
  auto endpoint = server.Listen(address.host, address.port);
  if (!endpoint.ok()) {
    worker_guard.reset();
    worker_thread.join();
    return endpoint.status();
  }
  server.Start();

  // The TTL sweep runs on the worker, between requests; its timer lives on the I/O context so
  // that the worker has no reactor: an idle worker then sleeps on a condition variable, which
  // is cheaper to wake for every request than an epoll_wait interrupted through an eventfd.
  //
  // The same tick returns memory once the server has been idle for a whole interval: what a
  // burst freed (TLS connections, large items and pages) otherwise stays in malloc's free lists,
  // ~1 MB after the bench's setup over HTTPS.
  asio::steady_timer sweep_timer(io);
  uint64_t requests_at_last_tick = 0;
  bool trimmed = true;
  std::function<void(size_t, bool)> sweep_step;
  std::function<void()> schedule_sweep = [&] {
    sweep_timer.expires_after(std::chrono::milliseconds(flags.ttl_sweep_interval_ms));
    sweep_timer.async_wait([&](const boost::system::error_code& wait_error) {
      if (wait_error) return;
      const uint64_t requests = server.stats().requests;
      const bool idle = requests == requests_at_last_tick;
      const bool trim = idle && !trimmed;
      requests_at_last_tick = requests;
      trimmed = idle;
      asio::post(worker, [&, trim] { sweep_step(0, trim); });
    });
  };
  // A sweep of many expired items runs as several worker jobs of kSweepStep items, each queued
  // behind the requests that arrived meanwhile, so that it never stalls them for long.
  constexpr size_t kSweepStep = 2000;
  sweep_step = [&](size_t deleted_before, bool trim) {
    const size_t deleted = service->SweepExpiredItems(kSweepStep);
    if (deleted == kSweepStep) {
      asio::post(worker, [&, total = deleted_before + deleted, trim] { sweep_step(total, trim); });
      return;
    }
    if (deleted_before + deleted > 0) {
      Logger::Global().Info("ttl sweep", {{"deleted", deleted_before + deleted}});
    }
    if (trim) malloc_trim(0);
    asio::post(io, schedule_sweep);
  };
  schedule_sweep();

  const std::string scheme = server.tls() ? "https" : "http";
  std::string host = endpoint->address().to_string();
  if (endpoint->address().is_v6()) host = "[" + host + "]";
  const std::string url = scheme + "://" + host + ":" + std::to_string(endpoint->port());
  Logger::Global().Info("listening", {{"url", url},
                                      {"database", options.data_path},
                                      {"durability", flags.durability},
                                      {"verify_signatures", options.verify_signatures}});
  if (!flags.ready_file.empty()) {
    CK_RETURN_IF_ERROR(WriteFileAtomically(flags.ready_file, url + "\n"));
  }

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& wait_error, int signal_number) {
    if (wait_error) return;
    Logger::Global().Info("shutting down", {{"signal", signal_number}});
    server.Shutdown([&] { io.stop(); });
  });
  io.run();

  sweep_timer.cancel();
  worker_guard.reset();
  worker_thread.join();
  Logger::Global().Info("stopped", {{"requests", server.stats().requests}});
  return Status::Ok();
}

}  // namespace

void RegisterDynamoDbCommand(CLI::App& app) {
  auto flags = std::make_shared<DynamoDbFlags>();
  CLI::App* command = app.add_subcommand(
      "dynamodb",
      "Run the local DynamoDB: the DynamoDB JSON 1.0 protocol (SigV4-verified) over HTTP or\n"
      "HTTPS, stored durably in SQLite under --data-dir. AWS SDKs and the AWS CLI work against\n"
      "it with --endpoint-url and the credentials below.");
  command->add_option("--listen", flags->listen, "host:port to listen on (port 0 picks one)")
      ->envname("CK_DYNAMODB_LISTEN")
      ->capture_default_str();
  command
      ->add_option("--data-dir", flags->data_dir,
                   "data directory; the table file is <dir>/dynamodb/dynamodb.sqlite3,\n"
                   "held by one server at a time")
      ->envname("CK_DATA_DIR")
      ->capture_default_str();
  command
      ->add_option("--durability", flags->durability,
                   "normal: an acknowledged write survives a crash of ck (kill -9);\n"
                   "full: it also survives power loss (fsync per write)")
      ->check(CLI::IsMember({"normal", "full"}))
      ->capture_default_str();
  command->add_option("--region", flags->region, "region used in ARNs and SigV4 scope")
      ->envname("AWS_REGION")
      ->capture_default_str();
  command->add_option("--access-key", flags->access_key, "accepted access key id")
      ->envname("CK_DYNAMODB_ACCESS_KEY")
      ->capture_default_str();
  command->add_option("--secret-key", flags->secret_key, "secret access key for --access-key")
      ->envname("CK_DYNAMODB_SECRET_KEY")
      ->capture_default_str();
  command->add_flag("--no-verify-signatures", flags->no_verify_signatures,
                    "accept unsigned or wrongly signed requests (local experiments only)");
  command->add_flag("--tls-auto", flags->tls_auto,
                    "serve HTTPS with a certificate from a local CA generated under\n"
                    "<data-dir>/tls (clients trust <data-dir>/tls/ca.pem, e.g. AWS_CA_BUNDLE)");
  command->add_option("--tls-cert", flags->tls_cert, "PEM certificate chain to serve HTTPS with");
  command->add_option("--tls-key", flags->tls_key, "PEM private key for --tls-cert");
  command->add_option("--ready-file", flags->ready_file,
                      "write the server's URL to this file once it is listening");
  command
      ->add_option("--ttl-sweep-interval-ms", flags->ttl_sweep_interval_ms,
                   "how often expired TTL items are deleted; after a whole interval\n"
                   "without requests, freed memory is also returned to the system")
      ->check(CLI::Range(10, 86400000))
      ->capture_default_str();
  command->add_option("--log-level", flags->log_level, "debug, info, warn or error")
      ->capture_default_str();
  command->callback([flags] {
    Status status = Run(*flags);
    if (!status.ok()) {
      Logger::Global().Error("ck dynamodb failed", {{"error", status.message()}});
      ExitCode() = 1;
    }
  });
}

}  // namespace ck::cli
