// Resident: one retired server as list-api returns it, and the parsing of list-api's answer.
//
// list-api's `GET /` answers a JSON array of objects with ckid, name, type, service (years),
// happiness (1..10), petname, os and image. Parsing is forgiving about what a resident lacks
// (missing strings stay empty, a missing happiness is 0) and about numbers sent as strings, but
// an answer that is not an array of objects is an error: the site then shows its error page
// rather than an empty list that looks like "no residents".
//
// Thread-safety: value types; pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ck::services::public_site {

struct Resident {
  std::string ckid;
  std::string name;
  std::string type;
  int64_t service = 0;  // years in service
  int happiness = 0;    // 1 (miserable) .. 10 (super happy); 0 when unknown
  std::string petname;
  std::string os;
  std::string image;  // a picture URL; the renderer only trusts local /img/ paths
};

// kInvalidArgument naming the problem when `json` is not an array of objects.
Result<std::vector<Resident>> ParseResidentList(std::string_view json);

}  // namespace ck::services::public_site
