#include "core/sigv4.h"

#include <array>

#include <openssl/crypto.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <vector>

#include "core/crypto.h"

namespace ck::sigv4 {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::string_view kTerminator = "aws4_request";

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

// SigV4's UriEncode: every byte except the unreserved set becomes %XX (upper-case hex).
void UriEncodeAppend(std::string_view text, bool keep_slash, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : text) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
}

std::string UriEncode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  UriEncodeAppend(text, /*keep_slash=*/false, out);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; a malformed escape is kept literally. '+' stays '+' (RFC 3986 query).
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// Non-S3 canonical URI: normalise the path (drop empty and "." segments, resolve ".."), then
// URI-encode the result once more, keeping '/'. A wire path "/a%20b" therefore canonicalises to
// "/a%2520b", exactly as the AWS SDKs ("double encoding") compute it.
std::string CanonicalUri(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string out = "/";
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) out.push_back('/');
    UriEncodeAppend(segments[i], /*keep_slash=*/false, out);
  }
  if (!segments.empty() && path.back() == '/') out.push_back('/');
  return out;
}

// Parameters decoded then re-encoded with UriEncode, sorted by encoded name then value.
std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> parameters;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      size_t equals = pair.find('=');
      std::string_view name = pair.substr(0, equals);
      std::string_view value =
          equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
      parameters.emplace_back(UriEncode(PercentDecode(name)), UriEncode(PercentDecode(value)));
    }
    start = end + 1;
  }
  std::sort(parameters.begin(), parameters.end());
  std::string out;
  for (const auto& [name, value] : parameters) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// Trims surrounding whitespace and collapses inner runs of spaces/tabs to one space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string Scope(std::string_view date, std::string_view region, std::string_view service) {
  std::string scope;
  scope.reserve(date.size() + region.size() + service.size() + 16);
  scope.append(date).append("/").append(region).append("/").append(service).append("/");
  scope.append(kTerminator);
  return scope;
}

void RemoveHeader(SignableRequest& request, std::string_view name) {
  auto& headers = request.headers;
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const auto& h) { return EqualsIgnoreCase(h.first, name); }),
                headers.end());
}

void SetHeader(SignableRequest& request, std::string_view name, std::string value) {
  RemoveHeader(request, name);
  request.headers.emplace_back(std::string(name), std::move(value));
}

std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service);

std::string ComputeSignature(const SignableRequest& request,
                             const std::vector<std::string>& signed_headers,
                             std::string_view secret_access_key, std::string_view amz_date,
                             std::string_view date, std::string_view region,
                             std::string_view service) {
  std::string string_to_sign = StringToSign(amz_date, Scope(date, region, service),
                                            CanonicalRequest(request, signed_headers));
  return HexEncode(
      HmacSha256(SigningKey(secret_access_key, date, region, service), string_to_sign));
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

std::string CanonicalRequest(const SignableRequest& request,
                             const std::vector<std::string>& signed_headers) {
  std::string out;
  out.reserve(256 + request.path.size() + request.query.size());
  out += request.method;
  out.push_back('\n');
  out += CanonicalUri(request.path);
  out.push_back('\n');
  out += CanonicalQuery(request.query);
  out.push_back('\n');
  for (const std::string& name : signed_headers) {
    out += name;
    out.push_back(':');
    bool first = true;
    for (const auto& [header_name, value] : request.headers) {
      if (!EqualsIgnoreCase(header_name, name)) continue;
      if (!first) out.push_back(',');
      first = false;
      out += CanonicalHeaderValue(value);
    }
    out.push_back('\n');
  }
  out.push_back('\n');
  for (size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) out.push_back(';');
    out += signed_headers[i];
  }
  out.push_back('\n');
  out += HexEncode(Sha256(request.body));
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out;
  out.reserve(kAlgorithm.size() + amz_date.size() + scope.size() + 68);
  out.append(kAlgorithm).append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out += HexEncode(Sha256(canonical_request));
  return out;
}

std::string SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service) {
  // Deriving the key costs four HMACs and it changes only once a day per credential and scope,
  // so each thread remembers the last few (verifying servers see one or two per day).
  struct CachedKey {
    std::string secret, date, region, service, key;
  };
  thread_local std::array<CachedKey, 4> cache;
  thread_local size_t next_slot = 0;
  for (const CachedKey& entry : cache) {
    if (!entry.key.empty() && entry.date == date && entry.region == region &&
        entry.service == service && entry.secret == secret_access_key) {
      return entry.key;
    }
  }
  CachedKey& slot = cache[next_slot++ % cache.size()];
  slot = {std::string(secret_access_key), std::string(date), std::string(region),
          std::string(service), DeriveSigningKey(secret_access_key, date, region, service)};
  return slot.key;
}

namespace {

std::string DeriveSigningKey(std::string_view secret_access_key, std::string_view date,
                             std::string_view region, std::string_view service) {
  std::string key = "AWS4";
  key.append(secret_access_key);
  std::string date_key = HmacSha256(key, date);
  std::string region_key = HmacSha256(date_key, region);
  std::string service_key = HmacSha256(region_key, service);
  return HmacSha256(service_key, kTerminator);
}

}  // namespace

void Sign(SignableRequest& request, const Credentials& credentials, std::string_view region,
          std::string_view service, std::string_view amz_date) {
  RemoveHeader(request, "Authorization");  // a stale one must never be signed or kept
  SetHeader(request, "X-Amz-Date", std::string(amz_date));
  if (!credentials.session_token.empty()) {
    SetHeader(request, "X-Amz-Security-Token", credentials.session_token);
  }

  std::vector<std::string> signed_headers;
  for (const auto& header : request.headers) signed_headers.push_back(ToLower(header.first));
  std::sort(signed_headers.begin(), signed_headers.end());
  signed_headers.erase(std::unique(signed_headers.begin(), signed_headers.end()),
                       signed_headers.end());

  std::string_view date = amz_date.substr(0, 8);
  std::string signature = ComputeSignature(request, signed_headers, credentials.secret_access_key,
                                           amz_date, date, region, service);

  std::string authorization(kAlgorithm);
  authorization += " Credential=";
  authorization += credentials.access_key_id;
  authorization.push_back('/');
  authorization += Scope(date, region, service);
  authorization += ", SignedHeaders=";
  for (size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) authorization.push_back(';');
    authorization += signed_headers[i];
  }
  authorization += ", Signature=";
  authorization += signature;
  request.headers.emplace_back("Authorization", std::move(authorization));
}

Result<Authorization> ParseAuthorization(std::string_view header_value) {
  std::string_view text = TrimSpaces(header_value);
  if (text.substr(0, kAlgorithm.size()) != kAlgorithm ||
      (text.size() > kAlgorithm.size() && text[kAlgorithm.size()] != ' ')) {
    return InvalidArgument("Authorization header must use the AWS4-HMAC-SHA256 algorithm");
  }
  text.remove_prefix(kAlgorithm.size());

  std::optional<std::string_view> credential, signed_headers, signature;
  for (std::string_view part : Split(text, ',')) {
    part = TrimSpaces(part);
    if (part.empty()) continue;
    size_t equals = part.find('=');
    if (equals == std::string_view::npos) {
      return InvalidArgument("Authorization header parameter '" + std::string(part) +
                             "' is not of the form key=value");
    }
    std::string_view key = part.substr(0, equals);
    std::string_view value = part.substr(equals + 1);
    std::optional<std::string_view>* slot = key == "Credential"      ? &credential
                                            : key == "SignedHeaders" ? &signed_headers
                                            : key == "Signature"     ? &signature
                                                                     : nullptr;
    if (slot == nullptr) {
      return InvalidArgument("Authorization header has unknown parameter '" + std::string(key) +
                             "'");
    }
    if (slot->has_value()) {
      return InvalidArgument("Authorization header repeats parameter '" + std::string(key) + "'");
    }
    *slot = value;
  }

  std::string missing;
  for (auto [name, slot] :
       {std::pair{"Credential", &credential}, std::pair{"Signature", &signature},
        std::pair{"SignedHeaders", &signed_headers}}) {
    if (!slot->has_value()) {
      if (!missing.empty()) missing.push_back(' ');
      missing += "Authorization header requires '" + std::string(name) + "' parameter.";
    }
  }
  if (!missing.empty()) return InvalidArgument(missing);

  Authorization out;
  std::vector<std::string_view> scope = Split(*credential, '/');
  if (scope.size() != 5 || scope[0].empty() || scope[2].empty() || scope[3].empty()) {
    return InvalidArgument("Credential should be of the form <key>/<date>/<region>/<service>/" +
                           std::string(kTerminator) + ", got '" + std::string(*credential) + "'");
  }
  if (scope[4] != kTerminator) {
    return InvalidArgument("Credential should be scoped with a valid terminator: '" +
                           std::string(kTerminator) + "', not '" + std::string(scope[4]) + "'");
  }
  if (scope[1].size() != 8 || !std::all_of(scope[1].begin(), scope[1].end(),
                                           [](unsigned char c) { return std::isdigit(c); })) {
    return InvalidArgument("Credential date '" + std::string(scope[1]) +
                           "' is not of the form YYYYMMDD");
  }
  out.access_key_id = std::string(scope[0]);
  out.date = std::string(scope[1]);
  out.region = std::string(scope[2]);
  out.service = std::string(scope[3]);

  for (std::string_view name : Split(*signed_headers, ';')) {
    if (name.empty()) return InvalidArgument("SignedHeaders contains an empty header name");
    out.signed_headers.emplace_back(name);
  }

  out.signature = std::string(*signature);
  if (out.signature.size() != 64 ||
      !std::all_of(out.signature.begin(), out.signature.end(),
                   [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); })) {
    return InvalidArgument("Signature must be 64 lower-case hex characters");
  }
  return out;
}

bool VerifySignature(const SignableRequest& request, const Authorization& authorization,
                     std::string_view secret_access_key, std::string_view amz_date) {
  std::string expected =
      ComputeSignature(request, authorization.signed_headers, secret_access_key, amz_date,
                       authorization.date, authorization.region, authorization.service);
  return expected.size() == authorization.signature.size() &&
         CRYPTO_memcmp(expected.data(), authorization.signature.data(), expected.size()) == 0;
}

}  // namespace ck::sigv4
