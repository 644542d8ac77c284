#include "store/number.h"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace ck::store {
namespace {

constexpr int64_t kMaxExponent = 125;   // 9.99...E+125
constexpr int64_t kMinExponent = -130;  // 1E-130
constexpr size_t kMaxDigits = 38;
// Exponents beyond this are out of range anyway; clamping keeps arithmetic on them finite.
constexpr int64_t kExponentClamp = int64_t{1} << 40;

// A decimal in scientific form: value = sign * d1.d2d3... * 10^exponent. `digits` holds the
// significant digits without leading or trailing zeros; it is empty exactly for zero.
struct Decimal {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;

  bool is_zero() const { return digits.empty(); }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses DynamoDB's number syntax: [+-] (digits [. digits*] | . digits) [(e|E) [+-] digits].
std::optional<Decimal> Parse(std::string_view text) {
  size_t i = 0;
  Decimal out;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    out.negative = text[i] == '-';
    ++i;
  }
  std::string mantissa;
  int64_t integer_digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (IsDigit(c)) {
      mantissa.push_back(c);
      if (!seen_point) ++integer_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (mantissa.empty()) return std::nullopt;
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    size_t start = i;
    for (; i < text.size() && IsDigit(text[i]); ++i) {
      if (exponent < kExponentClamp) exponent = exponent * 10 + (text[i] - '0');
    }
    if (i == start) return std::nullopt;
    if (exponent_negative) exponent = -exponent;
  }
  if (i != text.size()) return std::nullopt;

  size_t first = mantissa.find_first_not_of('0');
  if (first == std::string::npos) return Decimal{};  // zero, sign dropped ("-0" -> "0")
  size_t last = mantissa.find_last_not_of('0');
  out.digits = mantissa.substr(first, last - first + 1);
  out.exponent = integer_digits - static_cast<int64_t>(first) - 1 + exponent;
  return out;
}

// DynamoDB's range and precision rules, checked in DynamoDB's order.
Status CheckLimits(const Decimal& number) {
  if (number.is_zero()) return Status::Ok();
  if (number.exponent > kMaxExponent) {
    return InvalidArgument(
        "Number overflow. Attempting to store a number with magnitude larger than supported "
        "range");
  }
  if (number.exponent < kMinExponent) {
    return InvalidArgument(
        "Number underflow. Attempting to store a number with magnitude smaller than supported "
        "range");
  }
  if (number.digits.size() > kMaxDigits) {
    return InvalidArgument("Attempting to store more than 38 significant digits in a Number");
  }
  return Status::Ok();
}

// Plain decimal text without exponent; `number` must be within DynamoDB's range.
std::string Format(const Decimal& number) {
  if (number.is_zero()) return "0";
  std::string out;
  if (number.negative) out.push_back('-');
  const auto length = static_cast<int64_t>(number.digits.size());
  if (number.exponent >= length - 1) {
    out += number.digits;
    out.append(static_cast<size_t>(number.exponent - (length - 1)), '0');
  } else if (number.exponent >= 0) {
    out.append(number.digits, 0, static_cast<size_t>(number.exponent + 1));
    out.push_back('.');
    out.append(number.digits, static_cast<size_t>(number.exponent + 1));
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-number.exponent - 1), '0');
    out += number.digits;
  }
  return out;
}

// Compares magnitudes |a| and |b|.
int CompareMagnitude(const Decimal& a, const Decimal& b) {
  if (a.is_zero() || b.is_zero()) return static_cast<int>(!a.is_zero()) - !b.is_zero();
  if (a.exponent != b.exponent) return a.exponent < b.exponent ? -1 : 1;
  // Without trailing zeros, lexicographic order of the digit strings is numeric order.
  int c = a.digits.compare(b.digits);
  return (c > 0) - (c < 0);
}

int Compare(const Decimal& a, const Decimal& b) {
  int sign_a = a.is_zero() ? 0 : (a.negative ? -1 : 1);
  int sign_b = b.is_zero() ? 0 : (b.negative ? -1 : 1);
  if (sign_a != sign_b) return sign_a < sign_b ? -1 : 1;
  if (sign_a == 0) return 0;
  int magnitude = CompareMagnitude(a, b);
  return sign_a > 0 ? magnitude : -magnitude;
}

// The integer coefficient of `number` padded with zeros so that its last digit has weight
// 10^scale (scale <= the number's own last-digit weight).
std::string Coefficient(const Decimal& number, int64_t scale) {
  int64_t own_scale = number.exponent - static_cast<int64_t>(number.digits.size()) + 1;
  std::string out = number.digits;
  out.append(static_cast<size_t>(own_scale - scale), '0');
  return out;
}

// Adds two non-negative integers written in decimal.
std::string AddDigits(const std::string& a, const std::string& b) {
  std::string out;
  out.reserve(std::max(a.size(), b.size()) + 1);
  int carry = 0;
  for (size_t i = 0; i < a.size() || i < b.size() || carry; ++i) {
    int sum = carry;
    if (i < a.size()) sum += a[a.size() - 1 - i] - '0';
    if (i < b.size()) sum += b[b.size() - 1 - i] - '0';
    out.push_back(static_cast<char>('0' + sum % 10));
    carry = sum / 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// a - b for non-negative integers in decimal with a >= b.
std::string SubtractDigits(const std::string& a, const std::string& b) {
  std::string out;
  out.reserve(a.size());
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int difference = (a[a.size() - 1 - i] - '0') - borrow;
    if (i < b.size()) difference -= b[b.size() - 1 - i] - '0';
    borrow = difference < 0;
    if (borrow) difference += 10;
    out.push_back(static_cast<char>('0' + difference));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// Builds a Decimal from an integer coefficient and the weight of its last digit.
Decimal FromCoefficient(bool negative, const std::string& coefficient, int64_t scale) {
  Decimal out;
  size_t first = coefficient.find_first_not_of('0');
  if (first == std::string::npos) return out;
  size_t last = coefficient.find_last_not_of('0');
  out.negative = negative;
  out.digits = coefficient.substr(first, last - first + 1);
  out.exponent = scale + static_cast<int64_t>(coefficient.size() - first) - 1;
  return out;
}

Result<Decimal> ParseOperand(std::string_view text) {
  auto parsed = Parse(text);
  if (!parsed) {
    return InvalidArgument("The parameter cannot be converted to a numeric value: " +
                           std::string(text));
  }
  CK_RETURN_IF_ERROR(CheckLimits(*parsed));
  return *parsed;
}

Result<std::string> Add(std::string_view a_text, std::string_view b_text, bool negate_b) {
  CK_ASSIGN_OR_RETURN(Decimal a, ParseOperand(a_text));
  CK_ASSIGN_OR_RETURN(Decimal b, ParseOperand(b_text));
  if (negate_b && !b.is_zero()) b.negative = !b.negative;
  if (a.is_zero()) return Format(b);
  if (b.is_zero()) return Format(a);

  int64_t scale_a = a.exponent - static_cast<int64_t>(a.digits.size()) + 1;
  int64_t scale_b = b.exponent - static_cast<int64_t>(b.digits.size()) + 1;
  int64_t scale = std::min(scale_a, scale_b);
  std::string x = Coefficient(a, scale);
  std::string y = Coefficient(b, scale);
  Decimal sum;
  if (a.negative == b.negative) {
    sum = FromCoefficient(a.negative, AddDigits(x, y), scale);
  } else if (CompareMagnitude(a, b) >= 0) {
    sum = FromCoefficient(a.negative, SubtractDigits(x, y), scale);
  } else {
    sum = FromCoefficient(b.negative, SubtractDigits(y, x), scale);
  }
  CK_RETURN_IF_ERROR(CheckLimits(sum));
  return Format(sum);
}

}  // namespace

Result<std::string> NormalizeNumber(std::string_view text) {
  if (text.empty()) return InvalidArgument("The parameter cannot be converted to a numeric value");
  auto parsed = Parse(text);
  if (!parsed) {
    return InvalidArgument("The parameter cannot be converted to a numeric value: " +
                           std::string(text));
  }
  CK_RETURN_IF_ERROR(CheckLimits(*parsed));
  return Format(*parsed);
}

int CompareNumbers(std::string_view a, std::string_view b) {
  return Compare(Parse(a).value_or(Decimal{}), Parse(b).value_or(Decimal{}));
}

Result<std::string> AddNumbers(std::string_view a, std::string_view b) { return Add(a, b, false); }

Result<std::string> SubtractNumbers(std::string_view a, std::string_view b) {
  return Add(a, b, true);
}

// Layout: a sign byte (1 negative, 2 zero, 3 positive), then for non-zero numbers one exponent
// byte (exponent + 130, which fits a byte over DynamoDB's range) and the significant digits,
// closed by a terminator so that a shorter digit string sorts first. For negative numbers the
// exponent, the digits and the terminator are inverted so that larger magnitudes sort first.
std::string EncodeNumberForKey(std::string_view canonical) {
  Decimal number = Parse(canonical).value_or(Decimal{});
  if (number.is_zero()) return std::string(1, '\x02');
  int64_t biased = std::clamp(number.exponent, kMinExponent, kMaxExponent) - kMinExponent;
  std::string out;
  out.reserve(number.digits.size() + 3);
  if (number.negative) {
    out.push_back('\x01');
    out.push_back(static_cast<char>(255 - biased));
    for (char digit : number.digits) out.push_back(static_cast<char>('9' - (digit - '0')));
    out.push_back('\xff');
  } else {
    out.push_back('\x03');
    out.push_back(static_cast<char>(biased));
    out += number.digits;
    out.push_back('\x00');
  }
  return out;
}

}  // namespace ck::store
