#include "collector/otlp/otlp_protobuf_common.h"

#include <limits>
#include <utility>

#include "core/crypto.h"
#include "core/utf8.h"

namespace ck::collector::otlp::protobuf_codec {
namespace {

using nlohmann::json;
constexpr WireType kBytes = WireType::kLengthDelimited;

// Field numbers, from opentelemetry-proto common/v1 and resource/v1.
namespace field {
constexpr uint32_t kResourceAttributes = 1;
constexpr uint32_t kScopeName = 1;
constexpr uint32_t kScopeVersion = 2;
constexpr uint32_t kKeyValueKey = 1;
constexpr uint32_t kKeyValueValue = 2;
constexpr uint32_t kAnyString = 1;
constexpr uint32_t kAnyBool = 2;
constexpr uint32_t kAnyInt = 3;
constexpr uint32_t kAnyDouble = 4;
constexpr uint32_t kAnyArray = 5;
constexpr uint32_t kAnyKvlist = 6;
constexpr uint32_t kAnyBytes = 7;
constexpr uint32_t kListValues = 1;  // ArrayValue.values and KeyValueList.values
}  // namespace field

Status ParseKeyValue(ProtobufReader reader, std::string* key, json* value) {
  *value = nullptr;
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kKeyValueKey, kBytes)) {
      *key = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kKeyValueValue, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseAnyValue(inner, value));
    }
  }
  return Status::Ok();
}

ProtobufWriter EncodeKeyValue(const std::string& key, const json& value) {
  ProtobufWriter out;
  out.WriteString(field::kKeyValueKey, key);
  out.WriteMessage(field::kKeyValueValue, EncodeAnyValue(value));
  return out;
}

}  // namespace

Status ParseAnyValue(ProtobufReader reader, json* value) {
  *value = nullptr;
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kAnyString, kBytes)) {
      *value = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kAnyBool, WireType::kVarint)) {
      *value = f.AsBool();
    } else if (f.Is(field::kAnyInt, WireType::kVarint)) {
      *value = f.AsInt64();
    } else if (f.Is(field::kAnyDouble, WireType::kFixed64)) {
      *value = f.AsDouble();
    } else if (f.Is(field::kAnyBytes, kBytes)) {
      *value = Base64Encode(f.bytes);
    } else if (f.Is(field::kAnyArray, kBytes) || f.Is(field::kAnyKvlist, kBytes)) {
      bool is_array = f.number == field::kAnyArray;
      json list = is_array ? json::array() : json::object();
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      while (!inner.AtEnd()) {
        CK_ASSIGN_OR_RETURN(ProtobufField item, inner.Next());
        if (!item.Is(field::kListValues, kBytes)) continue;
        CK_ASSIGN_OR_RETURN(ProtobufReader item_reader, inner.Enter(item.bytes));
        if (is_array) {
          json element;
          CK_RETURN_IF_ERROR(ParseAnyValue(item_reader, &element));
          list.push_back(std::move(element));
        } else {
          std::string key;
          json element;
          CK_RETURN_IF_ERROR(ParseKeyValue(item_reader, &key, &element));
          list[key] = std::move(element);
        }
      }
      *value = std::move(list);
    }
  }
  return Status::Ok();
}

Status AppendAttribute(const ProtobufReader& reader, std::string_view bytes,
                       OtlpAttributes* attributes) {
  CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(bytes));
  std::string key;
  json value;
  CK_RETURN_IF_ERROR(ParseKeyValue(inner, &key, &value));
  attributes->emplace_back(std::move(key), std::move(value));
  return Status::Ok();
}

Status ParseResource(ProtobufReader reader, OtlpAttributes* attributes) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kResourceAttributes, kBytes)) {
      CK_RETURN_IF_ERROR(AppendAttribute(reader, f.bytes, attributes));
    }
  }
  return Status::Ok();
}

Status ParseScope(ProtobufReader reader, std::string* name, std::string* version) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kScopeName, kBytes)) {
      *name = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kScopeVersion, kBytes)) {
      *version = ToValidUtf8(f.bytes);
    }
  }
  return Status::Ok();
}

ProtobufWriter EncodeAnyValue(const json& value) {
  ProtobufWriter out;
  switch (value.type()) {
    case json::value_t::string:
      out.WriteString(field::kAnyString, value.get_ref<const std::string&>());
      break;
    case json::value_t::boolean:
      out.WriteBool(field::kAnyBool, value.get<bool>());
      break;
    case json::value_t::number_integer:
      out.WriteInt64(field::kAnyInt, value.get<int64_t>());
      break;
    case json::value_t::number_unsigned:
      if (value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        out.WriteInt64(field::kAnyInt, value.get<int64_t>());
      } else {
        out.WriteDouble(field::kAnyDouble, value.get<double>());
      }
      break;
    case json::value_t::number_float:
      out.WriteDouble(field::kAnyDouble, value.get<double>());
      break;
    case json::value_t::array: {
      ProtobufWriter list;
      for (const json& element : value) {
        list.WriteMessage(field::kListValues, EncodeAnyValue(element));
      }
      out.WriteMessage(field::kAnyArray, list);
      break;
    }
    case json::value_t::object: {
      ProtobufWriter list;
      for (const auto& [key, element] : value.items()) {
        list.WriteMessage(field::kListValues, EncodeKeyValue(key, element));
      }
      out.WriteMessage(field::kAnyKvlist, list);
      break;
    }
    default:
      break;  // null: an empty AnyValue
  }
  return out;
}

void EncodeAttributes(uint32_t number, const OtlpAttributes& attributes, ProtobufWriter* out) {
  for (const auto& [key, value] : attributes) out->WriteMessage(number, EncodeKeyValue(key, value));
}

ProtobufWriter EncodeResource(const OtlpAttributes& attributes) {
  ProtobufWriter resource;
  EncodeAttributes(field::kResourceAttributes, attributes, &resource);
  return resource;
}

ProtobufWriter EncodeScope(std::string_view name, std::string_view version) {
  ProtobufWriter scope;
  if (!name.empty()) scope.WriteString(field::kScopeName, name);
  if (!version.empty()) scope.WriteString(field::kScopeVersion, version);
  return scope;
}

std::string IdToBytes(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const std::string kInvalid(1, '\0');
  if (hex.size() % 2 != 0) return kInvalid;
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = nibble(hex[i]);
    int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return kInvalid;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

}  // namespace ck::collector::otlp::protobuf_codec
