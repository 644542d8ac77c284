#include "store/attribute_value.h"

#include <algorithm>

namespace ck::store {

std::string_view TypeTag(AttributeType type) {
  switch (type) {
    case AttributeType::kString: return "S";
    case AttributeType::kNumber: return "N";
    case AttributeType::kBinary: return "B";
    case AttributeType::kStringSet: return "SS";
    case AttributeType::kNumberSet: return "NS";
    case AttributeType::kBinarySet: return "BS";
    case AttributeType::kMap: return "M";
    case AttributeType::kList: return "L";
    case AttributeType::kNull: return "NULL";
    case AttributeType::kBool: return "BOOL";
  }
  return "NULL";
}

#define CK_ATTRIBUTE_FACTORY(Name, Type, Arg) \
  AttributeValue AttributeValue::Name(Arg v) { \
    AttributeValue out;                        \
    out.type_ = AttributeType::Type;           \
    out.value_ = std::move(v);                 \
    return out;                                \
  }
CK_ATTRIBUTE_FACTORY(String, kString, std::string)
CK_ATTRIBUTE_FACTORY(Number, kNumber, std::string)
CK_ATTRIBUTE_FACTORY(Binary, kBinary, std::string)
CK_ATTRIBUTE_FACTORY(StringSet, kStringSet, Set)
CK_ATTRIBUTE_FACTORY(NumberSet, kNumberSet, Set)
CK_ATTRIBUTE_FACTORY(BinarySet, kBinarySet, Set)
CK_ATTRIBUTE_FACTORY(FromMap, kMap, Map)
CK_ATTRIBUTE_FACTORY(FromList, kList, List)
CK_ATTRIBUTE_FACTORY(Bool, kBool, bool)
#undef CK_ATTRIBUTE_FACTORY

AttributeValue AttributeValue::Null() { return AttributeValue(); }

bool operator==(const AttributeValue& a, const AttributeValue& b) {
  if (a.type_ != b.type_) return false;
  if (a.is_set()) {
    const auto& x = a.set();
    const auto& y = b.set();
    if (x.size() != y.size()) return false;
    std::vector<std::string_view> xs(x.begin(), x.end()), ys(y.begin(), y.end());
    std::sort(xs.begin(), xs.end());
    std::sort(ys.begin(), ys.end());
    return xs == ys;
  }
  return a.value_ == b.value_;
}

namespace {

size_t NumberByteSize(std::string_view canonical) {
  size_t digits = 0;
  bool leading = true;
  for (char c : canonical) {
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++digits;
  }
  // Trailing zeros of an integer are not significant either.
  if (canonical.find('.') == std::string_view::npos) {
    for (auto it = canonical.rbegin(); it != canonical.rend() && *it == '0' && digits > 0; ++it) {
      --digits;
    }
  }
  return (digits + 1) / 2 + 1;
}

}  // namespace

size_t AttributeValue::ByteSize() const {
  switch (type_) {
    case AttributeType::kString:
    case AttributeType::kBinary:
      return scalar().size();
    case AttributeType::kNumber:
      return NumberByteSize(scalar());
    case AttributeType::kStringSet:
    case AttributeType::kBinarySet: {
      size_t total = 0;
      for (const auto& member : set()) total += member.size();
      return total;
    }
    case AttributeType::kNumberSet: {
      size_t total = 0;
      for (const auto& member : set()) total += NumberByteSize(member);
      return total;
    }
    case AttributeType::kMap: {
      size_t total = 3;
      for (const auto& [name, value] : map()) total += name.size() + value.ByteSize() + 1;
      return total;
    }
    case AttributeType::kList: {
      size_t total = 3;
      for (const auto& value : list()) total += value.ByteSize() + 1;
      return total;
    }
    case AttributeType::kNull:
    case AttributeType::kBool:
      return 1;
  }
  return 0;
}

size_t ItemByteSize(const Item& item) {
  size_t total = 0;
  for (const auto& [name, value] : item) total += name.size() + value.ByteSize();
  return total;
}

}  // namespace ck::store
