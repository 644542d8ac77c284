// The parsed form of an X-Ray filter expression (private to collector/query).
//
// A FilterProgram is a tree stored flat: nodes refer to each other by index, AND/OR nodes own a
// contiguous range of `children`. The parser (filter_parser.h) builds it once; FilterExpression
// evaluates it against many traces without allocating.
//
// Thread-safety: an immutable value once built.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ck::collector {

enum class FilterNodeKind {
  kAnd,         // children[first, first + count)
  kOr,          // children[first, first + count)
  kNot,         // operand = first
  kBoolean,     // boolean keyword compared with a boolean
  kNumber,      // number keyword compared with a number
  kString,      // string keyword compared with a string
  kAnnotation,  // annotation compared with a value, or tested for presence
  kService,     // service(selector) { inner }
  kEdge,        // edge(selector, selector) { inner }
};

enum class BooleanField { kOk, kError, kFault, kThrottle, kPartial, kInferred };
enum class NumberField { kResponseTime, kDuration, kHttpStatus };
enum class StringField { kHttpUrl, kHttpMethod, kHttpUserAgent, kHttpClientIp };

enum class FilterOperator {
  kEqual,
  kNotEqual,
  kLess,
  kLessOrEqual,
  kGreater,
  kGreaterOrEqual,
  kContains,
  kBeginsWith,
  kEndsWith,
  kPresent,  // annotations: the key exists (bare "annotation.key")
};

enum class FilterValueKind { kNone, kBoolean, kNumber, kString };

// A node in service() or edge(): "name" or id(name: ..., type: ...); empty matches any node.
struct NodeSelector {
  std::optional<std::string> name;
  std::optional<std::string> type;
};

struct FilterNode {
  FilterNodeKind kind = FilterNodeKind::kAnd;
  uint32_t first = 0;
  uint32_t count = 0;
  int32_t inner = -1;  // kService/kEdge: the filter inside the braces, -1 when none
  int field = 0;       // a BooleanField, NumberField or StringField
  FilterOperator op = FilterOperator::kEqual;
  FilterValueKind value_kind = FilterValueKind::kNone;
  bool boolean_value = false;
  double number_value = 0;
  std::string string_value;
  std::string annotation_key;
  NodeSelector source;  // kEdge
  NodeSelector target;  // kService, kEdge
};

struct FilterProgram {
  std::vector<FilterNode> nodes;
  std::vector<uint32_t> children;
  int32_t root = -1;  // -1: the empty expression
};

}  // namespace ck::collector
