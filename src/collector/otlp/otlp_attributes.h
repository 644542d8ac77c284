// OtlpAttributes: OTLP's repeated KeyValue as decoded from either wire format, and the lookups
// every signal's mapping needs (traces in otlp_trace_decoder.h, logs in otlp_logs_request.h).
//
// Values keep OTLP's AnyValue as JSON: stringValue -> string, boolValue -> bool, intValue ->
// integer, doubleValue -> number, arrayValue -> array, kvlistValue -> object, bytesValue ->
// base64 string, an empty AnyValue -> null. Keys should be unique; when a sender repeats one,
// every lookup here takes the last value, as a map built from the list would.
//
//   std::string service = OtlpServiceName(resource_attributes);   // "unknown_service" if unset
//   std::string method = OtlpAttributeString(span_attributes, "http.request.method");
//
// Thread-safety: value types and pure functions. Never fail.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ck::collector::otlp {

// Repeated KeyValue, in the order sent.
using OtlpAttributes = std::vector<std::pair<std::string, nlohmann::json>>;

// The service of a resource without a service.name attribute, as the OTel SDKs name it.
inline constexpr std::string_view kOtlpUnknownService = "unknown_service";

// The last value of `key`, or nullptr.
const nlohmann::json* FindOtlpAttribute(const OtlpAttributes& attributes, std::string_view key);

// The last value of `key` when it is a string, else "".
std::string OtlpAttributeString(const OtlpAttributes& attributes, std::string_view key);

// The resource attribute service.name, or kOtlpUnknownService when it is missing or empty.
std::string OtlpServiceName(const OtlpAttributes& resource_attributes);

// A JSON object of the attributes (the last value of a repeated key wins).
nlohmann::json OtlpAttributesToJson(const OtlpAttributes& attributes);

// The members of a JSON object as attributes, in key order (the inverse, for encoders).
OtlpAttributes OtlpAttributesFromJson(const nlohmann::json& object);

}  // namespace ck::collector::otlp
