// Small ASCII helpers for ids written in hexadecimal (trace ids, span ids, request ids), and the
// shape checks for X-Ray trace and span ids shared by the tracer and the collector.
//
//   if (IsAllHex(id) && !IsAllZeros(id)) id = AsciiLower(id);
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ck {

inline bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when every character is a hex digit (either case); true for "".
inline bool IsAllHex(std::string_view text) {
  for (char c : text) {
    if (!IsHexDigit(c)) return false;
  }
  return true;
}

// True when every character is '0'; true for "".
inline bool IsAllZeros(std::string_view text) {
  return text.find_first_not_of('0') == std::string_view::npos;
}

// ASCII upper-case letters lowered; everything else unchanged.
inline std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// An X-Ray trace id: "1-" + 8 hex digits (epoch seconds) + "-" + 24 hex digits, either case
// (parsers normalise to lower case, because some clients send upper case).
inline bool IsValidXRayTraceId(std::string_view id) {
  return id.size() == 35 && id[0] == '1' && id[1] == '-' && id[10] == '-' &&
         IsAllHex(id.substr(2, 8)) && IsAllHex(id.substr(11));
}

// A span (segment) id: 16 hex digits, either case, not all zeros.
inline bool IsValidSpanId(std::string_view id) {
  return id.size() == 16 && IsAllHex(id) && !IsAllZeros(id);
}

}  // namespace ck
