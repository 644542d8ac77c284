#include "store/expr/parser_base.h"

#include <algorithm>
#include <cctype>
#include <limits>

#include "core/crypto.h"
#include "store/expr/reserved_words.h"

namespace ck::store::expr {
namespace {

// Deep enough for any expression that fits DynamoDB's 4 KB limit in practice, shallow enough
// that the recursive descent stays far from the stack limit even under sanitizers.
constexpr size_t kMaxDepth = 256;

std::string ScalarForMessage(AttributeType type, const std::string& scalar) {
  return type == AttributeType::kBinary ? Base64Encode(scalar) : scalar;
}

const std::string* FindName(const std::map<std::string, std::string>* names,
                            const std::string& placeholder) {
  if (names == nullptr) return nullptr;
  auto it = names->find(placeholder);
  return it == names->end() ? nullptr : &it->second;
}

}  // namespace

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string ValueForMessage(const AttributeValue& value) {
  std::string content;
  switch (value.type()) {
    case AttributeType::kString:
    case AttributeType::kNumber:
    case AttributeType::kBinary:
      content = ScalarForMessage(value.type(), value.scalar());
      break;
    case AttributeType::kStringSet:
    case AttributeType::kNumberSet:
    case AttributeType::kBinarySet:
      for (const auto& member : value.set()) {
        if (!content.empty()) content += ",";
        content +=
            ScalarForMessage(value.type() == AttributeType::kBinarySet ? AttributeType::kBinary
                                                                       : AttributeType::kString,
                             member);
      }
      break;
    case AttributeType::kBool:
    case AttributeType::kNull:
      content = value.boolean() ? "true" : "false";
      break;
    case AttributeType::kList:
    case AttributeType::kMap:
      break;
  }
  return "{" + std::string(TypeTag(value.type())) + ":" + content + "}";
}

ParserBase::ParserBase(std::string_view text, ExpressionContext& context, std::string_view kind,
                       std::vector<ErrorKind> error_order)
    : text_(text),
      context_(context),
      kind_(kind),
      // Oversized text is rejected by CheckText() before parsing; don't spend work on it.
      tokens_(Tokenize(text.size() > kMaxExpressionBytes ? std::string_view() : text)),
      matching_paren_(tokens_.size(), 0),
      error_order_(std::move(error_order)) {
  std::vector<size_t> open;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].kind == TokenKind::kLeftParen) {
      open.push_back(i);
    } else if (tokens_[i].kind == TokenKind::kRightParen && !open.empty()) {
      matching_paren_[open.back()] = i;
      open.pop_back();
    }
  }
}

Status ParserBase::Invalid(std::string_view message) const {
  return InvalidArgument("Invalid " + kind_ + ": " + std::string(message));
}

Status ParserBase::CheckText() const {
  if (text_.empty()) return Invalid("The expression can not be empty;");
  if (text_.size() > kMaxExpressionBytes) {
    return Invalid("Expression size has exceeded the maximum allowed size; expression size: " +
                   std::to_string(text_.size()));
  }
  return Status::Ok();
}

Status ParserBase::SyntaxError() const {
  const Token& token = tokens_[position_];
  // DynamoDB quotes the offending token and the source text from the token before it to the
  // token after it.
  size_t near_begin = position_ > 0 ? tokens_[position_ - 1].begin : token.begin;
  size_t near_end = token.end;
  if (position_ + 1 < tokens_.size() && tokens_[position_ + 1].kind != TokenKind::kEnd) {
    near_end = tokens_[position_ + 1].end;
  }
  std::string token_text = token.kind == TokenKind::kEnd ? "<EOF>" : std::string(TextOf(token));
  return Invalid("Syntax error; token: \"" + token_text + "\", near: \"" +
                 std::string(text_.substr(near_begin, near_end - near_begin)) + "\"");
}

Status ParserBase::RecordedError() const {
  for (ErrorKind kind : error_order_) {
    auto it = errors_.find(kind);
    if (it != errors_.end()) return Invalid(it->second);
  }
  if (!errors_.empty()) return Invalid(errors_.begin()->second);
  return Status::Ok();
}

void ParserBase::Record(ErrorKind kind, std::string message) {
  errors_.emplace(kind, std::move(message));
}

const Token& ParserBase::Peek(size_t ahead) const {
  return tokens_[std::min(position_ + ahead, tokens_.size() - 1)];
}

const Token& ParserBase::TokenAt(size_t index) const {
  return tokens_[std::min(index, tokens_.size() - 1)];
}

bool ParserBase::AtKeyword(std::string_view keyword) const {
  return At(TokenKind::kIdentifier) && EqualsIgnoringCase(CurrentText(), keyword);
}

Status ParserBase::Expect(TokenKind kind) {
  if (!At(kind)) return SyntaxError();
  Advance();
  return Status::Ok();
}

std::string_view ParserBase::TextOf(const Token& token) const {
  return text_.substr(token.begin, token.end - token.begin);
}

bool ParserBase::IsKeyword(std::string_view) const { return false; }

Result<Path> ParserBase::ParsePath(ErrorKind undefined_name_kind) {
  Path path;
  // A path is a name followed by ".name" and "[index]" elements.
  auto parse_name = [&]() -> Status {
    PathElement element;
    if (At(TokenKind::kIdentifier) && !IsKeyword(CurrentText())) {
      element.name = std::string(CurrentText());
      if (IsReservedWord(element.name)) {
        Record(ErrorKind::kReservedWord,
               "Attribute name is a reserved keyword; reserved keyword: " + element.name);
      }
    } else if (At(TokenKind::kNamePlaceholder)) {
      std::string placeholder(CurrentText());
      if (const std::string* name = FindName(context_.names(), placeholder)) {
        context_.MarkNameUsed(placeholder);
        element.name = *name;
      } else {
        Record(undefined_name_kind,
               "An expression attribute name used in the document path is not defined; "
               "attribute name: " +
                   placeholder);
        element.name = placeholder;
      }
    } else {
      return SyntaxError();
    }
    Advance();
    path.push_back(std::move(element));
    return Status::Ok();
  };

  CK_RETURN_IF_ERROR(parse_name());
  while (true) {
    if (At(TokenKind::kDot)) {
      Advance();
      CK_RETURN_IF_ERROR(parse_name());
    } else if (At(TokenKind::kLeftBracket)) {
      Advance();
      if (!At(TokenKind::kNumber)) return SyntaxError();
      std::string_view digits = CurrentText();
      int64_t index = 0;
      for (char c : digits) {
        index = index * 10 + (c - '0');
        if (index > std::numeric_limits<int>::max()) return SyntaxError();
      }
      Advance();
      CK_RETURN_IF_ERROR(Expect(TokenKind::kRightBracket));
      path.push_back(PathElement{"", static_cast<int>(index)});
    } else {
      return path;
    }
  }
}

AttributeValue ParserBase::ParseValue(ErrorKind undefined_kind) {
  std::string placeholder(CurrentText());
  Advance();
  const Item* values = context_.values();
  if (values != nullptr) {
    auto it = values->find(placeholder);
    if (it != values->end()) {
      context_.MarkValueUsed(placeholder);
      return it->second;
    }
  }
  Record(undefined_kind,
         "An expression attribute value used in expression is not defined; attribute value: " +
             placeholder);
  return AttributeValue::Null();
}

void ParserBase::CheckRedundantParentheses() {
  size_t open = position();
  if (Peek(1).kind != TokenKind::kLeftParen) return;
  size_t inner_close = MatchingParen(open + 1);
  size_t outer_close = MatchingParen(open);
  if (inner_close != 0 && outer_close != 0 && inner_close + 1 == outer_close) {
    Record(ErrorKind::kRedundantParentheses, "The expression has redundant parentheses;");
  }
}

Status ParserBase::DepthGuard::Check() const {
  return parser_.depth_ > kMaxDepth ? parser_.SyntaxError() : Status::Ok();
}

}  // namespace ck::store::expr
