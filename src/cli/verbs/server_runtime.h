// Helpers shared by the verbs that run servers: listen addresses, ready files, signal handling.
//
// Thread-safety: call from the verb's main thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace ck::cli {

struct ListenAddress {
  std::string host;
  uint16_t port = 0;
};

// Parses "host:port", "[v6]:port" or ":port" (host defaults to 127.0.0.1).
Result<ListenAddress> ParseListenAddress(const std::string& text);

// Writes `content` to `path` atomically (temporary file + rename), so a reader polling for the
// file never sees it half-written.
Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace ck::cli
