// libFuzzer target for the log store's block decoder (src/collector/logs/log_block.h): what a
// damaged log file hands it must be an error, never a crash or an out-of-bounds read.
//
// Input: bytes 0-1 the event count (little endian), 2-9 the block's first_ms, 10-19 five 16-bit
// sizes that cut the rest into the times, lengths, indexes, traces and ingestions byte strings;
// what is left is the messages. Beyond "no crash, no sanitizer report", the target checks that
// whatever decodes is consistent (one timestamp, number and message end per event, ends ascending
// and within the messages) and that a block rebuilt from a decoded one decodes to the same events.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "collector/logs/log_block.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

namespace {

using namespace ck::collector::logs;

template <typename T>
T Read(const uint8_t* data) {
  T value;
  std::memcpy(&value, data, sizeof value);
  return value;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 18) return 0;
  LogBlockColumns columns;
  columns.count = Read<uint16_t>(data);
  columns.first_ms = Read<int64_t>(data + 2);
  std::string_view rest(reinterpret_cast<const char*>(data + 18), size - 18);
  std::string_view* parts[] = {&columns.times, &columns.lengths, &columns.indexes, &columns.traces};
  for (int i = 0; i < 4; ++i) {
    const size_t part = std::min<size_t>(Read<uint16_t>(data + 10 + 2 * i), rest.size());
    *parts[i] = rest.substr(0, part);
    rest.remove_prefix(part);
  }
  columns.messages = rest;

  auto decoded = DecodeLogBlock(columns, /*messages=*/true, /*traces=*/true);
  (void)DecodeLogBlock(columns, /*messages=*/false, /*traces=*/false);
  (void)MessageLengths(columns.lengths, columns.count);
  auto distinct = DistinctTraces(columns.traces);
  if (distinct.ok()) {
    const std::string bloom = BuildTraceBloom(*distinct);
    for (std::string_view id : *distinct) Check(TraceBloomMayContain(bloom, id));
  }
  (void)TraceBloomMayContain(columns.traces, "1-5f84c7a1-0123456789abcdef01234567");
  if (!decoded.ok()) return 0;

  Check(decoded->timestamps.size() == columns.count);
  Check(decoded->numbers.size() == columns.count);
  Check(decoded->message_ends.size() == columns.count);
  Check(decoded->traces.size() == columns.count);
  LogBlockBuilder builder;
  for (uint32_t i = 0; i < columns.count; ++i) {
    Check(decoded->message_ends[i] <= columns.messages.size());
    if (i > 0) Check(decoded->message_ends[i - 1] <= decoded->message_ends[i]);
    builder.set_ingestion(decoded->Ingestion(i));
    builder.AddNumbered(decoded->numbers[i], decoded->timestamps[i], decoded->Message(i),
                        decoded->traces[i]);
  }
  const EncodedLogBlock block = builder.Finish();
  const LogBlockColumns again{block.first_ms, block.count,        block.times,
                              block.lengths,  block.indexes,      block.traces,
                              block.messages, block.ingestion_ms, block.ingestions};
  auto redecoded = DecodeLogBlock(again, /*messages=*/true, /*traces=*/true);
  Check(redecoded.ok());
  for (uint32_t i = 0; i < columns.count; ++i) {
    Check(redecoded->timestamps[i] == decoded->timestamps[i]);
    Check(redecoded->numbers[i] == decoded->numbers[i]);
    Check(redecoded->Message(i) == decoded->Message(i));
    Check(redecoded->traces[i] == decoded->traces[i]);
    Check(redecoded->Ingestion(i) == decoded->Ingestion(i));
  }
  return 0;
}
