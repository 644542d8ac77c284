// Naming rules of CloudWatch Logs, shared by the log store (which rejects bad names) and the
// tailer (which derives names from task log file paths and skips files that would break them).
//
//   if (!IsValidLogGroupName(name)) return InvalidArgument(...);
//
// Group names: 1-512 characters of [A-Za-z0-9._/#-]. Stream names: 1-512 bytes, no ':' or '*'.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace ck::collector::logs {

inline constexpr size_t kMaxLogNameLength = 512;

inline bool IsValidLogGroupName(std::string_view name) {
  if (name.empty() || name.size() > kMaxLogNameLength) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '/' || c == '#' || c == '-';
    if (!ok) return false;
  }
  return true;
}

inline bool IsValidLogStreamName(std::string_view name) {
  if (name.empty() || name.size() > kMaxLogNameLength) return false;
  return name.find_first_of(":*") == std::string_view::npos;
}

}  // namespace ck::collector::logs
