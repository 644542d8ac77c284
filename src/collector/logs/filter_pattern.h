// FilterPattern: a CloudWatch Logs filter pattern (FilterLogEvents, metric and subscription
// filters), parsed once and matched against many log event messages.
//
// Four forms, chosen by the first non-blank character, as CloudWatch chooses them:
//   (empty)     matches every event; so do "" and " " (blank quoted phrases).
//   terms       ERROR  "INTERNAL SERVER ERROR"  ?WARN ?ERROR  -DEBUG  %regex%
//               Case-sensitive substring matches. Every plain term must occur, no -term may
//               occur, and when ?terms are present at least one must occur. "quoted" phrases
//               may hold spaces and \" or \\ escapes; an unquoted term runs to the next blank.
//   JSON        { $.level = "ERROR" && ($.latency > 500 || $.user.roles[0] = admin*) }
//               Selectors: $ then .name (letters, digits, '-', '_') and [index] steps, the
//               first a .name. Comparisons: = and != against a string (quoted or not; a leading
//               and/or trailing * is a wildcard, an inner * is literal), a number, or %regex%;
//               < <= > >= against a number; IS TRUE, IS FALSE, IS NULL, NOT EXISTS. && binds
//               tighter than ||; parentheses group. A comparison only holds for a string or
//               number value (never for an object, array, boolean, null or a missing value, so
//               != is false there too); a number literal compares numerically with a number or
//               with a string that is entirely a number. Messages that are not a JSON object
//               (or that nlohmann rejects, e.g. for a number out of range) never match.
//   delimited   [ip, user, ..., status = 4* || status = 5*, bytes > 1000]
//               The message is split at blanks; text in [...] or "..." is one field (without the
//               brackets or quotes). Each slot is a name, an empty slot, ... (any number of
//               fields), or conditions (the comparisons above) joined with && and ||; a
//               condition may name another slot of the pattern. Without ... the field count must
//               equal the slot count. With two or more ..., a condition may only test its own
//               slot (an alignment is then searched in time proportional to slots x fields).
// Regexes match anywhere in the text (anchor with ^ and $). They run on RE2 (linear time) and
// follow CloudWatch's allowed set: ASCII letters, digits, blanks, : _ # = @ / ; , - and the
// operators ^ $ ? [ ] { } | \ * + . ; no ( ), no multi-byte characters, at most two per pattern.
// Not supported (InvalidArgument): $.* or other wildcard selectors, quoted or dotted key names in
// selectors, EXISTS without NOT, IS on literals.
//
//   CK_ASSIGN_OR_RETURN(FilterPattern pattern, FilterPattern::Parse("{ $.level = \"ERROR\" }"));
//   for (const auto& event : events) if (pattern.Matches(event.message)) ...
//   if (auto trace = pattern.TraceIdEquality()) ...use the trace index, then still Matches...
//
// Failure: Parse returns InvalidArgument "Invalid filter pattern: <what> at position <n>" (1-based)
// for malformed text, patterns over kMaxFilterPatternBytes bytes or nested deeper than
// kMaxFilterPatternNesting parentheses; nothing throws, and Matches accepts any bytes.
// Thread-safety: immutable after Parse; copies share the compiled pattern; Matches may be called
// concurrently. JSON patterns parse the message (nlohmann) once per call.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ck::collector::logs {

namespace filter_pattern_internal {
struct Program;
}  // namespace filter_pattern_internal

inline constexpr size_t kMaxFilterPatternBytes = 1024;  // FilterLogEvents' filterPattern limit
inline constexpr int kMaxFilterPatternNesting = 32;
inline constexpr int kMaxFilterPatternRegexes = 2;

class FilterPattern {
 public:
  // The empty pattern: matches every message.
  FilterPattern();

  static Result<FilterPattern> Parse(std::string_view text);

  bool Matches(std::string_view message) const;

  // The value when the whole pattern is exactly { $.trace_id = "<value>" } (quoted or not, no
  // wildcard), so a store can look the trace up in its index; the value is returned as written.
  std::optional<std::string> TraceIdEquality() const;

  // True for the empty pattern and blank phrases: every message matches.
  bool MatchesEverything() const;

  const std::string& text() const;

 private:
  explicit FilterPattern(std::shared_ptr<const filter_pattern_internal::Program> program);
  std::shared_ptr<const filter_pattern_internal::Program> program_;
};

}  // namespace ck::collector::logs
