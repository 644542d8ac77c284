// Value: one typed cell of the Logs Insights engine — absent (a missing field or JSON null), a
// number, a string, a boolean or a timestamp — and the type rules Insights applies to it.
//
// A Value borrows its text (from the event, the parsed JSON, the query or a Scratch arena); a
// Cell owns it, for rows and aggregates that outlive one event.
//
//   Value status = fields.Get(slot);                      // JSON 503 -> kNumber
//   if (CompareValues(status, Value::String("500")) ...   // numeric-looking strings compare as
//   numbers std::string text = Render(status);                    // "503"
//
// Rules (docs/logs-insights.md): numbers, booleans (1/0), timestamps (ms) and strings that are
// entirely a decimal number are numeric; comparisons and arithmetic use the numeric value when
// both sides have one and the text otherwise; an absent operand makes every comparison false.
// Sorting follows Insights' natural order (SortCompare). Numbers render in shortest round-trip
// form, booleans as 1/0, timestamps as "YYYY-MM-DD hh:mm:ss.SSS" (UTC).
//
// Thread-safety: values; a Scratch belongs to one run.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace ck::collector::insights {

enum class ValueKind : uint8_t { kAbsent, kNumber, kString, kBool, kTimestamp };

struct Value {
  ValueKind kind = ValueKind::kAbsent;
  bool boolean = false;   // kBool
  double number = 0;      // kNumber
  int64_t millis = 0;     // kTimestamp
  std::string_view text;  // kString

  static Value Absent() { return Value(); }
  static Value Number(double n) {
    Value v;
    v.kind = ValueKind::kNumber;
    v.number = n;
    return v;
  }
  static Value String(std::string_view s) {
    Value v;
    v.kind = ValueKind::kString;
    v.text = s;
    return v;
  }
  static Value Bool(bool b) {
    Value v;
    v.kind = ValueKind::kBool;
    v.boolean = b;
    return v;
  }
  static Value Timestamp(int64_t ms) {
    Value v;
    v.kind = ValueKind::kTimestamp;
    v.millis = ms;
    return v;
  }
  bool present() const { return kind != ValueKind::kAbsent; }
};

// An owned Value.
struct Cell {
  ValueKind kind = ValueKind::kAbsent;
  bool boolean = false;
  double number = 0;
  int64_t millis = 0;
  std::string text;

  static Cell From(const Value& value);
  Value view() const;
  bool present() const { return kind != ValueKind::kAbsent; }
};

// Strings computed while evaluating one event or row. Reset() makes every earlier view invalid
// but keeps the memory, so steady-state evaluation allocates nothing.
class Scratch {
 public:
  // A cleared string whose address stays valid until Reset().
  std::string& Next();
  std::string_view Keep(std::string_view text);
  void Reset() { used_ = 0; }

 private:
  std::deque<std::string> strings_;
  size_t used_ = 0;
};

// The numeric value, if the value has one (see the rules above).
std::optional<double> NumericValue(const Value& value);
// Whole-string decimal number ("42", "-1.5", "2e3"); no spaces, no inf/nan, no hex.
std::optional<double> ParseNumber(std::string_view text);

// The rendered text (absent renders as "").
void AppendRendered(const Value& value, std::string* out);
std::string Render(const Value& value);
// The text of a string value, or its rendering in `scratch` for the other kinds.
std::string_view TextOf(const Value& value, Scratch& scratch);
void AppendNumber(double number, std::string* out);

// Truthiness for filter: booleans, non-zero numbers, present timestamps, numeric strings that
// are non-zero and the string "true" (any case).
bool Truthy(const Value& value);

// `=`: false when either side is absent.
bool ValuesEqual(const Value& a, const Value& b);
// <0, 0, >0 for `<`-style comparisons; nullopt when either side is absent.
std::optional<int> CompareValues(const Value& a, const Value& b);

// Insights' sort order (ascending): every non-number before every number; numbers by value;
// other values by natural order — runs of digits compare by length then value, other runs by
// code point. Absent values are not ordered here (callers put them last).
int SortCompare(const Value& a, const Value& b);
int NaturalCompare(std::string_view a, std::string_view b);

}  // namespace ck::collector::insights
