// Blocking JSON calls from the CLI verbs to the collector's API port (X-Ray and CloudWatch Logs
// APIs), and the output helpers those verbs share.
//
//   CK_ASSIGN_OR_RETURN(json graph, CallCollector(base_url, "/ServiceGraph", body));
//   CK_ASSIGN_OR_RETURN(json page, CallCollector(base_url, "/", body,
//   "Logs_20140328.FilterLogEvents"));
//
// Failure modes: Unavailable when the collector cannot be reached (the message says how to point
// the verb elsewhere); an API error's message ({"Message"} or {"message"}) with InvalidArgument
// for 400, NotFound for 404, Unavailable otherwise; Internal for a body that is not JSON.
// Thread-safety: no shared state except stdout/stderr.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"

namespace ck::cli {

constexpr const char* kDefaultCollectorUrl = "http://127.0.0.1:2000";

// POSTs `body` to `base_url` + `path`; with `amz_target` set, as an AWS JSON 1.1 call
// (X-Amz-Target header, application/x-amz-json-1.1).
Result<nlohmann::json> CallCollector(const std::string& base_url, const std::string& path,
                                     const nlohmann::json& body,
                                     const std::string& amz_target = "");

// Writes text to stdout as is.
void Print(const std::string& text);
// Prints a failed status as "ck <verb>: <message>" (terminal-safe) and sets exit code 1.
void Finish(const Status& status, const char* verb);
// Colours for stdout: a terminal, NO_COLOR unset, TERM not "dumb", and not --no-color.
bool UseColor(bool no_color_flag);
// Epoch seconds now.
double NowSeconds();

}  // namespace ck::cli
