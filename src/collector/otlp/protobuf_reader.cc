#include "collector/otlp/protobuf_reader.h"

#include <cstring>
#include <string>

#include <fmt/format.h>

namespace ck::collector::otlp {
namespace {

// A varint encodes at most 64 bits in 7-bit groups: 10 bytes, the last carrying one bit.
constexpr size_t kMaxVarintBytes = 10;

uint64_t LoadLittleEndian(std::string_view data, size_t size) {
  uint64_t value = 0;
  for (size_t i = 0; i < size; ++i) {
    value |= static_cast<uint64_t>(static_cast<uint8_t>(data[i])) << (8 * i);
  }
  return value;
}

}  // namespace

double ProtobufField::AsDouble() const {
  double result;
  static_assert(sizeof(result) == sizeof(value));
  std::memcpy(&result, &value, sizeof(result));
  return result;
}

Result<std::pair<uint64_t, size_t>> DecodeVarint(std::string_view data) {
  uint64_t value = 0;
  for (size_t i = 0; i < kMaxVarintBytes; ++i) {
    if (i >= data.size()) return InvalidArgument("truncated varint");
    auto byte = static_cast<uint8_t>(data[i]);
    if (i == kMaxVarintBytes - 1 && byte > 1) {
      return InvalidArgument("varint longer than 64 bits");
    }
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) return std::make_pair(value, i + 1);
  }
  return InvalidArgument("varint longer than 64 bits");
}

Status ProtobufReader::Fail(std::string message) {
  size_t at = offset();
  position_ = data_.size();
  return InvalidArgument(fmt::format("{} at byte {}", message, at));
}

Result<uint64_t> ProtobufReader::ReadVarint() {
  auto decoded = DecodeVarint(data_.substr(position_));
  if (!decoded.ok()) return Fail(decoded.status().message());
  position_ += decoded->second;
  return decoded->first;
}

Result<ProtobufField> ProtobufReader::Next() {
  if (AtEnd()) return Fail("read past the end of the message");
  size_t tag_offset = position_;
  CK_ASSIGN_OR_RETURN(uint64_t tag, ReadVarint());
  auto fail_at_tag = [&](std::string message) {
    position_ = tag_offset;
    return Fail(std::move(message));
  };
  if (tag > UINT32_MAX) return fail_at_tag("field tag above 2^32-1");
  ProtobufField field;
  field.number = static_cast<uint32_t>(tag >> 3);
  if (field.number == 0) return fail_at_tag("field number 0");
  uint32_t wire_type = static_cast<uint32_t>(tag & 7);
  switch (wire_type) {
    case 0: {
      field.wire_type = WireType::kVarint;
      CK_ASSIGN_OR_RETURN(field.value, ReadVarint());
      return field;
    }
    case 1:
    case 5: {
      size_t size = wire_type == 1 ? 8 : 4;
      field.wire_type = wire_type == 1 ? WireType::kFixed64 : WireType::kFixed32;
      if (data_.size() - position_ < size) {
        return Fail(fmt::format("truncated {}-bit field {}", size * 8, field.number));
      }
      field.value = LoadLittleEndian(data_.substr(position_), size);
      position_ += size;
      return field;
    }
    case 2: {
      field.wire_type = WireType::kLengthDelimited;
      size_t length_offset = position_;
      CK_ASSIGN_OR_RETURN(uint64_t length, ReadVarint());
      if (length > data_.size() - position_) {
        position_ = length_offset;
        return Fail(fmt::format("length-delimited field {} of {} bytes runs past the end ({} left)",
                                field.number, length, data_.size() - length_offset));
      }
      field.bytes = data_.substr(position_, static_cast<size_t>(length));
      position_ += static_cast<size_t>(length);
      return field;
    }
    case 3:
    case 4:
      return fail_at_tag(fmt::format("group wire type in field {} (not supported)", field.number));
    default:
      return fail_at_tag(fmt::format("invalid wire type {} in field {}", wire_type, field.number));
  }
}

Result<ProtobufReader> ProtobufReader::Enter(std::string_view message) const {
  if (depth_ >= max_depth_) {
    return InvalidArgument(
        fmt::format("messages nested deeper than {} levels at byte {}", max_depth_, offset()));
  }
  size_t base = base_offset_;
  auto begin = reinterpret_cast<uintptr_t>(data_.data());
  auto inner = reinterpret_cast<uintptr_t>(message.data());
  if (inner >= begin && inner - begin <= data_.size()) base += inner - begin;
  return ProtobufReader(message, base, depth_ + 1, max_depth_);
}

}  // namespace ck::collector::otlp
