// UTF-8 helpers for text that arrives as raw bytes (protobuf `string` fields, task output, form
// fields, metric names) and must be well-formed before it becomes JSON, an exposition or a log
// event; nlohmann/json refuses to serialise invalid UTF-8.
//
//   std::string name = ToValidUtf8(field.bytes);   // invalid sequences become U+FFFD
//   std::string_view cut = TruncateUtf8(name, 1000);
//
// Thread-safety: pure functions. Never fail.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ck {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points > U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD; a copy of `text` when it is valid.
std::string ToValidUtf8(std::string_view text);

// The longest prefix of valid UTF-8 `text` of at most `max_bytes` bytes that does not split a
// character.
std::string_view TruncateUtf8(std::string_view text, size_t max_bytes);

}  // namespace ck
