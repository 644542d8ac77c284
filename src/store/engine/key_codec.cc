#include "store/engine/key_codec.h"

#include "store/number.h"

namespace ck::store::engine {

std::string EncodeKeyValue(const AttributeValue& value) {
  if (value.type() == AttributeType::kNumber) return EncodeNumberForKey(value.scalar());
  return value.scalar();
}

uint32_t PartitionHash(std::string_view encoded_partition_key) {
  uint32_t hash = 2166136261u;
  for (char c : encoded_partition_key) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 16777619u;
  }
  hash ^= hash >> 16;
  hash *= 0x85ebca6bu;
  hash ^= hash >> 13;
  hash *= 0xc2b2ae35u;
  hash ^= hash >> 16;
  return hash;
}

std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string successor(prefix);
  while (!successor.empty()) {
    auto last = static_cast<uint8_t>(successor.back());
    if (last != 0xff) {
      successor.back() = static_cast<char>(last + 1);
      return successor;
    }
    successor.pop_back();
  }
  return std::nullopt;
}

}  // namespace ck::store::engine
