#include "store/number.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

namespace ck::store {
namespace {

std::string Normalized(std::string_view text) {
  auto result = NormalizeNumber(text);
  EXPECT_TRUE(result.ok()) << text << ": " << result.status().message();
  return result.ok() ? *result : std::string();
}

std::string NormalizeError(std::string_view text) {
  auto result = NormalizeNumber(text);
  EXPECT_FALSE(result.ok()) << text << " normalised to " << (result.ok() ? *result : "");
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  return result.status().message();
}

const char kOverflow[] =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
const char kUnderflow[] =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";
const char kTooPrecise[] = "Attempting to store more than 38 significant digits in a Number";

TEST(NormalizeNumberTest, AcceptsDynamoDbForms) {
  EXPECT_EQ(Normalized("1"), "1");
  EXPECT_EQ(Normalized("-1.5"), "-1.5");
  EXPECT_EQ(Normalized("0010.500"), "10.5");
  EXPECT_EQ(Normalized("1e2"), "100");
  EXPECT_EQ(Normalized("1E2"), "100");
  EXPECT_EQ(Normalized("1e+2"), "100");
  EXPECT_EQ(Normalized("1.5E+3"), "1500");
  EXPECT_EQ(Normalized("1E-5"), "0.00001");
  EXPECT_EQ(Normalized(".5"), "0.5");
  EXPECT_EQ(Normalized("5."), "5");
  EXPECT_EQ(Normalized("+3"), "3");
  EXPECT_EQ(Normalized("+1.5"), "1.5");
  EXPECT_EQ(Normalized("+0"), "0");
  EXPECT_EQ(Normalized("+1e2"), "100");
  EXPECT_EQ(Normalized("-7"), "-7");
  EXPECT_EQ(Normalized("00042"), "42");
  EXPECT_EQ(Normalized("1.0"), "1");
  EXPECT_EQ(Normalized("3.1400"), "3.14");
  EXPECT_EQ(Normalized("1.5E2"), "150");
  EXPECT_EQ(Normalized("12.345e1"), "123.45");
  EXPECT_EQ(Normalized("12.345e-1"), "1.2345");
  EXPECT_EQ(Normalized("0.000"), "0");
  EXPECT_EQ(Normalized("000"), "0");
  EXPECT_EQ(Normalized("0e10"), "0");
  EXPECT_EQ(Normalized("0e999999999999999999999"), "0");
  EXPECT_EQ(Normalized("-0.0e-5"), "0");
  EXPECT_EQ(Normalized("100"), "100");
  EXPECT_EQ(Normalized("1000e-3"), "1");
  EXPECT_EQ(Normalized("0.1e1"), "1");
  EXPECT_EQ(Normalized("123456789.987654321"), "123456789.987654321");
}

TEST(NormalizeNumberTest, NegativeZeroIsZero) {
  EXPECT_EQ(Normalized("-0"), "0");
  EXPECT_EQ(Normalized("-0.000"), "0");
  EXPECT_EQ(Normalized("-.0"), "0");
}

TEST(NormalizeNumberTest, RejectsMalformedText) {
  EXPECT_EQ(NormalizeError(""), "The parameter cannot be converted to a numeric value");
  for (const char* text : {"abc",      "1e",        "1e+", "e5",  ".",     "-",     "+",    "+-1",
                           "--1",      "1.2.3",     "1+2", " 5",  "5 ",    "1 000", "0x10", "NaN",
                           "Infinity", "-Infinity", "1,5", "+e2", "1e2.5", "1ee2",  ".e1",  "١"}) {
    EXPECT_EQ(NormalizeError(text),
              std::string("The parameter cannot be converted to a numeric value: ") + text);
  }
}

TEST(NormalizeNumberTest, SignificantDigitLimit) {
  const std::string kThirtyEight = "12345678901234567890123456789012345678";
  EXPECT_EQ(Normalized(kThirtyEight), kThirtyEight);
  EXPECT_EQ(Normalized("-" + kThirtyEight), "-" + kThirtyEight);
  EXPECT_EQ(Normalized("0.000" + kThirtyEight), "0.000" + kThirtyEight);
  EXPECT_EQ(NormalizeError(kThirtyEight + "9"), kTooPrecise);
  EXPECT_EQ(NormalizeError("1." + kThirtyEight), kTooPrecise);
  // Leading and trailing zeros do not count.
  EXPECT_EQ(Normalized("000" + kThirtyEight + ".000"), kThirtyEight);
  EXPECT_EQ(Normalized("1" + std::string(60, '0')), "1" + std::string(60, '0'));
  EXPECT_EQ(Normalized("0." + std::string(60, '0') + "1"), "0." + std::string(60, '0') + "1");
}

TEST(NormalizeNumberTest, MagnitudeRange) {
  const std::string kMax = "9.9999999999999999999999999999999999999E+125";
  EXPECT_EQ(Normalized(kMax), std::string(38, '9') + std::string(88, '0'));
  EXPECT_EQ(Normalized("-" + kMax), "-" + std::string(38, '9') + std::string(88, '0'));
  EXPECT_EQ(Normalized("1E-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(Normalized("-1E-130"), "-0." + std::string(129, '0') + "1");
  EXPECT_EQ(Normalized("1E+125"), "1" + std::string(125, '0'));
  EXPECT_EQ(NormalizeError("1E+126"), kOverflow);
  EXPECT_EQ(NormalizeError("-1E+126"), kOverflow);
  EXPECT_EQ(NormalizeError("10E+125"), kOverflow);
  EXPECT_EQ(NormalizeError("1E-131"), kUnderflow);
  EXPECT_EQ(NormalizeError("-0.1E-130"), kUnderflow);
  EXPECT_EQ(NormalizeError("1e99999999999999999999999999"), kOverflow);
  EXPECT_EQ(NormalizeError("1e-99999999999999999999999999"), kUnderflow);
  // Range is checked before precision, as DynamoDB does.
  EXPECT_EQ(NormalizeError(std::string(40, '1') + "e200"), kOverflow);
}

TEST(NormalizeNumberTest, IsIdempotent) {
  for (const char* text : {"0", "1", "-1.5", "0.00001", "123.45", "100"}) {
    EXPECT_EQ(Normalized(Normalized(text)), Normalized(text));
  }
}

TEST(CompareNumbersTest, OrdersNumerically) {
  EXPECT_EQ(CompareNumbers("1", "1"), 0);
  EXPECT_LT(CompareNumbers("1", "2"), 0);
  EXPECT_GT(CompareNumbers("10", "9"), 0);
  EXPECT_LT(CompareNumbers("-10", "-9"), 0);
  EXPECT_LT(CompareNumbers("-1", "0"), 0);
  EXPECT_GT(CompareNumbers("0.001", "0"), 0);
  EXPECT_LT(CompareNumbers("-0.001", "0"), 0);
  EXPECT_LT(CompareNumbers("1.2", "1.25"), 0);
  EXPECT_GT(CompareNumbers("-1.2", "-1.25"), 0);
  EXPECT_LT(CompareNumbers("0.9", "1"), 0);
  EXPECT_GT(CompareNumbers("100", "99.999"), 0);
  EXPECT_EQ(CompareNumbers("0", "0"), 0);
  EXPECT_LT(CompareNumbers("2", "10"), 0);  // not lexicographic
}

TEST(AddNumbersTest, ExactDecimalArithmetic) {
  EXPECT_EQ(*AddNumbers("1", "2"), "3");
  EXPECT_EQ(*AddNumbers("0.1", "0.2"), "0.3");
  EXPECT_EQ(*AddNumbers("-1", "1"), "0");
  EXPECT_EQ(*AddNumbers("-5", "3"), "-2");
  EXPECT_EQ(*AddNumbers("5", "-3"), "2");
  EXPECT_EQ(*AddNumbers("-5", "-3"), "-8");
  EXPECT_EQ(*AddNumbers("999", "1"), "1000");
  EXPECT_EQ(*AddNumbers("0", "-4.5"), "-4.5");
  EXPECT_EQ(*AddNumbers("4.5", "0"), "4.5");
  EXPECT_EQ(*AddNumbers("1.05", "-1.05"), "0");
  EXPECT_EQ(*AddNumbers("1000000", "0.000001"), "1000000.000001");
  EXPECT_EQ(*AddNumbers("0.5", "0.5"), "1");
  EXPECT_EQ(*SubtractNumbers("10", "0.01"), "9.99");
  EXPECT_EQ(*SubtractNumbers("1", "2"), "-1");
  EXPECT_EQ(*SubtractNumbers("-1", "-1"), "0");
  EXPECT_EQ(*SubtractNumbers("0", "7"), "-7");
  EXPECT_EQ(*SubtractNumbers("0.3", "0.1"), "0.2");
  EXPECT_EQ(*SubtractNumbers("100", "100.5"), "-0.5");
  const std::string kThirtyEightNines(38, '9');
  EXPECT_EQ(*AddNumbers(kThirtyEightNines, "1"), "1" + std::string(38, '0'));
}

TEST(AddNumbersTest, RangeAndPrecisionErrors) {
  const std::string kMax = Normalized("9.9999999999999999999999999999999999999E+125");
  EXPECT_EQ(AddNumbers(kMax, kMax).status().message(), kOverflow);
  EXPECT_EQ(SubtractNumbers("-" + kMax, kMax).status().message(), kOverflow);
  EXPECT_EQ(AddNumbers(Normalized("9.9e125"), Normalized("9.9e125")).status().message(), kOverflow);
  EXPECT_EQ(AddNumbers(Normalized("1e30"), Normalized("1e-30")).status().message(), kTooPrecise);
  EXPECT_EQ(AddNumbers(std::string(38, '9'), "0.1").status().message(), kTooPrecise);
  const std::string kTiny = Normalized("1.5e-130");
  EXPECT_EQ(SubtractNumbers(kTiny, Normalized("1.4e-130")).status().message(), kUnderflow);
  EXPECT_EQ(*SubtractNumbers(kTiny, kTiny), "0");
  EXPECT_EQ(AddNumbers("abc", "1").status().message(),
            "The parameter cannot be converted to a numeric value: abc");
}

TEST(EncodeNumberForKeyTest, KnownOrder) {
  std::vector<std::string> sorted = {
      "-9.9999999999999999999999999999999999999E+125",
      "-1e100",
      "-1000",
      "-999.99",
      "-100",
      "-12",
      "-10",
      "-1.25",
      "-1.2",
      "-1",
      "-0.5",
      "-1e-130",
      "0",
      "1e-130",
      "0.5",
      "1",
      "1.2",
      "1.25",
      "10",
      "12",
      "100",
      "999.99",
      "1000",
      "1e100",
      "9.9999999999999999999999999999999999999E+125",
  };
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    std::string a = EncodeNumberForKey(Normalized(sorted[i]));
    std::string b = EncodeNumberForKey(Normalized(sorted[i + 1]));
    EXPECT_LT(a, b) << sorted[i] << " vs " << sorted[i + 1];
  }
  EXPECT_EQ(EncodeNumberForKey("0"), EncodeNumberForKey(Normalized("-0")));
  EXPECT_EQ(EncodeNumberForKey("15"), EncodeNumberForKey("15"));
}

// Random canonical numbers across DynamoDB's whole range.
std::string RandomNumber(std::mt19937_64& rng, int max_digits, int min_exponent, int max_exponent) {
  std::uniform_int_distribution<int> digit_count(1, max_digits);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> exponent(min_exponent, max_exponent);
  std::string text = rng() % 2 ? "-" : "";
  int count = digit_count(rng);
  text.push_back(static_cast<char>('1' + digit(rng) % 9));
  if (count > 1) text.push_back('.');
  for (int i = 1; i < count; ++i) text.push_back(static_cast<char>('0' + digit(rng)));
  text += "e" + std::to_string(exponent(rng));
  if (rng() % 20 == 0) return "0";
  return Normalized(text);
}

TEST(NumberPropertyTest, EncodingOrderMatchesCompare) {
  std::mt19937_64 rng(20240611);
  for (int round = 0; round < 20000; ++round) {
    std::string a = RandomNumber(rng, 38, -130, 125);
    // Half of the pairs share an exponent neighbourhood so that digit comparisons are exercised.
    std::string b = rng() % 2 ? RandomNumber(rng, 38, -130, 125) : RandomNumber(rng, 5, -2, 2);
    if (rng() % 4 == 0) b = a;
    int compared = CompareNumbers(a, b);
    int encoded = EncodeNumberForKey(a).compare(EncodeNumberForKey(b));
    ASSERT_EQ(compared < 0, encoded < 0) << a << " vs " << b;
    ASSERT_EQ(compared == 0, encoded == 0) << a << " vs " << b;
    ASSERT_EQ(compared, -CompareNumbers(b, a));
    ASSERT_EQ(compared == 0, a == b);  // canonical text is unique per value
  }
}

TEST(NumberPropertyTest, SortingByEncodingSortsNumerically) {
  std::mt19937_64 rng(7);
  std::vector<std::string> numbers;
  for (int i = 0; i < 2000; ++i) numbers.push_back(RandomNumber(rng, 10, -20, 20));
  auto by_encoding = numbers;
  std::sort(by_encoding.begin(), by_encoding.end(), [](const auto& a, const auto& b) {
    return EncodeNumberForKey(a) < EncodeNumberForKey(b);
  });
  for (size_t i = 0; i + 1 < by_encoding.size(); ++i) {
    ASSERT_LE(CompareNumbers(by_encoding[i], by_encoding[i + 1]), 0);
  }
}

TEST(NumberPropertyTest, CompareAgreesWithLongDoubleForSmallValues) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 20000; ++round) {
    std::string a = RandomNumber(rng, 12, -6, 9);
    std::string b = RandomNumber(rng, 12, -6, 9);
    long double x = std::stold(a);
    long double y = std::stold(b);
    int expected = (x > y) - (x < y);
    ASSERT_EQ(CompareNumbers(a, b), expected) << a << " vs " << b;
  }
}

TEST(NumberPropertyTest, AddAndSubtractAgreeWithLongDouble) {
  std::mt19937_64 rng(1234);
  for (int round = 0; round < 20000; ++round) {
    std::string a = RandomNumber(rng, 12, -6, 9);
    std::string b = RandomNumber(rng, 12, -6, 9);
    long double x = std::stold(a);
    long double y = std::stold(b);
    auto sum = AddNumbers(a, b);
    auto difference = SubtractNumbers(a, b);
    ASSERT_TRUE(sum.ok()) << a << " + " << b << ": " << sum.status().message();
    ASSERT_TRUE(difference.ok()) << a << " - " << b;
    long double scale = std::max({std::fabs(x), std::fabs(y), 1e-30L});
    ASSERT_NEAR(static_cast<double>((std::stold(*sum) - (x + y)) / scale), 0.0, 1e-15)
        << a << " + " << b << " = " << *sum;
    ASSERT_NEAR(static_cast<double>((std::stold(*difference) - (x - y)) / scale), 0.0, 1e-15)
        << a << " - " << b << " = " << *difference;
    // Exactness: (a + b) - b == a, and results are canonical.
    ASSERT_EQ(*SubtractNumbers(*sum, b), a);
    ASSERT_EQ(Normalized(*sum), *sum);
    ASSERT_EQ(*AddNumbers(b, a), *sum);
  }
}

}  // namespace
}  // namespace ck::store
