// Request parameters and replies of the CloudWatch Logs API (logs_api.h), in CloudWatch's words.
//
// Params reads members of a JSON 1.1 request body with CloudWatch's constraint checks and keeps
// the first violation, so a handler reads everything it needs and then checks error() once:
//
//   Params params(body);
//   std::string group = params.Name("logGroupName", /*required=*/true);
//   std::optional<int64_t> limit = params.Int("limit", 1, 10'000);
//   if (params.error()) return *params.error();
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::collector {

// A response body, or an error: {"__type": error_type, "message": message} with `status`.
struct LogsReply {
  nlohmann::json body = nlohmann::json::object();
  std::string error_type;  // empty: success
  std::string message;
  int status = 200;

  static LogsReply Ok(nlohmann::json body) { return LogsReply{std::move(body)}; }
  static LogsReply Error(std::string type, std::string message, int status = 400) {
    return LogsReply{nlohmann::json::object(), std::move(type), std::move(message), status};
  }
  // NotFound -> ResourceNotFoundException, AlreadyExists -> ResourceAlreadyExistsException,
  // InvalidArgument -> InvalidParameterException, anything else -> 500 ServiceUnavailableException.
  static LogsReply FromStatus(const Status& status);
};

class Params {
 public:
  explicit Params(const nlohmann::json& body) : body_(body) {}

  // Log group / stream names: 1..512 characters (groups: [.-_/#A-Za-z0-9]; streams: no ':' or
  // '*'). Returns "" when absent and not required.
  std::string GroupName(const char* member, bool required);
  std::string StreamName(const char* member, bool required);
  std::optional<std::string> String(const char* member, size_t max_length);
  std::optional<int64_t> Int(const char* member, int64_t min, int64_t max);
  std::optional<bool> Bool(const char* member);
  std::vector<std::string> GroupNames(const char* member, size_t max_count);
  std::vector<std::string> StreamNames(const char* member, size_t max_count);

  // Records a violation found by the handler itself (first one wins).
  void Fail(std::string type, std::string message);
  const std::optional<LogsReply>& error() const { return error_; }

 private:
  const nlohmann::json* Member(const char* member, nlohmann::json::value_t type,
                               const char* type_name);
  void Constraint(const char* member, std::string_view value, const std::string& constraint);
  const std::string* Name(const char* member, bool required);
  std::vector<std::string> Names(const char* member, size_t max_count,
                                 std::string (Params::*read)(const char*, bool));

  const nlohmann::json& body_;
  std::optional<LogsReply> error_;
};

// Log group retention values CloudWatch accepts (days).
bool IsValidRetentionDays(int64_t days);

// The ARN of a log group as the local service names it (region "local", account 000000000000).
std::string LogGroupArn(std::string_view group);

}  // namespace ck::collector
