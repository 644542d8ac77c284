// Order-preserving byte encodings of DynamoDB key values, and the partition hash.
//
// Strings encode as their UTF-8 bytes and binaries as their raw bytes (DynamoDB orders both
// bytewise, unsigned); numbers use EncodeNumberForKey (memcmp order = numeric order). SQLite
// compares BLOBs with memcmp and then by length, which is exactly this order.
//
// PartitionHash spreads partition keys over 32 bits; it is stable across releases because it is
// stored on disk (changing it is a file-format change).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/attribute_value.h"

namespace ck::store::engine {

// `value` must be S, N or B.
std::string EncodeKeyValue(const AttributeValue& value);

// FNV-1a with a murmur3 finaliser over the encoded partition key.
uint32_t PartitionHash(std::string_view encoded_partition_key);

// The smallest byte string greater than every string starting with `prefix`; nullopt when no such
// string exists (empty prefix or all 0xff bytes).
std::optional<std::string> PrefixSuccessor(std::string_view prefix);

}  // namespace ck::store::engine
