// Gzip (RFC 1952) compression and size-limited decompression for OTLP/HTTP bodies.
//
// Gunzip() inflates a "Content-Encoding: gzip" body without ever holding more than
// `max_output_bytes` (plus one small chunk) of output, so a tiny body that expands to gigabytes
// (a "zip bomb") costs no more memory than the limit. Concatenated gzip members are inflated
// one after another, as RFC 1952 allows and Go's and Node's decoders do.
//
//   auto plain = Gunzip(body, limits.max_decompressed_bytes);
//   if (!plain.ok() && plain.status().code() == StatusCode::kResourceExhausted) -> 413
//
// Failure modes: InvalidArgument when the input is not gzip, is corrupt (bad header, CRC or
// length) or is truncated, or has bytes after the last member that are not another member;
// ResourceExhausted when the output would exceed the limit. An empty input is InvalidArgument.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ck::collector::otlp {

Result<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes);

// Compresses `data` as one gzip member (default level). For replies, tests and load generators.
std::string Gzip(std::string_view data);

}  // namespace ck::collector::otlp
