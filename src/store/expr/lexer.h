// Lexer shared by every DynamoDB expression kind.
//
// Splits expression text into tokens with their byte offsets, which the parsers need to build
// DynamoDB's syntax error messages ("token: \"x\", near: \"a x b\""). Lexing never fails: a byte
// that starts no token (or a lone '#' or ':') becomes a kInvalid token covering one UTF-8
// character, and the parser reports the syntax error when it reaches it. Keywords (AND, SET, ...)
// are kIdentifier tokens; parsers recognise them by context, case-insensitively.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace ck::store::expr {

enum class TokenKind {
  kIdentifier,        // [A-Za-z_][A-Za-z0-9_]*
  kNamePlaceholder,   // #[A-Za-z0-9_]+
  kValuePlaceholder,  // :[A-Za-z0-9_]+
  kNumber,            // [0-9]+ (list indexes)
  kDot,
  kComma,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kEqual,
  kNotEqual,  // <>
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kPlus,
  kMinus,
  kInvalid,
  kEnd,  // always the last token; empty, placed right after the previous token
};

struct Token {
  TokenKind kind;
  size_t begin;  // byte offsets into the expression text
  size_t end;
};

// Tokenises `text`; the result always ends with exactly one kEnd token.
std::vector<Token> Tokenize(std::string_view text);

// True for comparison operator tokens (=, <>, <, <=, >, >=).
bool IsComparator(TokenKind kind);

}  // namespace ck::store::expr
