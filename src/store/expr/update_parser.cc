// UpdateExpression::Parse.
//
//   update     := section+          (each of SET, REMOVE, ADD, DELETE at most once)
//   section    := "SET" set ("," set)* | "REMOVE" path ("," path)*
//               | "ADD" path ":value" ("," path ":value")*
//               | "DELETE" path ":value" ("," path ":value")*
//   set        := path "=" value
//   value      := operand (("+" | "-") operand)?
//   operand    := "(" value ")" | function | ":value" | path
//   function   := ("if_not_exists" | "list_append") "(" operand ("," operand)* ")"
//
// Target paths of all actions must be pairwise disjoint (DynamoDB's overlap and conflict rules).
#include <algorithm>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/expr/document_path.h"
#include "store/expr/expression.h"
#include "store/expr/parser_base.h"
#include "store/expr/syntax_tree.h"

namespace ck::store::expr {
namespace {

// DynamoDB's names for the types ADD and DELETE reject.
std::string_view OperandTypeName(AttributeType type) {
  switch (type) {
    case AttributeType::kString:
      return "STRING";
    case AttributeType::kNumber:
      return "NUMBER";
    case AttributeType::kBinary:
      return "BINARY";
    case AttributeType::kNull:
      return "NULL";
    case AttributeType::kBool:
      return "BOOLEAN";
    case AttributeType::kList:
      return "LIST";
    case AttributeType::kMap:
      return "MAP";
    default:
      return "";
  }
}

class UpdateParser : public ParserBase {
 public:
  UpdateParser(std::string_view text, ExpressionContext& context)
      : ParserBase(text, context, "UpdateExpression",
                   {ErrorKind::kReservedWord, ErrorKind::kUnknownFunction, ErrorKind::kSection,
                    ErrorKind::kUndefinedName, ErrorKind::kUndefinedValue, ErrorKind::kPathOverlap,
                    ErrorKind::kPathConflict, ErrorKind::kOperandType, ErrorKind::kFunction}) {}

  Result<std::vector<UpdateAction>> Run() {
    CK_RETURN_IF_ERROR(CheckText());
    if (At(TokenKind::kEnd)) return SyntaxError();
    while (!At(TokenKind::kEnd)) {
      CK_RETURN_IF_ERROR(ParseSection());
    }
    CK_RETURN_IF_ERROR(RecordedError());
    return std::move(actions_);
  }

 private:
  bool IsKeyword(std::string_view word) const override {
    for (std::string_view keyword : {"SET", "REMOVE", "ADD", "DELETE"}) {
      if (EqualsIgnoringCase(word, keyword)) return true;
    }
    return false;
  }

  Status ParseSection() {
    static constexpr std::pair<std::string_view, UpdateAction::Kind> kSections[] = {
        {"SET", UpdateAction::Kind::kSet},
        {"REMOVE", UpdateAction::Kind::kRemove},
        {"ADD", UpdateAction::Kind::kAdd},
        {"DELETE", UpdateAction::Kind::kDelete},
    };
    const auto* section = std::find_if(std::begin(kSections), std::end(kSections),
                                       [&](const auto& entry) { return AtKeyword(entry.first); });
    if (section == std::end(kSections)) return SyntaxError();
    UpdateAction::Kind kind = section->second;
    std::string name(section->first);
    if (!sections_.insert(name).second) {
      Record(ErrorKind::kSection,
             "The \"" + name + "\" section can only be used once in an update expression;");
    }
    Advance();
    while (true) {
      CK_RETURN_IF_ERROR(ParseAction(kind, name));
      if (!At(TokenKind::kComma)) return Status::Ok();
      Advance();
    }
  }

  Status ParseAction(UpdateAction::Kind kind, const std::string& section) {
    UpdateAction action;
    action.kind = kind;
    CK_ASSIGN_OR_RETURN(action.path, ParsePath());
    CheckTarget(action.path);
    if (kind == UpdateAction::Kind::kSet) {
      CK_RETURN_IF_ERROR(Expect(TokenKind::kEqual));
      CK_ASSIGN_OR_RETURN(action.value, ParseValueExpression());
    } else if (kind != UpdateAction::Kind::kRemove) {
      if (!At(TokenKind::kValuePlaceholder)) return SyntaxError();
      action.value.kind = Operand::Kind::kValue;
      action.value.value = ParseValue();
      CheckSetOperand(section, action.value.value);
    }
    actions_.push_back(std::move(action));
    return Status::Ok();
  }

  // ADD takes a number or a set, DELETE only a set.
  void CheckSetOperand(const std::string& section, const AttributeValue& value) {
    std::string_view type = OperandTypeName(value.type());
    bool add_number = section == "ADD" && value.type() == AttributeType::kNumber;
    if (!type.empty() && !add_number) {
      Record(ErrorKind::kOperandType,
             "Incorrect operand type for operator or function; operator: " + section +
                 ", operand type: " + std::string(type));
    }
  }

  void CheckTarget(const Path& path) {
    for (const Path& earlier : targets_) {
      PathRelation relation = RelatePaths(earlier, path);
      if (relation == PathRelation::kDisjoint) continue;
      bool overlap = relation == PathRelation::kOverlap;
      Record(overlap ? ErrorKind::kPathOverlap : ErrorKind::kPathConflict,
             std::string("Two document paths ") + (overlap ? "overlap" : "conflict") +
                 " with each other; must remove or rewrite one of these paths; path one: " +
                 PathForMessage(earlier) + ", path two: " + PathForMessage(path));
      if (overlap) return;
    }
    targets_.push_back(path);
  }

  Result<Operand> ParseValueExpression() {
    CK_ASSIGN_OR_RETURN(Operand left, ParseOperand());
    if (!At(TokenKind::kPlus) && !At(TokenKind::kMinus)) return left;
    Operand result;
    result.kind = At(TokenKind::kPlus) ? Operand::Kind::kPlus : Operand::Kind::kMinus;
    Advance();
    CK_ASSIGN_OR_RETURN(Operand right, ParseOperand());
    result.args = {std::move(left), std::move(right)};
    for (const auto& arg : result.args) {
      if (arg.kind == Operand::Kind::kValue && arg.value.type() != AttributeType::kNumber) {
        RecordOperandType(result.kind == Operand::Kind::kPlus ? "+" : "-", arg.value.type());
        break;
      }
    }
    return result;
  }

  Result<Operand> ParseOperand() {
    DepthGuard guard(*this);
    CK_RETURN_IF_ERROR(guard.Check());
    if (At(TokenKind::kLeftParen)) {
      Advance();
      CK_ASSIGN_OR_RETURN(Operand inner, ParseValueExpression());
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
      while (true) {
        CK_ASSIGN_OR_RETURN(Operand arg, ParseOperand());
        operand.args.push_back(std::move(arg));
        if (!At(TokenKind::kComma)) break;
        Advance();
      }
      CK_RETURN_IF_ERROR(Expect(TokenKind::kRightParen));
      CheckFunction(operand);
      return operand;
    }
    if (At(TokenKind::kValuePlaceholder)) {
      operand.kind = Operand::Kind::kValue;
      operand.value = ParseValue();
      return operand;
    }
    operand.kind = Operand::Kind::kPath;
    CK_ASSIGN_OR_RETURN(operand.path, ParsePath());
    return operand;
  }

  void RecordOperandType(std::string_view function, AttributeType type) {
    Record(ErrorKind::kFunction,
           "Incorrect operand type for operator or function; operator or function: " +
               std::string(function) + ", operand type: " + std::string(TypeTag(type)));
  }

  void CheckFunction(const Operand& call) {
    const std::string& name = call.function;
    if (name != "if_not_exists" && name != "list_append") {
      Record(ErrorKind::kUnknownFunction, "Invalid function name; function: " + name);
      return;
    }
    if (call.args.size() != 2) {
      Record(ErrorKind::kFunction,
             "Incorrect number of operands for operator or function; operator or function: " +
                 name + ", number of operands: " + std::to_string(call.args.size()));
      return;
    }
    if (name == "if_not_exists") {
      if (call.args[0].kind != Operand::Kind::kPath) {
        Record(ErrorKind::kFunction,
               "Operator or function requires a document path; operator or function: " + name);
      }
      return;
    }
    for (const auto& arg : call.args) {
      if (arg.kind == Operand::Kind::kValue && arg.value.type() != AttributeType::kList) {
        RecordOperandType(name, arg.value.type());
        return;
      }
    }
  }

  std::vector<UpdateAction> actions_;
  std::vector<Path> targets_;
  std::set<std::string> sections_;
};

}  // namespace

Result<UpdateExpression> UpdateExpression::Parse(std::string_view text,
                                                 ExpressionContext& context) {
  CK_ASSIGN_OR_RETURN(std::vector<UpdateAction> actions, UpdateParser(text, context).Run());
  UpdateExpression expression;
  for (auto& action : actions) {
    expression.actions_.push_back(std::make_shared<const UpdateAction>(std::move(action)));
  }
  return expression;
}

}  // namespace ck::store::expr
