#include "collector/model/simdjson_document.h"

#include <cstdint>

namespace ck::collector {

namespace dom = simdjson::dom;
using nlohmann::json;

// A thread keeps its parser's buffers between parses up to this size of document; after a
// larger one they are released at the next parse of a smaller one, so one big OTLP body does not
// pin its parse buffers for the life of the thread.
constexpr size_t kKeptCapacityBytes = 1 << 20;

simdjson::error_code ParseWithSimdjson(std::string_view text, dom::element* root) {
  thread_local dom::parser parser;
  thread_local std::string padded;
  if (text.size() <= kKeptCapacityBytes && parser.capacity() > kKeptCapacityBytes) {
    parser = dom::parser();
    padded = std::string();
  }
  padded.assign(text);
  padded.resize(text.size() + simdjson::SIMDJSON_PADDING, '\0');
  return parser.parse(padded.data(), text.size(), /*realloc_if_needed=*/false).get(*root);
}

json SimdjsonToJson(dom::element element, std::string_view skip) {
  switch (element.type()) {
    case dom::element_type::OBJECT: {
      json object = json::object();
      const dom::object members = element.get_object().value_unsafe();
      for (dom::key_value_pair field : members) {
        if (!skip.empty() && field.key == skip) continue;
        // A repeated key keeps its last value, as json::parse does.
        object[std::string(field.key)] = SimdjsonToJson(field.value);
      }
      return object;
    }
    case dom::element_type::ARRAY: {
      json array = json::array();
      const dom::array values = element.get_array().value_unsafe();
      for (dom::element value : values) array.push_back(SimdjsonToJson(value));
      return array;
    }
    case dom::element_type::STRING:
      return std::string(element.get_string().value_unsafe());
    case dom::element_type::INT64: {
      const int64_t value = element.get_int64().value_unsafe();
      if (value >= 0) return static_cast<uint64_t>(value);
      return value;
    }
    case dom::element_type::UINT64:
      return element.get_uint64().value_unsafe();
    case dom::element_type::DOUBLE:
      return element.get_double().value_unsafe();
    case dom::element_type::BOOL:
      return element.get_bool().value_unsafe();
    case dom::element_type::NULL_VALUE:
      break;
  }
  return nullptr;
}

json ParseJsonLikeNlohmann(std::string_view text) {
  dom::element root;
  if (ParseWithSimdjson(text, &root) == simdjson::SUCCESS) return SimdjsonToJson(root);
  return json::parse(text);
}

std::optional<std::string> NormalizeForSimdjson(std::string_view text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ck::collector
