// IP address checks behind Insights' isValidIp* and is*InSubnet functions.
//
//   IsIpInSubnet("10.0.3.7", "10.0.0.0/16", IpVersion::kAny)   // true
//
// Addresses are textual IPv4 (dotted quad, no leading zeros beyond one digit per octet as
// inet_pton accepts) or IPv6 (RFC 4291 text forms, including embedded IPv4). Subnets are CIDR
// "address/prefix"; a bare address is a /32 or /128. An IPv4 address is never inside an IPv6
// subnet and vice versa.
//
// Failure modes: malformed input yields false. Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace ck::collector::insights {

enum class IpVersion { kAny, kV4, kV6 };

bool IsValidIp(std::string_view text, IpVersion version);
bool IsIpInSubnet(std::string_view address, std::string_view subnet, IpVersion version);

}  // namespace ck::collector::insights
