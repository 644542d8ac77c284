// Terse AttributeValue builders and printing for the store/expr tests (test-only).
#pragma once

#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>

#include "store/attribute_value.h"

namespace ck::store::expr::testing {

inline AttributeValue S(std::string text) { return AttributeValue::String(std::move(text)); }
inline AttributeValue N(std::string canonical) {
  return AttributeValue::Number(std::move(canonical));
}
inline AttributeValue B(std::string bytes) { return AttributeValue::Binary(std::move(bytes)); }
inline AttributeValue SS(std::initializer_list<std::string> members) {
  return AttributeValue::StringSet(members);
}
inline AttributeValue NS(std::initializer_list<std::string> members) {
  return AttributeValue::NumberSet(members);
}
inline AttributeValue BS(std::initializer_list<std::string> members) {
  return AttributeValue::BinarySet(members);
}
inline AttributeValue L(std::initializer_list<AttributeValue> elements) {
  return AttributeValue::FromList(elements);
}
inline AttributeValue M(
    std::initializer_list<std::pair<const std::string, AttributeValue>> entries) {
  return AttributeValue::FromMap(entries);
}
inline AttributeValue Bool(bool value) { return AttributeValue::Bool(value); }
inline AttributeValue Null() { return AttributeValue::Null(); }

// A readable rendering close to DynamoDB JSON, for test failure messages.
inline std::string Debug(const AttributeValue& value) {
  std::string tag(TypeTag(value.type()));
  switch (value.type()) {
    case AttributeType::kString:
    case AttributeType::kNumber:
    case AttributeType::kBinary:
      return "{" + tag + ":\"" + value.scalar() + "\"}";
    case AttributeType::kStringSet:
    case AttributeType::kNumberSet:
    case AttributeType::kBinarySet: {
      std::string out = "{" + tag + ":[";
      for (const auto& member : value.set()) out += "\"" + member + "\",";
      return out + "]}";
    }
    case AttributeType::kList: {
      std::string out = "{L:[";
      for (const auto& element : value.list()) out += Debug(element) + ",";
      return out + "]}";
    }
    case AttributeType::kMap: {
      std::string out = "{M:{";
      for (const auto& [name, entry] : value.map()) out += name + ":" + Debug(entry) + ",";
      return out + "}}";
    }
    case AttributeType::kBool:
      return value.boolean() ? "{BOOL:true}" : "{BOOL:false}";
    case AttributeType::kNull:
      return "{NULL:true}";
  }
  return "?";
}

inline std::string Debug(const Item& item) { return Debug(AttributeValue::FromMap(item)); }

}  // namespace ck::store::expr::testing

namespace ck::store {
// GoogleTest prints values through PrintTo when comparisons fail.
inline void PrintTo(const AttributeValue& value, std::ostream* out) {
  *out << expr::testing::Debug(value);
}
}  // namespace ck::store
