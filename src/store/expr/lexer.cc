#include "store/expr/lexer.h"

namespace ck::store::expr {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameChar(char c) { return IsLetter(c) || IsDigit(c) || c == '_'; }

// Length of the UTF-8 character starting at text[i] (1 for stray or truncated bytes), so that an
// invalid token quoted in an error message is never a broken character.
size_t CharacterLength(std::string_view text, size_t i) {
  auto lead = static_cast<unsigned char>(text[i]);
  size_t length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF8 ? 4 : 1;
  if (i + length > text.size()) return 1;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 1;
  }
  return length;
}

size_t SkipNameChars(std::string_view text, size_t i) {
  while (i < text.size() && IsNameChar(text[i])) ++i;
  return i;
}

}  // namespace

bool IsComparator(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEqual:
    case TokenKind::kNotEqual:
    case TokenKind::kLess:
    case TokenKind::kLessOrEqual:
    case TokenKind::kGreater:
    case TokenKind::kGreaterOrEqual:
      return true;
    default:
      return false;
  }
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    size_t begin = i;
    TokenKind kind = TokenKind::kInvalid;
    size_t end = i + 1;
    if (IsLetter(c) || c == '_') {
      kind = TokenKind::kIdentifier;
      end = SkipNameChars(text, i);
    } else if (IsDigit(c)) {
      kind = TokenKind::kNumber;
      end = i;
      while (end < text.size() && IsDigit(text[end])) ++end;
    } else if (c == '#' || c == ':') {
      size_t name_end = SkipNameChars(text, i + 1);
      if (name_end > i + 1) {
        kind = c == '#' ? TokenKind::kNamePlaceholder : TokenKind::kValuePlaceholder;
        end = name_end;
      }
    } else if (c == '<') {
      kind = TokenKind::kLess;
      if (i + 1 < text.size() && text[i + 1] == '>') {
        kind = TokenKind::kNotEqual;
        end = i + 2;
      } else if (i + 1 < text.size() && text[i + 1] == '=') {
        kind = TokenKind::kLessOrEqual;
        end = i + 2;
      }
    } else if (c == '>') {
      kind = TokenKind::kGreater;
      if (i + 1 < text.size() && text[i + 1] == '=') {
        kind = TokenKind::kGreaterOrEqual;
        end = i + 2;
      }
    } else {
      switch (c) {
        case '.':
          kind = TokenKind::kDot;
          break;
        case ',':
          kind = TokenKind::kComma;
          break;
        case '(':
          kind = TokenKind::kLeftParen;
          break;
        case ')':
          kind = TokenKind::kRightParen;
          break;
        case '[':
          kind = TokenKind::kLeftBracket;
          break;
        case ']':
          kind = TokenKind::kRightBracket;
          break;
        case '=':
          kind = TokenKind::kEqual;
          break;
        case '+':
          kind = TokenKind::kPlus;
          break;
        case '-':
          kind = TokenKind::kMinus;
          break;
        default:
          end = i + CharacterLength(text, i);
          break;
      }
    }
    tokens.push_back(Token{kind, begin, end});
    i = end;
  }
  size_t last = tokens.empty() ? 0 : tokens.back().end;
  tokens.push_back(Token{TokenKind::kEnd, last, last});
  return tokens;
}

}  // namespace ck::store::expr
