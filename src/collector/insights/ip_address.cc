#include "collector/insights/ip_address.h"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

namespace ck::collector::insights {
namespace {

struct ParsedIp {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};
  int bits() const { return v6 ? 128 : 32; }
};

std::optional<ParsedIp> ParseIp(std::string_view text, IpVersion version) {
  // inet_pton needs a NUL-terminated string; the longest valid IPv6 text is 45 characters.
  if (text.empty() || text.size() > 45 || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  char buffer[46];
  text.copy(buffer, text.size());
  buffer[text.size()] = '\0';
  ParsedIp ip;
  if (version != IpVersion::kV6 && inet_pton(AF_INET, buffer, ip.bytes.data()) == 1) {
    return ip;
  }
  if (version != IpVersion::kV4 && inet_pton(AF_INET6, buffer, ip.bytes.data()) == 1) {
    ip.v6 = true;
    return ip;
  }
  return std::nullopt;
}

}  // namespace

bool IsValidIp(std::string_view text, IpVersion version) {
  return ParseIp(text, version).has_value();
}

bool IsIpInSubnet(std::string_view address, std::string_view subnet, IpVersion version) {
  std::optional<ParsedIp> ip = ParseIp(address, version);
  if (!ip) return false;
  const size_t slash = subnet.find('/');
  std::optional<ParsedIp> network = ParseIp(subnet.substr(0, slash), version);
  if (!network || network->v6 != ip->v6) return false;
  int prefix = network->bits();
  if (slash != std::string_view::npos) {
    std::string_view digits = subnet.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return false;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc() || end != digits.data() + digits.size() || prefix < 0 ||
        prefix > network->bits()) {
      return false;
    }
  }
  for (int bit = 0; bit < prefix; bit += 8) {
    const int take = prefix - bit >= 8 ? 8 : prefix - bit;
    const auto mask = static_cast<uint8_t>(0xFF << (8 - take));
    if ((ip->bytes[bit / 8] & mask) != (network->bytes[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace ck::collector::insights
