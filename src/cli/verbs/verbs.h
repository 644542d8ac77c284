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

}  // namespace ck::cli
