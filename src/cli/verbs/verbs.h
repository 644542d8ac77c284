// The `ck` command's verbs. Each Register*Command adds one subcommand with its --help text and
// flags to the root CLI11 app; the subcommand's callback runs the verb and stores its exit code.
//
// Thread-safety: called once from main().
#pragma once

#include <CLI/CLI.hpp>

namespace ck::cli {

// Exit code set by the verb that ran.
int& ExitCode();

void RegisterDynamoDbCommand(CLI::App& app);
void RegisterServeCommand(CLI::App& app);
// `ck up` (up_command.cc) and the verbs that talk to it: ps, stop, start, scale, down.
void RegisterUpCommand(CLI::App& app);
void RegisterControlCommands(CLI::App& app);
// `ck collector` (collector_command.cc).
void RegisterCollectorCommand(CLI::App& app);
// `ck map`, `ck traces`, `ck trace` (trace_commands.cc): read the collector's X-Ray API.
void RegisterTraceCommands(CLI::App& app);
// `ck logs`, `ck query` (log_commands.cc): read the collector's CloudWatch Logs API.
void RegisterLogCommands(CLI::App& app);
// `ck metrics`, `ck alarms`, `ck export prometheus` (metric_commands.cc).
void RegisterMetricCommands(CLI::App& app);

}  // namespace ck::cli
