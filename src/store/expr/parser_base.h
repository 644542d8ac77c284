// ParserBase: what every expression parser shares (private to store/expr).
//
// Holds the token cursor over one expression, builds DynamoDB's syntax error message for the
// token where parsing stopped, resolves '#name' and ':value' placeholders through the
// ExpressionContext, parses document paths, and collects semantic errors.
//
// DynamoDB reports a syntax error before anything else; semantic errors (reserved words,
// undefined placeholders, bad operands, ...) are collected while parsing and the one reported is
// the first recorded error of the highest-priority kind, where each expression kind has its own
// priority order. All messages come back as kInvalidArgument "Invalid <kind>: <message>".
//
// Thread-safety: one parser per thread; the ExpressionContext is mutated (placeholders used).
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/attribute_value.h"
#include "store/expr/expression.h"
#include "store/expr/lexer.h"

namespace ck::store::expr {

enum class ErrorKind {
  kTooManyOperators,
  kRedundantParentheses,
  kUnknownFunction,
  kMisusedFunction,
  kReservedWord,
  kSection,
  kUndefinedName,
  kUndefinedValue,
  kPathOverlap,
  kPathConflict,
  kOperandCount,
  kDistinctOperands,
  kOperandType,
  kFunction,
};

// DynamoDB's limit on the expression text, in bytes.
inline constexpr size_t kMaxExpressionBytes = 4096;

class ParserBase {
 protected:
  // `kind` names the request parameter in messages; `error_order` ranks semantic error kinds
  // (kinds not listed rank last).
  ParserBase(std::string_view text, ExpressionContext& context, std::string_view kind,
             std::vector<ErrorKind> error_order);

  // "Invalid <kind>: <message>".
  Status Invalid(std::string_view message) const;
  // The checks DynamoDB makes before parsing: empty text and the size limit.
  Status CheckText() const;
  // The syntax error for the current token.
  Status SyntaxError() const;
  // The recorded semantic error to report, or OK.
  Status RecordedError() const;
  // Records `message` unless an error of this kind was recorded already.
  void Record(ErrorKind kind, std::string message);

  const Token& Peek(size_t ahead = 0) const;
  // The token at absolute index `index` (clamped to the kEnd token).
  const Token& TokenAt(size_t index) const;
  bool At(TokenKind kind) const { return Peek().kind == kind; }
  // True when the current token is an identifier equal to `keyword`, ignoring ASCII case.
  bool AtKeyword(std::string_view keyword) const;
  void Advance() {
    if (position_ + 1 < tokens_.size()) ++position_;
  }
  Status Expect(TokenKind kind);
  std::string_view TextOf(const Token& token) const;
  std::string_view CurrentText() const { return TextOf(Peek()); }
  size_t position() const { return position_; }

  // Parses a document path. Identifiers that IsKeyword() accepts are syntax errors; other
  // reserved words are recorded as kReservedWord. `undefined_name_kind` is the kind recorded for
  // an undefined '#name'.
  Result<Path> ParsePath(ErrorKind undefined_name_kind = ErrorKind::kUndefinedName);
  // Resolves the ':value' placeholder at the current token (which must be one) and advances.
  // An undefined placeholder is recorded as `undefined_kind` and yields NULL.
  AttributeValue ParseValue(ErrorKind undefined_kind = ErrorKind::kUndefinedValue);

  // Index of the ')' closing the '(' at token `open`, or 0 when unbalanced.
  size_t MatchingParen(size_t open) const { return matching_paren_[open]; }
  // Records kRedundantParentheses when the '(' at the current token directly wraps another
  // parenthesised group: "((x))".
  void CheckRedundantParentheses();

  // Words that end a path or start a clause in this expression kind (e.g. AND, SET).
  virtual bool IsKeyword(std::string_view word) const;

  // Recursion guard: fails with a syntax error beyond a nesting depth no real expression needs,
  // so that hostile input cannot exhaust the stack.
  class DepthGuard {
   public:
    explicit DepthGuard(ParserBase& parser) : parser_(parser) { ++parser_.depth_; }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;
    Status Check() const;

   private:
    ParserBase& parser_;
  };

  virtual ~ParserBase() = default;

 private:
  std::string_view text_;
  ExpressionContext& context_;
  std::string kind_;
  std::vector<Token> tokens_;
  std::vector<size_t> matching_paren_;
  size_t position_ = 0;
  size_t depth_ = 0;
  std::vector<ErrorKind> error_order_;
  std::map<ErrorKind, std::string> errors_;
};

// True when `a` equals `b` ignoring ASCII case.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

// DynamoDB's rendering of a literal value in messages ("{N:5}" without the braces: "N:5").
std::string ValueForMessage(const AttributeValue& value);

}  // namespace ck::store::expr
