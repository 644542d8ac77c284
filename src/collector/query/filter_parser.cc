#include "collector/query/filter_parser.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collector/query/filter_lexer.h"

namespace ck::collector {
namespace {

using Kind = FilterTokenKind;

template <typename Field>
struct KeywordEntry {
  std::string_view word;
  Field field;
};

constexpr std::array<KeywordEntry<BooleanField>, 6> kBooleanKeywords = {{
    {"ok", BooleanField::kOk},
    {"error", BooleanField::kError},
    {"fault", BooleanField::kFault},
    {"throttle", BooleanField::kThrottle},
    {"partial", BooleanField::kPartial},
    {"inferred", BooleanField::kInferred},
}};

constexpr std::array<KeywordEntry<NumberField>, 3> kNumberKeywords = {{
    {"responsetime", NumberField::kResponseTime},
    {"duration", NumberField::kDuration},
    {"http.status", NumberField::kHttpStatus},
}};

constexpr std::array<KeywordEntry<StringField>, 4> kStringKeywords = {{
    {"http.url", StringField::kHttpUrl},
    {"http.method", StringField::kHttpMethod},
    {"http.useragent", StringField::kHttpUserAgent},
    {"http.clientip", StringField::kHttpClientIp},
}};

// X-Ray keywords this collector does not evaluate; named in the error instead of "unknown".
constexpr std::array<std::string_view, 6> kUnsupportedKeywords = {
    "user", "first", "json", "group.name", "group.arn", "availabilityzone"};

template <typename Field, size_t N>
std::optional<Field> Lookup(const std::array<KeywordEntry<Field>, N>& table,
                            std::string_view word) {
  for (const auto& entry : table) {
    if (EqualsIgnoreCase(entry.word, word)) return entry.field;
  }
  return std::nullopt;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<FilterToken> tokens)
      : text_(text), tokens_(std::move(tokens)) {}

  Result<FilterProgram> Run() {
    if (Peek().kind != Kind::kEnd) {
      CK_ASSIGN_OR_RETURN(int32_t root, ParseOr());
      if (Peek().kind != Kind::kEnd) return Expected("AND, OR or the end of the expression");
      program_.root = root;
    }
    return std::move(program_);
  }

 private:
  const FilterToken& Peek(size_t ahead = 0) const {
    size_t index = std::min(next_ + ahead, tokens_.size() - 1);
    return tokens_[index];
  }
  const FilterToken& Take() {
    const FilterToken& token = tokens_[next_];
    if (next_ + 1 < tokens_.size()) ++next_;
    return token;
  }
  static bool IsWord(const FilterToken& token, std::string_view word) {
    return token.kind == Kind::kWord && EqualsIgnoreCase(token.text, word);
  }

  std::string Describe(const FilterToken& token) const {
    if (token.kind == Kind::kEnd) return "the end of the expression";
    constexpr size_t kShown = 30;
    std::string_view raw = text_.substr(token.begin, token.end - token.begin);
    if (raw.size() > kShown) return fmt::format("'{}...'", raw.substr(0, kShown));
    return fmt::format("'{}'", raw);
  }
  Status Expected(std::string_view what) const {
    return FilterSyntaxError(fmt::format("expected {}, found {}", what, Describe(Peek())),
                             Peek().begin);
  }
  Status Expect(Kind kind, std::string_view what) {
    if (Peek().kind != kind) return Expected(what);
    Take();
    return Status::Ok();
  }

  Status Enter() {
    if (++depth_ > kMaxFilterNesting) {
      return FilterSyntaxError(
          fmt::format("nesting deeper than {} levels of (), {{}} or !", kMaxFilterNesting),
          Peek().begin);
    }
    return Status::Ok();
  }
  void Leave() { --depth_; }

  int32_t Add(FilterNode node) {
    program_.nodes.push_back(std::move(node));
    return static_cast<int32_t>(program_.nodes.size() - 1);
  }
  int32_t Combine(FilterNodeKind kind, const std::vector<int32_t>& terms) {
    if (terms.size() == 1) return terms.front();
    FilterNode node;
    node.kind = kind;
    node.first = static_cast<uint32_t>(program_.children.size());
    node.count = static_cast<uint32_t>(terms.size());
    for (int32_t term : terms) program_.children.push_back(static_cast<uint32_t>(term));
    return Add(std::move(node));
  }

  bool StartsOperand(const FilterToken& token) const {
    switch (token.kind) {
      case Kind::kBang:
      case Kind::kLeftParen:
      case Kind::kAnnotation:
        return true;
      case Kind::kWord:
        return !IsWord(token, "AND") && !IsWord(token, "OR");
      default:
        return false;
    }
  }

  Result<int32_t> ParseOr() {
    std::vector<int32_t> terms;
    CK_ASSIGN_OR_RETURN(int32_t first, ParseAnd());
    terms.push_back(first);
    while (IsWord(Peek(), "OR") || Peek().kind == Kind::kOrOr) {
      Take();
      CK_ASSIGN_OR_RETURN(int32_t next, ParseAnd());
      terms.push_back(next);
    }
    return Combine(FilterNodeKind::kOr, terms);
  }

  // AND, &&, or two operands side by side ("ok !partial").
  Result<int32_t> ParseAnd() {
    std::vector<int32_t> terms;
    CK_ASSIGN_OR_RETURN(int32_t first, ParseUnary());
    terms.push_back(first);
    while (true) {
      if (IsWord(Peek(), "AND") || Peek().kind == Kind::kAndAnd) {
        Take();
      } else if (!StartsOperand(Peek())) {
        break;
      }
      CK_ASSIGN_OR_RETURN(int32_t next, ParseUnary());
      terms.push_back(next);
    }
    return Combine(FilterNodeKind::kAnd, terms);
  }

  Result<int32_t> ParseUnary() {
    if (Peek().kind == Kind::kBang || IsWord(Peek(), "NOT")) {
      Take();
      CK_RETURN_IF_ERROR(Enter());
      CK_ASSIGN_OR_RETURN(int32_t operand, ParseUnary());
      Leave();
      FilterNode node;
      node.kind = FilterNodeKind::kNot;
      node.first = static_cast<uint32_t>(operand);
      return Add(std::move(node));
    }
    return ParsePrimary();
  }

  Result<int32_t> ParsePrimary() {
    const FilterToken& token = Peek();
    switch (token.kind) {
      case Kind::kLeftParen: {
        Take();
        CK_RETURN_IF_ERROR(Enter());
        CK_ASSIGN_OR_RETURN(int32_t inner, ParseOr());
        CK_RETURN_IF_ERROR(Expect(Kind::kRightParen, "')'"));
        Leave();
        return inner;
      }
      case Kind::kAnnotation:
        return ParseAnnotation();
      case Kind::kWord:
        return ParseKeyword();
      default:
        return Expected("a keyword, '!' or '('");
    }
  }

  Result<int32_t> ParseKeyword() {
    const FilterToken& token = Peek();
    std::string_view word = token.text;
    if (auto field = Lookup(kBooleanKeywords, word)) return ParseBoolean(*field);
    if (auto field = Lookup(kNumberKeywords, word)) return ParseNumber(*field);
    if (auto field = Lookup(kStringKeywords, word)) return ParseString(*field);
    if (EqualsIgnoreCase(word, "service") || EqualsIgnoreCase(word, "edge")) {
      if (in_braces_) {
        return FilterSyntaxError(
            fmt::format("{}() cannot be used inside the braces of service() or edge()", word),
            token.begin);
      }
      return EqualsIgnoreCase(word, "service") ? ParseService() : ParseEdge();
    }
    if (EqualsIgnoreCase(word, "id")) {
      return FilterSyntaxError("id() can only name a node inside service() or edge()", token.begin);
    }
    if (EqualsIgnoreCase(word, "annotation") || EqualsIgnoreCase(word, "annotation.")) {
      return FilterSyntaxError("expected annotation.<key> or annotation[<key>]", token.begin);
    }
    if (IsWord(token, "AND") || IsWord(token, "OR")) {
      return Expected("a keyword, '!' or '(' before " + std::string(word));
    }
    for (std::string_view unsupported : kUnsupportedKeywords) {
      if (EqualsIgnoreCase(word, unsupported)) {
        return FilterSyntaxError(fmt::format("keyword '{}' is not supported", word), token.begin);
      }
    }
    if (StartsWithIgnoreCase(word, "rootcause.") || StartsWithIgnoreCase(word, "fault.") ||
        StartsWithIgnoreCase(word, "error.") || StartsWithIgnoreCase(word, "responsetime.")) {
      return FilterSyntaxError(fmt::format("root cause keyword '{}' is not supported", word),
                               token.begin);
    }
    return FilterSyntaxError(
        fmt::format("unknown keyword '{}' (expected ok, error, fault, throttle, partial, "
                    "inferred, responsetime, duration, http.status, http.url, http.method, "
                    "http.useragent, http.clientip, annotation.<key>, service() or edge())",
                    word),
        token.begin);
  }

  // true/false, bare or quoted.
  std::optional<bool> BooleanLiteral(const FilterToken& token) const {
    if (token.kind != Kind::kWord && token.kind != Kind::kString) return std::nullopt;
    if (EqualsIgnoreCase(token.text, "true")) return true;
    if (EqualsIgnoreCase(token.text, "false")) return false;
    return std::nullopt;
  }

  Result<int32_t> ParseBoolean(BooleanField field) {
    Take();
    FilterNode node;
    node.kind = FilterNodeKind::kBoolean;
    node.field = static_cast<int>(field);
    node.value_kind = FilterValueKind::kBoolean;
    node.boolean_value = true;
    if (Peek().kind == Kind::kEqual || Peek().kind == Kind::kNotEqual) {
      node.op = Take().kind == Kind::kEqual ? FilterOperator::kEqual : FilterOperator::kNotEqual;
      std::optional<bool> value = BooleanLiteral(Peek());
      if (!value) return Expected("true or false");
      Take();
      node.boolean_value = *value;
    } else if (IsComparison(Peek())) {
      return Expected("'=', '!=' or no operator after a boolean keyword");
    }
    return Add(std::move(node));
  }

  static std::optional<FilterOperator> NumberOperator(const FilterToken& token) {
    switch (token.kind) {
      case Kind::kEqual:
        return FilterOperator::kEqual;
      case Kind::kNotEqual:
        return FilterOperator::kNotEqual;
      case Kind::kLess:
        return FilterOperator::kLess;
      case Kind::kLessOrEqual:
        return FilterOperator::kLessOrEqual;
      case Kind::kGreater:
        return FilterOperator::kGreater;
      case Kind::kGreaterOrEqual:
        return FilterOperator::kGreaterOrEqual;
      default:
        return std::nullopt;
    }
  }
  static std::optional<FilterOperator> StringOperator(const FilterToken& token) {
    if (token.kind == Kind::kEqual) return FilterOperator::kEqual;
    if (token.kind == Kind::kNotEqual) return FilterOperator::kNotEqual;
    if (IsWord(token, "CONTAINS")) return FilterOperator::kContains;
    if (IsWord(token, "BEGINSWITH")) return FilterOperator::kBeginsWith;
    if (IsWord(token, "ENDSWITH")) return FilterOperator::kEndsWith;
    return std::nullopt;
  }
  static bool IsComparison(const FilterToken& token) {
    return NumberOperator(token).has_value() || StringOperator(token).has_value();
  }

  Result<int32_t> ParseNumber(NumberField field) {
    std::string keyword = Take().text;
    FilterNode node;
    node.kind = FilterNodeKind::kNumber;
    node.field = static_cast<int>(field);
    std::optional<FilterOperator> op = NumberOperator(Peek());
    if (!op) return Expected("=, !=, <, <=, > or >= after '" + keyword + "'");
    Take();
    if (Peek().kind != Kind::kNumber) return Expected("a number after the operator");
    node.op = *op;
    node.value_kind = FilterValueKind::kNumber;
    node.number_value = Take().number;
    return Add(std::move(node));
  }

  Result<int32_t> ParseString(StringField field) {
    std::string keyword = Take().text;
    FilterNode node;
    node.kind = FilterNodeKind::kString;
    node.field = static_cast<int>(field);
    std::optional<FilterOperator> op = StringOperator(Peek());
    if (!op) return Expected("=, !=, CONTAINS, BEGINSWITH or ENDSWITH after '" + keyword + "'");
    Take();
    if (Peek().kind != Kind::kString) return Expected("a string in double quotes");
    node.op = *op;
    node.value_kind = FilterValueKind::kString;
    node.string_value = Take().text;
    return Add(std::move(node));
  }

  Result<int32_t> ParseAnnotation() {
    FilterNode node;
    node.kind = FilterNodeKind::kAnnotation;
    node.annotation_key = Take().text;
    node.op = FilterOperator::kPresent;
    std::optional<FilterOperator> number_op = NumberOperator(Peek());
    std::optional<FilterOperator> string_op = StringOperator(Peek());
    if (!number_op && !string_op) return Add(std::move(node));
    const FilterToken& op_token = Take();
    std::string op_text(text_.substr(op_token.begin, op_token.end - op_token.begin));
    const FilterToken& value = Peek();
    if (value.kind == Kind::kString) {
      if (!string_op) return Expected("a number after '" + op_text + "'");
      node.op = *string_op;
      node.value_kind = FilterValueKind::kString;
      node.string_value = value.text;
    } else if (value.kind == Kind::kNumber) {
      if (!number_op) return Expected("a string after '" + op_text + "'");
      node.op = *number_op;
      node.value_kind = FilterValueKind::kNumber;
      node.number_value = value.number;
    } else if (std::optional<bool> flag = BooleanLiteral(value);
               flag && value.kind == Kind::kWord) {
      if (op_token.kind != Kind::kEqual && op_token.kind != Kind::kNotEqual) {
        return Expected("a " + std::string(number_op ? "number" : "string") + " after '" + op_text +
                        "'");
      }
      node.op = *number_op;
      node.value_kind = FilterValueKind::kBoolean;
      node.boolean_value = *flag;
    } else {
      return Expected("a string, number, true or false");
    }
    Take();
    return Add(std::move(node));
  }

  // "name" or id(name: "...", type: "...").
  Result<NodeSelector> ParseSelector() {
    NodeSelector selector;
    if (Peek().kind == Kind::kString) {
      selector.name = Take().text;
      return selector;
    }
    if (!IsWord(Peek(), "id")) return Expected("a service name in double quotes or id(...)");
    size_t id_begin = Take().begin;
    CK_RETURN_IF_ERROR(Expect(Kind::kLeftParen, "'(' after id"));
    while (Peek().kind != Kind::kRightParen) {
      if (selector.name || selector.type) {
        CK_RETURN_IF_ERROR(Expect(Kind::kComma, "',' or ')'"));
      }
      const FilterToken& field = Peek();
      std::optional<std::string>* slot = nullptr;
      if (IsWord(field, "name")) {
        slot = &selector.name;
      } else if (IsWord(field, "type")) {
        slot = &selector.type;
      } else if (field.kind == Kind::kWord) {
        return FilterSyntaxError(
            fmt::format("id() field '{}' is not supported (use name: or type:)", field.text),
            field.begin);
      } else {
        return Expected("name: or type:");
      }
      if (slot->has_value()) {
        return FilterSyntaxError(fmt::format("id() field '{}' given twice", field.text),
                                 field.begin);
      }
      Take();
      CK_RETURN_IF_ERROR(Expect(Kind::kColon, "':'"));
      if (Peek().kind != Kind::kString) return Expected("a string in double quotes");
      *slot = Take().text;
    }
    if (!selector.name && !selector.type) {
      return FilterSyntaxError("id() needs name: or type:", id_begin);
    }
    Take();  // ')'
    return selector;
  }

  // Optional "{ filter }" after service(...) or edge(...); sets node.inner.
  Status ParseBraces(FilterNode& node) {
    if (Peek().kind != Kind::kLeftBrace) return Status::Ok();
    Take();
    CK_RETURN_IF_ERROR(Enter());
    if (Peek().kind != Kind::kRightBrace) {
      in_braces_ = true;
      CK_ASSIGN_OR_RETURN(node.inner, ParseOr());
      in_braces_ = false;
    }
    CK_RETURN_IF_ERROR(Expect(Kind::kRightBrace, "'}'"));
    Leave();
    return Status::Ok();
  }

  Result<int32_t> ParseService() {
    Take();
    FilterNode node;
    node.kind = FilterNodeKind::kService;
    CK_RETURN_IF_ERROR(Expect(Kind::kLeftParen, "'(' after service"));
    if (Peek().kind != Kind::kRightParen) {
      CK_ASSIGN_OR_RETURN(node.target, ParseSelector());
    }
    CK_RETURN_IF_ERROR(Expect(Kind::kRightParen, "')'"));
    CK_RETURN_IF_ERROR(ParseBraces(node));
    return Add(std::move(node));
  }

  Result<int32_t> ParseEdge() {
    Take();
    FilterNode node;
    node.kind = FilterNodeKind::kEdge;
    CK_RETURN_IF_ERROR(Expect(Kind::kLeftParen, "'(' after edge"));
    if (Peek().kind == Kind::kRightParen) {
      return Expected("the source service of edge(source, destination)");
    }
    CK_ASSIGN_OR_RETURN(node.source, ParseSelector());
    CK_RETURN_IF_ERROR(Expect(Kind::kComma, "',' and the destination service"));
    CK_ASSIGN_OR_RETURN(node.target, ParseSelector());
    CK_RETURN_IF_ERROR(Expect(Kind::kRightParen, "')'"));
    CK_RETURN_IF_ERROR(ParseBraces(node));
    return Add(std::move(node));
  }

  std::string_view text_;
  std::vector<FilterToken> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
  bool in_braces_ = false;
  FilterProgram program_;
};

}  // namespace

Result<FilterProgram> ParseFilterProgram(std::string_view text) {
  if (text.size() > kMaxFilterExpressionBytes) {
    return InvalidArgument(
        fmt::format("Invalid filter expression: longer than {} bytes", kMaxFilterExpressionBytes));
  }
  CK_ASSIGN_OR_RETURN(std::vector<FilterToken> tokens, TokenizeFilter(text));
  return Parser(text, std::move(tokens)).Run();
}

}  // namespace ck::collector
