// The compiled form of a FilterPattern (filter_pattern.h) and the parser that builds it.
//
// Internal to collector/logs: FilterPattern::Parse calls ParseFilterPattern and matches messages
// against the Program it fills. A Program is one of four forms; JSON and space-delimited
// conditions are trees of Nodes in one vector (children by index), regexes are compiled once.
//
// Failure modes: ParseFilterPattern returns InvalidArgument "Invalid filter pattern: <what> at
// position <n>" (1-based) and leaves the Program partly filled (discard it).
// Thread-safety: a Program is immutable once parsed and may be read concurrently.
#pragma once

#include <re2/re2.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::collector::logs::filter_pattern_internal {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };

// The right-hand side of a comparison.
struct Literal {
  enum class Kind { kText, kNumber, kRegex };
  Kind kind = Kind::kText;
  std::string text;  // kText: without its wildcards; kNumber: as written
  bool leading_wildcard = false;
  bool trailing_wildcard = false;
  double number = 0;
  int regex = -1;  // index into Program::regexes
};

struct SelectorStep {
  std::string key;
  size_t index = 0;
  bool is_index = false;
};

enum class NodeKind { kAnd, kOr, kCompare, kIsTrue, kIsFalse, kIsNull, kNotExists };

// One node of a JSON or space-delimited condition tree.
struct Node {
  NodeKind kind = NodeKind::kCompare;
  int left = -1;
  int right = -1;
  std::vector<SelectorStep> selector;  // JSON
  std::string slot_name;               // delimited: the field the condition names
  int slot = -1;                       // delimited: that field's slot, once resolved
  size_t position = 0;                 // for errors found after parsing
  Op op = Op::kEq;
  Literal literal;
};

struct Term {
  enum class Role { kRequired, kAny, kExcluded };
  Role role = Role::kRequired;
  std::string text;
  int regex = -1;
  bool blank = false;  // "" or " ": occurs in every message
};

struct Slot {
  bool ellipsis = false;
  std::string name;    // empty for an anonymous slot
  int condition = -1;  // root node, or -1 for a slot without conditions
};

enum class Form { kEverything, kTerms, kJson, kDelimited };

struct Program {
  Form form = Form::kEverything;
  std::string text;
  std::vector<Term> terms;                         // kTerms
  std::vector<Node> nodes;                         // kJson and kDelimited
  int root = -1;                                   // kJson
  std::vector<Slot> slots;                         // kDelimited
  int ellipses = 0;                                // kDelimited: how many slots are ...
  std::vector<std::unique_ptr<re2::RE2>> regexes;  // by Literal::regex and Term::regex
};

inline bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// An integer or decimal with an optional sign and exponent, nothing else ("1e3", "-0.5", "+7").
// Out-of-range exponents still count: they compare as +-infinity or zero.
bool ParseNumber(std::string_view text, double* out);

// Parses `program->text` into `program`.
Status ParseFilterPattern(Program* program);

}  // namespace ck::collector::logs::filter_pattern_internal
