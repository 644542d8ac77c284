// Url: the parts of an http:// or https:// URL that our clients need.
//
//   CK_ASSIGN_OR_RETURN(Url url, ParseUrl("https://127.0.0.1:8000/path?q=1"));
//   url.scheme == "https"; url.host == "127.0.0.1"; url.port == 8000; url.target == "/path?q=1"
//
// Thread-safety: value type; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ck::http {

struct Url {
  std::string scheme;  // "http" or "https"
  std::string host;    // name or address; IPv6 without brackets
  uint16_t port = 0;   // defaulted from the scheme when absent
  std::string target;  // path plus query, at least "/"

  bool tls() const { return scheme == "https"; }
  // "host:port" (IPv6 in brackets), the Host header value.
  std::string HostHeader() const;
  // "scheme://host:port", the connection-pool key.
  std::string Origin() const;
};

// kInvalidArgument naming the problem for anything but a well-formed http(s) URL.
Result<Url> ParseUrl(std::string_view text);

}  // namespace ck::http
