// Tokenizer for Logs Insights queries: turns the query text into tokens for query_parser.
//
//   CK_ASSIGN_OR_RETURN(std::vector<Token> tokens, TokenizeQuery("filter level = 'error'"));
//
// Tokens: identifiers (letters, digits, _, @ and . — `items.0.id`, @timestamp), backtick-quoted
// field names, '...' and "..." strings (backslash escapes \\ \' \" \n \t \r; other backslashes
// are kept), numbers, periods (`5m`, `1h`, a number directly followed by a unit), regular
// expressions /.../ (only after like, =~ and parse's field, where '/' cannot mean division; \/
// stands for /), punctuation and operators. `#` starts a comment up to the end of the line.
// Keywords are identifiers; the parser matches them ignoring case.
//
// Failure: InvalidArgument "unexpected symbol found X at line L and position P" for a character
// that starts no token, and "unterminated ..." for an open string, regex or backtick name.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::collector::insights {

enum class TokenKind : uint8_t {
  kEnd,
  kIdentifier,
  kQuotedField,  // `...`
  kString,
  kNumber,
  kPeriod,  // 5m
  kRegex,
  kPipe,
  kComma,
  kLeftParen,
  kRightParen,
  kLeftBracket,
  kRightBracket,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kCaret,
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kMatch,  // =~
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // decoded value for strings, regexes and quoted fields; source otherwise
  size_t offset = 0;  // byte offset of the token in the query
  size_t end = 0;     // byte offset just past it
  double number = 0;  // kNumber
};

// The last token is always kEnd.
Result<std::vector<Token>> TokenizeQuery(std::string_view text);

// "at line L and position P" for a byte offset (1-based, positions count code points).
std::string DescribePosition(std::string_view text, size_t offset);

}  // namespace ck::collector::insights
