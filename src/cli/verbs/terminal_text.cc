#include "cli/verbs/terminal_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>

namespace ck::cli {
namespace {

constexpr const char* kReset = "\x1b[0m";

std::string Paint(const std::string& text, const char* code, bool color) {
  if (!color || code == nullptr || text.empty()) return text;
  return code + text + kReset;
}

}  // namespace

std::string FormatSeconds(double seconds) {
  if (!(seconds > 0)) seconds = 0;
  if (seconds < 0.00099995) return fmt::format("{:.2f}ms", seconds * 1000);
  if (seconds < 0.99995) return fmt::format("{:.1f}ms", seconds * 1000);
  if (seconds < 59.995) return fmt::format("{:.2f}s", seconds);
  const long long whole = std::llround(seconds);
  return fmt::format("{}m{:02}s", whole / 60, whole % 60);
}

std::string FormatWindow(double seconds) {
  const long long whole = std::isfinite(seconds) && seconds > 0 ? std::llround(seconds) : 0;
  std::string text;
  if (whole >= 3600) text += fmt::format("{}h", whole / 3600);
  if (whole % 3600 >= 60) text += fmt::format("{}m", whole % 3600 / 60);
  if (whole % 60 != 0 || text.empty()) text += fmt::format("{}s", whole % 60);
  return text;
}

std::string FormatClock(double epoch_seconds, bool utc, bool with_millis) {
  if (!std::isfinite(epoch_seconds) || epoch_seconds < 0) return "-";
  double whole = std::floor(epoch_seconds);
  int millis = static_cast<int>(std::lround((epoch_seconds - whole) * 1000));
  if (millis >= 1000) {
    whole += 1;
    millis = 0;
  }
  const std::time_t time = static_cast<std::time_t>(whole);
  std::tm parts{};
  if ((utc ? gmtime_r(&time, &parts) : localtime_r(&time, &parts)) == nullptr) return "-";
  if (!with_millis)
    return fmt::format("{:02}:{:02}:{:02}", parts.tm_hour, parts.tm_min, parts.tm_sec);
  return fmt::format("{:02}:{:02}:{:02}.{:03}", parts.tm_hour, parts.tm_min, parts.tm_sec, millis);
}

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      out += lead < 0x20 || lead == 0x7f ? '?' : static_cast<char>(lead);
      ++i;
      continue;
    }
    size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                    : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                   : 0;
    bool valid = length != 0 && i + length <= text.size();
    uint32_t code_point = length == 2 ? lead & 0x1F : length == 3 ? lead & 0x0F : lead & 0x07;
    for (size_t k = 1; valid && k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates, values above U+10FFFF and C1 controls are not printed.
    valid = valid && !(length == 3 && code_point < 0x800) &&
            !(length == 4 && (code_point < 0x10000 || code_point > 0x10FFFF)) &&
            !(code_point >= 0xD800 && code_point <= 0xDFFF) &&
            !(code_point >= 0x80 && code_point <= 0x9F);
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Result<double> ParseLookback(std::string_view text) {
  const std::string problem =
      fmt::format("expected a duration such as 30s, 5m, 2h or 1h30m, got '{}'", text);
  double total = 0;
  size_t i = 0;
  if (text.empty()) return InvalidArgument(problem);
  while (i < text.size()) {
    const size_t number_start = i;
    while (i < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
      ++i;
    }
    if (i == number_start || i == text.size()) return InvalidArgument(problem);
    double value = 0;
    try {
      size_t used = 0;
      const std::string number(text.substr(number_start, i - number_start));
      value = std::stod(number, &used);
      if (used != number.size()) return InvalidArgument(problem);
    } catch (...) {
      return InvalidArgument(problem);
    }
    const char unit = text[i++];
    const double scale = unit == 's'   ? 1
                         : unit == 'm' ? 60
                         : unit == 'h' ? 3600
                         : unit == 'd' ? 86400
                                       : 0;
    if (scale == 0) return InvalidArgument(problem);
    total += value * scale;
  }
  if (!(total > 0) || !std::isfinite(total)) return InvalidArgument(problem);
  return total;
}

std::string Truncate(const std::string& text, size_t max_width) {
  if (DisplayWidth(text) <= max_width || max_width <= 3) return text;
  size_t kept = 0;
  size_t byte = 0;
  while (byte < text.size()) {
    size_t next = byte + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    if (kept + 1 > max_width - 3) break;
    ++kept;
    byte = next;
  }
  return text.substr(0, byte) + "...";
}

std::string Percent(uint64_t count, uint64_t total) {
  if (total == 0) return "-";
  return fmt::format("{:.1f}", 100.0 * static_cast<double>(count) / static_cast<double>(total));
}

void TextTable::AddRow(std::vector<Cell> cells) {
  for (Cell& cell : cells) cell.text = TerminalSafe(cell.text);
  cells.resize(align_.size());
  lines_.push_back({std::move(cells), std::nullopt});
}

void TextTable::AddLine(const std::string& text, const char* color) {
  lines_.push_back({{}, Cell{TerminalSafe(text), color}});
}

std::string TextTable::Render(bool color) const {
  std::vector<size_t> widths(align_.size(), 0);
  for (const Line& line : lines_) {
    for (size_t i = 0; i < line.cells.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(line.cells[i].text));
    }
  }
  std::string out;
  for (const Line& line : lines_) {
    std::string text;
    if (line.raw) {
      text = Paint(line.raw->text, line.raw->color, color);
    } else {
      for (size_t i = 0; i < line.cells.size(); ++i) {
        const Cell& cell = line.cells[i];
        const std::string padding(widths[i] - DisplayWidth(cell.text), ' ');
        const std::string painted = Paint(cell.text, cell.color, color);
        if (i > 0) text += "  ";
        text += align_[i] == Align::kRight ? padding + painted : painted + padding;
      }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  }
  return out;
}

}  // namespace ck::cli
