#include "core/logger.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace ck {

LogLevel ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "warn" || text == "warning") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return LogLevel::kInfo;
}

LogContext& LogContext::Current() {
  thread_local LogContext context;
  return context;
}

Logger& Logger::Global() {
  static Logger logger;
  return logger;
}

void Logger::Configure(std::string service, LogLevel level, std::FILE* out) {
  std::lock_guard lock(mutex_);
  service_ = std::move(service);
  level_ = level;
  out_ = out;
}

namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

std::string Rfc3339Now() {
  auto now = std::chrono::system_clock::now();
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis % 1000);
}

}  // namespace

void Logger::Log(LogLevel level, std::string_view msg, const nlohmann::json& fields) {
  if (level < level_) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = Rfc3339Now();
  line["level"] = LevelName(level);
  {
    std::lock_guard lock(mutex_);
    line["service"] = service_;
  }
  line["msg"] = msg;
  const LogContext& context = LogContext::Current();
  if (!context.trace_id.empty()) {
    line["trace_id"] = context.trace_id;
    line["span_id"] = context.span_id;
  }
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) line[key] = value;
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text.push_back('\n');
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace ck
