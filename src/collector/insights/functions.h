// The functions of the Logs Insights language: a case-insensitive registry (name, arity, whether
// it aggregates) used by the parser, and the scalar implementations used by the evaluator.
//
//   const FunctionInfo* info = FindFunction("toUpper");        // FunctionId::kToUpper, 1..1 args
//   Value upper = CallScalar(FunctionId::kToUpper, args, scratch);
//
// Scalar functions follow Insights' documented groups: numeric (abs ceil floor greatest least log
// sqrt), general (ispresent coalesce), string (isempty isblank concat ltrim rtrim trim strlen
// toupper tolower substr replace strcontains), datetime (bin datefloor dateceil fromMillis
// toMillis — bin/datefloor/dateceil take a period and are evaluated by the evaluator) and IP
// (isValidIp isValidIpV4 isValidIpV6 isIpInSubnet isIpv4InSubnet isIpv6InSubnet). Aggregates
// (count count_distinct sum avg min max pct stddev earliest latest sortsFirst sortsLast) are only
// valid in stats and implemented in aggregates.h.
//
// Failure modes: none; an argument of the wrong type or an absent argument yields an absent
// value (ispresent, isempty, isblank and coalesce look at absence itself). Strings are UTF-8 and
// measured in code points; case mapping is ASCII only.
// Thread-safety: pure functions over a caller-owned Scratch.
#pragma once

#include <span>
#include <string_view>

#include "collector/insights/value.h"

namespace ck::collector::insights {

enum class FunctionId : uint8_t {
  // numeric
  kAbs,
  kCeil,
  kFloor,
  kGreatest,
  kLeast,
  kLog,
  kSqrt,
  // general
  kIsPresent,
  kCoalesce,
  // string
  kIsEmpty,
  kIsBlank,
  kConcat,
  kLtrim,
  kRtrim,
  kTrim,
  kStrlen,
  kToUpper,
  kToLower,
  kSubstr,
  kReplace,
  kStrContains,
  // datetime
  kBin,
  kDateFloor,
  kDateCeil,
  kFromMillis,
  kToMillis,
  // IP address
  kIsValidIp,
  kIsValidIpV4,
  kIsValidIpV6,
  kIsIpInSubnet,
  kIsIpv4InSubnet,
  kIsIpv6InSubnet,
  // aggregates (stats only)
  kCount,
  kCountDistinct,
  kSum,
  kAvg,
  kMin,
  kMax,
  kPct,
  kStddev,
  kEarliest,
  kLatest,
  kSortsFirst,
  kSortsLast,
};

struct FunctionInfo {
  std::string_view name;  // as documented (matching ignores case)
  FunctionId id;
  int min_args;
  int max_args;  // kVariadic: no upper bound
  bool aggregate;
};

inline constexpr int kVariadic = 1 << 20;

// nullptr when no function has that name.
const FunctionInfo* FindFunction(std::string_view name);
const FunctionInfo& InfoOf(FunctionId id);

// A scalar function other than bin/datefloor/dateceil, with arity already checked by the parser.
Value CallScalar(FunctionId id, std::span<const Value> args, Scratch& scratch);

// UTF-8 helpers shared with the tests: code points, counting a malformed byte as one.
size_t CodePointCount(std::string_view text);

}  // namespace ck::collector::insights
