#include "store/expr/condition_parser.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include "store/expr/document_path.h"
#include "store/expr/evaluate.h"
#include "store/expr/parser_base.h"

namespace ck::store::expr {
namespace {

constexpr size_t kMaxOperators = 300;
constexpr size_t kMaxInOperands = 100;

struct FunctionSignature {
  std::string_view name;
  size_t arity;
};
constexpr std::array<FunctionSignature, 6> kFunctions = {{
    {"attribute_exists", 1},
    {"attribute_not_exists", 1},
    {"attribute_type", 2},
    {"begins_with", 2},
    {"contains", 2},
    {"size", 1},
}};

constexpr std::array<std::string_view, 10> kTypeTags = {"S",  "N", "B", "SS",   "NS",
                                                        "BS", "M", "L", "NULL", "BOOL"};

std::optional<Comparator> ComparatorOf(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEqual:
      return Comparator::kEqual;
    case TokenKind::kNotEqual:
      return Comparator::kNotEqual;
    case TokenKind::kLess:
      return Comparator::kLess;
    case TokenKind::kLessOrEqual:
      return Comparator::kLessOrEqual;
    case TokenKind::kGreater:
      return Comparator::kGreater;
    case TokenKind::kGreaterOrEqual:
      return Comparator::kGreaterOrEqual;
    default:
      return std::nullopt;
  }
}

// The type DynamoDB knows an operand has before seeing any item: a literal's type, or N for size().
std::optional<std::string> StaticType(const Operand& operand) {
  if (operand.kind == Operand::Kind::kValue) return std::string(TypeTag(operand.value.type()));
  if (operand.kind == Operand::Kind::kFunction && operand.function == "size") return "N";
  return std::nullopt;
}

bool SamePath(const Operand& a, const Operand& b) {
  return a.kind == Operand::Kind::kPath && b.kind == Operand::Kind::kPath &&
         a.path.size() == b.path.size() && RelatePaths(a.path, b.path) == PathRelation::kOverlap;
}

ConditionNode Combine(ConditionNode::Kind kind, ConditionNode left, ConditionNode right) {
  ConditionNode node;
  node.kind = kind;
  node.children.push_back(std::move(left));
  node.children.push_back(std::move(right));
  return node;
}

class ConditionParser : public ParserBase {
 public:
  ConditionParser(std::string_view text, ExpressionContext& context, std::string_view kind)
      : ParserBase(text, context, kind,
                   {ErrorKind::kTooManyOperators, ErrorKind::kRedundantParentheses,
                    ErrorKind::kUnknownFunction, ErrorKind::kMisusedFunction,
                    ErrorKind::kReservedWord, ErrorKind::kUndefinedName, ErrorKind::kOperandCount,
                    ErrorKind::kDistinctOperands, ErrorKind::kFunction}) {}

  Result<ConditionNode> Run() {
    CK_RETURN_IF_ERROR(CheckText());
    CK_ASSIGN_OR_RETURN(ConditionNode root, ParseOr());
    if (!At(TokenKind::kEnd)) return SyntaxError();
    if (operators_ > kMaxOperators) {
      Record(ErrorKind::kTooManyOperators,
             "The expression contains too many operators; operator count: " +
                 std::to_string(operators_));
    }
    CK_RETURN_IF_ERROR(RecordedError());
    return root;
  }

 private:
  bool IsKeyword(std::string_view word) const override {
    for (std::string_view keyword : {"AND", "OR", "NOT", "BETWEEN", "IN"}) {
      if (EqualsIgnoringCase(word, keyword)) return true;
    }
    return false;
  }

  Result<ConditionNode> ParseOr() {
    CK_ASSIGN_OR_RETURN(ConditionNode left, ParseAnd());
    while (AtKeyword("OR")) {
      Advance();
      ++operators_;
      CK_ASSIGN_OR_RETURN(ConditionNode right, ParseAnd());
      left = Combine(ConditionNode::Kind::kOr, std::move(left), std::move(right));
    }
    return left;
  }

  Result<ConditionNode> ParseAnd() {
    CK_ASSIGN_OR_RETURN(ConditionNode left, ParseNot());
    while (AtKeyword("AND")) {
      Advance();
      ++operators_;
      CK_ASSIGN_OR_RETURN(ConditionNode right, ParseNot());
      left = Combine(ConditionNode::Kind::kAnd, std::move(left), std::move(right));
    }
    return left;
  }

  Result<ConditionNode> ParseNot() {
    DepthGuard guard(*this);
    CK_RETURN_IF_ERROR(guard.Check());
    if (!AtKeyword("NOT")) return ParsePrimary();
    Advance();
    ++operators_;
    CK_ASSIGN_OR_RETURN(ConditionNode child, ParseNot());
    ConditionNode node;
    node.kind = ConditionNode::Kind::kNot;
    node.children.push_back(std::move(child));
    return node;
  }

  // A '(' opens a parenthesised condition unless its group is followed by something only an
  // operand can be followed by: "(a) = :v" is a parenthesised operand.
  bool AtConditionGroup() const {
    size_t close = MatchingParen(position());
    if (close == 0) return true;
    const Token& after = TokenAt(close + 1);
    if (IsComparator(after.kind)) return false;
    if (after.kind != TokenKind::kIdentifier) return true;
    std::string_view word = TextOf(after);
    return !EqualsIgnoringCase(word, "BETWEEN") && !EqualsIgnoringCase(word, "IN");
  }

  Result<ConditionNode> ParsePrimary() {
    if (At(TokenKind::kLeftParen) && AtConditionGroup()) {
      CheckRedundantParentheses();
      Advance();
      CK_ASSIGN_OR_RETURN(ConditionNode inner, ParseOr());
      CK_RETURN_IF_ERROR(Expect(TokenKind::kRightParen));
      return inner;
    }
    CK_ASSIGN_OR_RETURN(Operand left, ParseOperand());
    ConditionNode node;
    if (auto comparator = ComparatorOf(Peek().kind)) {
      Advance();
      ++operators_;
      CK_ASSIGN_OR_RETURN(Operand right, ParseOperand());
      node.kind = ConditionNode::Kind::kCompare;
      node.comparator = *comparator;
      node.operands = {std::move(left), std::move(right)};
      CheckNotMisused(node.operands);
      CheckDistinct(ComparatorText(*comparator), node.operands);
      return node;
    }
    if (AtKeyword("BETWEEN")) {
      Advance();
      ++operators_;
      CK_ASSIGN_OR_RETURN(Operand lower, ParseOperand());
      if (!AtKeyword("AND")) return SyntaxError();
      Advance();
      CK_ASSIGN_OR_RETURN(Operand upper, ParseOperand());
      node.kind = ConditionNode::Kind::kBetween;
      node.operands = {std::move(left), std::move(lower), std::move(upper)};
      CheckNotMisused(node.operands);
      CheckBetweenBounds(node.operands[1], node.operands[2]);
      return node;
    }
    if (AtKeyword("IN")) {
      Advance();
      ++operators_;
      CK_RETURN_IF_ERROR(Expect(TokenKind::kLeftParen));
      node.kind = ConditionNode::Kind::kIn;
      node.operands.push_back(std::move(left));
      CK_RETURN_IF_ERROR(ParseOperandList(node.operands));
      CheckNotMisused(node.operands);
      if (node.operands.size() - 1 > kMaxInOperands) {
        Record(ErrorKind::kFunction,
               "The IN operator is provided with too many operands; number of operands: " +
                   std::to_string(node.operands.size() - 1));
      }
      return node;
    }
    if (left.kind == Operand::Kind::kFunction) {
      // Only the boolean functions are conditions by themselves.
      if (left.function == "size") RecordMisused(left.function);
      node.kind = ConditionNode::Kind::kFunction;
      node.function = std::move(left.function);
      node.operands = std::move(left.args);
      return node;
    }
    return SyntaxError();
  }

  // operand ("," operand)* ")"
  Status ParseOperandList(std::vector<Operand>& out) {
    while (true) {
      CK_ASSIGN_OR_RETURN(Operand operand, ParseOperand());
      out.push_back(std::move(operand));
      if (!At(TokenKind::kComma)) break;
      Advance();
    }
    return Expect(TokenKind::kRightParen);
  }

  Result<Operand> ParseOperand() {
    DepthGuard guard(*this);
    CK_RETURN_IF_ERROR(guard.Check());
    if (At(TokenKind::kLeftParen)) {
      CheckRedundantParentheses();
      Advance();
      CK_ASSIGN_OR_RETURN(Operand inner, ParseOperand());
      CK_RETURN_IF_ERROR(Expect(TokenKind::kRightParen));
      return inner;
    }
    Operand operand;
    if (At(TokenKind::kIdentifier) && Peek(1).kind == TokenKind::kLeftParen &&
        !IsKeyword(CurrentText())) {
      operand.kind = Operand::Kind::kFunction;
      operand.function = std::string(CurrentText());
      Advance();
      Advance();
      ++operators_;
      CK_RETURN_IF_ERROR(ParseOperandList(operand.args));
      CheckNotMisused(operand.args);
      CheckFunction(operand);
      return operand;
    }
    if (At(TokenKind::kValuePlaceholder)) {
      operand.kind = Operand::Kind::kValue;
      // Conditions report undefined names and values as one kind: the first one wins.
      operand.value = ParseValue(ErrorKind::kUndefinedName);
      return operand;
    }
    operand.kind = Operand::Kind::kPath;
    CK_ASSIGN_OR_RETURN(operand.path, ParsePath());
    return operand;
  }

  void RecordMisused(const std::string& function) {
    Record(
        ErrorKind::kMisusedFunction,
        "The function is not allowed to be used this way in an expression; function: " + function);
  }

  // Functions other than size() yield booleans and cannot be operands.
  void CheckNotMisused(const std::vector<Operand>& operands) {
    for (const auto& operand : operands) {
      if (operand.kind == Operand::Kind::kFunction && operand.function != "size") {
        RecordMisused(operand.function);
      }
    }
  }

  void CheckDistinct(std::string_view operator_name, const std::vector<Operand>& operands) {
    if (operands.size() == 2 && SamePath(operands[0], operands[1])) {
      Record(ErrorKind::kDistinctOperands,
             "The first operand must be distinct from the remaining operands for this operator "
             "or function; operator: " +
                 std::string(operator_name) +
                 ", first operand: " + PathForMessage(operands[0].path));
    }
  }

  void RecordOperandType(const std::string& function, const std::string& type) {
    Record(ErrorKind::kFunction,
           "Incorrect operand type for operator or function; operator or function: " + function +
               ", operand type: " + type);
  }

  void CheckFunction(const Operand& call) {
    const FunctionSignature* signature = nullptr;
    for (const auto& candidate : kFunctions) {
      if (candidate.name == call.function) signature = &candidate;
    }
    if (signature == nullptr) {
      Record(ErrorKind::kUnknownFunction, "Invalid function name; function: " + call.function);
      return;
    }
    const auto& args = call.args;
    if (args.size() != signature->arity) {
      Record(ErrorKind::kOperandCount,
             "Incorrect number of operands for operator or function; operator or function: " +
                 call.function + ", number of operands: " + std::to_string(args.size()));
      return;
    }
    CheckDistinct(call.function, args);
    const std::string& name = call.function;
    if (name == "attribute_exists" || name == "attribute_not_exists") {
      if (args[0].kind != Operand::Kind::kPath) {
        Record(ErrorKind::kFunction,
               "Operator or function requires a document path; operator or function: " + name);
      }
    } else if (name == "begins_with") {
      for (const auto& arg : args) {
        auto type = StaticType(arg);
        if (type && *type != "S" && *type != "B") {
          RecordOperandType(name, *type);
          return;
        }
      }
    } else if (name == "attribute_type") {
      auto type = StaticType(args[1]);
      if (type != "S") {
        RecordOperandType(name, type.value_or("{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"));
      } else if (std::find(kTypeTags.begin(), kTypeTags.end(), args[1].value.scalar()) ==
                 kTypeTags.end()) {
        Record(ErrorKind::kFunction,
               "Invalid attribute type name found; type: " + args[1].value.scalar() +
                   ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
      }
    } else if (name == "size") {
      auto type = StaticType(args[0]);
      if (type == "N" || type == "BOOL" || type == "NULL") RecordOperandType(name, *type);
    }
  }

  void CheckBetweenBounds(const Operand& lower, const Operand& upper) {
    if (lower.kind != Operand::Kind::kValue || upper.kind != Operand::Kind::kValue) return;
    std::string bounds = "lower bound operand: AttributeValue: " + ValueForMessage(lower.value) +
                         ", upper bound operand: AttributeValue: " + ValueForMessage(upper.value);
    if (lower.value.type() != upper.value.type()) {
      Record(ErrorKind::kFunction,
             "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
    } else if (CompareValues(lower.value, upper.value).value_or(0) > 0) {
      Record(ErrorKind::kFunction,
             "The BETWEEN operator requires upper bound to be greater than or equal to lower "
             "bound; " +
                 bounds);
    }
  }

  size_t operators_ = 0;
};

}  // namespace

std::string_view ComparatorText(Comparator comparator) {
  switch (comparator) {
    case Comparator::kEqual:
      return "=";
    case Comparator::kNotEqual:
      return "<>";
    case Comparator::kLess:
      return "<";
    case Comparator::kLessOrEqual:
      return "<=";
    case Comparator::kGreater:
      return ">";
    case Comparator::kGreaterOrEqual:
      return ">=";
  }
  return "=";
}

Result<ConditionNode> ParseConditionTree(std::string_view text, ExpressionContext& context,
                                         std::string_view kind) {
  return ConditionParser(text, context, kind).Run();
}

Result<ConditionExpression> ConditionExpression::Parse(std::string_view text,
                                                       ExpressionContext& context,
                                                       std::string_view kind) {
  CK_ASSIGN_OR_RETURN(ConditionNode root, ParseConditionTree(text, context, kind));
  ConditionExpression expression;
  expression.root_ = std::make_shared<const ConditionNode>(std::move(root));
  return expression;
}

}  // namespace ck::store::expr
