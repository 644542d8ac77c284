#include "cli/verbs/collector_client.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "cli/verbs/terminal_text.h"
#include "cli/verbs/verbs.h"
#include "http/client.h"

namespace ck::cli {

using nlohmann::json;

Result<json> CallCollector(const std::string& base_url, const std::string& path, const json& body,
                           const std::string& amz_target) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  auto url = http::ParseUrl(base + path);
  if (!url.ok()) {
    return InvalidArgument("'" + base_url + "' is not a URL: " + url.status().message());
  }
  http::HttpRequest request{http::Verb::post, url->target, 11};
  if (amz_target.empty()) {
    request.set(http::Field::content_type, "application/json");
  } else {
    request.set(http::Field::content_type, "application/x-amz-json-1.1");
    request.set("X-Amz-Target", amz_target);
  }
  request.body() = body.dump(-1, ' ', false, json::error_handler_t::replace);
  http::ClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(2000);
  options.request_timeout = std::chrono::milliseconds(60000);
  auto response = http::SendBlocking(*url, std::move(request), options);
  if (!response.ok()) {
    return Unavailable("cannot reach the collector at " + base + " (" +
                       response.status().message() +
                       "); is `ck up` or `ck collector` running? The verb's --help says how to "
                       "choose another address");
  }
  json answer = json::parse(response->body(), nullptr, /*allow_exceptions=*/false);
  const int status = response->result_int();
  if (status >= 400) {
    std::string message = TerminalSafe(response->body());
    if (answer.is_object()) {
      for (const char* key : {"Message", "message"}) {
        if (answer.contains(key) && answer[key].is_string()) message = answer[key];
      }
    } else if (status == 404) {
      message = base + " does not serve this API (" + message + ")";
    }
    const StatusCode code = status == 400   ? StatusCode::kInvalidArgument
                            : status == 404 ? StatusCode::kNotFound
                                            : StatusCode::kUnavailable;
    return Status(code, message);
  }
  if (!answer.is_object()) return Internal("the collector at " + base + " sent invalid JSON");
  return answer;
}

void Print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

void Finish(const Status& status, const char* verb) {
  if (status.ok()) return;
  // Messages quote what the API and the user sent: safe per line, line breaks kept.
  std::string text;
  const std::string& message = status.message();
  for (size_t start = 0; start <= message.size();) {
    size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    text += (start == 0 ? "" : "\n") + TerminalSafe(message.substr(start, end - start));
    start = end + 1;
  }
  std::fprintf(stderr, "ck %s: %s\n", verb, text.c_str());
  ExitCode() = 1;
}

bool UseColor(bool no_color_flag) {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return !no_color_flag && isatty(STDOUT_FILENO) == 1 &&
         (no_color == nullptr || *no_color == '\0') &&
         !(term != nullptr && std::string(term) == "dumb");
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace ck::cli
