// Compact binary encoding helpers for the metric store's persisted rows: LEB128 varints, zigzag
// signed varints, little-endian doubles and length-prefixed strings. Readers consume from the
// front of a string_view and return false (never crash) on truncated or malformed input.
//
//   std::string out;
//   PutVarint(out, 300);
//   std::string_view in = out;
//   uint64_t value;
//   if (!GetVarint(in, &value)) return Internal("corrupt row");
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ck::collector::metrics {

inline void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

inline bool GetVarint(std::string_view& in, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    auto byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

inline void PutSignedVarint(std::string& out, int64_t value) {
  PutVarint(out, (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
}

inline bool GetSignedVarint(std::string_view& in, int64_t* value) {
  uint64_t raw = 0;
  if (!GetVarint(in, &raw)) return false;
  *value = static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
  return true;
}

inline void PutDouble(std::string& out, double value) {
  uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

inline bool GetDouble(std::string_view& in, double* value) {
  if (in.size() < 8) return false;
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(static_cast<uint8_t>(in[i])) << (8 * i);
  in.remove_prefix(8);
  std::memcpy(value, &bits, sizeof bits);
  return true;
}

inline void PutString(std::string& out, std::string_view text) {
  PutVarint(out, text.size());
  out.append(text);
}

inline bool GetString(std::string_view& in, std::string* text) {
  uint64_t size = 0;
  if (!GetVarint(in, &size) || size > in.size()) return false;
  text->assign(in.substr(0, size));
  in.remove_prefix(size);
  return true;
}

}  // namespace ck::collector::metrics
