#include "store/attribute_json.h"

#include <cctype>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "core/crypto.h"
#include "store/number.h"

namespace ck::store {

using nlohmann::json;

Status SerializationError(std::string message) {
  return Status(StatusCode::kUnimplemented, std::move(message));
}

bool IsSerializationError(const Status& status) {
  return status.code() == StatusCode::kUnimplemented;
}

namespace {

Status Invalid(std::string message) { return InvalidArgument(std::move(message)); }

// The Java deserialiser's complaint about a JSON scalar where a `type` was expected.
}  // namespace

std::string WireScalarMismatch(const json& value, std::string_view type) {
  if (value.is_boolean()) {
    return std::string(value.get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE") +
           " cannot be converted to " + std::string(type);
  }
  if (value.is_number_float()) {
    double d = value.get<double>();
    bool integral = d == static_cast<double>(static_cast<long long>(d));
    return std::string(integral ? "NUMBER_VALUE" : "DECIMAL_VALUE") + " cannot be converted to " +
           std::string(type);
  }
  return "NUMBER_VALUE cannot be converted to " + std::string(type);
}

Result<std::string> WireString(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array())
    return SerializationError("Unrecognized collection type class java.lang.String");
  if (value.is_object())
    return SerializationError("Start of structure or map found where not expected");
  return SerializationError(WireScalarMismatch(value, "String"));
}

namespace {

Result<std::string> ExpectBlob(const json& value) {
  if (value.is_boolean() || value.is_number()) {
    return SerializationError("only base-64-encoded strings are convertible to bytes");
  }
  if (value.is_array()) {
    return SerializationError("Unrecognized collection type class java.nio.ByteBuffer");
  }
  if (value.is_object())
    return SerializationError("Start of structure or map found where not expected");
  const auto& text = value.get_ref<const std::string&>();
  if (text.size() % 4 != 0) {
    return SerializationError(
        "Base64 encoded length is expected a multiple of 4 bytes but found: " +
        std::to_string(text.size()));
  }
  auto bytes = Base64Decode(text);
  if (!bytes) return SerializationError("Invalid last non-pad Base64 character dectected");
  return std::move(*bytes);
}

}  // namespace

Result<bool> WireBoolean(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    std::string upper = value.get<std::string>();
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "TRUE" || upper == "1" || upper == "YES") return true;
    if (upper == "FALSE" || upper == "0" || upper == "NO") return false;
    return SerializationError("Unexpected token received from parser");
  }
  if (value.is_array())
    return SerializationError("Unrecognized collection type class java.lang.Boolean");
  if (value.is_object())
    return SerializationError("Start of structure or map found where not expected");
  return SerializationError(WireScalarMismatch(value, "Boolean"));
}

namespace {

Status ExpectList(const json& value) {
  if (value.is_array()) return Status::Ok();
  if (value.is_object())
    return SerializationError("Start of structure or map found where not expected");
  return SerializationError("Unexpected field type");
}

std::string JoinForMessage(const json& members) {
  std::string out = "[";
  bool first = true;
  for (const auto& member : members) {
    if (!first) out += ", ";
    first = false;
    out += member.is_string() ? member.get<std::string>() : member.dump();
  }
  return out + "]";
}

Result<AttributeValue> Decode(const json& value, int depth);

Result<Item> DecodeMap(const json& value, int depth) {
  if (value.is_array()) {
    return SerializationError(
        "Unrecognized collection type java.util.Map<java.lang.String, "
        "com.amazonaws.dynamodb.v20120810.AttributeValue>");
  }
  if (!value.is_object()) return SerializationError("Unexpected field type");
  Item item;
  for (const auto& [name, member] : value.items()) {
    if (member.is_null()) continue;
    CK_ASSIGN_OR_RETURN(auto decoded, Decode(member, depth));
    item.emplace(name, std::move(decoded));
  }
  return item;
}

Result<AttributeValue> DecodeSet(const json& members, std::string_view tag) {
  CK_RETURN_IF_ERROR(ExpectList(members));
  AttributeValue::Set set;
  set.reserve(members.size());
  for (const auto& member : members) {
    if (tag == "BS") {
      CK_ASSIGN_OR_RETURN(auto bytes, ExpectBlob(member));
      set.push_back(std::move(bytes));
    } else {
      CK_ASSIGN_OR_RETURN(auto text, WireString(member));
      if (tag == "NS") {
        if (text.empty()) return Invalid("The parameter cannot be converted to a numeric value");
        CK_ASSIGN_OR_RETURN(text, NormalizeNumber(text));
      }
      set.push_back(std::move(text));
    }
  }
  if (set.empty()) {
    if (tag == "SS")
      return Invalid("One or more parameter values were invalid: An string set  may not be empty");
    if (tag == "NS")
      return Invalid("One or more parameter values were invalid: An number set  may not be empty");
    return Invalid("One or more parameter values were invalid: Binary sets should not be empty");
  }
  std::set<std::string_view> seen;
  for (const auto& member : set) {
    if (seen.insert(member).second) continue;
    if (tag == "SS") {
      return Invalid("One or more parameter values were invalid: Input collection " +
                     JoinForMessage(members) + " contains duplicates.");
    }
    if (tag == "NS") return Invalid("Input collection contains duplicates");
    return Invalid("One or more parameter values were invalid: Input collection " +
                   JoinForMessage(members) + "of type BS contains duplicates.");
  }
  if (tag == "SS") return AttributeValue::StringSet(std::move(set));
  if (tag == "NS") return AttributeValue::NumberSet(std::move(set));
  return AttributeValue::BinarySet(std::move(set));
}

Result<AttributeValue> Decode(const json& value, int depth) {
  if (!value.is_object()) {
    if (value.is_array()) {
      return SerializationError(
          "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue");
    }
    if (value.is_null()) {
      return Invalid(
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    return SerializationError("Unexpected value type in payload");
  }
  if (depth > kMaxAttributeNestingDepth) {
    return Invalid("Nesting Levels have exceeded supported limits");
  }
  std::optional<AttributeValue> result;
  int types = 0;
  for (const auto& [tag, member] : value.items()) {
    if (member.is_null()) continue;
    AttributeValue decoded;
    if (tag == "S") {
      CK_ASSIGN_OR_RETURN(auto text, WireString(member));
      decoded = AttributeValue::String(std::move(text));
    } else if (tag == "N") {
      CK_ASSIGN_OR_RETURN(auto text, WireString(member));
      if (text.empty()) return Invalid("The parameter cannot be converted to a numeric value");
      CK_ASSIGN_OR_RETURN(auto normalized, NormalizeNumber(text));
      decoded = AttributeValue::Number(std::move(normalized));
    } else if (tag == "B") {
      CK_ASSIGN_OR_RETURN(auto bytes, ExpectBlob(member));
      decoded = AttributeValue::Binary(std::move(bytes));
    } else if (tag == "BOOL") {
      CK_ASSIGN_OR_RETURN(bool flag, WireBoolean(member));
      decoded = AttributeValue::Bool(flag);
    } else if (tag == "NULL") {
      CK_ASSIGN_OR_RETURN(bool flag, WireBoolean(member));
      if (!flag) {
        return Invalid(
            "One or more parameter values were invalid: Null attribute value types must have the "
            "value "
            "of true");
      }
      decoded = AttributeValue::Null();
    } else if (tag == "SS" || tag == "NS" || tag == "BS") {
      CK_ASSIGN_OR_RETURN(decoded, DecodeSet(member, tag));
    } else if (tag == "L") {
      CK_RETURN_IF_ERROR(ExpectList(member));
      AttributeValue::List list;
      list.reserve(member.size());
      for (const auto& element : member) {
        CK_ASSIGN_OR_RETURN(auto item, Decode(element, depth + 1));
        list.push_back(std::move(item));
      }
      decoded = AttributeValue::FromList(std::move(list));
    } else if (tag == "M") {
      CK_ASSIGN_OR_RETURN(auto map, DecodeMap(member, depth + 1));
      decoded = AttributeValue::FromMap(std::move(map));
    } else {
      continue;  // unknown members are ignored, as DynamoDB's deserialiser does
    }
    ++types;
    result = std::move(decoded);
  }
  if (types == 0) {
    return Invalid(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  }
  if (types > 1) {
    return Invalid(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
        "supported datatypes");
  }
  return std::move(*result);
}

// Reads the text AppendItemJson wrote: RFC 8259 JSON in the shapes that writer produces (an
// object of attribute values, each {"<tag>":<member>}), straight into the model without a JSON
// tree. Whitespace and every string escape are accepted; anything else is a corrupt row.
class StoredItemParser {
 public:
  explicit StoredItemParser(std::string_view text)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

  bool ParseItem(Item& item) {
    if (!ParseMap(item, 0)) return false;
    SkipSpace();
    return p_ == end_;
  }
  size_t offset() const { return static_cast<size_t>(p_ - begin_); }

 private:
  // Levels of attribute values (an item's attributes are level 1). Requests cannot nest deeper
  // than DynamoDB's 32, but rows written before UpdateItem checked that may; the limit only keeps
  // a corrupt row from exhausting the stack, so it is far above anything a valid row holds.
  static constexpr int kMaxDepth = 16 * kMaxAttributeNestingDepth;

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool ConsumeWord(std::string_view word) {
    SkipSpace();
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }
  bool Hex4(uint32_t& out) {
    if (end_ - p_ < 4) return false;
    out = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
      const char c = *p_;
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) return false;
      out = out << 4 | static_cast<uint32_t>(digit);
    }
    return true;
  }
  static void AppendUtf8(uint32_t code_point, std::string& out) {
    if (code_point < 0x80) {
      out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
      out += static_cast<char>(0xC0 | code_point >> 6);
      out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
      out += static_cast<char>(0xE0 | code_point >> 12);
      out += static_cast<char>(0x80 | (code_point >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | code_point >> 18);
      out += static_cast<char>(0x80 | (code_point >> 12 & 0x3F));
      out += static_cast<char>(0x80 | (code_point >> 6 & 0x3F));
      out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
  }
  // \uXXXX, with a surrogate pair read as one code point.
  bool UnicodeEscape(std::string& out) {
    uint32_t code_point = 0;
    if (!Hex4(code_point)) return false;
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) return false;
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      uint32_t low = 0;
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
      p_ += 2;
      if (!Hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code_point, out);
    return true;
  }
  bool ParseString(std::string& out) {
    if (!Consume('"')) return false;
    while (true) {
      const char* run = p_;
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20)
        ++p_;
      out.append(run, p_);
      if (p_ == end_) return false;
      const char c = *p_++;
      if (c == '"') return true;
      if (c != '\\' || p_ == end_) return false;  // a raw control character, or a cut escape
      switch (*p_++) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          if (!UnicodeEscape(out)) return false;
          break;
        default:
          return false;
      }
    }
  }
  bool ParseSet(AttributeValue::Set& set, bool base64) {
    if (!Consume('[')) return false;
    if (Consume(']')) return true;
    do {
      std::string member;
      if (!ParseString(member)) return false;
      if (base64) {
        auto bytes = Base64Decode(member);
        if (!bytes) return false;
        member = std::move(*bytes);
      }
      set.push_back(std::move(member));
    } while (Consume(','));
    return Consume(']');
  }
  bool ParseMap(AttributeValue::Map& map, int depth) {
    if (depth > kMaxDepth || !Consume('{')) return false;
    if (Consume('}')) return true;
    do {
      std::string name;
      if (!ParseString(name) || !Consume(':')) return false;
      auto value = ParseValue(depth + 1);
      if (!value) return false;
      map.emplace(std::move(name), std::move(*value));
    } while (Consume(','));
    return Consume('}');
  }
  // {"<tag>":<member>}
  std::optional<AttributeValue> ParseValue(int depth) {
    std::string tag;
    if (depth > kMaxDepth || !Consume('{') || !ParseString(tag) || !Consume(':'))
      return std::nullopt;
    auto value = ParseMember(tag, depth);
    if (!value || !Consume('}')) return std::nullopt;
    return value;
  }
  std::optional<AttributeValue> ParseMember(std::string_view tag, int depth) {
    if (tag == "S" || tag == "N" || tag == "B") {
      std::string text;
      if (!ParseString(text)) return std::nullopt;
      if (tag == "S") return AttributeValue::String(std::move(text));
      if (tag == "N") return AttributeValue::Number(std::move(text));
      auto bytes = Base64Decode(text);
      if (!bytes) return std::nullopt;
      return AttributeValue::Binary(std::move(*bytes));
    }
    if (tag == "BOOL" || tag == "NULL") {
      bool flag = ConsumeWord("true");
      if (!flag && !ConsumeWord("false")) return std::nullopt;
      return tag == "BOOL" ? AttributeValue::Bool(flag) : AttributeValue::Null();
    }
    if (tag == "SS" || tag == "NS" || tag == "BS") {
      AttributeValue::Set set;
      if (!ParseSet(set, tag == "BS")) return std::nullopt;
      if (tag == "SS") return AttributeValue::StringSet(std::move(set));
      if (tag == "NS") return AttributeValue::NumberSet(std::move(set));
      return AttributeValue::BinarySet(std::move(set));
    }
    if (tag == "L") {
      AttributeValue::List list;
      if (!Consume('[')) return std::nullopt;
      if (!Consume(']')) {
        do {
          auto element = ParseValue(depth + 1);
          if (!element) return std::nullopt;
          list.push_back(std::move(*element));
        } while (Consume(','));
        if (!Consume(']')) return std::nullopt;
      }
      return AttributeValue::FromList(std::move(list));
    }
    if (tag == "M") {
      AttributeValue::Map map;
      if (!ParseMap(map, depth)) return std::nullopt;
      return AttributeValue::FromMap(std::move(map));
    }
    return std::nullopt;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
};

void AppendSet(const AttributeValue::Set& set, bool base64, std::string& out) {
  out += '[';
  bool first = true;
  for (const auto& member : set) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(base64 ? Base64Encode(member) : member, out);
  }
  out += ']';
}

}  // namespace

Result<AttributeValue> AttributeValueFromJson(const json& value) { return Decode(value, 1); }

Result<Item> ItemFromJson(const json& value) { return DecodeMap(value, 1); }

Result<Item> ItemFromStoredJson(std::string_view text) {
  Item item;
  StoredItemParser parser(text);
  if (!parser.ParseItem(item)) {
    return Internal("corrupt stored item near byte " + std::to_string(parser.offset()));
  }
  return item;
}

void AppendJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out += '"';
}

void AppendAttributeValueJson(const AttributeValue& value, std::string& out) {
  out += "{\"";
  out += TypeTag(value.type());
  out += "\":";
  switch (value.type()) {
    case AttributeType::kString:
    case AttributeType::kNumber:
      AppendJsonString(value.scalar(), out);
      break;
    case AttributeType::kBinary:
      AppendJsonString(Base64Encode(value.scalar()), out);
      break;
    case AttributeType::kStringSet:
    case AttributeType::kNumberSet:
      AppendSet(value.set(), false, out);
      break;
    case AttributeType::kBinarySet:
      AppendSet(value.set(), true, out);
      break;
    case AttributeType::kMap:
      AppendItemJson(value.map(), out);
      break;
    case AttributeType::kList: {
      out += '[';
      bool first = true;
      for (const auto& element : value.list()) {
        if (!first) out += ',';
        first = false;
        AppendAttributeValueJson(element, out);
      }
      out += ']';
      break;
    }
    case AttributeType::kNull:
      out += "true";
      break;
    case AttributeType::kBool:
      out += value.boolean() ? "true" : "false";
      break;
  }
  out += '}';
}

void AppendItemJson(const Item& item, std::string& out) {
  out += '{';
  bool first = true;
  for (const auto& [name, value] : item) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(name, out);
    out += ':';
    AppendAttributeValueJson(value, out);
  }
  out += '}';
}

std::string ItemToJsonText(const Item& item) {
  std::string out;
  out.reserve(64);
  AppendItemJson(item, out);
  return out;
}

json AttributeValueToJson(const AttributeValue& value) {
  std::string text;
  AppendAttributeValueJson(value, text);
  return json::parse(text);
}

json ItemToJson(const Item& item) { return json::parse(ItemToJsonText(item)); }

}  // namespace ck::store
