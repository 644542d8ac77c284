#include "collector/insights/functions.h"

#include <cmath>

#include "collector/insights/ip_address.h"
#include "collector/insights/time_period.h"

namespace ck::collector::insights {
namespace {

constexpr FunctionInfo kFunctions[] = {
    {"abs", FunctionId::kAbs, 1, 1, false},
    {"ceil", FunctionId::kCeil, 1, 1, false},
    {"floor", FunctionId::kFloor, 1, 1, false},
    {"greatest", FunctionId::kGreatest, 1, kVariadic, false},
    {"least", FunctionId::kLeast, 1, kVariadic, false},
    {"log", FunctionId::kLog, 1, 1, false},
    {"sqrt", FunctionId::kSqrt, 1, 1, false},
    {"ispresent", FunctionId::kIsPresent, 1, 1, false},
    {"coalesce", FunctionId::kCoalesce, 1, kVariadic, false},
    {"isempty", FunctionId::kIsEmpty, 1, 1, false},
    {"isblank", FunctionId::kIsBlank, 1, 1, false},
    {"concat", FunctionId::kConcat, 1, kVariadic, false},
    {"ltrim", FunctionId::kLtrim, 1, 2, false},
    {"rtrim", FunctionId::kRtrim, 1, 2, false},
    {"trim", FunctionId::kTrim, 1, 2, false},
    {"strlen", FunctionId::kStrlen, 1, 1, false},
    {"toupper", FunctionId::kToUpper, 1, 1, false},
    {"tolower", FunctionId::kToLower, 1, 1, false},
    {"substr", FunctionId::kSubstr, 2, 3, false},
    {"replace", FunctionId::kReplace, 3, 3, false},
    {"strcontains", FunctionId::kStrContains, 2, 2, false},
    {"bin", FunctionId::kBin, 1, 1, false},
    {"datefloor", FunctionId::kDateFloor, 2, 2, false},
    {"dateceil", FunctionId::kDateCeil, 2, 2, false},
    {"fromMillis", FunctionId::kFromMillis, 1, 1, false},
    {"toMillis", FunctionId::kToMillis, 1, 1, false},
    {"isValidIp", FunctionId::kIsValidIp, 1, 1, false},
    {"isValidIpV4", FunctionId::kIsValidIpV4, 1, 1, false},
    {"isValidIpV6", FunctionId::kIsValidIpV6, 1, 1, false},
    {"isIpInSubnet", FunctionId::kIsIpInSubnet, 2, 2, false},
    {"isIpv4InSubnet", FunctionId::kIsIpv4InSubnet, 2, 2, false},
    {"isIpv6InSubnet", FunctionId::kIsIpv6InSubnet, 2, 2, false},
    {"count", FunctionId::kCount, 0, 1, true},
    {"count_distinct", FunctionId::kCountDistinct, 1, 1, true},
    {"sum", FunctionId::kSum, 1, 1, true},
    {"avg", FunctionId::kAvg, 1, 1, true},
    {"min", FunctionId::kMin, 1, 1, true},
    {"max", FunctionId::kMax, 1, 1, true},
    {"pct", FunctionId::kPct, 2, 2, true},
    {"stddev", FunctionId::kStddev, 1, 1, true},
    {"earliest", FunctionId::kEarliest, 1, 1, true},
    {"latest", FunctionId::kLatest, 1, 1, true},
    {"sortsFirst", FunctionId::kSortsFirst, 1, 1, true},
    {"sortsLast", FunctionId::kSortsLast, 1, 1, true},
};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte offset of code point `index` (or text.size() past the end).
size_t OffsetOfCodePoint(std::string_view text, size_t index) {
  size_t offset = 0;
  while (offset < text.size() && index > 0) {
    ++offset;
    while (offset < text.size() && IsContinuation(text[offset])) ++offset;
    --index;
  }
  return offset;
}

std::string_view CodePointAt(std::string_view text, size_t offset) {
  size_t end = offset + 1;
  while (end < text.size() && IsContinuation(text[end])) ++end;
  return text.substr(offset, end - offset);
}

bool InSet(std::string_view code_point, std::string_view set) {
  for (size_t i = 0; i < set.size();) {
    std::string_view member = CodePointAt(set, i);
    if (member == code_point) return true;
    i += member.size();
  }
  return false;
}

// Trims whitespace, or the code points of `set` when given, from the chosen ends.
std::string_view Trim(std::string_view text, const std::string_view* set, bool left, bool right) {
  auto strip = [&](std::string_view code_point) {
    return set == nullptr ? (code_point.size() == 1 && IsSpace(code_point[0]))
                          : InSet(code_point, *set);
  };
  if (left) {
    while (!text.empty()) {
      std::string_view first = CodePointAt(text, 0);
      if (!strip(first)) break;
      text.remove_prefix(first.size());
    }
  }
  if (right) {
    while (!text.empty()) {
      size_t start = text.size() - 1;
      while (start > 0 && IsContinuation(text[start])) --start;
      std::string_view last = text.substr(start);
      if (!strip(last)) break;
      text.remove_suffix(last.size());
    }
  }
  return text;
}

std::optional<int64_t> IntegerArgument(const Value& value) {
  std::optional<double> number = NumericValue(value);
  if (!number || !std::isfinite(*number) || std::fabs(*number) > 9e15) return std::nullopt;
  return static_cast<int64_t>(std::trunc(*number));
}

Value NumberOrAbsent(double number) {
  return std::isfinite(number) ? Value::Number(number) : Value::Absent();
}

Value Numeric(FunctionId id, std::span<const Value> args) {
  if (id == FunctionId::kGreatest || id == FunctionId::kLeast) {
    std::optional<double> best;
    for (const Value& arg : args) {
      std::optional<double> number = NumericValue(arg);
      if (!number) continue;
      if (!best || (id == FunctionId::kGreatest ? *number > *best : *number < *best)) {
        best = number;
      }
    }
    return best ? Value::Number(*best) : Value::Absent();
  }
  std::optional<double> x = NumericValue(args[0]);
  if (!x) return Value::Absent();
  switch (id) {
    case FunctionId::kAbs:
      return Value::Number(std::fabs(*x));
    case FunctionId::kCeil:
      return Value::Number(std::ceil(*x));
    case FunctionId::kFloor:
      return Value::Number(std::floor(*x));
    case FunctionId::kLog:
      return *x > 0 ? Value::Number(std::log(*x)) : Value::Absent();
    case FunctionId::kSqrt:
      return *x >= 0 ? Value::Number(std::sqrt(*x)) : Value::Absent();
    default:
      return Value::Absent();
  }
}

Value Substring(std::span<const Value> args, Scratch& scratch) {
  std::optional<int64_t> start = IntegerArgument(args[1]);
  if (!args[0].present() || !start) return Value::Absent();
  std::string_view text = TextOf(args[0], scratch);
  const size_t begin = OffsetOfCodePoint(text, *start < 0 ? 0 : static_cast<size_t>(*start));
  std::string_view rest = text.substr(begin);
  if (args.size() == 3) {
    std::optional<int64_t> length = IntegerArgument(args[2]);
    if (!length) return Value::Absent();
    rest = rest.substr(0, OffsetOfCodePoint(rest, *length < 0 ? 0 : static_cast<size_t>(*length)));
  }
  return Value::String(rest);
}

Value Replace(std::span<const Value> args, Scratch& scratch) {
  std::string_view text = TextOf(args[0], scratch);
  std::string_view search = TextOf(args[1], scratch);
  std::string_view replacement = TextOf(args[2], scratch);
  if (search.empty()) return Value::String(text);
  std::string& out = scratch.Next();
  size_t from = 0;
  for (size_t found = text.find(search); found != std::string_view::npos;
       found = text.find(search, from)) {
    out.append(text.substr(from, found - from));
    out.append(replacement);
    from = found + search.size();
  }
  out.append(text.substr(from));
  return Value::String(out);
}

bool AllPresent(std::span<const Value> args) {
  for (const Value& arg : args) {
    if (!arg.present()) return false;
  }
  return true;
}

}  // namespace

const FunctionInfo* FindFunction(std::string_view name) {
  for (const FunctionInfo& info : kFunctions) {
    if (info.name.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) same = Lower(info.name[i]) == Lower(name[i]);
    if (same) return &info;
  }
  return nullptr;
}

const FunctionInfo& InfoOf(FunctionId id) {
  for (const FunctionInfo& info : kFunctions) {
    if (info.id == id) return info;
  }
  return kFunctions[0];
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) count += IsContinuation(c) ? 0 : 1;
  return count;
}

Value CallScalar(FunctionId id, std::span<const Value> args, Scratch& scratch) {
  switch (id) {
    case FunctionId::kAbs:
    case FunctionId::kCeil:
    case FunctionId::kFloor:
    case FunctionId::kGreatest:
    case FunctionId::kLeast:
    case FunctionId::kLog:
    case FunctionId::kSqrt:
      return Numeric(id, args);
    case FunctionId::kIsPresent:
      return Value::Bool(args[0].present());
    case FunctionId::kCoalesce:
      for (const Value& arg : args) {
        if (arg.present()) return arg;
      }
      return Value::Absent();
    case FunctionId::kIsEmpty:
      return Value::Bool(!args[0].present() ||
                         (args[0].kind == ValueKind::kString && args[0].text.empty()));
    case FunctionId::kIsBlank:
      return Value::Bool(!args[0].present() || (args[0].kind == ValueKind::kString &&
                                                Trim(args[0].text, nullptr, true, true).empty()));
    default:
      break;
  }
  if (!AllPresent(args)) return Value::Absent();
  switch (id) {
    case FunctionId::kConcat: {
      std::string& out = scratch.Next();
      for (const Value& arg : args) AppendRendered(arg, &out);
      return Value::String(out);
    }
    case FunctionId::kLtrim:
    case FunctionId::kRtrim:
    case FunctionId::kTrim: {
      std::string_view text = TextOf(args[0], scratch);
      std::string_view set;
      if (args.size() == 2) set = TextOf(args[1], scratch);
      return Value::String(Trim(text, args.size() == 2 ? &set : nullptr, id != FunctionId::kRtrim,
                                id != FunctionId::kLtrim));
    }
    case FunctionId::kStrlen:
      return Value::Number(static_cast<double>(CodePointCount(TextOf(args[0], scratch))));
    case FunctionId::kToUpper:
    case FunctionId::kToLower: {
      std::string& out = scratch.Next();
      AppendRendered(args[0], &out);
      for (char& c : out) c = id == FunctionId::kToUpper ? Upper(c) : Lower(c);
      return Value::String(out);
    }
    case FunctionId::kSubstr:
      return Substring(args, scratch);
    case FunctionId::kReplace:
      return Replace(args, scratch);
    case FunctionId::kStrContains: {
      std::string_view text = TextOf(args[0], scratch);
      return Value::Number(text.find(TextOf(args[1], scratch)) != std::string_view::npos ? 1 : 0);
    }
    case FunctionId::kFromMillis: {
      std::optional<double> ms = NumericValue(args[0]);
      if (!ms || !std::isfinite(*ms) || *ms < static_cast<double>(kMinTimestampMs) ||
          *ms > static_cast<double>(kMaxTimestampMs)) {
        return Value::Absent();
      }
      return Value::Timestamp(static_cast<int64_t>(std::floor(*ms)));
    }
    case FunctionId::kToMillis:
      if (args[0].kind == ValueKind::kTimestamp) {
        return Value::Number(static_cast<double>(args[0].millis));
      }
      return NumberOrAbsent(NumericValue(args[0]).value_or(NAN));
    case FunctionId::kIsValidIp:
      return Value::Bool(IsValidIp(TextOf(args[0], scratch), IpVersion::kAny));
    case FunctionId::kIsValidIpV4:
      return Value::Bool(IsValidIp(TextOf(args[0], scratch), IpVersion::kV4));
    case FunctionId::kIsValidIpV6:
      return Value::Bool(IsValidIp(TextOf(args[0], scratch), IpVersion::kV6));
    case FunctionId::kIsIpInSubnet:
      return Value::Bool(
          IsIpInSubnet(TextOf(args[0], scratch), TextOf(args[1], scratch), IpVersion::kAny));
    case FunctionId::kIsIpv4InSubnet:
      return Value::Bool(
          IsIpInSubnet(TextOf(args[0], scratch), TextOf(args[1], scratch), IpVersion::kV4));
    case FunctionId::kIsIpv6InSubnet:
      return Value::Bool(
          IsIpInSubnet(TextOf(args[0], scratch), TextOf(args[1], scratch), IpVersion::kV6));
    default:
      return Value::Absent();
  }
}

}  // namespace ck::collector::insights
