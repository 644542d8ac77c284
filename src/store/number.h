// DynamoDB numbers: validation, normalisation, exact decimal arithmetic and ordering.
//
// DynamoDB numbers have up to 38 significant decimal digits and a magnitude between 1E-130 and
// 9.9999999999999999999999999999999999999E+125 (or are zero). We keep every number in canonical
// text: no leading zeros, no trailing fractional zeros, no exponent ("0010.500" -> "10.5",
// "1e2" -> "100", "-0" -> "0"), so equal numbers have equal text.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace ck::store {

// Validates and canonicalises wire text. Errors are kInvalidArgument with DynamoDB's wording
// (e.g. "Attempting to store more than 38 significant digits in a Number").
Result<std::string> NormalizeNumber(std::string_view text);

// Three-way numeric comparison of two canonical numbers: <0, 0, >0.
int CompareNumbers(std::string_view a, std::string_view b);

// Exact a + b and a - b of canonical numbers; errors when the result leaves DynamoDB's range or
// needs more than 38 significant digits (DynamoDB's messages).
Result<std::string> AddNumbers(std::string_view a, std::string_view b);
Result<std::string> SubtractNumbers(std::string_view a, std::string_view b);

// A byte string whose memcmp order equals the numeric order of canonical numbers, for keys.
std::string EncodeNumberForKey(std::string_view canonical);

}  // namespace ck::store
