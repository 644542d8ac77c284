#include "collector/insights/value.h"

#include <charconv>
#include <cmath>

#include "collector/insights/time_period.h"

namespace ck::collector::insights {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// "true"/"false" in any case, for comparing JSON booleans with quoted words.
std::optional<bool> BooleanWord(std::string_view text) {
  if (EqualsIgnoringCase(text, "true")) return true;
  if (EqualsIgnoringCase(text, "false")) return false;
  return std::nullopt;
}

int Sign(int value) { return (value > 0) - (value < 0); }

}  // namespace

Cell Cell::From(const Value& value) {
  Cell cell;
  cell.kind = value.kind;
  cell.boolean = value.boolean;
  cell.number = value.number;
  cell.millis = value.millis;
  if (value.kind == ValueKind::kString) cell.text.assign(value.text);
  return cell;
}

Value Cell::view() const {
  Value value;
  value.kind = kind;
  value.boolean = boolean;
  value.number = number;
  value.millis = millis;
  if (kind == ValueKind::kString) value.text = text;
  return value;
}

std::string& Scratch::Next() {
  if (used_ == strings_.size()) strings_.emplace_back();
  std::string& out = strings_[used_++];
  out.clear();
  return out;
}

std::string_view Scratch::Keep(std::string_view text) {
  std::string& out = Next();
  out.assign(text);
  return out;
}

std::optional<double> ParseNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t start = text[0] == '-' ? 1 : 0;
  if (start >= text.size()) return std::nullopt;
  // Only digits or a leading '.' may start the number: from_chars would also take inf/nan.
  if (!IsDigit(text[start]) &&
      !(text[start] == '.' && start + 1 < text.size() && IsDigit(text[start + 1]))) {
    return std::nullopt;
  }
  double number = 0;
  auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), number, std::chars_format::general);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

std::optional<double> NumericValue(const Value& value) {
  switch (value.kind) {
    case ValueKind::kNumber:
      return value.number;
    case ValueKind::kBool:
      return value.boolean ? 1.0 : 0.0;
    case ValueKind::kTimestamp:
      return static_cast<double>(value.millis);
    case ValueKind::kString:
      return ParseNumber(value.text);
    case ValueKind::kAbsent:
      break;
  }
  return std::nullopt;
}

void AppendNumber(double number, std::string* out) {
  if (number == 0) number = 0;  // no "-0"
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), number);
  out->append(buffer, end);
}

void AppendRendered(const Value& value, std::string* out) {
  switch (value.kind) {
    case ValueKind::kNumber:
      AppendNumber(value.number, out);
      break;
    case ValueKind::kString:
      out->append(value.text);
      break;
    case ValueKind::kBool:
      out->push_back(value.boolean ? '1' : '0');
      break;
    case ValueKind::kTimestamp:
      AppendTimestamp(value.millis, out);
      break;
    case ValueKind::kAbsent:
      break;
  }
}

std::string Render(const Value& value) {
  std::string out;
  AppendRendered(value, &out);
  return out;
}

std::string_view TextOf(const Value& value, Scratch& scratch) {
  if (value.kind == ValueKind::kString) return value.text;
  std::string& out = scratch.Next();
  AppendRendered(value, &out);
  return out;
}

bool Truthy(const Value& value) {
  switch (value.kind) {
    case ValueKind::kBool:
      return value.boolean;
    case ValueKind::kNumber:
      return value.number != 0;
    case ValueKind::kTimestamp:
      return true;
    case ValueKind::kString: {
      if (std::optional<double> number = ParseNumber(value.text)) return *number != 0;
      return BooleanWord(value.text).value_or(false);
    }
    case ValueKind::kAbsent:
      break;
  }
  return false;
}

bool ValuesEqual(const Value& a, const Value& b) {
  if (!a.present() || !b.present()) return false;
  if (a.kind == ValueKind::kString && b.kind == ValueKind::kString) {
    if (a.text == b.text) return true;
  }
  // A JSON boolean equals the quoted words true/false as well as 1/0.
  if (a.kind == ValueKind::kBool && b.kind == ValueKind::kString) {
    if (std::optional<bool> word = BooleanWord(b.text)) return *word == a.boolean;
  }
  if (b.kind == ValueKind::kBool && a.kind == ValueKind::kString) {
    if (std::optional<bool> word = BooleanWord(a.text)) return *word == b.boolean;
  }
  std::optional<double> x = NumericValue(a);
  std::optional<double> y = NumericValue(b);
  if (x && y) return *x == *y;
  if (a.kind == ValueKind::kString && b.kind == ValueKind::kString) return false;
  return Render(a) == Render(b);
}

std::optional<int> CompareValues(const Value& a, const Value& b) {
  if (!a.present() || !b.present()) return std::nullopt;
  std::optional<double> x = NumericValue(a);
  std::optional<double> y = NumericValue(b);
  if (x && y) return (*x > *y) - (*x < *y);
  if (a.kind == ValueKind::kString && b.kind == ValueKind::kString) {
    return Sign(a.text.compare(b.text));
  }
  return Sign(Render(a).compare(Render(b)));
}

int NaturalCompare(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const bool a_digits = IsDigit(a[i]);
    const bool b_digits = IsDigit(b[j]);
    size_t i_end = i;
    while (i_end < a.size() && IsDigit(a[i_end]) == a_digits) ++i_end;
    size_t j_end = j;
    while (j_end < b.size() && IsDigit(b[j_end]) == b_digits) ++j_end;
    std::string_view x = a.substr(i, i_end - i);
    std::string_view y = b.substr(j, j_end - j);
    if (a_digits && b_digits) {
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      if (int order = x.compare(y); order != 0) return Sign(order);
    } else if (int order = x.compare(y); order != 0) {
      // std::string_view compares bytes as unsigned char: UTF-8 byte order is code point order.
      return Sign(order);
    }
    i = i_end;
    j = j_end;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

int SortCompare(const Value& a, const Value& b) {
  std::optional<double> x = NumericValue(a);
  std::optional<double> y = NumericValue(b);
  if (x && y) return (*x > *y) - (*x < *y);
  if (x) return 1;
  if (y) return -1;
  if (a.kind == ValueKind::kString && b.kind == ValueKind::kString) {
    return NaturalCompare(a.text, b.text);
  }
  return NaturalCompare(Render(a), Render(b));
}

}  // namespace ck::collector::insights
