#include "collector/logs/filter_pattern_parser.h"

#include <charconv>
#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "collector/logs/filter_pattern.h"

namespace ck::collector::logs::filter_pattern_internal {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// CloudWatch's regex character set (see filter_pattern.h).
bool IsAllowedRegexChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c)) return true;
  return std::string_view(" :_#=@/;,-^$?[]{}|\\*+.").find(c) != std::string_view::npos;
}

class Parser {
 public:
  Parser(std::string_view text, Program* program) : text_(text), program_(program) {}

  Status Parse() {
    SkipBlanks();
    if (AtEnd()) return Status::Ok();
    if (Peek() == '{') return ParseJson();
    if (Peek() == '[') return ParseDelimited();
    return ParseTerms();
  }

 private:
  enum class Context { kJson, kDelimited };

  Status Error(std::string_view what) const { return ErrorAt(what, pos_); }
  static Status ErrorAt(std::string_view what, size_t position) {
    return InvalidArgument(
        fmt::format("Invalid filter pattern: {} at position {}", what, position + 1));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(text_[pos_])) ++pos_;
  }
  bool Consume(std::string_view token) {
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  // A case-insensitive keyword not followed by a name character.
  bool ConsumeKeyword(std::string_view word) {
    if (text_.size() - pos_ < word.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
      char c = text_[pos_ + i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (c != word[i]) return false;
    }
    if (IsNameChar(Peek(word.size()))) return false;
    pos_ += word.size();
    return true;
  }

  int AddNode(Node node) {
    program_->nodes.push_back(std::move(node));
    return static_cast<int>(program_->nodes.size() - 1);
  }

  // ---- terms ----

  Status ParseTerms() {
    program_->form = Form::kTerms;
    bool all_blank = true;
    while (true) {
      SkipBlanks();
      if (AtEnd()) break;
      Term term;
      if (Consume("?")) {
        term.role = Term::Role::kAny;
      } else if (Consume("-")) {
        term.role = Term::Role::kExcluded;
        SkipBlanks();
      }
      if (AtEnd() || IsBlank(Peek())) return Error("expected a term");
      if (Peek() == '"') {
        CK_ASSIGN_OR_RETURN(term.text, ParseQuoted());
        term.blank = term.text.find_first_not_of(' ') == std::string::npos;
      } else if (Peek() == '%') {
        CK_ASSIGN_OR_RETURN(term.regex, ParseRegex());
      } else {
        size_t start = pos_;
        while (!AtEnd() && !IsBlank(Peek())) ++pos_;
        term.text = std::string(text_.substr(start, pos_ - start));
      }
      all_blank = all_blank && term.blank && term.role == Term::Role::kRequired;
      program_->terms.push_back(std::move(term));
    }
    if (all_blank) {
      program_->form = Form::kEverything;
      program_->terms.clear();
    }
    return Status::Ok();
  }

  Result<std::string> ParseQuoted() {
    size_t start = pos_++;
    std::string out;
    while (!AtEnd() && Peek() != '"') {
      if (Peek() == '\\' && (Peek(1) == '"' || Peek(1) == '\\')) ++pos_;
      out.push_back(text_[pos_++]);
    }
    if (AtEnd()) return ErrorAt("unterminated quoted string", start);
    ++pos_;
    return out;
  }

  Result<int> ParseRegex() {
    size_t start = pos_++;
    size_t end = text_.find('%', pos_);
    if (end == std::string_view::npos) return ErrorAt("unterminated regex (missing %)", start);
    std::string_view body = text_.substr(pos_, end - pos_);
    if (body.empty()) return ErrorAt("empty regex", start);
    for (size_t i = 0; i < body.size(); ++i) {
      if (!IsAllowedRegexChar(body[i])) {
        pos_ += i;
        auto byte = static_cast<unsigned char>(body[i]);
        if (byte < 0x20 || byte >= 0x7f) {
          return Error("multi-byte and control characters are not supported in a regex");
        }
        return Error(fmt::format("'{}' is not supported in a regex", body[i]));
      }
    }
    if (static_cast<int>(program_->regexes.size()) >= kMaxFilterPatternRegexes) {
      return ErrorAt(fmt::format("more than {} regexes", kMaxFilterPatternRegexes), start);
    }
    re2::RE2::Options options;
    options.set_log_errors(false);
    options.set_max_mem(1 << 20);
    auto regex = std::make_unique<re2::RE2>(re2::StringPiece(body.data(), body.size()), options);
    if (!regex->ok()) return ErrorAt(fmt::format("invalid regex: {}", regex->error()), start);
    pos_ = end + 1;
    program_->regexes.push_back(std::move(regex));
    return static_cast<int>(program_->regexes.size() - 1);
  }

  // ---- conditions shared by the JSON and space-delimited forms ----

  Result<int> ParseOr(Context context, int depth) {
    CK_ASSIGN_OR_RETURN(int left, ParseAnd(context, depth));
    while (true) {
      SkipBlanks();
      if (!Consume("||")) return left;
      CK_ASSIGN_OR_RETURN(int right, ParseAnd(context, depth));
      Node node;
      node.kind = NodeKind::kOr;
      node.left = left;
      node.right = right;
      left = AddNode(std::move(node));
    }
  }

  Result<int> ParseAnd(Context context, int depth) {
    CK_ASSIGN_OR_RETURN(int left, ParseUnary(context, depth));
    while (true) {
      SkipBlanks();
      if (!Consume("&&")) return left;
      CK_ASSIGN_OR_RETURN(int right, ParseUnary(context, depth));
      Node node;
      node.kind = NodeKind::kAnd;
      node.left = left;
      node.right = right;
      left = AddNode(std::move(node));
    }
  }

  Result<int> ParseUnary(Context context, int depth) {
    SkipBlanks();
    if (Peek() == '(') {
      if (depth >= kMaxFilterPatternNesting) return Error("parentheses nested too deeply");
      ++pos_;
      CK_ASSIGN_OR_RETURN(int inner, ParseOr(context, depth + 1));
      SkipBlanks();
      if (!Consume(")")) return Error("expected ')'");
      return inner;
    }
    return context == Context::kJson ? ParseJsonCondition() : ParseDelimitedCondition();
  }

  Result<Op> ParseOp() {
    SkipBlanks();
    Op op;
    if (Consume("!=")) {
      op = Op::kNe;
    } else if (Consume("<=")) {
      op = Op::kLe;
    } else if (Consume(">=")) {
      op = Op::kGe;
    } else if (Consume("=")) {
      op = Op::kEq;
    } else if (Consume("<")) {
      op = Op::kLt;
    } else if (Consume(">")) {
      op = Op::kGt;
    } else {
      return Error("expected a comparison operator");
    }
    if (Peek() == '=') return Error("unexpected '='");
    return op;
  }

  Result<Literal> ParseLiteral(Op op, Context context) {
    SkipBlanks();
    size_t start = pos_;
    Literal literal;
    if (Peek() == '%') {
      literal.kind = Literal::Kind::kRegex;
      CK_ASSIGN_OR_RETURN(literal.regex, ParseRegex());
    } else if (Peek() == '"') {
      CK_ASSIGN_OR_RETURN(literal.text, ParseQuoted());
    } else {
      std::string_view stops = context == Context::kJson ? "()}&|\"" : "()}&|\",]";
      while (!AtEnd() && !IsBlank(Peek()) && stops.find(Peek()) == std::string_view::npos) ++pos_;
      literal.text = std::string(text_.substr(start, pos_ - start));
      if (literal.text.empty()) return Error("expected a value");
      if (ParseNumber(literal.text, &literal.number)) literal.kind = Literal::Kind::kNumber;
    }
    bool ordering = op != Op::kEq && op != Op::kNe;
    if (ordering && literal.kind != Literal::Kind::kNumber) {
      return ErrorAt("expected a number after <, <=, > or >=", start);
    }
    if (literal.kind == Literal::Kind::kText) {
      if (!literal.text.empty() && literal.text.front() == '*') {
        literal.leading_wildcard = true;
        literal.text.erase(0, 1);
      }
      if (!literal.text.empty() && literal.text.back() == '*') {
        literal.trailing_wildcard = true;
        literal.text.pop_back();
      }
    }
    return literal;
  }

  // ---- JSON ----

  Status ParseJson() {
    program_->form = Form::kJson;
    ++pos_;  // '{'
    CK_ASSIGN_OR_RETURN(program_->root, ParseOr(Context::kJson, 0));
    SkipBlanks();
    if (!Consume("}")) return Error("expected '}', '&&' or '||'");
    SkipBlanks();
    if (!AtEnd()) return Error("unexpected text after '}'");
    return Status::Ok();
  }

  Result<int> ParseJsonCondition() {
    Node node;
    node.position = pos_;
    if (!Consume("$")) return Error("expected a selector starting with '$'");
    while (true) {
      if (Consume(".")) {
        size_t start = pos_;
        while (IsNameChar(Peek())) ++pos_;
        if (pos_ == start) {
          return Error(Peek() == '*' ? "wildcard selectors are not supported"
                                     : "expected a property name");
        }
        node.selector.push_back(SelectorStep{std::string(text_.substr(start, pos_ - start))});
      } else if (Peek() == '[') {
        if (node.selector.empty()) return Error("an array index must follow a property");
        ++pos_;
        size_t start = pos_;
        while (IsDigit(Peek())) ++pos_;
        if (pos_ == start || pos_ - start > 9) return Error("expected an array index");
        SelectorStep step;
        step.is_index = true;
        std::from_chars(text_.data() + start, text_.data() + pos_, step.index);
        if (!Consume("]")) return Error("expected ']'");
        node.selector.push_back(std::move(step));
      } else {
        break;
      }
    }
    if (node.selector.empty()) return Error("expected '.' and a property name after '$'");
    SkipBlanks();
    if (ConsumeKeyword("IS")) {
      SkipBlanks();
      if (ConsumeKeyword("TRUE")) {
        node.kind = NodeKind::kIsTrue;
      } else if (ConsumeKeyword("FALSE")) {
        node.kind = NodeKind::kIsFalse;
      } else if (ConsumeKeyword("NULL")) {
        node.kind = NodeKind::kIsNull;
      } else {
        return Error("expected TRUE, FALSE or NULL after IS");
      }
    } else if (ConsumeKeyword("NOT")) {
      SkipBlanks();
      if (!ConsumeKeyword("EXISTS")) return Error("expected EXISTS after NOT");
      node.kind = NodeKind::kNotExists;
    } else {
      node.kind = NodeKind::kCompare;
      CK_ASSIGN_OR_RETURN(node.op, ParseOp());
      CK_ASSIGN_OR_RETURN(node.literal, ParseLiteral(node.op, Context::kJson));
    }
    return AddNode(std::move(node));
  }

  // ---- space-delimited ----

  Status ParseDelimited() {
    program_->form = Form::kDelimited;
    ++pos_;  // '['
    SkipBlanks();
    if (Peek() == ']') return Error("expected a field");
    while (true) {
      SkipBlanks();
      Slot& slot = program_->slots.emplace_back();
      if (Consume("...")) {
        slot.ellipsis = true;
        ++program_->ellipses;
      } else if (Peek() != ',' && Peek() != ']') {
        size_t start = pos_;
        while (IsNameChar(Peek())) ++pos_;
        std::string name(text_.substr(start, pos_ - start));
        SkipBlanks();
        if (!name.empty() && (Peek() == ',' || Peek() == ']')) {
          program_->slots.back().name = std::move(name);
        } else {
          pos_ = start;
          size_t first_node = program_->nodes.size();
          CK_ASSIGN_OR_RETURN(int condition, ParseOr(Context::kDelimited, 0));
          program_->slots.back().condition = condition;
          program_->slots.back().name = program_->nodes[FirstLeaf(first_node)].slot_name;
        }
      }
      SkipBlanks();
      if (Consume("]")) break;
      if (!Consume(",")) return Error(AtEnd() ? "expected ']'" : "expected ',' or ']'");
    }
    SkipBlanks();
    if (!AtEnd()) return Error("unexpected text after ']'");
    return ResolveSlots();
  }

  // The first comparison created at or after `first_node` (the leftmost one of a slot).
  size_t FirstLeaf(size_t first_node) const {
    for (size_t i = first_node; i < program_->nodes.size(); ++i) {
      if (program_->nodes[i].kind == NodeKind::kCompare) return i;
    }
    return first_node;
  }

  Result<int> ParseDelimitedCondition() {
    Node node;
    node.kind = NodeKind::kCompare;
    node.position = pos_;
    size_t start = pos_;
    while (IsNameChar(Peek())) ++pos_;
    if (pos_ == start) return Error("expected a field name");
    node.slot_name = std::string(text_.substr(start, pos_ - start));
    CK_ASSIGN_OR_RETURN(node.op, ParseOp());
    CK_ASSIGN_OR_RETURN(node.literal, ParseLiteral(node.op, Context::kDelimited));
    return AddNode(std::move(node));
  }

  // Points every condition at the slot it names: its own, or another named slot (which needs a
  // fixed alignment, so at most one ...).
  Status ResolveSlots() {
    auto& slots = program_->slots;
    for (size_t s = 0; s < slots.size(); ++s) {
      if (slots[s].condition < 0) continue;
      Status status = Status::Ok();
      ResolveTree(slots[s].condition, static_cast<int>(s), &status);
      CK_RETURN_IF_ERROR(status);
    }
    return Status::Ok();
  }

  void ResolveTree(int index, int own_slot, Status* status) {
    Node& node = program_->nodes[index];
    if (node.kind != NodeKind::kCompare) {
      ResolveTree(node.left, own_slot, status);
      if (status->ok()) ResolveTree(node.right, own_slot, status);
      return;
    }
    const auto& slots = program_->slots;
    if (node.slot_name == slots[own_slot].name) {
      node.slot = own_slot;
      return;
    }
    for (size_t s = 0; s < slots.size(); ++s) {
      if (!slots[s].ellipsis && slots[s].name == node.slot_name) {
        node.slot = static_cast<int>(s);
        break;
      }
    }
    if (node.slot < 0) {
      *status = ErrorAt(fmt::format("no field named '{}'", node.slot_name), node.position);
    } else if (program_->ellipses > 1) {
      *status = ErrorAt("with more than one '...', a condition can only test its own field",
                        node.position);
    }
  }

  std::string_view text_;
  Program* program_;
  size_t pos_ = 0;
};

}  // namespace

// An integer or decimal with an optional sign and exponent, nothing else ("1e3", "-0.5", "+7").
// Out-of-range exponents still count: they compare as +-infinity or zero.
bool ParseNumber(std::string_view text, double* out) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
  size_t digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (i != text.size()) return false;
  // The grammar above is a subset of what strtod reads in the "C" locale.
  std::string copy(text);
  *out = std::strtod(copy.c_str(), nullptr);
  return true;
}

Status ParseFilterPattern(Program* program) {
  Parser parser(program->text, program);
  return parser.Parse();
}

}  // namespace ck::collector::logs::filter_pattern_internal
