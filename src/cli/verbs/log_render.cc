#include "cli/verbs/log_render.h"

#include <fmt/format.h>

#include <ctime>

#include "cli/verbs/terminal_text.h"

namespace ck::cli {

using nlohmann::json;

namespace {

constexpr const char* kDim = "\x1b[2m";
constexpr const char* kCyan = "\x1b[36m";
constexpr const char* kReset = "\x1b[0m";
constexpr size_t kTraceMessageWidth = 160;

const char* LevelColor(const std::string& message) {
  if (message.find("\"level\":\"error\"") != std::string::npos) return "\x1b[31m";
  if (message.find("\"level\":\"warn\"") != std::string::npos) return "\x1b[33m";
  return nullptr;
}

std::string LastPart(const std::string& name) { return name.substr(name.rfind('/') + 1); }

std::string Colored(const std::string& text, const char* color, bool enabled) {
  if (!enabled || color == nullptr) return text;
  return color + text + kReset;
}

}  // namespace

std::string FormatLogTimestamp(int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900,
                     utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                     static_cast<int>(epoch_ms % 1000));
}

std::string FormatLogEvent(const json& event, bool color) {
  const std::string task = TerminalSafe(LastPart(event.value("logStreamName", "")));
  const std::string message = TerminalSafe(event.value("message", ""));
  return Colored(FormatLogTimestamp(event.value("timestamp", int64_t{0})), kDim, color) + " " +
         Colored(task, kCyan, color) + " " + Colored(message, LevelColor(message), color) + "\n";
}

std::string RenderTraceLogEvents(const json& events, const RenderOptions& options) {
  if (!events.is_array() || events.empty()) return "\nNo log events for this trace\n";
  TextTable table({Align::kLeft, Align::kLeft, Align::kLeft});
  for (const json& event : events) {
    const std::string message = TerminalSafe(event.value("message", ""));
    const double seconds = static_cast<double>(event.value("timestamp", int64_t{0})) / 1000.0;
    table.AddRow({{FormatClock(seconds, options.utc, true), kDim},
                  {TerminalSafe(LastPart(event.value("logGroupName", ""))), kCyan},
                  {Truncate(message, kTraceMessageWidth), LevelColor(message)}});
  }
  return fmt::format("\nLog events ({})\n", events.size()) + table.Render(options.color);
}

}  // namespace ck::cli
