#include "cli/verbs/server_runtime.h"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace ck::cli {

Result<ListenAddress> ParseListenAddress(const std::string& text) {
  ListenAddress address;
  std::string port_text;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find("]:");
    if (close == std::string::npos) return InvalidArgument("invalid listen address '" + text + "'");
    address.host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) {
      return InvalidArgument("invalid listen address '" + text + "': expected host:port");
    }
    address.host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty()) address.host = "127.0.0.1";
  if (address.host == "localhost") address.host = "127.0.0.1";
  unsigned port = 0;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) {
    return InvalidArgument("invalid port in listen address '" + text + "'");
  }
  address.port = static_cast<uint16_t>(port);
  return address;
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return Internal("cannot write " + temporary);
    out << content;
    if (!out.flush()) return Internal("cannot write " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return Internal("cannot rename " + temporary + ": " + error.message());
  return Status::Ok();
}

}  // namespace ck::cli
