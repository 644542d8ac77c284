// Client-side marshalling between ck::store::AttributeValue / Item and DynamoDB's wire JSON
// ({"S":"x"}, {"N":"1"}, {"B":"<base64>"}, {"M":{...}}, ...).
//
// Deliberately independent of the server's store/attribute_json: the client and the server share
// the wire format, not a code path, so a bug on one side cannot hide the same bug on the other.
// Unlike the server, the client does not validate or normalise numbers: N and NS members keep
// whatever number text the peer sent (e.g. "1E+2"), so compare numbers numerically, not by text.
//
//   nlohmann::json wire = ItemToWire(item);
//   CK_ASSIGN_OR_RETURN(store::Item back, ItemFromWire(response["Item"]));
//
// Thread-safety: pure functions.
// Failure modes: kInvalidArgument naming the path and the problem ("Item.tags.SS[1]: expected a
// string") for anything that is not a well-formed AttributeValue.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/attribute_value.h"

namespace ck::aws {

using store::AttributeValue;
using store::Item;

nlohmann::json ToWire(const AttributeValue& value);
nlohmann::json ItemToWire(const Item& item);

// `where` prefixes error messages (e.g. "Item").
Result<AttributeValue> FromWire(const nlohmann::json& wire, std::string_view where = "value");
Result<Item> ItemFromWire(const nlohmann::json& wire, std::string_view where = "item");

// Convenience constructors for request values.
AttributeValue Str(std::string text);
AttributeValue Num(int64_t number);
// Number text is sent as given; DynamoDB validates it.
AttributeValue Num(std::string number_text);

}  // namespace ck::aws
