// libFuzzer target for CloudWatch Logs filter patterns (src/collector/logs/filter_pattern.h).
//
// Input: the first line is the pattern, the rest (after the newline) the log event message.
// Whatever parses is matched against the message, against the message with blanks collapsed,
// and against a small JSON object. Beyond "no crash, no hang, no sanitizer report", the target
// checks invariants: every error is InvalidArgument "Invalid filter pattern: ...", matching is
// deterministic and the same through a copy, a pattern that matches everything matches every
// message, a JSON pattern never matches a message that does not start with '{', and when
// TraceIdEquality() names a value, the event {"trace_id": value} matches.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "collector/logs/filter_pattern.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

namespace {

using ck::collector::logs::FilterPattern;

void CheckMatches(const FilterPattern& pattern, const FilterPattern& copy,
                  std::string_view message) {
  bool match = pattern.Matches(message);
  Check(pattern.Matches(message) == match);
  Check(copy.Matches(message) == match);
  if (pattern.MatchesEverything()) Check(match);
  std::string_view text = pattern.text();
  size_t first = text.find_first_not_of(" \t\r\n");
  size_t message_first = message.find_first_not_of(" \t\r\n");
  bool json_pattern = first != std::string_view::npos && text[first] == '{';
  bool json_message = message_first != std::string_view::npos && message[message_first] == '{';
  if (json_pattern && !json_message) Check(!match);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string_view text = input.substr(0, newline);
  std::string_view message =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);

  auto pattern = FilterPattern::Parse(text);
  if (!pattern.ok()) {
    Check(pattern.status().code() == ck::StatusCode::kInvalidArgument);
    Check(std::string_view(pattern.status().message()).starts_with("Invalid filter pattern: "));
    return 0;
  }
  Check(pattern->text() == text);
  FilterPattern copy = *pattern;
  CheckMatches(*pattern, copy, message);
  std::string collapsed;
  for (char c : message) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed.push_back(c);
  }
  CheckMatches(*pattern, copy, collapsed);
  CheckMatches(*pattern, copy, R"({"level":"ERROR","latency":700,"ids":[1,2],"ok":true})");

  if (std::optional<std::string> trace_id = pattern->TraceIdEquality()) {
    Check(!trace_id->empty());
    std::string event;
    try {
      event = nlohmann::json{{"trace_id", *trace_id}}.dump();
    } catch (const nlohmann::json::exception&) {
      return 0;  // not valid UTF-8, so no JSON event can carry it
    }
    Check(pattern->Matches(event));
  }
  return 0;
}
