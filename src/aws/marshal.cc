#include "aws/marshal.h"

#include "core/crypto.h"

namespace ck::aws {
namespace {

using store::AttributeType;
using Json = nlohmann::json;

Json SetToWire(const AttributeValue::Set& members, bool binary) {
  Json out = Json::array();
  for (const std::string& member : members) out.push_back(binary ? Base64Encode(member) : member);
  return out;
}

Status Malformed(std::string_view where, std::string_view problem) {
  return InvalidArgument(std::string(where) + ": " + std::string(problem));
}

Result<std::string> Scalar(const Json& value, std::string_view where, bool binary) {
  if (!value.is_string()) return Malformed(where, "expected a string");
  if (!binary) return value.get<std::string>();
  auto decoded = Base64Decode(value.get_ref<const std::string&>());
  if (!decoded) return Malformed(where, "invalid base64");
  return *decoded;
}

Result<AttributeValue::Set> SetFromWire(const Json& members, std::string_view where, bool binary) {
  if (!members.is_array()) return Malformed(where, "expected an array");
  AttributeValue::Set out;
  out.reserve(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    CK_ASSIGN_OR_RETURN(
        std::string member,
        Scalar(members[i], std::string(where) + "[" + std::to_string(i) + "]", binary));
    out.push_back(std::move(member));
  }
  return out;
}

}  // namespace

Json ToWire(const AttributeValue& value) {
  switch (value.type()) {
    case AttributeType::kString:
      return {{"S", value.scalar()}};
    case AttributeType::kNumber:
      return {{"N", value.scalar()}};
    case AttributeType::kBinary:
      return {{"B", Base64Encode(value.scalar())}};
    case AttributeType::kStringSet:
      return {{"SS", SetToWire(value.set(), false)}};
    case AttributeType::kNumberSet:
      return {{"NS", SetToWire(value.set(), false)}};
    case AttributeType::kBinarySet:
      return {{"BS", SetToWire(value.set(), true)}};
    case AttributeType::kMap:
      return {{"M", ItemToWire(value.map())}};
    case AttributeType::kList: {
      Json elements = Json::array();
      for (const AttributeValue& element : value.list()) elements.push_back(ToWire(element));
      return {{"L", std::move(elements)}};
    }
    case AttributeType::kNull:
      return {{"NULL", true}};
    case AttributeType::kBool:
      return {{"BOOL", value.boolean()}};
  }
  return {{"NULL", true}};
}

Json ItemToWire(const Item& item) {
  Json out = Json::object();
  for (const auto& [name, value] : item) out[name] = ToWire(value);
  return out;
}

Result<AttributeValue> FromWire(const Json& wire, std::string_view where) {
  if (!wire.is_object() || wire.size() != 1) {
    return Malformed(where, "expected an object with exactly one type key");
  }
  const std::string& tag = wire.begin().key();
  const Json& body = wire.begin().value();
  std::string inner = std::string(where) + "." + tag;
  if (tag == "S") {
    CK_ASSIGN_OR_RETURN(std::string text, Scalar(body, inner, false));
    return AttributeValue::String(std::move(text));
  }
  if (tag == "N") {
    CK_ASSIGN_OR_RETURN(std::string text, Scalar(body, inner, false));
    return AttributeValue::Number(std::move(text));
  }
  if (tag == "B") {
    CK_ASSIGN_OR_RETURN(std::string bytes, Scalar(body, inner, true));
    return AttributeValue::Binary(std::move(bytes));
  }
  if (tag == "SS" || tag == "NS" || tag == "BS") {
    CK_ASSIGN_OR_RETURN(AttributeValue::Set members, SetFromWire(body, inner, tag == "BS"));
    if (tag == "SS") return AttributeValue::StringSet(std::move(members));
    if (tag == "NS") return AttributeValue::NumberSet(std::move(members));
    return AttributeValue::BinarySet(std::move(members));
  }
  if (tag == "M") {
    CK_ASSIGN_OR_RETURN(Item entries, ItemFromWire(body, inner));
    return AttributeValue::FromMap(std::move(entries));
  }
  if (tag == "L") {
    if (!body.is_array()) return Malformed(inner, "expected an array");
    AttributeValue::List elements;
    elements.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
      CK_ASSIGN_OR_RETURN(AttributeValue element,
                          FromWire(body[i], inner + "[" + std::to_string(i) + "]"));
      elements.push_back(std::move(element));
    }
    return AttributeValue::FromList(std::move(elements));
  }
  if (tag == "NULL") {
    if (!body.is_boolean() || !body.get<bool>()) return Malformed(inner, "expected true");
    return AttributeValue::Null();
  }
  if (tag == "BOOL") {
    if (!body.is_boolean()) return Malformed(inner, "expected a boolean");
    return AttributeValue::Bool(body.get<bool>());
  }
  return Malformed(where, "unknown attribute type '" + tag + "'");
}

Result<Item> ItemFromWire(const Json& wire, std::string_view where) {
  if (!wire.is_object()) return Malformed(where, "expected an object of attributes");
  Item item;
  for (const auto& [name, value] : wire.items()) {
    CK_ASSIGN_OR_RETURN(AttributeValue attribute, FromWire(value, std::string(where) + "." + name));
    item.emplace(name, std::move(attribute));
  }
  return item;
}

AttributeValue Str(std::string text) { return AttributeValue::String(std::move(text)); }
AttributeValue Num(int64_t number) { return AttributeValue::Number(std::to_string(number)); }
AttributeValue Num(std::string number_text) {
  return AttributeValue::Number(std::move(number_text));
}

}  // namespace ck::aws
