// Lexer for X-Ray filter expressions (private to collector/query).
//
// Splits the text into tokens with byte offsets. Words may contain dots ("http.url",
// "annotation.account"); "annotation[key]" and "annotation.key" become one kAnnotation token
// whose `text` is the key. String literals use double quotes with JSON escapes (\" \\ \/ \b \f
// \n \r \t \uXXXX) and are decoded into `text`. Numbers are decimal, optionally negative, with an
// optional fraction and exponent. Keywords are kWord tokens that the parser matches
// case-insensitively.
//
//   CK_ASSIGN_OR_RETURN(std::vector<FilterToken> tokens, TokenizeFilter("ok AND duration < 3"));
//
// Failure: InvalidArgument naming the 1-based position for an unterminated string, a bad escape,
// a malformed number or a character that starts no token.
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::collector {

enum class FilterTokenKind {
  kWord,        // [A-Za-z_][A-Za-z0-9_.]*
  kAnnotation,  // annotation.key or annotation[key]; text = key
  kString,      // text = decoded value
  kNumber,      // number = value
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kComma,
  kColon,
  kEqual,           // =
  kNotEqual,        // !=
  kLess,            // <
  kLessOrEqual,     // <=
  kGreater,         // >
  kGreaterOrEqual,  // >=
  kBang,            // !
  kAndAnd,          // &&
  kOrOr,            // ||
  kEnd,             // always last
};

struct FilterToken {
  FilterTokenKind kind;
  size_t begin;  // byte offsets into the text
  size_t end;
  std::string text;  // kWord: as written; kAnnotation: key; kString: decoded
  double number = 0;
};

Result<std::vector<FilterToken>> TokenizeFilter(std::string_view text);

// "Invalid filter expression: <what> at position <offset + 1>".
Status FilterSyntaxError(std::string_view what, size_t offset);

// Case-insensitive ASCII comparison.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace ck::collector
