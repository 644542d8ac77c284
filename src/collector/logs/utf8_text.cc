#include "collector/logs/utf8_text.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace ck::collector::logs {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

enum class Sequence { kValid, kInvalid, kTruncated };

// Classifies the sequence starting at input[at]. kValid: *length bytes form one character.
// kInvalid: the first *length bytes are the maximal ill-formed subpart (replaced by one U+FFFD).
// kTruncated: the *length remaining bytes are a valid prefix that the input ends inside.
Sequence Classify(const unsigned char* input, size_t size, size_t at, size_t* length) {
  const unsigned char lead = input[at];
  size_t expected;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xBF;
  if (lead < 0x80) {
    *length = 1;
    return Sequence::kValid;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    expected = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    expected = 3;
    if (lead == 0xE0) second_low = 0xA0;
    if (lead == 0xED) second_high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    expected = 4;
    if (lead == 0xF0) second_low = 0x90;
    if (lead == 0xF4) second_high = 0x8F;
  } else {
    *length = 1;
    return Sequence::kInvalid;
  }
  for (size_t k = 1; k < expected; ++k) {
    if (at + k >= size) {
      *length = k;
      return Sequence::kTruncated;
    }
    const unsigned char byte = input[at + k];
    const unsigned char low = k == 1 ? second_low : 0x80;
    const unsigned char high = k == 1 ? second_high : 0xBF;
    if (byte < low || byte > high) {
      *length = k;
      return Sequence::kInvalid;
    }
  }
  *length = expected;
  return Sequence::kValid;
}

bool EightAscii(const unsigned char* bytes) {
  uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return (word & 0x8080808080808080ull) == 0;
}

}  // namespace

Utf8Append AppendValidUtf8(std::string_view input, size_t max_bytes, bool input_complete,
                           std::string& out) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(input.data());
  const size_t size = input.size();
  Utf8Append result;
  size_t room = max_bytes;
  size_t at = 0;
  while (at < size) {
    // Extend a run of valid characters as far as room allows, then copy it in one go.
    size_t end = at;
    const size_t limit = at + std::min(room, size - at);
    Sequence stop = Sequence::kValid;
    size_t stop_length = 0;
    while (end < limit) {
      if (end + 8 <= limit && EightAscii(bytes + end)) {
        end += 8;
        continue;
      }
      size_t length;
      Sequence sequence = Classify(bytes, size, end, &length);
      if (sequence != Sequence::kValid || end + length > limit) {
        stop = sequence;
        stop_length = length;
        break;
      }
      end += length;
    }
    out.append(input.data() + at, end - at);
    room -= end - at;
    at = end;
    if (at == size) break;
    if (stop == Sequence::kTruncated && !input_complete) break;  // wait for the rest
    if (stop == Sequence::kValid) {
      // The next character (stop_length bytes, or unknown when the run hit `limit`) does not fit.
      result.full = true;
      break;
    }
    // An ill-formed subpart (or a truncated one at the end of complete input) becomes U+FFFD.
    if (room < kReplacement.size()) {
      result.full = true;
      break;
    }
    out.append(kReplacement);
    room -= kReplacement.size();
    at += stop_length;
  }
  result.consumed = at;
  return result;
}

}  // namespace ck::collector::logs
