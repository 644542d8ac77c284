#include "collector/insights/time_period.h"

#include <charconv>

namespace ck::collector::insights {
namespace {

constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kMsPerMinute = 60 * kMsPerSecond;
constexpr int64_t kMsPerHour = 60 * kMsPerMinute;
constexpr int64_t kMsPerDay = 24 * kMsPerHour;
constexpr int64_t kMsPerWeek = 7 * kMsPerDay;
// 1970-01-05 was a Monday: weekly bins start there (and every 7 days before and after).
constexpr int64_t kFirstMondayMs = 4 * kMsPerDay;

struct UnitName {
  std::string_view name;
  PeriodUnit unit;
};

constexpr UnitName kUnitNames[] = {
    {"ms", PeriodUnit::kMillisecond},
    {"msec", PeriodUnit::kMillisecond},
    {"millisecond", PeriodUnit::kMillisecond},
    {"milliseconds", PeriodUnit::kMillisecond},
    {"s", PeriodUnit::kSecond},
    {"sec", PeriodUnit::kSecond},
    {"secs", PeriodUnit::kSecond},
    {"second", PeriodUnit::kSecond},
    {"seconds", PeriodUnit::kSecond},
    {"m", PeriodUnit::kMinute},
    {"min", PeriodUnit::kMinute},
    {"mins", PeriodUnit::kMinute},
    {"minute", PeriodUnit::kMinute},
    {"minutes", PeriodUnit::kMinute},
    {"h", PeriodUnit::kHour},
    {"hr", PeriodUnit::kHour},
    {"hrs", PeriodUnit::kHour},
    {"hour", PeriodUnit::kHour},
    {"hours", PeriodUnit::kHour},
    {"d", PeriodUnit::kDay},
    {"day", PeriodUnit::kDay},
    {"days", PeriodUnit::kDay},
    {"w", PeriodUnit::kWeek},
    {"week", PeriodUnit::kWeek},
    {"weeks", PeriodUnit::kWeek},
    {"mo", PeriodUnit::kMonth},
    {"month", PeriodUnit::kMonth},
    {"months", PeriodUnit::kMonth},
    {"q", PeriodUnit::kQuarter},
    {"quarter", PeriodUnit::kQuarter},
    {"quarters", PeriodUnit::kQuarter},
    {"y", PeriodUnit::kYear},
    {"yr", PeriodUnit::kYear},
    {"yrs", PeriodUnit::kYear},
    {"year", PeriodUnit::kYear},
    {"years", PeriodUnit::kYear},
};

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Days since 1970-01-01 <-> proleptic Gregorian date (H. Hinnant's civil algorithms).
struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

CivilDate CivilFromDays(int64_t days) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = FloorDiv(year, 400);
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int64_t MonthsPerStep(const Period& period) {
  switch (period.unit) {
    case PeriodUnit::kMonth:
      return period.count;
    case PeriodUnit::kQuarter:
      return period.count * 3;
    default:
      return period.count * 12;
  }
}

// Calendar floor: months since 0000-01 rounded down to a multiple of the step.
int64_t CalendarFloor(int64_t ms, const Period& period) {
  const CivilDate date = CivilFromDays(FloorDiv(ms, kMsPerDay));
  const int64_t months = date.year * 12 + (date.month - 1);
  const int64_t floored = FloorDiv(months, MonthsPerStep(period)) * MonthsPerStep(period);
  const int64_t year = FloorDiv(floored, 12);
  const int month = static_cast<int>(floored - year * 12) + 1;
  return DaysFromCivil(year, month, 1) * kMsPerDay;
}

int64_t CalendarAdvance(int64_t floor_ms, const Period& period) {
  const CivilDate date = CivilFromDays(FloorDiv(floor_ms, kMsPerDay));
  const int64_t months = date.year * 12 + (date.month - 1) + MonthsPerStep(period);
  const int64_t year = FloorDiv(months, 12);
  const int month = static_cast<int>(months - year * 12) + 1;
  return DaysFromCivil(year, month, 1) * kMsPerDay;
}

void AppendPadded(int64_t value, int width, std::string* out) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value < 0 ? -value : value);
  if (value < 0) out->push_back('-');
  for (int pad = width - static_cast<int>(end - digits); pad > 0; --pad) out->push_back('0');
  out->append(digits, end);
}

}  // namespace

std::optional<Period> ParsePeriod(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 7) return std::nullopt;
  int64_t count = 0;
  std::from_chars(text.data(), text.data() + digits, count);
  if (count < 1 || count > kMaxPeriodCount) return std::nullopt;
  std::string_view unit = text.substr(digits);
  for (const UnitName& candidate : kUnitNames) {
    if (unit.size() != candidate.name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < unit.size() && same; ++i) {
      char c = unit[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == candidate.name[i];
    }
    if (same) return Period{count, candidate.unit};
  }
  return std::nullopt;
}

std::optional<int64_t> FixedPeriodMillis(const Period& period) {
  switch (period.unit) {
    case PeriodUnit::kMillisecond:
      return period.count;
    case PeriodUnit::kSecond:
      return period.count * kMsPerSecond;
    case PeriodUnit::kMinute:
      return period.count * kMsPerMinute;
    case PeriodUnit::kHour:
      return period.count * kMsPerHour;
    case PeriodUnit::kDay:
      return period.count * kMsPerDay;
    case PeriodUnit::kWeek:
      return period.count * kMsPerWeek;
    default:
      return std::nullopt;
  }
}

std::optional<int64_t> FloorToPeriod(int64_t ms, const Period& period) {
  if (!ValidTimestamp(ms)) return std::nullopt;
  int64_t result;
  if (std::optional<int64_t> step = FixedPeriodMillis(period)) {
    const int64_t origin = period.unit == PeriodUnit::kWeek ? kFirstMondayMs : 0;
    result = FloorDiv(ms - origin, *step) * *step + origin;
  } else {
    result = CalendarFloor(ms, period);
  }
  if (!ValidTimestamp(result)) return std::nullopt;
  return result;
}

std::optional<int64_t> CeilToPeriod(int64_t ms, const Period& period) {
  std::optional<int64_t> floor = FloorToPeriod(ms, period);
  if (!floor || *floor == ms) return floor;
  int64_t result;
  if (std::optional<int64_t> step = FixedPeriodMillis(period)) {
    result = *floor + *step;
  } else {
    result = CalendarAdvance(*floor, period);
  }
  if (!ValidTimestamp(result)) return std::nullopt;
  return result;
}

void AppendTimestamp(int64_t ms, std::string* out) {
  const int64_t days = FloorDiv(ms, kMsPerDay);
  int64_t in_day = ms - days * kMsPerDay;
  const CivilDate date = CivilFromDays(days);
  AppendPadded(date.year, 4, out);
  out->push_back('-');
  AppendPadded(date.month, 2, out);
  out->push_back('-');
  AppendPadded(date.day, 2, out);
  out->push_back(' ');
  AppendPadded(in_day / kMsPerHour, 2, out);
  in_day %= kMsPerHour;
  out->push_back(':');
  AppendPadded(in_day / kMsPerMinute, 2, out);
  in_day %= kMsPerMinute;
  out->push_back(':');
  AppendPadded(in_day / kMsPerSecond, 2, out);
  out->push_back('.');
  AppendPadded(in_day % kMsPerSecond, 3, out);
}

std::string FormatTimestamp(int64_t ms) {
  std::string out;
  AppendTimestamp(ms, &out);
  return out;
}

}  // namespace ck::collector::insights
