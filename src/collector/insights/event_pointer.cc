#include "collector/insights/event_pointer.h"

#include <array>
#include <cstdint>

namespace ck::collector::insights {
namespace {

constexpr uint8_t kVersion = 0xC1;
constexpr size_t kBytes = 11;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

uint16_t Check(const std::array<uint8_t, kBytes>& bytes) {
  // FNV-1a over the version and id, folded to 16 bits.
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i + 2 < kBytes; ++i) {
    hash ^= bytes[i];
    hash *= 16777619u;
  }
  return static_cast<uint16_t>((hash >> 16) ^ (hash & 0xFFFF));
}

int Sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string EncodeEventPointer(uint64_t event_id) {
  std::array<uint8_t, kBytes> bytes{};
  bytes[0] = kVersion;
  for (int i = 0; i < 8; ++i) bytes[1 + i] = static_cast<uint8_t>(event_id >> (56 - 8 * i));
  const uint16_t check = Check(bytes);
  bytes[9] = static_cast<uint8_t>(check >> 8);
  bytes[10] = static_cast<uint8_t>(check);
  std::string out;
  out.reserve(kEventPointerLength);
  uint32_t bits = 0;
  int pending = 0;
  for (uint8_t byte : bytes) {
    bits = (bits << 8) | byte;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out.push_back(kAlphabet[(bits >> pending) & 0x3F]);
    }
  }
  if (pending > 0) out.push_back(kAlphabet[(bits << (6 - pending)) & 0x3F]);
  return out;
}

std::optional<uint64_t> DecodeEventPointer(std::string_view pointer) {
  if (pointer.size() != kEventPointerLength) return std::nullopt;
  std::array<uint8_t, kBytes> bytes{};
  size_t filled = 0;
  uint32_t bits = 0;
  int pending = 0;
  for (size_t i = 0; i < pointer.size(); ++i) {
    const int sextet = Sextet(pointer[i]);
    if (sextet < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<uint32_t>(sextet);
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      bytes[filled++] = static_cast<uint8_t>(bits >> pending);
    }
  }
  // 15 characters carry 90 bits: the 2 left over must be zero in a canonical pointer.
  if (filled != kBytes || (bits & ((1u << pending) - 1)) != 0) return std::nullopt;
  if (bytes[0] != kVersion) return std::nullopt;
  const uint16_t check = Check(bytes);
  if (bytes[9] != static_cast<uint8_t>(check >> 8) || bytes[10] != static_cast<uint8_t>(check)) {
    return std::nullopt;
  }
  uint64_t id = 0;
  for (int i = 0; i < 8; ++i) id = (id << 8) | bytes[1 + i];
  return id;
}

}  // namespace ck::collector::insights
