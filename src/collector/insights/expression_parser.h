// ExpressionParser: the token cursor shared by the query parser and the recursive-descent parser
// for Logs Insights expressions (the operands of fields, filter, stats, sort and parse).
//
// Precedence, loosest first: or; and; not; comparisons (= != < <= > >=, [not] like, =~,
// [not] in [...]), which do not chain; + -; * / %; unary -; ^ (right-associative); then
// literals, fields, function calls and parentheses. Function names ignore case; their arity is
// checked here, and aggregate functions are accepted only where the caller allows them (stats
// items), never nested.
//
// Failure: every method returning Status/Result reports InvalidArgument with Insights' wording
// and "at line L and position P". Nesting is limited to kMaxExpressionDepth.
// Thread-safety: one parser per ParseQuery call.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "collector/insights/query_lexer.h"
#include "collector/insights/query_syntax.h"
#include "core/status.h"

namespace ck::collector::insights {

inline constexpr int kMaxExpressionDepth = 64;
// Operator chains (a + b + c ...) do not recurse while parsing but do when evaluated.
inline constexpr int kMaxExpressionHeight = 256;

class ExpressionParser {
 public:
  ExpressionParser(std::string_view text, std::vector<Token> tokens, std::vector<FieldSlot>* slots);

  // --- cursor ---------------------------------------------------------------------------------
  const Token& Peek(size_t ahead = 0) const;
  const Token& Advance();
  bool AtKeyword(std::string_view keyword, size_t ahead = 0) const;  // lower-case keyword
  bool ConsumeKeyword(std::string_view keyword);
  bool Consume(TokenKind kind);
  // Consumes a token of that kind or reports the one found.
  Status Expect(TokenKind kind);
  Status Unexpected(const Token& token) const;
  Status ErrorAt(size_t offset, const std::string& what) const;
  // The query text of [begin, end of the last consumed token), for column names.
  std::string_view SourceSince(size_t begin) const;

  // --- names ----------------------------------------------------------------------------------
  int InternSlot(std::string_view name);
  // An identifier that is not a keyword, or a `quoted` name.
  Result<int> ParseFieldName();

  // --- expressions ----------------------------------------------------------------------------
  Result<std::unique_ptr<Expr>> ParseExpression(bool allow_aggregates);

 private:
  Result<std::unique_ptr<Expr>> ParseOr();
  Result<std::unique_ptr<Expr>> ParseAnd();
  Result<std::unique_ptr<Expr>> ParseNot();
  Result<std::unique_ptr<Expr>> ParseComparison();
  Result<std::unique_ptr<Expr>> ParseMatch(std::unique_ptr<Expr> left, bool negated, size_t offset);
  Result<std::unique_ptr<Expr>> ParseIn(std::unique_ptr<Expr> left, bool negated, size_t offset);
  Result<std::unique_ptr<Expr>> ParseAdditive();
  Result<std::unique_ptr<Expr>> ParseMultiplicative();
  Result<std::unique_ptr<Expr>> ParseUnary();
  Result<std::unique_ptr<Expr>> ParsePower();
  Result<std::unique_ptr<Expr>> ParsePrimary();
  Result<std::unique_ptr<Expr>> ParseCall();
  Result<std::unique_ptr<Expr>> ParsePeriodArgument();
  Status Enter();
  // Sets the node's height from its arguments; too tall is an error.
  Result<std::unique_ptr<Expr>> Built(std::unique_ptr<Expr> node);
  void Leave() { --depth_; }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::vector<FieldSlot>* slots_;
  bool allow_aggregates_ = false;
  bool in_aggregate_ = false;
  int depth_ = 0;
};

bool IsReservedWord(std::string_view identifier);

}  // namespace ck::collector::insights
