// Hashing, HMAC, encodings and checksums used by SigV4, the DynamoDB protocol and ids.
//
// All functions are thread-safe. All but RandomHex are pure; SHA-256 is OpenSSL's. RandomHex
// draws the kernel's random bytes (getrandom) 256 at a time into a per-thread pool, which a forked
// child refills.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ck {

// Raw 32-byte SHA-256 digest of data.
std::string Sha256(std::string_view data);
// Raw 32-byte HMAC-SHA256 of data under key.
std::string HmacSha256(std::string_view key, std::string_view data);
// Lower-case hex of raw bytes.
std::string HexEncode(std::string_view bytes);
// Standard base64 with padding.
std::string Base64Encode(std::string_view bytes);
// Decodes standard base64 (padding required, no whitespace); nullopt if malformed.
std::optional<std::string> Base64Decode(std::string_view text);
// CRC-32 (IEEE 802.3, as zlib's crc32), as DynamoDB's x-amz-crc32 header.
uint32_t Crc32(std::string_view data);
// n cryptographically random bytes rendered as 2n lower-case hex characters.
std::string RandomHex(size_t n_bytes);

}  // namespace ck
