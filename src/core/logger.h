// JSON-lines logging: one JSON object per line on stdout (or a chosen stream).
//
// Every line has ts (RFC 3339 UTC with milliseconds), level, service and msg, plus any fields
// the caller adds, and trace_id/span_id when a trace context is current on the calling thread
// (set by the telemetry layer through LogContext). Lines are written whole under a mutex, so
// concurrent writers never interleave.
//
//   Logger::Global().Info("listening", {{"address", "127.0.0.1:8000"}});
//
// Thread-safety: all methods are thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace ck {

enum class LogLevel { kDebug = 0, kInfo, kWarn, kError };

// Parses "debug", "info", "warn", "error"; defaults to info.
LogLevel ParseLogLevel(std::string_view text);

// Per-thread trace context stamped on log lines written while it is set.
struct LogContext {
  std::string trace_id;
  std::string span_id;
  static LogContext& Current();
};

class Logger {
 public:
  static Logger& Global();

  void Configure(std::string service, LogLevel level, std::FILE* out = stdout);
  LogLevel level() const { return level_; }

  void Log(LogLevel level, std::string_view msg, const nlohmann::json& fields = nullptr);
  void Debug(std::string_view msg, const nlohmann::json& fields = nullptr) {
    Log(LogLevel::kDebug, msg, fields);
  }
  void Info(std::string_view msg, const nlohmann::json& fields = nullptr) {
    Log(LogLevel::kInfo, msg, fields);
  }
  void Warn(std::string_view msg, const nlohmann::json& fields = nullptr) {
    Log(LogLevel::kWarn, msg, fields);
  }
  void Error(std::string_view msg, const nlohmann::json& fields = nullptr) {
    Log(LogLevel::kError, msg, fields);
  }

 private:
  std::mutex mutex_;
  std::string service_ = "ck";
  LogLevel level_ = LogLevel::kInfo;
  std::FILE* out_ = stdout;
};

}  // namespace ck
