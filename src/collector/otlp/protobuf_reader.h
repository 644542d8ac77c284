// ProtobufReader: a strict, bounds-checked reader of the protobuf binary wire format.
//
// Reads one message's fields in order without a schema and without libprotobuf: the caller
// switches on the field number and wire type and descends into embedded messages with Enter().
// Every wire type proto3 uses is supported (varint, 64-bit, length-delimited, 32-bit); a field
// the caller does not know is skipped simply by ignoring it, since Next() has already consumed it.
//
//   ProtobufReader reader(bytes);
//   while (!reader.AtEnd()) {
//     CK_ASSIGN_OR_RETURN(ProtobufField field, reader.Next());
//     if (field.number == 1 && field.wire_type == WireType::kLengthDelimited) {
//       CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(field.bytes));
//       ...
//     }
//   }
//
// Failure modes (InvalidArgument, message naming the byte offset): a field or length running past
// the end of the input, a varint longer than 10 bytes or above 2^64-1, a tag above 2^32-1 or with
// field number 0, the group wire types 3/4 (deprecated, never used by proto3) and the undefined
// wire types 6/7, and Enter() beyond the nesting limit (which bounds the recursion of callers
// that decode recursive messages such as OTLP AnyValue). A reader never reads outside its input.
//
// Thread-safety: a value type borrowing the input; the input must outlive the reader and every
// ProtobufField::bytes view it returned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/status.h"

namespace ck::collector::otlp {

enum class WireType : uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

struct ProtobufField {
  uint32_t number = 0;
  WireType wire_type = WireType::kVarint;
  uint64_t value = 0;      // kVarint, kFixed64, kFixed32: the raw bits
  std::string_view bytes;  // kLengthDelimited: the payload, a view into the reader's input

  bool Is(uint32_t field_number, WireType type) const {
    return number == field_number && wire_type == type;
  }
  // Interpretations of `value` (protobuf semantics: int32/enums truncate, bool is non-zero).
  int64_t AsInt64() const { return static_cast<int64_t>(value); }
  int32_t AsInt32() const { return static_cast<int32_t>(static_cast<uint32_t>(value)); }
  bool AsBool() const { return value != 0; }
  double AsDouble() const;  // a fixed64 field's IEEE-754 bits
};

class ProtobufReader {
 public:
  // As libprotobuf's default recursion limit.
  static constexpr int kDefaultMaxDepth = 100;

  // Reads `data` as a top-level message. Enter() may nest at most `max_depth` levels below it.
  explicit ProtobufReader(std::string_view data, int max_depth = kDefaultMaxDepth)
      : ProtobufReader(data, 0, 0, max_depth) {}
  // The reader borrows its input: a temporary string would dangle.
  explicit ProtobufReader(std::string&& data, int max_depth = kDefaultMaxDepth) = delete;

  bool AtEnd() const { return position_ >= data_.size(); }
  // Offset of the next field from the start of the top-level input (for error messages).
  size_t offset() const { return base_offset_ + position_; }
  int depth() const { return depth_; }

  // Reads and consumes the next field. On error the reader is left at the end of its input.
  Result<ProtobufField> Next();

  // A reader for an embedded message one level deeper. `message` should be a ProtobufField::bytes
  // view returned by this reader (offsets in error messages are then absolute).
  Result<ProtobufReader> Enter(std::string_view message) const;

 private:
  ProtobufReader(std::string_view data, size_t base_offset, int depth, int max_depth)
      : data_(data), base_offset_(base_offset), depth_(depth), max_depth_(max_depth) {}

  Result<uint64_t> ReadVarint();
  Status Fail(std::string message);

  std::string_view data_;
  size_t position_ = 0;
  size_t base_offset_ = 0;
  int depth_ = 0;
  int max_depth_ = kDefaultMaxDepth;
};

// Decodes one varint from the front of `data`: the value and the number of bytes it used, or
// InvalidArgument when it is truncated or over-long. Exposed for tests and packed repeated fields.
Result<std::pair<uint64_t, size_t>> DecodeVarint(std::string_view data);

}  // namespace ck::collector::otlp
