// The OTLP protobuf encoding shared by every signal: readers and writers of the common messages
// (opentelemetry/proto/common/v1 AnyValue, KeyValue, InstrumentationScope, and resource/v1
// Resource) on top of ProtobufReader/ProtobufWriter. otlp_trace_protobuf.* and
// otlp_logs_protobuf.* are built on it.
//
// Readers skip unknown fields and fields whose wire type does not match their declaration, as
// libprotobuf does. Strings that are not valid UTF-8 have the bad bytes replaced by U+FFFD (they
// end up in JSON); bytesValue becomes its base64 text; AnyValue is read as JSON as
// otlp_attributes.h describes.
//
//   CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(field.bytes));
//   CK_RETURN_IF_ERROR(protobuf_codec::ParseResource(inner, &resource_attributes));
//
// Failure modes: InvalidArgument for anything ProtobufReader rejects (truncation, over-long
// varints, group wire types, nesting deeper than ProtobufReader::kDefaultMaxDepth).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "collector/otlp/otlp_attributes.h"
#include "collector/otlp/protobuf_reader.h"
#include "collector/otlp/protobuf_writer.h"
#include "core/status.h"

namespace ck::collector::otlp::protobuf_codec {

// One AnyValue message as JSON (an empty message is null).
Status ParseAnyValue(ProtobufReader reader, nlohmann::json* value);
// Appends the KeyValue message `bytes` (a field of `reader`) to `attributes`.
Status AppendAttribute(const ProtobufReader& reader, std::string_view bytes,
                       OtlpAttributes* attributes);
// A Resource message: its attributes (field 1).
Status ParseResource(ProtobufReader reader, OtlpAttributes* attributes);
// An InstrumentationScope message: name (1) and version (2).
Status ParseScope(ProtobufReader reader, std::string* name, std::string* version);

// ---- writing ----
ProtobufWriter EncodeAnyValue(const nlohmann::json& value);
// Each attribute as a KeyValue message in field `number` of `out`.
void EncodeAttributes(uint32_t number, const OtlpAttributes& attributes, ProtobufWriter* out);
ProtobufWriter EncodeResource(const OtlpAttributes& attributes);
ProtobufWriter EncodeScope(std::string_view name, std::string_view version);
// Id bytes from hex; an id that is not hex becomes one zero byte, so it stays invalid.
std::string IdToBytes(std::string_view hex);

}  // namespace ck::collector::otlp::protobuf_codec
