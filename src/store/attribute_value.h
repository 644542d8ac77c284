// AttributeValue: one DynamoDB attribute value (S, N, B, SS, NS, BS, M, L, NULL, BOOL).
//
// This is the in-memory model shared by the expression evaluator, the storage engine and the
// protocol layer. Numbers are held as their normalised decimal text (see number.h), binaries as raw
// bytes (base64 exists only on the wire). Set members keep the order they were given in; set
// equality ignores order. An Item is a map from attribute name to value.
//
//   AttributeValue::Map item;
//   item["ckid"] = AttributeValue::String("ck1");
//   item["happiness"] = AttributeValue::Number("1");
//
// Wire conversion (DynamoDB JSON such as {"S":"x"}) with DynamoDB's validation rules and messages
// lives in attribute_json.h. Thread-safety: a value type; copy freely, no shared state.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ck::store {

enum class AttributeType : uint8_t {
  kString,
  kNumber,
  kBinary,
  kStringSet,
  kNumberSet,
  kBinarySet,
  kMap,
  kList,
  kNull,
  kBool,
};

// The wire tag: "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL".
std::string_view TypeTag(AttributeType type);

class AttributeValue {
 public:
  using List = std::vector<AttributeValue>;
  using Map = std::map<std::string, AttributeValue, std::less<>>;
  using Set = std::vector<std::string>;

  AttributeValue() : type_(AttributeType::kNull), value_(true) {}

  static AttributeValue String(std::string text);
  // `normalized` must already be normalised by NormalizeNumber().
  static AttributeValue Number(std::string normalized);
  static AttributeValue Binary(std::string bytes);
  static AttributeValue StringSet(Set members);
  static AttributeValue NumberSet(Set normalized_members);
  static AttributeValue BinarySet(Set members);
  static AttributeValue FromMap(Map entries);
  static AttributeValue FromList(List elements);
  static AttributeValue Null();
  static AttributeValue Bool(bool value);

  AttributeType type() const { return type_; }
  bool is_scalar() const {
    return type_ == AttributeType::kString || type_ == AttributeType::kNumber ||
           type_ == AttributeType::kBinary;
  }
  bool is_set() const {
    return type_ == AttributeType::kStringSet || type_ == AttributeType::kNumberSet ||
           type_ == AttributeType::kBinarySet;
  }

  // S text, N normalised text or B raw bytes. Only for is_scalar().
  const std::string& scalar() const { return std::get<std::string>(value_); }
  // Members of SS/NS/BS. Only for is_set().
  const Set& set() const { return std::get<Set>(value_); }
  Set& mutable_set() { return std::get<Set>(value_); }
  const List& list() const { return std::get<List>(value_); }
  List& mutable_list() { return std::get<List>(value_); }
  const Map& map() const { return std::get<Map>(value_); }
  Map& mutable_map() { return std::get<Map>(value_); }
  // BOOL value; for NULL always true.
  bool boolean() const { return std::get<bool>(value_); }

  // DynamoDB equality: same type and value; sets compare as sets (order ignored).
  friend bool operator==(const AttributeValue& a, const AttributeValue& b);

  // DynamoDB's size of this value in bytes for the 400 KB item limit (attribute name excluded).
  size_t ByteSize() const;

 private:
  AttributeType type_;
  std::variant<bool, std::string, Set, List, Map> value_;
};

using Item = AttributeValue::Map;

// Size of a whole item by DynamoDB's rules: sum of UTF-8 name lengths plus value sizes.
size_t ItemByteSize(const Item& item);

}  // namespace ck::store
