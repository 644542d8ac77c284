#include "collector/logs/log_block.h"

#include <algorithm>
#include <climits>

namespace ck::collector::logs {
namespace {

void PutVarint(std::string& out, uint64_t value) {
  char buffer[10];
  size_t size = 0;
  while (value >= 0x80) {
    buffer[size++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  buffer[size++] = static_cast<char>(value);
  out.append(buffer, size);
}

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
}
int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

// Reads varints from a byte string without ever reading past its end.
class VarintReader {
 public:
  explicit VarintReader(std::string_view bytes)
      : at_(reinterpret_cast<const uint8_t*>(bytes.data())), end_(at_ + bytes.size()) {}

  bool Next(uint64_t& value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64 && at_ < end_; shift += 7) {
      const uint8_t byte = *at_++;
      result |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        value = result;
        return true;
      }
    }
    return false;
  }
  bool Bytes(uint64_t size, std::string_view& bytes) {
    if (size > static_cast<uint64_t>(end_ - at_)) return false;
    bytes = {reinterpret_cast<const char*>(at_), static_cast<size_t>(size)};
    at_ += size;
    return true;
  }
  bool done() const { return at_ == end_; }

 private:
  const uint8_t* at_;
  const uint8_t* end_;
};

Status Damaged(std::string_view what) {
  return Internal("log block damaged: " + std::string(what));
}

}  // namespace

void LogBlockBuilder::Add(int64_t timestamp_ms, std::string_view message,
                          std::string_view trace_id) {
  AddNumbered(static_cast<uint32_t>(next_number_), timestamp_ms, message, trace_id);
}

void LogBlockBuilder::AddNumbered(uint32_t number, int64_t timestamp_ms, std::string_view message,
                                  std::string_view trace_id) {
  const uint32_t position = count();
  renumbered_ |= number != position;
  numbers_.push_back(number);
  next_number_ = std::max<uint64_t>(next_number_, uint64_t{number} + 1);
  timestamps_.push_back(timestamp_ms);
  ingestions_.push_back(ingestion_ms_);
  PutVarint(lengths_, message.size());
  messages_.append(message);
  bytes_ += message.size();
  if (!trace_id.empty()) {
    PutVarint(traces_, position);
    PutVarint(traces_, trace_id.size());
    traces_.append(trace_id);
  }
}

EncodedLogBlock LogBlockBuilder::Finish() {
  EncodedLogBlock block;
  block.count = count();
  block.bytes = bytes_;
  if (!timestamps_.empty()) {
    const auto [low, high] = std::minmax_element(timestamps_.begin(), timestamps_.end());
    block.first_ms = *low;
    block.last_ms = *high;
    block.times.reserve(timestamps_.size() * 2);
    int64_t previous = block.first_ms;
    for (int64_t timestamp : timestamps_) {
      // Wrapping arithmetic: any pair of int64 timestamps round-trips.
      PutVarint(block.times, ZigZag(static_cast<int64_t>(static_cast<uint64_t>(timestamp) -
                                                         static_cast<uint64_t>(previous))));
      previous = timestamp;
    }
  }
  if (renumbered_) {
    for (uint32_t number : numbers_) PutVarint(block.indexes, number);
  }
  if (!ingestions_.empty()) {
    block.ingestion_ms = ingestions_.front();
    const bool uniform = std::all_of(ingestions_.begin(), ingestions_.end(),
                                     [&](int64_t at) { return at == block.ingestion_ms; });
    if (!uniform) {
      for (int64_t at : ingestions_) {
        PutVarint(block.ingestions,
                  ZigZag(static_cast<int64_t>(static_cast<uint64_t>(at) -
                                              static_cast<uint64_t>(block.ingestion_ms))));
      }
    }
  }
  block.lengths = std::move(lengths_);
  block.traces = std::move(traces_);
  block.messages = std::move(messages_);
  const int64_t ingestion_ms = ingestion_ms_;
  *this = LogBlockBuilder();
  ingestion_ms_ = ingestion_ms;  // still the time of what is added next
  return block;
}

Result<DecodedLogBlock> DecodeLogBlock(const LogBlockColumns& columns, bool messages, bool traces) {
  DecodedLogBlock block;
  const uint32_t count = columns.count;
  if (count > kMaxBlockEvents) return Damaged("too many events");
  block.timestamps.resize(count);
  VarintReader times(columns.times);
  int64_t previous = columns.first_ms;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t delta;
    if (!times.Next(delta)) return Damaged("timestamps");
    previous = static_cast<int64_t>(static_cast<uint64_t>(previous) +
                                    static_cast<uint64_t>(UnZigZag(delta)));
    block.timestamps[i] = previous;
  }
  block.ingestion_ms = columns.ingestion_ms;
  if (!columns.ingestions.empty()) {
    block.ingestions.resize(count);
    VarintReader ingestions(columns.ingestions);
    for (uint32_t i = 0; i < count; ++i) {
      uint64_t delta;
      if (!ingestions.Next(delta)) return Damaged("ingestion times");
      block.ingestions[i] = static_cast<int64_t>(static_cast<uint64_t>(columns.ingestion_ms) +
                                                 static_cast<uint64_t>(UnZigZag(delta)));
    }
  }
  block.numbers.resize(count);
  if (columns.indexes.empty()) {
    for (uint32_t i = 0; i < count; ++i) block.numbers[i] = i;
  } else {
    VarintReader indexes(columns.indexes);
    for (uint32_t i = 0; i < count; ++i) {
      uint64_t number;
      if (!indexes.Next(number) || number >= kMaxBlockEvents) return Damaged("event numbers");
      block.numbers[i] = static_cast<uint32_t>(number);
    }
  }
  if (messages) {
    CK_ASSIGN_OR_RETURN(block.message_ends, MessageLengths(columns.lengths, count));
    uint64_t end = 0;
    for (uint32_t& length : block.message_ends) {
      end += length;
      if (end > columns.messages.size()) return Damaged("messages");
      length = static_cast<uint32_t>(end);
    }
    block.messages = columns.messages;
  }
  if (traces) {
    block.traces.resize(count);
    VarintReader reader(columns.traces);
    while (!reader.done()) {
      uint64_t position;
      uint64_t size;
      std::string_view id;
      if (!reader.Next(position) || position >= count || !reader.Next(size) ||
          !reader.Bytes(size, id)) {
        return Damaged("trace ids");
      }
      block.traces[position] = id;
    }
  }
  return block;
}

Result<std::vector<uint32_t>> MessageLengths(std::string_view lengths, uint32_t count) {
  std::vector<uint32_t> sizes(count);
  VarintReader reader(lengths);
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t size;
    if (!reader.Next(size) || size > UINT32_MAX) return Damaged("message lengths");
    sizes[i] = static_cast<uint32_t>(size);
  }
  return sizes;
}

Result<std::vector<std::string_view>> DistinctTraces(std::string_view traces) {
  std::vector<std::string_view> ids;
  VarintReader reader(traces);
  while (!reader.done()) {
    uint64_t position;
    uint64_t size;
    std::string_view id;
    if (!reader.Next(position) || !reader.Next(size) || !reader.Bytes(size, id)) {
      return Damaged("trace ids");
    }
    // Lines of one request come together: skip repeats of the previous id before sorting.
    if (ids.empty() || ids.back() != id) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

namespace {

constexpr int kBloomProbes = 7;

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (char c : bytes) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ull;
  }
  // FNV's low bits mix poorly; finish with a 64-bit avalanche (splitmix64's).
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ull;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebull;
  hash ^= hash >> 31;
  return hash;
}

// Probe i of a hash: double hashing over a power-of-two bit count.
uint64_t Probe(uint64_t hash, int i, uint64_t bit_mask) {
  const uint64_t h1 = hash;
  const uint64_t h2 = (hash >> 32) | (hash << 32) | 1;  // odd: visits every bit
  return (h1 + static_cast<uint64_t>(i) * h2) & bit_mask;
}

}  // namespace

std::string BuildTraceBloom(std::span<const std::string_view> trace_ids) {
  uint64_t bits = 64;
  while (bits < trace_ids.size() * 10) bits <<= 1;
  std::string bloom(bits / 8, '\0');
  for (std::string_view id : trace_ids) {
    const uint64_t hash = Fnv1a(id);
    for (int i = 0; i < kBloomProbes; ++i) {
      const uint64_t bit = Probe(hash, i, bits - 1);
      bloom[bit / 8] = static_cast<char>(static_cast<uint8_t>(bloom[bit / 8]) | (1u << (bit % 8)));
    }
  }
  return bloom;
}

bool TraceBloomMayContain(std::string_view bloom, std::string_view trace_id) {
  const uint64_t bits = uint64_t{bloom.size()} * 8;
  if (bits < 64 || (bits & (bits - 1)) != 0) return true;
  const uint64_t hash = Fnv1a(trace_id);
  for (int i = 0; i < kBloomProbes; ++i) {
    const uint64_t bit = Probe(hash, i, bits - 1);
    if ((static_cast<uint8_t>(bloom[bit / 8]) & (1u << (bit % 8))) == 0) return false;
  }
  return true;
}

}  // namespace ck::collector::logs
