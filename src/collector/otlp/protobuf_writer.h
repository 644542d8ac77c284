// ProtobufWriter: appends fields in the protobuf binary wire format to a byte string.
//
// The counterpart of ProtobufReader for the few messages the OTLP receiver writes itself
// (ExportTraceServiceResponse, google.rpc.Status) and for encoding requests in tests, seed
// corpora and load generators. Embedded messages are written by encoding them into their own
// writer first and adding the bytes with WriteMessage(). Proto3 rules are the caller's: the
// writer emits whatever it is given, default values included.
//
//   ProtobufWriter status;
//   status.WriteVarint(1, 3);                 // code = INVALID_ARGUMENT
//   status.WriteString(2, "bad request");     // message
//   std::string body = std::move(status).Take();
//
// Thread-safety: a value type. Never fails.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ck::collector::otlp {

class ProtobufWriter {
 public:
  // varint: int32/int64 (negative values take 10 bytes, as protobuf does), uint*, bool, enums.
  void WriteVarint(uint32_t field, uint64_t value);
  void WriteInt64(uint32_t field, int64_t value) {
    WriteVarint(field, static_cast<uint64_t>(value));
  }
  void WriteBool(uint32_t field, bool value) { WriteVarint(field, value ? 1 : 0); }
  void WriteFixed64(uint32_t field, uint64_t value);
  void WriteFixed32(uint32_t field, uint32_t value);
  void WriteDouble(uint32_t field, double value);
  // string and bytes fields.
  void WriteString(uint32_t field, std::string_view bytes);
  void WriteMessage(uint32_t field, const ProtobufWriter& message) {
    WriteString(field, message.data());
  }

  const std::string& data() const { return data_; }
  std::string Take() && { return std::move(data_); }

 private:
  void AppendTag(uint32_t field, uint32_t wire_type);
  void AppendVarint(uint64_t value);
  void AppendLittleEndian(uint64_t value, int bytes);

  std::string data_;
};

}  // namespace ck::collector::otlp
