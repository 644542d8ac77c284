// Reading JSON with simdjson on the collector's ingest paths (X-Ray segment documents, OTLP/JSON
// bodies), and turning what was read into nlohmann::json where a decoder keeps values as JSON.
//
// simdjson parses several times faster than nlohmann::json and allocates nothing per value, but
// it rejects a few inputs nlohmann accepts: integers beyond 64 bits, a UTF-8 byte-order mark,
// nesting deeper than 1024 levels. ParseJsonLikeNlohmann therefore falls back to nlohmann's own
// parser whenever simdjson fails, so what is accepted and every error message stay nlohmann's;
// decoders that walk the simdjson DOM themselves do the same through NormalizeForSimdjson.
//
//   simdjson::dom::element root;
//   if (ParseWithSimdjson(text, &root) != simdjson::SUCCESS) { ... }
//   nlohmann::json value = SimdjsonToJson(root);
//
// Thread-safety: each thread parses with its own simdjson parser; a parsed element is valid until
// the same thread's next ParseWithSimdjson. Memory: a thread keeps its parser's buffers for
// documents up to 1 MiB; those of a larger document are released at the next smaller parse.
#pragma once

#include <simdjson.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ck::collector {

// Parses `text` with this thread's parser into *root.
simdjson::error_code ParseWithSimdjson(std::string_view text, simdjson::dom::element* root);

// `element` as nlohmann::json, numbers typed as nlohmann's parser types them (non-negative
// integers unsigned); members named `skip` of a top-level object left out.
nlohmann::json SimdjsonToJson(simdjson::dom::element element, std::string_view skip = {});

// What json::parse(text) returns, through simdjson when it can. Throws what json::parse throws.
nlohmann::json ParseJsonLikeNlohmann(std::string_view text);

// For text simdjson rejected: nlohmann's reading of it written back out (big integers as
// doubles, no byte-order mark), which simdjson can then parse; nullopt when nlohmann rejects it
// too.
std::optional<std::string> NormalizeForSimdjson(std::string_view text);

}  // namespace ck::collector
