#include "collector/logs/filter_pattern.h"

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "collector/logs/filter_pattern_parser.h"

namespace ck::collector::logs {
namespace {

using nlohmann::json;
using namespace filter_pattern_internal;  // NOLINT(google-build-using-namespace): one program type

bool MatchText(const Literal& literal, std::string_view text) {
  std::string_view wanted = literal.text;
  if (literal.leading_wildcard && literal.trailing_wildcard) {
    return text.find(wanted) != std::string_view::npos;
  }
  if (literal.leading_wildcard) return text.ends_with(wanted);
  if (literal.trailing_wildcard) return text.starts_with(wanted);
  return text == wanted;
}

bool CompareNumbers(Op op, double value, double wanted) {
  switch (op) {
    case Op::kEq:
      return value == wanted;
    case Op::kNe:
      return value != wanted;
    case Op::kLt:
      return value < wanted;
    case Op::kLe:
      return value <= wanted;
    case Op::kGt:
      return value > wanted;
    case Op::kGe:
      return value >= wanted;
  }
  return false;
}

// Splits a space-delimited message into fields; [...] and "..." enclose one field each.
std::vector<std::string_view> SplitFields(std::string_view message) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (true) {
    while (i < message.size() && IsBlank(message[i])) ++i;
    if (i >= message.size()) break;
    char open = message[i];
    if (open == '[' || open == '"') {
      char close = open == '[' ? ']' : '"';
      size_t end = message.find(close, i + 1);
      if (end == std::string_view::npos) end = message.size();
      fields.push_back(message.substr(i + 1, end - i - 1));
      i = end + 1;
      continue;
    }
    size_t start = i;
    while (i < message.size() && !IsBlank(message[i])) ++i;
    fields.push_back(message.substr(start, i - start));
  }
  return fields;
}

// Evaluates the condition tree at `index`; leaf(node) answers comparisons and tests.
template <typename Leaf>
bool Evaluate(const Program& program, int index, const Leaf& leaf) {
  const Node& node = program.nodes[index];
  if (node.kind == NodeKind::kAnd) {
    return Evaluate(program, node.left, leaf) && Evaluate(program, node.right, leaf);
  }
  if (node.kind == NodeKind::kOr) {
    return Evaluate(program, node.left, leaf) || Evaluate(program, node.right, leaf);
  }
  return leaf(node);
}

bool Compare(const Program& program, const Node& node, std::string_view value,
             const double* number) {
  const Literal& literal = node.literal;
  if (literal.kind == Literal::Kind::kNumber) {
    double actual = 0;
    if (number != nullptr) {
      actual = *number;
    } else if (!ParseNumber(value, &actual)) {
      return node.op == Op::kNe;
    }
    return CompareNumbers(node.op, actual, literal.number);
  }
  bool match = literal.kind == Literal::Kind::kRegex
                   ? re2::RE2::PartialMatch(re2::StringPiece(value.data(), value.size()),
                                            *program.regexes[literal.regex])
                   : MatchText(literal, value);
  return node.op == Op::kEq ? match : !match;
}

bool MatchesTerms(const Program& program, std::string_view message) {
  bool any_terms = false;
  bool any_present = false;
  for (const Term& term : program.terms) {
    bool occurs =
        term.blank ||
        (term.regex >= 0 ? re2::RE2::PartialMatch(re2::StringPiece(message.data(), message.size()),
                                                  *program.regexes[term.regex])
                         : message.find(term.text) != std::string_view::npos);
    switch (term.role) {
      case Term::Role::kRequired:
        if (!occurs) return false;
        break;
      case Term::Role::kExcluded:
        if (occurs) return false;
        break;
      case Term::Role::kAny:
        any_terms = true;
        any_present = any_present || occurs;
        break;
    }
  }
  return !any_terms || any_present;
}

bool JsonLeaf(const Program& program, const Node& node, const json& document) {
  const bool missing = node.kind == NodeKind::kNotExists;
  const json* value = &document;
  for (const SelectorStep& step : node.selector) {
    if (step.is_index) {
      if (!value->is_array() || step.index >= value->size()) return missing;
      value = &(*value)[step.index];
    } else {
      if (!value->is_object()) return missing;
      auto it = value->find(step.key);
      if (it == value->end()) return missing;
      value = &*it;
    }
  }
  switch (node.kind) {
    case NodeKind::kNotExists:
      return false;
    case NodeKind::kIsTrue:
      return value->is_boolean() && value->get<bool>();
    case NodeKind::kIsFalse:
      return value->is_boolean() && !value->get<bool>();
    case NodeKind::kIsNull:
      return value->is_null();
    default:
      break;
  }
  if (value->is_string()) {
    return Compare(program, node, value->get_ref<const std::string&>(), nullptr);
  }
  if (!value->is_number()) return false;  // objects, arrays, booleans and null never compare
  double number = value->get<double>();
  if (node.literal.kind == Literal::Kind::kNumber) return Compare(program, node, {}, &number);
  return Compare(program, node, value->dump(), &number);
}

bool MatchesJson(const Program& program, std::string_view message) {
  size_t start = message.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || message[start] != '{') return false;
  json document;
  try {
    document = json::parse(message, nullptr, /*allow_exceptions=*/false);
  } catch (const json::exception&) {
    return false;
  }
  if (!document.is_object()) return false;
  return Evaluate(program, program.root,
                  [&](const Node& node) { return JsonLeaf(program, node, document); });
}

bool MatchesDelimited(const Program& program, std::string_view message) {
  const std::vector<Slot>& slots = program.slots;
  std::vector<std::string_view> fields = SplitFields(message);
  const size_t fixed = slots.size() - static_cast<size_t>(program.ellipses);
  if (program.ellipses <= 1) {
    // One alignment: slots before the ... take the first fields, slots after it the last ones.
    if (program.ellipses == 0 ? fields.size() != fixed : fields.size() < fixed) return false;
    std::vector<size_t> field_of(slots.size(), 0);
    size_t next = 0;
    for (size_t s = 0; s < slots.size(); ++s) {
      if (slots[s].ellipsis) {
        next = fields.size() - (slots.size() - s - 1);
      } else {
        field_of[s] = next++;
      }
    }
    auto leaf = [&](const Node& node) {
      return Compare(program, node, fields[field_of[node.slot]], nullptr);
    };
    for (const Slot& slot : slots) {
      if (slot.condition >= 0 && !Evaluate(program, slot.condition, leaf)) return false;
    }
    return true;
  }
  // Several ...: reachable[j] says whether the slots so far can consume exactly j fields.
  std::vector<char> reachable(fields.size() + 1, 0);
  std::vector<char> next(fields.size() + 1, 0);
  reachable[0] = 1;
  for (const Slot& slot : slots) {
    if (slot.ellipsis) {
      char any = 0;
      for (size_t j = 0; j <= fields.size(); ++j) {
        any = static_cast<char>(any | reachable[j]);
        next[j] = any;
      }
    } else {
      next[0] = 0;
      for (size_t j = 0; j < fields.size(); ++j) {
        bool holds = reachable[j] != 0;
        if (holds && slot.condition >= 0) {
          holds = Evaluate(program, slot.condition, [&](const Node& node) {
            return Compare(program, node, fields[j], nullptr);
          });
        }
        next[j + 1] = holds ? 1 : 0;
      }
    }
    reachable.swap(next);
  }
  return reachable[fields.size()] != 0;
}

}  // namespace

FilterPattern::FilterPattern() : program_(std::make_shared<Program>()) {}

FilterPattern::FilterPattern(std::shared_ptr<const Program> program)
    : program_(std::move(program)) {}

Result<FilterPattern> FilterPattern::Parse(std::string_view text) {
  if (text.size() > kMaxFilterPatternBytes) {
    return InvalidArgument(
        fmt::format("Invalid filter pattern: longer than {} characters", kMaxFilterPatternBytes));
  }
  auto program = std::make_shared<Program>();
  program->text = std::string(text);
  CK_RETURN_IF_ERROR(ParseFilterPattern(program.get()));
  return FilterPattern(std::move(program));
}

bool FilterPattern::Matches(std::string_view message) const {
  switch (program_->form) {
    case Form::kEverything:
      return true;
    case Form::kTerms:
      return MatchesTerms(*program_, message);
    case Form::kJson:
      return MatchesJson(*program_, message);
    case Form::kDelimited:
      return MatchesDelimited(*program_, message);
  }
  return false;
}

std::optional<std::string> FilterPattern::TraceIdEquality() const {
  if (program_->form != Form::kJson) return std::nullopt;
  const Node& node = program_->nodes[program_->root];
  if (node.kind != NodeKind::kCompare || node.op != Op::kEq || node.selector.size() != 1 ||
      node.selector[0].is_index || node.selector[0].key != "trace_id") {
    return std::nullopt;
  }
  const Literal& literal = node.literal;
  if (literal.kind != Literal::Kind::kText || literal.leading_wildcard ||
      literal.trailing_wildcard || literal.text.empty()) {
    return std::nullopt;
  }
  return literal.text;
}

bool FilterPattern::MatchesEverything() const { return program_->form == Form::kEverything; }

const std::string& FilterPattern::text() const { return program_->text; }

}  // namespace ck::collector::logs
