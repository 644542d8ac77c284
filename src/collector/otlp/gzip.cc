#include "collector/otlp/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include <fmt/format.h>

namespace ck::collector::otlp {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;
// zlib's windowBits: 15 (32 KiB window) + 16 selects the gzip wrapper only.
constexpr int kGzipWindowBits = 15 + 16;

class InflateStream {
 public:
  InflateStream() { ok_ = inflateInit2(&stream_, kGzipWindowBits) == Z_OK; }
  ~InflateStream() {
    if (ok_) inflateEnd(&stream_);
  }
  InflateStream(const InflateStream&) = delete;
  InflateStream& operator=(const InflateStream&) = delete;

  bool ok() const { return ok_; }
  z_stream* get() { return &stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

}  // namespace

Result<std::string> Gunzip(std::string_view compressed, size_t max_output_bytes) {
  if (compressed.empty()) return InvalidArgument("gzip: empty body");
  InflateStream inflater;
  if (!inflater.ok()) return Internal("gzip: inflateInit2 failed");
  z_stream* stream = inflater.get();
  std::string output;
  size_t consumed = 0;  // input bytes handed to zlib so far
  while (true) {
    if (stream->avail_in == 0 && consumed < compressed.size()) {
      size_t take = std::min<size_t>(compressed.size() - consumed, UINT_MAX);
      stream->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data() + consumed));
      stream->avail_in = static_cast<uInt>(take);
      consumed += take;
    }
    // Allow one byte past the limit so that "exactly at the limit" and "over it" differ.
    size_t room = max_output_bytes - output.size() + 1;
    size_t chunk = std::min(kChunkBytes, room);
    size_t before = output.size();
    output.resize(before + chunk);
    stream->next_out = reinterpret_cast<Bytef*>(output.data() + before);
    stream->avail_out = static_cast<uInt>(chunk);
    int result = inflate(stream, Z_NO_FLUSH);
    output.resize(before + (chunk - stream->avail_out));
    if (output.size() > max_output_bytes) {
      return ResourceExhausted(
          fmt::format("gzip: body inflates to more than {} bytes", max_output_bytes));
    }
    if (result == Z_STREAM_END) {
      bool input_left = stream->avail_in > 0 || consumed < compressed.size();
      if (!input_left) return output;
      // Another gzip member follows.
      if (inflateReset(stream) != Z_OK) return Internal("gzip: inflateReset failed");
      continue;
    }
    if (result == Z_BUF_ERROR) {
      // No progress was possible although there was room for output: the input ran out.
      return InvalidArgument("gzip: truncated body");
    }
    if (result != Z_OK) {
      const char* reason = stream->msg != nullptr ? stream->msg : "corrupt data";
      return InvalidArgument(fmt::format("gzip: {}", reason));
    }
    if (stream->avail_in == 0 && consumed >= compressed.size() && stream->avail_out > 0) {
      return InvalidArgument("gzip: truncated body");
    }
  }
}

std::string Gzip(std::string_view data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string output;
  size_t consumed = 0;
  int result = Z_OK;
  while (result != Z_STREAM_END) {
    if (stream.avail_in == 0 && consumed < data.size()) {
      size_t take = std::min<size_t>(data.size() - consumed, UINT_MAX);
      stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + consumed));
      stream.avail_in = static_cast<uInt>(take);
      consumed += take;
    }
    int flush = consumed >= data.size() ? Z_FINISH : Z_NO_FLUSH;
    size_t before = output.size();
    output.resize(before + kChunkBytes);
    stream.next_out = reinterpret_cast<Bytef*>(output.data() + before);
    stream.avail_out = static_cast<uInt>(kChunkBytes);
    result = deflate(&stream, flush);
    output.resize(before + (kChunkBytes - stream.avail_out));
    if (result == Z_STREAM_ERROR) break;
  }
  deflateEnd(&stream);
  return output;
}

}  // namespace ck::collector::otlp
