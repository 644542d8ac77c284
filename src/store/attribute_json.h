// DynamoDB wire JSON <-> AttributeValue / Item, with DynamoDB's validation and messages.
//
// Decoding takes a parsed JSON value (nlohmann::json) holding one wire AttributeValue such as
// {"S":"x"} or {"M":{"a":{"N":"1"}}}, or an attribute map (an item, a key, a values table), and
// returns the in-memory model: numbers normalised (NormalizeNumber), binaries base64-decoded, sets
// checked for emptiness and duplicates, nesting limited to 32 levels. Empty strings and binaries
// are accepted (DynamoDB allows them outside keys; key checks live in the protocol layer).
//
// Encoding appends compact wire JSON to a string (the hot path of every response), or returns a
// nlohmann::json for callers that build documents.
//
//   CK_ASSIGN_OR_RETURN(Item item, ItemFromJson(request["Item"]));
//   std::string body;
//   AppendItemJson(item, body);   // {"ckid":{"S":"x"},...}
//
// Failure: two kinds, told apart by the Status code so the protocol layer can shape them:
//   kInvalidArgument — DynamoDB's ValidationException message, verbatim, e.g.
//     "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
//   kUnimplemented   — a JSON type DynamoDB's deserialiser cannot convert (SerializationException),
//     e.g. "NUMBER_VALUE cannot be converted to String". See IsSerializationError().
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/attribute_value.h"

namespace ck::store {

// Maximum depth of nested M/L values (DynamoDB's limit).
inline constexpr int kMaxAttributeNestingDepth = 32;

// A Status carrying a SerializationException message (code kUnimplemented).
Status SerializationError(std::string message);
bool IsSerializationError(const Status& status);

// One wire AttributeValue ({"S":"x"}).
Result<AttributeValue> AttributeValueFromJson(const nlohmann::json& json);
// A wire attribute map ({"name":{"S":"x"},...}); `json` must be an object (SerializationException
// otherwise).
Result<Item> ItemFromJson(const nlohmann::json& json);

// Scalars as DynamoDB's deserialiser converts them, for any request member (SerializationException
// messages on mismatch): a string; a boolean (also "true"/"yes"/"1" ... as strings).
Result<std::string> WireString(const nlohmann::json& json);
Result<bool> WireBoolean(const nlohmann::json& json);
// "NUMBER_VALUE cannot be converted to <type>" and the like, for a JSON scalar of the wrong kind.
std::string WireScalarMismatch(const nlohmann::json& json, std::string_view type);

// Decodes an item this process wrote itself with AppendItemJson (no validation, no number
// normalisation), reading the text directly into the model without a JSON tree: it is on the
// path of every read. Used by the storage engine for stored items; errors only for corrupt text
// (kInternal, naming the byte offset).
Result<Item> ItemFromStoredJson(std::string_view text);

// Appends the compact wire JSON of a value / of an attribute map.
void AppendAttributeValueJson(const AttributeValue& value, std::string& out);
void AppendItemJson(const Item& item, std::string& out);
std::string ItemToJsonText(const Item& item);
// The same as nlohmann::json documents.
nlohmann::json AttributeValueToJson(const AttributeValue& value);
nlohmann::json ItemToJson(const Item& item);

// Appends `text` as a JSON string literal (quotes included), escaping as RFC 8259 requires.
void AppendJsonString(std::string_view text, std::string& out);

}  // namespace ck::store
