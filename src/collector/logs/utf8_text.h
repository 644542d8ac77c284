// Turning arbitrary bytes into bounded pieces of valid UTF-8, as CloudWatch Logs requires of every
// event message.
//
// AppendValidUtf8 copies a prefix of `input` to `out`: valid UTF-8 sequences unchanged, each
// invalid one (the maximal ill-formed subpart, as Unicode recommends) as U+FFFD. It stops before
// the character that would make the copied text exceed `max_bytes`, so an oversized line is cut
// only at character boundaries:
//
//   std::string_view rest = line;
//   while (!rest.empty()) {
//     std::string message;
//     rest.remove_prefix(AppendValidUtf8(rest, kMaxEventBytes, true, message).consumed);
//     Emit(std::move(message));
//   }
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ck::collector::logs {

struct Utf8Append {
  size_t consumed = 0;  // input bytes taken
  bool full = false;    // stopped because the next character would exceed max_bytes
};

// Appends at most `max_bytes` bytes to `out` (max_bytes >= 4 guarantees progress). When
// `input_complete` is false, a truncated but so far valid sequence at the end of `input` is left
// unconsumed (more bytes may complete it); when true it becomes U+FFFD.
Utf8Append AppendValidUtf8(std::string_view input, size_t max_bytes, bool input_complete,
                           std::string& out);

}  // namespace ck::collector::logs
