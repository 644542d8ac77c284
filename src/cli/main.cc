// ck: one binary, many roles. `ck <verb> --help` documents each verb.
#include <CLI/CLI.hpp>

#include "cli/verbs/verbs.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Cuddle Kube: run and observe containerised microservices locally.\n"
      "Each verb is also a role that the same binary plays on a cluster.",
      "ck"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ck 0.1.0");
  ck::cli::RegisterDynamoDbCommand(app);
  ck::cli::RegisterServeCommand(app);
  ck::cli::RegisterUpCommand(app);
  ck::cli::RegisterControlCommands(app);
  ck::cli::RegisterCollectorCommand(app);
  ck::cli::RegisterTraceCommands(app);
  ck::cli::RegisterLogCommands(app);
  ck::cli::RegisterMetricCommands(app);
  CLI11_PARSE(app, argc, argv);
  return ck::cli::ExitCode();
}
