// Terminal text: the small pieces the verbs use to print tables and numbers on a terminal:
// making untrusted text safe to print, measuring and truncating it by code points, an aligned
// text table with optional ANSI colour, compact durations, window lengths and clock times, and
// parsing a lookback such as "5m" or "1h30m".
//
//   CK_ASSIGN_OR_RETURN(double since, ParseLookback(flags.since));   // "1h30m" -> 5400
//   TextTable table({Align::kLeft, Align::kRight});
//   table.AddRow({{"NAME", "\x1b[1m"}, {"P99", "\x1b[1m"}});
//   table.AddRow({{Truncate(TerminalSafe(name), 60)}, {FormatSeconds(0.0123)}});   // "12.3ms"
//   std::fputs(table.Render(/*color=*/isatty(1)).c_str(), stdout);
//
// Widths are counted in code points (DisplayWidth), which lines columns up for the text
// TerminalSafe lets through apart from wide (East Asian) and combining characters. Everything
// that goes into a TextTable is passed through TerminalSafe, so control characters in data can
// neither move the cursor nor change colours.
//
// Thread-safety: pure functions; a TextTable is a value type (synchronise externally when
// shared). Failure modes: ParseLookback returns InvalidArgument for anything but a positive
// duration; the formatters never fail ("-" for times they cannot show).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ck::cli {

// "0.40ms", "12.3ms", "1.25s", "2m05s": a duration in seconds for a table cell.
std::string FormatSeconds(double seconds);
// "30s", "5m", "1h30m": a window length.
std::string FormatWindow(double seconds);
// "14:05:01.123" (with_millis) or "14:05:01" for an epoch time.
std::string FormatClock(double epoch_seconds, bool utc, bool with_millis);
// `text` safe to print on a terminal: control characters and invalid UTF-8 become '?'.
std::string TerminalSafe(std::string_view text);
// Display width of terminal-safe text: its number of code points.
size_t DisplayWidth(std::string_view text);
// "30s", "5m", "2h", "1h30m" -> seconds. InvalidArgument for anything else or zero.
Result<double> ParseLookback(std::string_view text);

// `text` (terminal-safe) cut to at most `max_width` code points, ending in "..." when cut. Text
// that fits, or a `max_width` of 3 or less, is returned unchanged.
std::string Truncate(const std::string& text, size_t max_width);
// 100 * count / total with one decimal ("12.5"), "-" when total is 0.
std::string Percent(uint64_t count, uint64_t total);

enum class Align { kLeft, kRight };

struct Cell {
  std::string text;
  const char* color = nullptr;  // ANSI SGR sequence such as "\x1b[31m", or none
};

// Columns padded to their widest cell, two spaces apart, no trailing spaces. Raw lines (causes,
// blank separators) are printed as they are, between the rows. Rows with fewer cells than
// columns are padded with empty cells; extra cells are dropped.
class TextTable {
 public:
  explicit TextTable(std::vector<Align> align) : align_(std::move(align)) {}

  void AddRow(std::vector<Cell> cells);
  void AddLine(const std::string& text, const char* color = nullptr);

  // The table, one '\n'-terminated line per row or raw line; colours only when `color`.
  std::string Render(bool color) const;

 private:
  struct Line {
    std::vector<Cell> cells;
    std::optional<Cell> raw;
  };

  std::vector<Align> align_;
  std::vector<Line> lines_;
};

}  // namespace ck::cli
