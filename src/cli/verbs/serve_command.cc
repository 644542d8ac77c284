// `ck serve <service>`: runs one Cuddle Kube service (list-api, register-api, ...) in this
// process, configured by the environment of docs/platform-contract.md; `ck serve seed` creates
// and seeds the residents table once and exits.
//
// Threads: one I/O thread runs the service (server, handlers and clients); see service_host.h.
#include <memory>
#include <string>

#include "cli/verbs/server_runtime.h"
#include "cli/verbs/verbs.h"
#include "core/logger.h"
#include "services/common/residents.h"
#include "services/common/services.h"

namespace ck::cli {
namespace {

constexpr const char* kSeedTarget = "seed";

struct ServeFlags {
  std::string service;
  std::string listen;
  std::string ready_file;
  std::string log_level;
  bool seed_existing = false;
};

Status Seed(const ServeFlags& flags) {
  services::ServiceConfig config = services::LoadServiceConfig("seed");
  if (!flags.log_level.empty()) config.log_level = flags.log_level;
  Logger::Global().Configure("seed", ParseLogLevel(config.log_level));
  CK_ASSIGN_OR_RETURN(services::TableInit init,
                      services::EnsureResidentTableBlocking(config, flags.seed_existing));
  Logger::Global().Info(
      "residents table ready",
      {{"table", config.table}, {"created", init.created}, {"seeded", init.seeded}});
  return Status::Ok();
}

Status Serve(const ServeFlags& flags) {
  if (flags.service == kSeedTarget) return Seed(flags);
  const services::ServiceDefinition* definition = services::FindService(flags.service);
  if (definition == nullptr) return InvalidArgument("unknown service '" + flags.service + "'");
  services::ServiceConfig config = services::LoadServiceConfig(definition->name);
  if (!flags.listen.empty()) config.listen = flags.listen;
  if (!flags.log_level.empty()) config.log_level = flags.log_level;
  CK_ASSIGN_OR_RETURN(ListenAddress address, ParseListenAddress(config.listen));
  std::string ready_file = flags.ready_file;
  return services::RunService(*definition, std::move(config), address.host, address.port,
                              [ready_file](const std::string& url) {
                                if (ready_file.empty()) return Status::Ok();
                                return WriteFileAtomically(ready_file, url + "\n");
                              });
}

std::string ServiceList() {
  std::string text;
  for (const services::ServiceDefinition& definition : services::AllServices()) {
    text += "  " + definition.name +
            std::string(16 - std::min<size_t>(15, definition.name.size()), ' ') +
            definition.summary + "\n";
  }
  text += std::string("  ") + kSeedTarget + std::string(12, ' ') +
          "one-shot: create the residents table if missing, seed it if created, exit\n";
  return text;
}

}  // namespace

void RegisterServeCommand(CLI::App& app) {
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* command =
      app.add_subcommand("serve", "Run one Cuddle Kube service (the application's processes).");
  command->footer(
      "Services:\n" + ServiceList() +
      "\nEnvironment (docs/platform-contract.md, docs/services.md):\n"
      "  CK_LISTEN            host:port to listen on (default 127.0.0.1:8080; --listen wins)\n"
      "  CK_SERVICE           service name reported by /health (default: <service>)\n"
      "  CK_SERVICE_VERSION   version reported by /health (default dev)\n"
      "  CK_COMMIT            commit reported by /health (default dev)\n"
      "  CK_TASK_ID           task id for logs and /health\n"
      "  CK_SERVICE_DOMAIN    virtual services are <name>.<domain> (default "
      "cuddle-kube.local)\n"
      "  CK_DISCOVERY_URL     discovery registry, e.g. http://127.0.0.1:9900\n"
      "  HTTP_PROXY, NO_PROXY send calls to other services through this proxy\n"
      "  CK_TABLE             residents table (default cuddlykube)\n"
      "  CK_INIT_TABLE        false: do not create/seed the table on start\n"
      "  CK_LOG_LEVEL         debug, info, warn or error (default info)\n"
      "  AWS_XRAY_DAEMON_ADDRESS  where trace segments go (UDP host:port, default "
      "127.0.0.1:2000)\n"
      "  CK_TRACING           off: record and send no segments (trace ids still flow)\n"
      "  AWS_ENDPOINT_URL_DYNAMODB, AWS_CA_BUNDLE, AWS_REGION, AWS_ACCESS_KEY_ID,\n"
      "  AWS_SECRET_ACCESS_KEY  the datastore (list-api, register-api, happiness-api)");
  std::vector<std::string> names;
  for (const services::ServiceDefinition& definition : services::AllServices()) {
    names.push_back(definition.name);
  }
  names.push_back(kSeedTarget);
  command->add_option("service", flags->service, "the service to run (see above)")
      ->required()
      ->check(CLI::IsMember(names));
  command->add_option("--listen", flags->listen,
                      "host:port to listen on (port 0 picks one); overrides CK_LISTEN");
  command->add_option("--ready-file", flags->ready_file,
                      "write the service's URL to this file once it is listening");
  command->add_option("--log-level", flags->log_level,
                      "debug, info, warn or error; overrides CK_LOG_LEVEL");
  command->add_flag("--seed-existing", flags->seed_existing,
                    "seed: also add missing seed residents to an existing table");
  command->callback([flags] {
    Status status = Serve(*flags);
    if (!status.ok()) {
      Logger::Global().Error("ck serve failed",
                             {{"service", flags->service}, {"error", status.message()}});
      ExitCode() = 1;
    }
  });
}

}  // namespace ck::cli
