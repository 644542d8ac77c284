#include "collector/insights/query_lexer.h"

#include <charconv>

namespace ck::collector::insights {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsIdentifierStart(char c) { return IsLetter(c) || c == '_' || c == '@'; }
bool IsIdentifierPart(char c) { return IsIdentifierStart(c) || IsDigit(c) || c == '.'; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

// One whole UTF-8 character (or one byte if malformed), for error messages.
std::string_view CharacterAt(std::string_view text, size_t offset) {
  const auto lead = static_cast<unsigned char>(text[offset]);
  size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (offset + length > text.size()) length = 1;
  return text.substr(offset, length);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= text_.size()) break;
      Status status = Next();
      if (!status.ok()) return status;
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.offset = end.end = text_.size();
    tokens_.push_back(std::move(end));
    return std::move(tokens_);
  }

 private:
  void SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Status Error(const std::string& what, size_t offset) const {
    return InvalidArgument(what + " " + DescribePosition(text_, offset));
  }
  Status Unexpected(size_t offset) const {
    return Error("unexpected symbol found " + std::string(CharacterAt(text_, offset)), offset);
  }

  void Emit(TokenKind kind, size_t start, std::string text) {
    Token token;
    token.kind = kind;
    token.text = std::move(text);
    token.offset = start;
    token.end = pos_;
    tokens_.push_back(std::move(token));
  }

  bool IsKeyword(size_t from_end, std::string_view keyword) const {
    if (tokens_.size() < from_end) return false;
    const Token& token = tokens_[tokens_.size() - from_end];
    return token.kind == TokenKind::kIdentifier && EqualsIgnoringCase(token.text, keyword);
  }
  bool AtCommandStart(size_t index) const {
    return index == 0 || tokens_[index - 1].kind == TokenKind::kPipe;
  }
  // '/' starts a regular expression after like, =~, `parse` and `parse <field>`.
  bool RegexExpected() const {
    if (tokens_.empty()) return false;
    const Token& last = tokens_.back();
    if (last.kind == TokenKind::kMatch || IsKeyword(1, "like")) return true;
    if (IsKeyword(1, "parse") && AtCommandStart(tokens_.size() - 1)) return true;
    if ((last.kind == TokenKind::kIdentifier || last.kind == TokenKind::kQuotedField) &&
        IsKeyword(2, "parse") && AtCommandStart(tokens_.size() - 2)) {
      return true;
    }
    return false;
  }

  Status Next() {
    const size_t start = pos_;
    const char c = text_[pos_];
    if (IsIdentifierStart(c)) {
      while (pos_ < text_.size() && IsIdentifierPart(text_[pos_])) ++pos_;
      Emit(TokenKind::kIdentifier, start, std::string(text_.substr(start, pos_ - start)));
      return Status::Ok();
    }
    if (IsDigit(c) || (c == '.' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
      return Number();
    }
    switch (c) {
      case '\'':
      case '"':
        return Quoted(c, TokenKind::kString, "unterminated string literal");
      case '`':
        return Quoted('`', TokenKind::kQuotedField, "unterminated field name");
      case '/':
        if (RegexExpected()) return Regex();
        return Single(TokenKind::kSlash);
      case '|':
        return Single(TokenKind::kPipe);
      case ',':
        return Single(TokenKind::kComma);
      case '(':
        return Single(TokenKind::kLeftParen);
      case ')':
        return Single(TokenKind::kRightParen);
      case '[':
        return Single(TokenKind::kLeftBracket);
      case ']':
        return Single(TokenKind::kRightBracket);
      case '+':
        return Single(TokenKind::kPlus);
      case '-':
        return Single(TokenKind::kMinus);
      case '*':
        return Single(TokenKind::kStar);
      case '%':
        return Single(TokenKind::kPercent);
      case '^':
        return Single(TokenKind::kCaret);
      case '=':
        if (Peek(1) == '~') return Double(TokenKind::kMatch);
        return Single(TokenKind::kEqual);
      case '!':
        if (Peek(1) == '=') return Double(TokenKind::kNotEqual);
        return Unexpected(start);
      case '<':
        if (Peek(1) == '=') return Double(TokenKind::kLessEqual);
        return Single(TokenKind::kLess);
      case '>':
        if (Peek(1) == '=') return Double(TokenKind::kGreaterEqual);
        return Single(TokenKind::kGreater);
      default:
        return Unexpected(start);
    }
  }

  char Peek(size_t ahead) const { return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0'; }
  Status Single(TokenKind kind) {
    const size_t start = pos_++;
    Emit(kind, start, std::string(text_.substr(start, 1)));
    return Status::Ok();
  }
  Status Double(TokenKind kind) {
    const size_t start = pos_;
    pos_ += 2;
    Emit(kind, start, std::string(text_.substr(start, 2)));
    return Status::Ok();
  }

  Status Number() {
    const size_t start = pos_;
    bool integral = true;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    if (Peek(0) == '.' && IsDigit(Peek(1))) {
      integral = false;
      ++pos_;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if ((Peek(0) == 'e' || Peek(0) == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      integral = false;
      pos_ += 2;
      while (pos_ < text_.size() && IsDigit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && IsLetter(text_[pos_])) {
      // A period such as 5m: the unit is checked by the parser where periods are allowed.
      while (pos_ < text_.size() && IsLetter(text_[pos_])) ++pos_;
      if (!integral || (pos_ < text_.size() && IsIdentifierPart(text_[pos_]))) {
        return Error("invalid time period " + std::string(text_.substr(start, pos_ - start)),
                     start);
      }
      Emit(TokenKind::kPeriod, start, std::string(text_.substr(start, pos_ - start)));
      return Status::Ok();
    }
    if (pos_ < text_.size() && IsIdentifierPart(text_[pos_])) return Unexpected(pos_);
    double number = 0;
    auto [end, ec] = std::from_chars(text_.data() + start, text_.data() + pos_, number);
    if (ec != std::errc() || end != text_.data() + pos_) {
      return Error("invalid number " + std::string(text_.substr(start, pos_ - start)), start);
    }
    Emit(TokenKind::kNumber, start, std::string(text_.substr(start, pos_ - start)));
    tokens_.back().number = number;
    return Status::Ok();
  }

  Status Quoted(char quote, TokenKind kind, std::string_view unterminated) {
    const size_t start = pos_++;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        const char next = text_[pos_ + 1];
        if (kind == TokenKind::kQuotedField) {
          if (next == '`' || next == '\\') {
            value.push_back(next);
            pos_ += 2;
            continue;
          }
        } else {
          switch (next) {
            case '\\':
            case '\'':
            case '"':
              value.push_back(next);
              pos_ += 2;
              continue;
            case 'n':
              value.push_back('\n');
              pos_ += 2;
              continue;
            case 't':
              value.push_back('\t');
              pos_ += 2;
              continue;
            case 'r':
              value.push_back('\r');
              pos_ += 2;
              continue;
            default:
              break;
          }
        }
      }
      value.push_back(c);
      ++pos_;
    }
    if (pos_ >= text_.size()) return Error(std::string(unterminated), start);
    ++pos_;
    if (kind == TokenKind::kQuotedField && value.empty()) {
      return Error("empty field name", start);
    }
    Emit(kind, start, std::move(value));
    return Status::Ok();
  }

  Status Regex() {
    const size_t start = pos_++;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != '/') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
        if (text_[pos_ + 1] == '/') {
          value.push_back('/');
        } else {
          value.append(text_.substr(pos_, 2));
        }
        pos_ += 2;
        continue;
      }
      value.push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) return Error("unterminated regular expression", start);
    ++pos_;
    Emit(TokenKind::kRegex, start, std::move(value));
    return Status::Ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::vector<Token> tokens_;
};

}  // namespace

Result<std::vector<Token>> TokenizeQuery(std::string_view text) { return Lexer(text).Run(); }

std::string DescribePosition(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  size_t line = 1;
  size_t position = 1;
  for (size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      position = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++position;
    }
  }
  return "at line " + std::to_string(line) + " and position " + std::to_string(position);
}

}  // namespace ck::collector::insights
