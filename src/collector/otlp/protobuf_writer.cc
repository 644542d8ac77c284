#include "collector/otlp/protobuf_writer.h"

#include <cstring>

namespace ck::collector::otlp {

void ProtobufWriter::AppendVarint(uint64_t value) {
  while (value >= 0x80) {
    data_.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  data_.push_back(static_cast<char>(value));
}

void ProtobufWriter::AppendLittleEndian(uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) data_.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void ProtobufWriter::AppendTag(uint32_t field, uint32_t wire_type) {
  AppendVarint((static_cast<uint64_t>(field) << 3) | wire_type);
}

void ProtobufWriter::WriteVarint(uint32_t field, uint64_t value) {
  AppendTag(field, 0);
  AppendVarint(value);
}

void ProtobufWriter::WriteFixed64(uint32_t field, uint64_t value) {
  AppendTag(field, 1);
  AppendLittleEndian(value, 8);
}

void ProtobufWriter::WriteFixed32(uint32_t field, uint32_t value) {
  AppendTag(field, 5);
  AppendLittleEndian(value, 4);
}

void ProtobufWriter::WriteDouble(uint32_t field, double value) {
  uint64_t bits;
  static_assert(sizeof(bits) == sizeof(value));
  std::memcpy(&bits, &value, sizeof(bits));
  WriteFixed64(field, bits);
}

void ProtobufWriter::WriteString(uint32_t field, std::string_view bytes) {
  AppendTag(field, 2);
  AppendVarint(bytes.size());
  data_.append(bytes);
}

}  // namespace ck::collector::otlp
