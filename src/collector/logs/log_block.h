// LogBlock: how LogStore packs the events of one log stream into one stored row.
//
// Storing each log event as its own SQLite row costs microseconds of B-tree work per event (the
// row, a time index entry, a trace index entry). Instead, the events one Append brings for a
// stream are packed into a block: a header (time range, count, bytes) that the store indexes,
// and a few byte strings that only scans decode:
//
//   times     zig-zag varint deltas: event i's timestamp minus event i-1's (the first's minus
//             the block's first_ms)
//   lengths   varint message lengths; the messages are concatenated in `messages`
//   indexes   empty while the events are numbered 0..count-1; after retention has cut events
//             out, the varint numbers of those that remain (ascending)
//   traces    for each event with a trace id: varint position, varint length, the id's bytes
//   ingestions  empty while every event was ingested at the block's ingestion_ms; else zig-zag
//             varint deltas from it, one per event (a block that later events were merged into)
//
// An event's id is (block id << kBlockIndexBits) | its number in the block, so ids never change
// when retention rewrites a block, and ids follow append order within a stream.
//
//   LogBlockBuilder builder;
//   builder.Add(timestamp_ms, message, trace_id);
//   EncodedLogBlock block = builder.Finish();
//   CK_ASSIGN_OR_RETURN(auto trace_ids, DistinctTraces(block.traces));  // for the trace index
//   CK_ASSIGN_OR_RETURN(DecodedLogBlock decoded, DecodeLogBlock(columns, /*messages=*/true));
//
// Failure modes: DecodeLogBlock returns Internal for byte strings that do not decode (a damaged
// file); it never reads out of bounds.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::collector::logs {

inline constexpr int kBlockIndexBits = 16;
inline constexpr size_t kMaxBlockEvents = size_t{1} << kBlockIndexBits;
// Blocks close at this many message bytes, so a scan holds a few MiB per open block at most.
inline constexpr size_t kMaxBlockBytes = size_t{4} << 20;

inline uint64_t EventIdOf(int64_t block_id, uint32_t number) {
  return (static_cast<uint64_t>(block_id) << kBlockIndexBits) | number;
}
inline int64_t BlockIdOf(uint64_t event_id) {
  return static_cast<int64_t>(event_id >> kBlockIndexBits);
}
inline uint32_t BlockNumberOf(uint64_t event_id) {
  return static_cast<uint32_t>(event_id & (kMaxBlockEvents - 1));
}

struct EncodedLogBlock {
  int64_t first_ms = 0;      // smallest timestamp
  int64_t last_ms = 0;       // largest timestamp
  int64_t ingestion_ms = 0;  // the first event's ingestion time
  uint32_t count = 0;
  uint64_t bytes = 0;  // message bytes
  std::string times;
  std::string lengths;
  std::string indexes;
  std::string traces;
  std::string ingestions;
  std::string messages;
};

class LogBlockBuilder {
 public:
  // The ingestion time of the events added from now on (0 until set).
  void set_ingestion(int64_t ingestion_ms) { ingestion_ms_ = ingestion_ms; }
  // Numbers the events after the highest number so far (from 0) unless told otherwise (a
  // rewritten block keeps its numbers).
  void Add(int64_t timestamp_ms, std::string_view message, std::string_view trace_id);
  void AddNumbered(uint32_t number, int64_t timestamp_ms, std::string_view message,
                   std::string_view trace_id);
  uint32_t count() const { return static_cast<uint32_t>(timestamps_.size()); }
  uint64_t bytes() const { return bytes_; }
  uint64_t next_number() const { return next_number_; }
  bool full(size_t next_message_bytes) const {
    return next_number_ >= kMaxBlockEvents ||
           (count() > 0 && bytes_ + next_message_bytes > kMaxBlockBytes);
  }
  // Encodes and empties the builder.
  EncodedLogBlock Finish();

 private:
  std::vector<int64_t> timestamps_;
  std::vector<uint32_t> numbers_;
  std::vector<int64_t> ingestions_;
  int64_t ingestion_ms_ = 0;
  uint64_t next_number_ = 0;
  bool renumbered_ = false;
  uint64_t bytes_ = 0;
  std::string lengths_;
  std::string traces_;
  std::string messages_;
};

// The stored byte strings of one block, as read from its row.
struct LogBlockColumns {
  int64_t first_ms = 0;
  uint32_t count = 0;
  std::string_view times;
  std::string_view lengths;
  std::string_view indexes;
  std::string_view traces;
  std::string_view messages;
  int64_t ingestion_ms = 0;
  std::string_view ingestions;
};

struct DecodedLogBlock {
  std::vector<int64_t> timestamps;
  std::vector<uint32_t> numbers;         // each event's number in the block (for its id)
  std::vector<uint32_t> message_ends;    // filled when messages were asked for
  std::vector<std::string_view> traces;  // filled when traces were asked for ("" = none)
  std::string_view messages;
  int64_t ingestion_ms = 0;
  std::vector<int64_t> ingestions;  // empty: every event's is ingestion_ms

  int64_t Ingestion(size_t i) const { return ingestions.empty() ? ingestion_ms : ingestions[i]; }

  std::string_view Message(size_t i) const {
    const uint32_t begin = i == 0 ? 0 : message_ends[i - 1];
    return messages.substr(begin, message_ends[i] - begin);
  }
};

// Decodes timestamps, numbers and ingestion times always; message boundaries and trace ids when
// asked (the views borrow from `columns`).
Result<DecodedLogBlock> DecodeLogBlock(const LogBlockColumns& columns, bool messages, bool traces);

// Each event's message length, from a lengths byte string.
Result<std::vector<uint32_t>> MessageLengths(std::string_view lengths, uint32_t count);

// The distinct trace ids of a traces byte string, sorted (views into `traces`).
Result<std::vector<std::string_view>> DistinctTraces(std::string_view traces);

// A Bloom filter of a block's trace ids (10-20 bits per id, 7 probes: under 1% false positives),
// so that finding a trace's events reads a few bytes per block instead of keeping an index row
// per trace. The hash is fixed (FNV-1a, 64 bit): filters are stored.
std::string BuildTraceBloom(std::span<const std::string_view> trace_ids);
// False when the trace is certainly not in the block; a malformed filter answers true.
bool TraceBloomMayContain(std::string_view bloom, std::string_view trace_id);

}  // namespace ck::collector::logs
