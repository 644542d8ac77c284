#include "core/crypto.h"

// The low-level SHA-256 functions run OpenSSL's assembly directly. The one-shot SHA256() and
// HMAC() of OpenSSL 3 go through its provider framework instead, whose first use initialises
// ~2 MB of tables in every process, which a local DynamoDB's idle footprint cannot afford.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <pthread.h>
#include <sys/random.h>
#include <zlib.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

namespace ck {

namespace {

constexpr size_t kBlockSize = 64;  // SHA-256's block, and so HMAC's key pad

// SHA-256 of the concatenation of `parts` into out[0, 32).
void Sha256Into(std::initializer_list<std::string_view> parts, unsigned char* out) {
  SHA256_CTX context;
  SHA256_Init(&context);
  for (std::string_view part : parts) SHA256_Update(&context, part.data(), part.size());
  SHA256_Final(out, &context);
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  Sha256Into({data}, reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  // RFC 2104: H((K ^ opad) || H((K ^ ipad) || data)), K hashed first when longer than a block.
  std::array<char, kBlockSize> padded{};
  if (key.size() > kBlockSize) {
    std::string hashed = Sha256(key);
    std::memcpy(padded.data(), hashed.data(), hashed.size());
  } else {
    std::memcpy(padded.data(), key.data(), key.size());
  }
  std::array<char, kBlockSize> pad{};
  auto padded_with = [&](char mask) {
    for (size_t i = 0; i < kBlockSize; ++i) pad[i] = static_cast<char>(padded[i] ^ mask);
    return std::string_view(pad.data(), pad.size());
  };
  char inner[SHA256_DIGEST_LENGTH];
  Sha256Into({padded_with(0x36), data}, reinterpret_cast<unsigned char*>(inner));
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  Sha256Into({padded_with(0x5c), std::string_view(inner, sizeof inner)},
             reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back(kAlphabet[n & 63]);
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8);
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(kAlphabet[(n >> 6) & 63]);
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    std::array<int, 4> v{};
    for (int j = 0; j < 4; ++j) {
      char c = text[i + j];
      if (c == '=' && last && j >= 2) {
        v[j] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return std::nullopt;  // data after padding
      v[j] = value_of(c);
      if (v[j] < 0) return std::nullopt;
    }
    uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out.push_back(char((n >> 16) & 0xff));
    if (pad < 2) out.push_back(char((n >> 8) & 0xff));
    if (pad < 1) out.push_back(char(n & 0xff));
  }
  return out;
}

uint32_t Crc32(std::string_view data) {
  // zlib's crc32 is the same CRC and reads 8 bytes a step (the answer's checksum is on every
  // DynamoDB response).
  return static_cast<uint32_t>(
      crc32_z(0, reinterpret_cast<const Bytef*>(data.data()), data.size()));
}

namespace {

// Fills out[0, n) from the kernel's CSPRNG (getrandom blocks only before the kernel's pool is
// first seeded at boot, and returns short only past 256 bytes).
void KernelRandom(unsigned char* out, size_t n) {
  size_t filled = 0;
  while (filled < n) {
    ssize_t got = getrandom(out + filled, n - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      // With flags 0 and a valid buffer the call has no other failure; ids must never repeat.
      std::fprintf(stderr, "getrandom failed: %s\n", std::strerror(errno));
      std::abort();
    }
    filled += static_cast<size_t>(got);
  }
}

// Bumped in a forked child, whose copies of the per-thread pools must not be used again.
std::atomic<unsigned> fork_generation{0};

}  // namespace

std::string RandomHex(size_t n_bytes) {
  // Every response carries a random request id: draw the kernel's bytes 256 at a time per thread
  // rather than one system call per id. A forked child refills, so it never repeats its parent.
  struct Pool {
    std::array<unsigned char, 256> bytes;
    size_t used = 256;
    unsigned generation = 0;
  };
  thread_local Pool pool;
  static const bool registered = [] {
    ::pthread_atfork(nullptr, nullptr, [] { ++fork_generation; });
    return true;
  }();
  (void)registered;
  std::string out;
  out.reserve(n_bytes * 2);
  static constexpr char kDigits[] = "0123456789abcdef";
  const unsigned generation = fork_generation + 1;
  for (size_t i = 0; i < n_bytes; ++i) {
    if (pool.used == pool.bytes.size() || pool.generation != generation) {
      KernelRandom(pool.bytes.data(), pool.bytes.size());
      pool.used = 0;
      pool.generation = generation;
    }
    const unsigned char c = pool.bytes[pool.used];
    pool.bytes[pool.used++] = 0;  // a byte is handed out once
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

}  // namespace ck
