// Request decoding helpers: body parsing and typed access to request members, with DynamoDB's
// SerializationException and ValidationException wording.
//
// ParseRequestBody turns the HTTP body into a JSON document, rejecting malformed JSON and absurd
// nesting before the (recursive) parser sees it, so any byte string yields a clean error — this
// is the fuzzing entry point for the JSON layer. FieldReader reads one JSON object's members the
// way DynamoDB's Java deserialiser does: absent and null members are "not present", wrong JSON
// types are SerializationExceptions. ConstraintErrors collects "Value 'x' at 'tableName' failed to
// satisfy constraint: ..." findings into DynamoDB's "N validation errors detected: ..." message.
//
// Thread-safety: pure functions and single-request value types.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::store::api {

using nlohmann::json;

// Nesting deeper than this is rejected before parsing (DynamoDB's own limit on values is 32).
inline constexpr int kMaxJsonNesting = 128;

// The request document; SerializationException for invalid JSON or a non-object body.
Result<json> ParseRequestBody(std::string_view body);

class FieldReader {
 public:
  explicit FieldReader(const json& object) : object_(object) {}

  // The member, or nullptr when absent or null.
  const json* Find(std::string_view name) const;

  Result<std::optional<std::string>> String(std::string_view name) const;
  Result<std::optional<bool>> Boolean(std::string_view name) const;
  // `java_type` names the type in messages: "Integer" or "Long".
  Result<std::optional<int64_t>> Integer(std::string_view name,
                                         std::string_view java_type = "Integer") const;
  // A structure member (`shape` names it in messages, e.g. "ProvisionedThroughput").
  Result<const json*> Structure(std::string_view name, std::string_view shape) const;
  Result<const json*> List(std::string_view name) const;
  // A map member; `value_type` is the Java value type in messages, e.g.
  // "com.amazonaws.dynamodb.v20120810.AttributeValue" or "java.lang.String".
  Result<const json*> Map(std::string_view name, std::string_view value_type) const;
  // A map of strings (ExpressionAttributeNames).
  Result<std::optional<std::vector<std::pair<std::string, std::string>>>> StringMap(
      std::string_view name) const;
  // A list of strings (NonKeyAttributes, AttributesToGet).
  Result<std::optional<std::vector<std::string>>> StringList(std::string_view name) const;

 private:
  const json& object_;
};

// Checks a value that must itself be a structure (list element), as FieldReader::Structure does.
Status ExpectStructure(const json& value, std::string_view shape);

class ConstraintErrors {
 public:
  // `value` is the offending value as DynamoDB prints it (nullopt prints `null`); `path` the
  // lower-camel member path, e.g. "tableName" or "keySchema.1.member.attributeName".
  void Add(const std::optional<std::string>& value, std::string_view path,
           std::string_view constraint);
  // Table or index names: pattern [a-zA-Z0-9_.-]+ and length 3..255.
  void CheckName(const std::optional<std::string>& value, std::string_view path, bool required);
  void CheckRequired(bool present, std::string_view path);
  // Enum membership: "Member must satisfy enum value set: [A, B]".
  void CheckEnum(const std::optional<std::string>& value, std::string_view path,
                 const std::vector<std::string_view>& allowed);
  void CheckMin(const std::optional<int64_t>& value, std::string_view path, int64_t minimum);
  void CheckMax(const std::optional<int64_t>& value, std::string_view path, int64_t maximum);

  bool empty() const { return errors_.empty(); }
  // OK when nothing was found; otherwise a kInvalidArgument with DynamoDB's summary message.
  Status ToStatus() const;

 private:
  std::vector<std::string> errors_;
};

// The TableName rule of the table-level operations (CreateTable, DescribeTable, UpdateTable,
// DeleteTable, DescribeTimeToLive, UpdateTimeToLive), which DynamoDB applies before its constraint
// checks: absent -> "The parameter 'TableName' is required but was not present in the request";
// outside 3..255 characters -> "TableName must be at least 3 characters long and at most 255
// characters long". The character pattern is left to ConstraintErrors::CheckName. Item operations
// (GetItem & co) report a missing name as a constraint error instead: "Value null at 'tableName'
// failed to satisfy constraint: Member must not be null".
Status CheckTableLevelName(const std::optional<std::string>& name);

// The ReturnConsumedCapacity enum check, shared by every data-plane operation.
inline const std::vector<std::string_view> kReturnConsumedCapacityValues = {"INDEXES", "TOTAL",
                                                                            "NONE"};

}  // namespace ck::store::api
