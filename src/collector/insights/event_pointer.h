// @ptr: the opaque, URL-safe name of one stored log event (declared in query.h).
//
// Layout: base64url without padding of 11 bytes — a version byte, the event id as 8 big-endian
// bytes and a 16-bit check over both — so a pointer is always 15 characters and a mistyped or
// forged one is rejected rather than naming another event.
//
//   std::string ptr = EncodeEventPointer(42);             // 15 characters of [A-Za-z0-9_-]
//   std::optional<uint64_t> id = DecodeEventPointer(ptr);  // 42
//
// Thread-safety: pure functions.
#pragma once

#include "collector/insights/query.h"

namespace ck::collector::insights {

inline constexpr size_t kEventPointerLength = 15;

}  // namespace ck::collector::insights
