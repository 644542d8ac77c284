#include "collector/logs/log_line_fields.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "core/hex.h"

namespace ck::collector::logs {
namespace {

constexpr std::string_view kTraceIdMember = "\"trace_id\"";
constexpr std::string_view kTimestampMember = "\"ts\"";

bool ReadDigits(std::string_view text, size_t at, size_t count, int* out) {
  if (at + count > text.size()) return false;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool StartsWithObject(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == '{';
}

}  // namespace

std::optional<int64_t> ParseRfc3339Millis(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (text.size() < 20 || !ReadDigits(text, 0, 4, &year) || text[4] != '-' ||
      !ReadDigits(text, 5, 2, &month) || text[7] != '-' || !ReadDigits(text, 8, 2, &day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !ReadDigits(text, 11, 2, &hour) ||
      text[13] != ':' || !ReadDigits(text, 14, 2, &minute) || text[16] != ':' ||
      !ReadDigits(text, 17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t at = 19;
  int millis = 0;
  if (text[at] == '.') {
    ++at;
    const size_t digits_start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (at - digits_start < 3) millis = millis * 10 + (text[at] - '0');
      ++at;
    }
    const size_t digits = at - digits_start;
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (at == text.size()) return std::nullopt;
  if (text[at] == 'Z' || text[at] == 'z') {
    ++at;
  } else if (text[at] == '+' || text[at] == '-') {
    int offset_hour, offset_minute;
    if (!ReadDigits(text, at + 1, 2, &offset_hour) || at + 3 >= text.size() ||
        text[at + 3] != ':' || !ReadDigits(text, at + 4, 2, &offset_minute) || offset_hour > 23 ||
        offset_minute > 59) {
      return std::nullopt;
    }
    offset_minutes = (offset_hour * 60 + offset_minute) * (text[at] == '-' ? -1 : 1);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  // A leap second (":60") is counted as the last millisecond-exact second before it.
  if (second == 60) second = 59;
  const int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                          second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string NormalizeTraceId(std::string_view id) {
  std::string out;
  if (IsValidXRayTraceId(id)) {
    out.assign(id);
  } else if (id.size() == 32 && IsAllHex(id) && !IsAllZeros(id)) {
    out.reserve(35);
    out.append("1-").append(id.substr(0, 8)).append("-").append(id.substr(8));
  } else {
    return out;
  }
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsNormalizedTraceId(std::string_view id) {
  return IsValidXRayTraceId(id) &&
         std::none_of(id.begin(), id.end(), [](char c) { return c >= 'A' && c <= 'F'; });
}

struct LogLineParser::State {
  simdjson::ondemand::parser parser;
  std::string padded;  // the line plus SIMDJSON_PADDING readable bytes
};

LogLineParser::LogLineParser() : state_(std::make_unique<State>()) {}
LogLineParser::~LogLineParser() = default;

LogLineFields LogLineParser::Parse(std::string_view line, bool want_timestamp) {
  LogLineFields fields;
  if (!StartsWithObject(line)) return fields;
  // A substring test is far cheaper than a parse and rules out most lines that cannot match.
  const bool may_have_trace = line.find(kTraceIdMember) != std::string_view::npos;
  const bool may_have_timestamp =
      want_timestamp && line.find(kTimestampMember) != std::string_view::npos;
  if (!may_have_trace && !may_have_timestamp) return fields;

  std::string& padded = state_->padded;
  padded.assign(line);
  padded.resize(line.size() + simdjson::SIMDJSON_PADDING, ' ');
  auto iterated = state_->parser.iterate(
      simdjson::padded_string_view(padded.data(), line.size(), padded.size()));
  simdjson::ondemand::document document;
  if (std::move(iterated).get(document) != simdjson::SUCCESS) return fields;
  simdjson::ondemand::object object;
  if (document.get_object().get(object) != simdjson::SUCCESS) return fields;

  std::optional<int64_t> timestamp;
  std::string trace_id;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return fields;
    const bool is_trace = key == "trace_id";
    const bool is_timestamp = key == "ts";
    if (!is_trace && !is_timestamp) continue;  // the loop skips the value
    std::string_view value;
    if (field.value().get_string().get(value) != simdjson::SUCCESS) continue;
    if (is_trace && trace_id.empty()) trace_id = NormalizeTraceId(value);
    if (is_timestamp && want_timestamp && !timestamp) timestamp = ParseRfc3339Millis(value);
  }
  // Iterating to the end checks the object closes; text after it means this is not one object.
  const char* rest = nullptr;
  if (document.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) return fields;
  fields.timestamp_ms = timestamp;
  fields.trace_id = std::move(trace_id);
  return fields;
}

}  // namespace ck::collector::logs
