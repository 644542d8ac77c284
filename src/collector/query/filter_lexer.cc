#include "collector/query/filter_lexer.h"

#include <fmt/format.h>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace ck::collector {
namespace {

bool IsWordStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) { return IsWordStart(c) || IsDigit(c) || c == '.'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<FilterToken>> Run() {
    std::vector<FilterToken> tokens;
    while (true) {
      while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
      if (pos_ >= text_.size()) break;
      FilterToken token{FilterTokenKind::kEnd, pos_, pos_, {}, 0};
      CK_RETURN_IF_ERROR(Next(token));
      token.end = pos_;
      tokens.push_back(std::move(token));
    }
    tokens.push_back({FilterTokenKind::kEnd, text_.size(), text_.size(), {}, 0});
    return tokens;
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  Status Next(FilterToken& token) {
    char c = text_[pos_];
    if (IsWordStart(c)) return Word(token);
    if (IsDigit(c) || (c == '-' && IsDigit(Peek(1)))) return Number(token);
    if (c == '"') {
      token.kind = FilterTokenKind::kString;
      return String(token.text);
    }
    auto single = [&](FilterTokenKind kind, size_t length = 1) {
      token.kind = kind;
      pos_ += length;
      return Status::Ok();
    };
    switch (c) {
      case '(':
        return single(FilterTokenKind::kLeftParen);
      case ')':
        return single(FilterTokenKind::kRightParen);
      case '{':
        return single(FilterTokenKind::kLeftBrace);
      case '}':
        return single(FilterTokenKind::kRightBrace);
      case ',':
        return single(FilterTokenKind::kComma);
      case ':':
        return single(FilterTokenKind::kColon);
      case '=':
        if (Peek(1) == '=') return FilterSyntaxError("'==' is not an operator, use '='", pos_);
        return single(FilterTokenKind::kEqual);
      case '!':
        if (Peek(1) == '=') return single(FilterTokenKind::kNotEqual, 2);
        return single(FilterTokenKind::kBang);
      case '<':
        if (Peek(1) == '=') return single(FilterTokenKind::kLessOrEqual, 2);
        if (Peek(1) == '>') return FilterSyntaxError("'<>' is not an operator, use '!='", pos_);
        return single(FilterTokenKind::kLess);
      case '>':
        if (Peek(1) == '=') return single(FilterTokenKind::kGreaterOrEqual, 2);
        return single(FilterTokenKind::kGreater);
      case '&':
        if (Peek(1) == '&') return single(FilterTokenKind::kAndAnd, 2);
        return FilterSyntaxError("expected '&&' or AND", pos_);
      case '|':
        if (Peek(1) == '|') return single(FilterTokenKind::kOrOr, 2);
        return FilterSyntaxError("expected '||' or OR", pos_);
      case '\'':
        return FilterSyntaxError("string values use double quotes, not single quotes", pos_);
      default:
        break;
    }
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) {
      return FilterSyntaxError(fmt::format("unexpected byte 0x{:02X}", byte), pos_);
    }
    return FilterSyntaxError(fmt::format("unexpected character '{}'", c), pos_);
  }

  Status Word(FilterToken& token) {
    size_t begin = pos_;
    while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
    std::string_view word = text_.substr(begin, pos_ - begin);
    token.kind = FilterTokenKind::kWord;
    token.text = std::string(word);
    constexpr std::string_view kAnnotation = "annotation";
    if (word.size() > kAnnotation.size() + 1 &&
        EqualsIgnoreCase(word.substr(0, kAnnotation.size() + 1), "annotation.")) {
      token.kind = FilterTokenKind::kAnnotation;
      token.text = std::string(word.substr(kAnnotation.size() + 1));
    } else if (EqualsIgnoreCase(word, kAnnotation) && Peek() == '[') {
      token.kind = FilterTokenKind::kAnnotation;
      return BracketKey(token.text);
    }
    return Status::Ok();
  }

  // annotation[key] or annotation["key"]; pos_ is on '['.
  Status BracketKey(std::string& key) {
    size_t open = pos_++;
    key.clear();
    if (Peek() == '"') {
      CK_RETURN_IF_ERROR(String(key));
    } else {
      size_t begin = pos_;
      while (pos_ < text_.size() && text_[pos_] != ']' && !IsSpace(text_[pos_]) &&
             text_[pos_] != '"') {
        ++pos_;
      }
      key = std::string(text_.substr(begin, pos_ - begin));
    }
    if (Peek() != ']') return FilterSyntaxError("expected ']' after the annotation key", pos_);
    ++pos_;
    if (key.empty()) return FilterSyntaxError("empty annotation key", open);
    return Status::Ok();
  }

  Status Number(FilterToken& token) {
    size_t begin = pos_;
    if (Peek() == '-') ++pos_;
    while (IsDigit(Peek())) ++pos_;
    if (Peek() == '.') {
      ++pos_;
      if (!IsDigit(Peek())) return FilterSyntaxError("expected a digit after '.'", pos_);
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) return FilterSyntaxError("expected a digit in the exponent", pos_);
      while (IsDigit(Peek())) ++pos_;
    }
    if (IsWordChar(Peek())) {
      while (IsWordChar(Peek())) ++pos_;
      return FilterSyntaxError(
          fmt::format("invalid number '{}'", text_.substr(begin, pos_ - begin)), begin);
    }
    std::string_view digits = text_.substr(begin, pos_ - begin);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), token.number);
    if (error != std::errc() || end != digits.data() + digits.size() ||
        !std::isfinite(token.number)) {
      return FilterSyntaxError(fmt::format("number '{}' is out of range", digits), begin);
    }
    token.kind = FilterTokenKind::kNumber;
    return Status::Ok();
  }

  // A double-quoted string; pos_ is on the opening quote.
  Status String(std::string& out) {
    size_t open = pos_++;
    while (true) {
      if (pos_ >= text_.size()) return FilterSyntaxError("unterminated string", open);
      char c = text_[pos_++];
      if (c == '"') return Status::Ok();
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return FilterSyntaxError("unterminated string", open);
      char escaped = text_[pos_++];
      switch (escaped) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t code_point = 0;
          for (int i = 0; i < 4; ++i) {
            int digit = HexValue(Peek());
            if (digit < 0) {
              return FilterSyntaxError("expected 4 hex digits after '\\u'", pos_);
            }
            code_point = code_point * 16 + static_cast<uint32_t>(digit);
            ++pos_;
          }
          if (code_point >= 0xD800 && code_point <= 0xDFFF) {
            return FilterSyntaxError("surrogate code points are not allowed in '\\u' escapes",
                                     pos_ - 6);
          }
          AppendUtf8(code_point, out);
          break;
        }
        default:
          return FilterSyntaxError(fmt::format("invalid escape '\\{}' in string", escaped),
                                   pos_ - 2);
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<FilterToken>> TokenizeFilter(std::string_view text) { return Lexer(text).Run(); }

Status FilterSyntaxError(std::string_view what, size_t offset) {
  return InvalidArgument(
      fmt::format("Invalid filter expression: {} at position {}", what, offset + 1));
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace ck::collector
