#include "collector/insights/expression_parser.h"

#include <algorithm>
#include <cmath>

#include "collector/insights/text_pattern.h"

namespace ck::collector::insights {
namespace {

constexpr std::string_view kReservedWords[] = {"and", "or", "not", "like", "in",
                                               "as",  "by", "asc", "desc"};

bool EqualsIgnoringCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

SystemField SystemFieldNamed(std::string_view name) {
  if (name == "@timestamp") return SystemField::kTimestamp;
  if (name == "@message") return SystemField::kMessage;
  if (name == "@logStream") return SystemField::kLogStream;
  if (name == "@log") return SystemField::kLog;
  if (name == "@ingestionTime") return SystemField::kIngestionTime;
  if (name == "@ptr") return SystemField::kPtr;
  return SystemField::kNone;
}

std::unique_ptr<Expr> Node(ExprKind kind, size_t offset) {
  auto node = std::make_unique<Expr>();
  node->kind = kind;
  node->offset = offset;
  return node;
}

std::unique_ptr<Expr> Binary(ExprKind kind, size_t offset, std::unique_ptr<Expr> left,
                             std::unique_ptr<Expr> right) {
  auto node = Node(kind, offset);
  node->args.push_back(std::move(left));
  node->args.push_back(std::move(right));
  return node;
}

std::string Arguments(int count) {
  return std::to_string(count) + (count == 1 ? " argument" : " arguments");
}

std::string ExpectedArity(const FunctionInfo& info) {
  if (info.min_args == info.max_args) return Arguments(info.min_args);
  if (info.max_args == kVariadic) return "at least " + Arguments(info.min_args);
  return std::to_string(info.min_args) + " to " + std::to_string(info.max_args) + " arguments";
}

}  // namespace

bool IsReservedWord(std::string_view identifier) {
  for (std::string_view word : kReservedWords) {
    if (EqualsIgnoringCase(identifier, word)) return true;
  }
  return false;
}

ExpressionParser::ExpressionParser(std::string_view text, std::vector<Token> tokens,
                                   std::vector<FieldSlot>* slots)
    : text_(text), tokens_(std::move(tokens)), slots_(slots) {}

const Token& ExpressionParser::Peek(size_t ahead) const {
  const size_t index = pos_ + ahead;
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

const Token& ExpressionParser::Advance() {
  const Token& token = Peek();
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return token;
}

bool ExpressionParser::AtKeyword(std::string_view keyword, size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.kind == TokenKind::kIdentifier && EqualsIgnoringCase(token.text, keyword);
}

bool ExpressionParser::ConsumeKeyword(std::string_view keyword) {
  if (!AtKeyword(keyword)) return false;
  Advance();
  return true;
}

bool ExpressionParser::Consume(TokenKind kind) {
  if (Peek().kind != kind) return false;
  Advance();
  return true;
}

Status ExpressionParser::Expect(TokenKind kind) {
  if (Consume(kind)) return Status::Ok();
  return Unexpected(Peek());
}

Status ExpressionParser::Unexpected(const Token& token) const {
  if (token.kind == TokenKind::kEnd) return ErrorAt(token.offset, "unexpected end of query");
  std::string_view symbol = text_.substr(token.offset, token.end - token.offset);
  if (symbol.size() > 40) symbol = symbol.substr(0, 40);
  return ErrorAt(token.offset, "unexpected symbol found " + std::string(symbol));
}

Status ExpressionParser::ErrorAt(size_t offset, const std::string& what) const {
  return InvalidArgument(what + " " + DescribePosition(text_, offset));
}

std::string_view ExpressionParser::SourceSince(size_t begin) const {
  const size_t end = pos_ > 0 ? tokens_[pos_ - 1].end : begin;
  return end > begin ? text_.substr(begin, end - begin) : std::string_view();
}

int ExpressionParser::InternSlot(std::string_view name) {
  for (size_t i = 0; i < slots_->size(); ++i) {
    if ((*slots_)[i].name == name) return static_cast<int>(i);
  }
  FieldSlot slot;
  slot.name = std::string(name);
  slot.system = SystemFieldNamed(name);
  slot.segment_starts.push_back(0);
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '.') slot.segment_starts.push_back(static_cast<uint32_t>(i + 1));
  }
  slots_->push_back(std::move(slot));
  return static_cast<int>(slots_->size() - 1);
}

Result<int> ExpressionParser::ParseFieldName() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kQuotedField ||
      (token.kind == TokenKind::kIdentifier && !IsReservedWord(token.text))) {
    Advance();
    return InternSlot(token.text);
  }
  return Unexpected(token);
}

Status ExpressionParser::Enter() {
  if (++depth_ > kMaxExpressionDepth) {
    return ErrorAt(Peek().offset, "expression is nested too deeply");
  }
  return Status::Ok();
}

Result<std::unique_ptr<Expr>> ExpressionParser::Built(std::unique_ptr<Expr> node) {
  int tallest = 0;
  for (const auto& arg : node->args) tallest = std::max(tallest, arg->height);
  node->height = tallest + 1;
  if (node->height > kMaxExpressionHeight) {
    return ErrorAt(node->offset, "expression is nested too deeply");
  }
  return node;
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseExpression(bool allow_aggregates) {
  allow_aggregates_ = allow_aggregates;
  in_aggregate_ = false;
  depth_ = 0;
  return ParseOr();
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseOr() {
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> left, ParseAnd());
  while (AtKeyword("or")) {
    const size_t offset = Advance().offset;
    CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> right, ParseAnd());
    CK_ASSIGN_OR_RETURN(left,
                        Built(Binary(ExprKind::kOr, offset, std::move(left), std::move(right))));
  }
  return left;
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseAnd() {
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> left, ParseNot());
  while (AtKeyword("and")) {
    const size_t offset = Advance().offset;
    CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> right, ParseNot());
    CK_ASSIGN_OR_RETURN(left,
                        Built(Binary(ExprKind::kAnd, offset, std::move(left), std::move(right))));
  }
  return left;
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseNot() {
  if (!AtKeyword("not")) return ParseComparison();
  const size_t offset = Advance().offset;
  CK_RETURN_IF_ERROR(Enter());
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> operand, ParseNot());
  Leave();
  auto node = Node(ExprKind::kNot, offset);
  node->args.push_back(std::move(operand));
  return Built(std::move(node));
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseComparison() {
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> left, ParseAdditive());
  const Token& token = Peek();
  std::optional<CompareOp> op;
  switch (token.kind) {
    case TokenKind::kEqual:
      op = CompareOp::kEqual;
      break;
    case TokenKind::kNotEqual:
      op = CompareOp::kNotEqual;
      break;
    case TokenKind::kLess:
      op = CompareOp::kLess;
      break;
    case TokenKind::kLessEqual:
      op = CompareOp::kLessEqual;
      break;
    case TokenKind::kGreater:
      op = CompareOp::kGreater;
      break;
    case TokenKind::kGreaterEqual:
      op = CompareOp::kGreaterEqual;
      break;
    case TokenKind::kMatch:
      return ParseMatch(std::move(left), false, Advance().offset);
    default:
      break;
  }
  if (op) {
    const size_t offset = Advance().offset;
    CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> right, ParseAdditive());
    auto node = Binary(ExprKind::kCompare, offset, std::move(left), std::move(right));
    node->compare = *op;
    return Built(std::move(node));
  }
  if (AtKeyword("like")) return ParseMatch(std::move(left), false, Advance().offset);
  if (AtKeyword("in")) return ParseIn(std::move(left), false, Advance().offset);
  if (AtKeyword("not") && (AtKeyword("like", 1) || AtKeyword("in", 1))) {
    const size_t offset = Advance().offset;
    if (ConsumeKeyword("like")) return ParseMatch(std::move(left), true, offset);
    Advance();
    return ParseIn(std::move(left), true, offset);
  }
  return left;
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseMatch(std::unique_ptr<Expr> left, bool negated,
                                                           size_t offset) {
  const Token& pattern = Peek();
  auto node = Node(ExprKind::kMatch, offset);
  node->negated = negated;
  node->args.push_back(std::move(left));
  if (pattern.kind == TokenKind::kRegex) {
    Result<std::shared_ptr<const re2::RE2>> regex = CompileRegex(pattern.text);
    if (!regex.ok()) return ErrorAt(pattern.offset, regex.status().message());
    node->regex = std::move(*regex);
  } else if (pattern.kind == TokenKind::kString) {
    node->literal = Cell::From(Value::String(pattern.text));
  } else {
    return Unexpected(pattern);
  }
  Advance();
  return Built(std::move(node));
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseIn(std::unique_ptr<Expr> left, bool negated,
                                                        size_t offset) {
  auto node = Node(ExprKind::kIn, offset);
  node->negated = negated;
  node->args.push_back(std::move(left));
  CK_RETURN_IF_ERROR(Expect(TokenKind::kLeftBracket));
  if (Consume(TokenKind::kRightBracket)) return Built(std::move(node));
  do {
    CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> element, ParseAdditive());
    node->args.push_back(std::move(element));
  } while (Consume(TokenKind::kComma));
  CK_RETURN_IF_ERROR(Expect(TokenKind::kRightBracket));
  return Built(std::move(node));
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseAdditive() {
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> left, ParseMultiplicative());
  while (Peek().kind == TokenKind::kPlus || Peek().kind == TokenKind::kMinus) {
    const Token& token = Advance();
    const ArithmeticOp op =
        token.kind == TokenKind::kPlus ? ArithmeticOp::kAdd : ArithmeticOp::kSubtract;
    CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> right, ParseMultiplicative());
    auto node = Binary(ExprKind::kArithmetic, token.offset, std::move(left), std::move(right));
    node->arithmetic = op;
    CK_ASSIGN_OR_RETURN(left, Built(std::move(node)));
  }
  return left;
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseMultiplicative() {
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> left, ParseUnary());
  while (true) {
    ArithmeticOp op;
    switch (Peek().kind) {
      case TokenKind::kStar:
        op = ArithmeticOp::kMultiply;
        break;
      case TokenKind::kSlash:
        op = ArithmeticOp::kDivide;
        break;
      case TokenKind::kPercent:
        op = ArithmeticOp::kModulo;
        break;
      default:
        return left;
    }
    const size_t offset = Advance().offset;
    CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> right, ParseUnary());
    auto node = Binary(ExprKind::kArithmetic, offset, std::move(left), std::move(right));
    node->arithmetic = op;
    CK_ASSIGN_OR_RETURN(left, Built(std::move(node)));
  }
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseUnary() {
  if (Peek().kind != TokenKind::kMinus) return ParsePower();
  const size_t offset = Advance().offset;
  CK_RETURN_IF_ERROR(Enter());
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> operand, ParseUnary());
  Leave();
  if (operand->kind == ExprKind::kLiteral && operand->literal.kind == ValueKind::kNumber) {
    operand->literal.number = -operand->literal.number;
    operand->offset = offset;
    return operand;
  }
  auto node = Node(ExprKind::kNegate, offset);
  node->args.push_back(std::move(operand));
  return Built(std::move(node));
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParsePower() {
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> base, ParsePrimary());
  if (Peek().kind != TokenKind::kCaret) return base;
  const size_t offset = Advance().offset;
  CK_RETURN_IF_ERROR(Enter());
  CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> exponent, ParseUnary());
  Leave();
  auto node = Binary(ExprKind::kArithmetic, offset, std::move(base), std::move(exponent));
  node->arithmetic = ArithmeticOp::kPower;
  return Built(std::move(node));
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParsePrimary() {
  const Token& token = Peek();
  switch (token.kind) {
    case TokenKind::kNumber: {
      auto node = Node(ExprKind::kLiteral, token.offset);
      node->literal = Cell::From(Value::Number(token.number));
      Advance();
      return node;
    }
    case TokenKind::kString: {
      auto node = Node(ExprKind::kLiteral, token.offset);
      node->literal = Cell::From(Value::String(token.text));
      Advance();
      return node;
    }
    case TokenKind::kQuotedField: {
      auto node = Node(ExprKind::kField, token.offset);
      node->slot = InternSlot(token.text);
      Advance();
      return node;
    }
    case TokenKind::kIdentifier: {
      if (Peek(1).kind == TokenKind::kLeftParen) return ParseCall();
      if (IsReservedWord(token.text)) return Unexpected(token);
      auto node = Node(ExprKind::kField, token.offset);
      node->slot = InternSlot(token.text);
      Advance();
      return node;
    }
    case TokenKind::kLeftParen: {
      Advance();
      CK_RETURN_IF_ERROR(Enter());
      CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> inner, ParseOr());
      Leave();
      CK_RETURN_IF_ERROR(Expect(TokenKind::kRightParen));
      return inner;
    }
    default:
      return Unexpected(token);
  }
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParsePeriodArgument() {
  const Token& token = Peek();
  if (token.kind != TokenKind::kPeriod) {
    if (token.kind == TokenKind::kNumber || token.kind == TokenKind::kIdentifier ||
        token.kind == TokenKind::kString) {
      return ErrorAt(token.offset,
                     "expected a time period such as 5m or 1h but found " +
                         std::string(text_.substr(token.offset, token.end - token.offset)));
    }
    return Unexpected(token);
  }
  std::optional<Period> period = ParsePeriod(token.text);
  if (!period) return ErrorAt(token.offset, "invalid time period " + token.text);
  auto node = Node(ExprKind::kPeriod, token.offset);
  node->period = *period;
  Advance();
  return node;
}

Result<std::unique_ptr<Expr>> ExpressionParser::ParseCall() {
  const Token& name = Advance();
  const FunctionInfo* info = FindFunction(name.text);
  if (info == nullptr) return ErrorAt(name.offset, "unknown function " + name.text);
  if (info->aggregate && !allow_aggregates_) {
    return ErrorAt(name.offset,
                   "aggregate function " + std::string(info->name) + " is only allowed in stats");
  }
  if (info->aggregate && in_aggregate_) {
    return ErrorAt(name.offset, "aggregate function " + std::string(info->name) +
                                    " cannot be used inside another aggregate function");
  }
  CK_RETURN_IF_ERROR(Enter());
  Advance();  // (
  auto node = Node(info->aggregate ? ExprKind::kAggregate : ExprKind::kCall, name.offset);
  node->function = info->id;
  const bool was_in_aggregate = in_aggregate_;
  in_aggregate_ = in_aggregate_ || info->aggregate;
  if (Peek().kind != TokenKind::kRightParen) {
    do {
      const size_t index = node->args.size();
      if (info->id == FunctionId::kCount && index == 0 && Peek().kind == TokenKind::kStar &&
          Peek(1).kind == TokenKind::kRightParen) {
        node->args.push_back(Node(ExprKind::kStar, Advance().offset));
      } else if ((info->id == FunctionId::kBin && index == 0) ||
                 ((info->id == FunctionId::kDateFloor || info->id == FunctionId::kDateCeil) &&
                  index == 1)) {
        CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> period, ParsePeriodArgument());
        node->args.push_back(std::move(period));
      } else if (info->id == FunctionId::kPct && index == 1) {
        const Token& percentile = Peek();
        if (percentile.kind != TokenKind::kNumber || percentile.number < 0 ||
            percentile.number > 100) {
          return ErrorAt(percentile.offset, "the percentile of pct must be a number from 0 to 100");
        }
        node->percentile = percentile.number;
        node->args.push_back(Node(ExprKind::kLiteral, Advance().offset));
        node->args.back()->literal = Cell::From(Value::Number(percentile.number));
      } else {
        CK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> argument, ParseOr());
        node->args.push_back(std::move(argument));
      }
    } while (Consume(TokenKind::kComma));
  }
  in_aggregate_ = was_in_aggregate;
  CK_RETURN_IF_ERROR(Expect(TokenKind::kRightParen));
  Leave();
  const int count = static_cast<int>(node->args.size());
  if (count < info->min_args || count > info->max_args) {
    return ErrorAt(name.offset, "function " + std::string(info->name) + " expects " +
                                    ExpectedArity(*info) + " but got " + std::to_string(count));
  }
  if (info->id == FunctionId::kBin) {
    // bin(period) is datefloor(@timestamp, period).
    node->slot = InternSlot("@timestamp");
  }
  return Built(std::move(node));
}

}  // namespace ck::collector::insights
