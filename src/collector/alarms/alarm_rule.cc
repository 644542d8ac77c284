#include "collector/alarms/alarm_rule.h"

#include <algorithm>
#include <set>
#include <utility>

namespace ck::collector {
namespace {

bool IsWordChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

// A short, printable rendering of what the parser found, for error messages.
std::string Found(std::string_view rest) {
  if (rest.empty()) return "end of rule";
  std::string word;
  if (IsWordChar(rest.front())) {
    for (char c : rest) {
      if (!IsWordChar(c) || word.size() >= 32) break;
      word.push_back(c);
    }
  } else {
    const unsigned char c = static_cast<unsigned char>(rest.front());
    if (c >= 0x20 && c < 0x7f) {
      word = std::string(1, static_cast<char>(c));
    } else {
      constexpr char kHex[] = "0123456789abcdef";
      word = {'\\', 'x', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return "'" + word + "'";
}

}  // namespace

std::optional<std::string> AlarmNameFromReference(std::string_view reference) {
  if (!reference.starts_with("arn:")) return std::string(reference);
  const size_t at = reference.find(":alarm:");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view name = reference.substr(at + 7);
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

class AlarmRule::Parser {
 public:
  Parser(std::string_view text, AlarmRule* rule) : text_(text), rule_(rule) {}

  Status Run() {
    SkipSpace();
    if (pos_ == text_.size()) return Error("empty rule");
    auto root = ParseOr(0);
    if (!root.ok()) return root.status();
    SkipSpace();
    if (pos_ != text_.size())
      return Error("expected AND, OR or end of rule, found " + Found(Rest()));
    rule_->root_ = *root;
    return Status::Ok();
  }

 private:
  std::string_view Rest() const { return text_.substr(pos_); }

  void SkipSpace() {
    while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
  }

  Status Error(const std::string& what) const { return ErrorAt(pos_, what); }
  static Status ErrorAt(size_t pos, const std::string& what) {
    return InvalidArgument("Invalid AlarmRule: " + what + " at position " +
                           std::to_string(pos + 1));
  }

  // Consumes `word` if the input continues with it as a whole word.
  bool TakeWord(std::string_view word) {
    SkipSpace();
    if (!Rest().starts_with(word)) return false;
    size_t end = pos_ + word.size();
    if (end < text_.size() && IsWordChar(text_[end])) return false;
    pos_ = end;
    return true;
  }

  bool TakeChar(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  int32_t Add(Node node) {
    rule_->nodes_.push_back(std::move(node));
    return static_cast<int32_t>(rule_->nodes_.size() - 1);
  }

  Status CountElement() {
    if (++elements_ > kMaxAlarmRuleElements) {
      return InvalidArgument("AlarmRule can contain at most " +
                             std::to_string(kMaxAlarmRuleElements) + " elements");
    }
    return Status::Ok();
  }

  Result<int32_t> ParseBinary(size_t depth, Kind kind, std::string_view keyword) {
    auto first = kind == Kind::kOr ? ParseBinary(depth, Kind::kAnd, "AND") : ParseUnary(depth);
    if (!first.ok()) return first;
    if (!TakeWord(keyword)) return first;
    Node node;
    node.kind = kind;
    node.children.push_back(*first);
    do {
      auto next = kind == Kind::kOr ? ParseBinary(depth, Kind::kAnd, "AND") : ParseUnary(depth);
      if (!next.ok()) return next;
      node.children.push_back(*next);
    } while (TakeWord(keyword));
    return Add(std::move(node));
  }

  Result<int32_t> ParseOr(size_t depth) { return ParseBinary(depth, Kind::kOr, "OR"); }

  Result<int32_t> ParseUnary(size_t depth) {
    if (depth >= kMaxAlarmRuleNesting) {
      return Error("nesting deeper than " + std::to_string(kMaxAlarmRuleNesting) + " levels");
    }
    if (TakeWord("NOT")) {
      auto operand = ParseUnary(depth + 1);
      if (!operand.ok()) return operand;
      Node node;
      node.kind = Kind::kNot;
      node.children.push_back(*operand);
      return Add(std::move(node));
    }
    return ParsePrimary(depth);
  }

  Result<int32_t> ParsePrimary(size_t depth) {
    SkipSpace();
    if (TakeChar('(')) {
      CK_RETURN_IF_ERROR(CountElement());
      auto inner = ParseOr(depth + 1);
      if (!inner.ok()) return inner;
      if (!TakeChar(')')) return Error("expected ')', found " + Found(Rest()));
      return inner;
    }
    for (bool value : {true, false}) {
      if (TakeWord(value ? "TRUE" : "FALSE")) {
        CK_RETURN_IF_ERROR(CountElement());
        Node node;
        node.kind = Kind::kConstant;
        node.constant = value;
        return Add(std::move(node));
      }
    }
    for (AlarmState state : {AlarmState::kAlarm, AlarmState::kOk, AlarmState::kInsufficientData}) {
      if (TakeWord(AlarmStateName(state))) return ParseFunction(state);
    }
    return Error("expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or '(', found " +
                 Found(Rest()));
  }

  Result<int32_t> ParseFunction(AlarmState state) {
    if (!TakeChar('(')) return Error("expected '(', found " + Found(Rest()));
    CK_RETURN_IF_ERROR(CountElement());
    SkipSpace();
    const size_t name_start = pos_;
    std::string_view reference;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      const size_t close = text_.find('"', pos_ + 1);
      if (close == std::string_view::npos) return Error("unterminated alarm name");
      reference = text_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
    } else {
      const size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ')' && text_[pos_] != '(' &&
             text_[pos_] != '"') {
        ++pos_;
      }
      reference = Trim(text_.substr(start, pos_ - start));
    }
    if (reference.empty()) return Error("expected an alarm name");
    for (char c : reference) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
        return ErrorAt(name_start, "alarm names must be printable ASCII");
      }
    }
    std::optional<std::string> name = AlarmNameFromReference(reference);
    if (!name) return ErrorAt(name_start, "invalid alarm ARN");
    if (!TakeChar(')')) return Error("expected ')', found " + Found(Rest()));
    Node node;
    node.kind = Kind::kStateFunction;
    node.state = state;
    node.alarm = std::move(*name);
    return Add(std::move(node));
  }

  std::string_view text_;
  AlarmRule* rule_;
  size_t pos_ = 0;
  size_t elements_ = 0;
};

Result<AlarmRule> AlarmRule::Parse(std::string_view text) {
  if (text.size() > kMaxAlarmRuleLength) {
    return InvalidArgument(
        "1 validation error detected: Value at 'alarmRule' failed to satisfy constraint: Member "
        "must have length less than or equal to " +
        std::to_string(kMaxAlarmRuleLength));
  }
  AlarmRule rule;
  rule.text_ = std::string(text);
  Parser parser(text, &rule);
  CK_RETURN_IF_ERROR(parser.Run());
  std::set<std::string> names;
  for (const Node& node : rule.nodes_) {
    if (node.kind == Kind::kStateFunction) names.insert(node.alarm);
  }
  if (names.size() > kMaxAlarmRuleChildren) {
    return InvalidArgument("AlarmRule can reference at most " +
                           std::to_string(kMaxAlarmRuleChildren) + " alarms");
  }
  rule.referenced_.assign(names.begin(), names.end());
  return rule;
}

bool AlarmRule::Evaluate(const AlarmStateLookup& state_of) const {
  return root_ >= 0 && EvaluateNode(root_, state_of);
}

bool AlarmRule::EvaluateNode(int32_t index, const AlarmStateLookup& state_of) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Kind::kConstant:
      return node.constant;
    case Kind::kStateFunction: {
      std::optional<AlarmState> state = state_of(node.alarm);
      return state && *state == node.state;
    }
    case Kind::kNot:
      return !EvaluateNode(node.children[0], state_of);
    case Kind::kAnd:
      return std::all_of(node.children.begin(), node.children.end(),
                         [&](int32_t child) { return EvaluateNode(child, state_of); });
    case Kind::kOr:
      return std::any_of(node.children.begin(), node.children.end(),
                         [&](int32_t child) { return EvaluateNode(child, state_of); });
  }
  return false;
}

std::vector<std::string> AlarmRule::ContributingAlarms(const AlarmStateLookup& state_of,
                                                       bool outcome) const {
  std::vector<std::string> out;
  if (root_ >= 0) CollectContributing(root_, state_of, false, outcome, &out);
  return out;
}

void AlarmRule::CollectContributing(int32_t index, const AlarmStateLookup& state_of, bool negated,
                                    bool outcome, std::vector<std::string>* out) const {
  const Node& node = nodes_[index];
  if (node.kind == Kind::kStateFunction) {
    if ((EvaluateNode(index, state_of) != negated) == outcome &&
        std::find(out->begin(), out->end(), node.alarm) == out->end()) {
      out->push_back(node.alarm);
    }
    return;
  }
  const bool child_negated = node.kind == Kind::kNot ? !negated : negated;
  for (int32_t child : node.children) {
    CollectContributing(child, state_of, child_negated, outcome, out);
  }
}

}  // namespace ck::collector
