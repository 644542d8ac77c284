// The verbs that talk to a running `ck up` through its control API: `ck ps`, `ck stop`,
// `ck start`, `ck scale`, `ck down` (docs/platform.md).
//
// Each sends one request with a blocking client; errors from the API ({"error": ...}) and
// connection failures are printed to stderr with exit code 1.
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/verbs/verbs.h"
#include "http/client.h"

namespace ck::cli {
namespace {

struct ControlFlags {
  std::string control = "http://127.0.0.1:9900";
};

void AddControlOption(CLI::App* command, ControlFlags& flags) {
  command->add_option("--control", flags.control, "control API of the running `ck up`")
      ->envname("CK_CONTROL_URL")
      ->capture_default_str();
}

Result<nlohmann::json> Call(const ControlFlags& flags, http::Verb verb, const std::string& path,
                            const std::string& body = "") {
  CK_ASSIGN_OR_RETURN(http::Url url, http::ParseUrl(flags.control + path));
  http::HttpRequest request{verb, url.target, 11};
  if (!body.empty()) request.set(http::Field::content_type, "application/json");
  request.body() = body;
  http::ClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(2000);
  options.request_timeout = std::chrono::milliseconds(10000);
  auto response = http::SendBlocking(url, std::move(request), options);
  if (!response.ok()) {
    return Unavailable("cannot reach the control API at " + flags.control + " (" +
                       response.status().message() + "); is `ck up` running?");
  }
  auto json = nlohmann::json::parse(response->body(), nullptr, /*allow_exceptions=*/false);
  if (response->result_int() >= 400) {
    std::string message = json.is_object() && json.contains("error") && json["error"].is_string()
                              ? json["error"].get<std::string>()
                              : response->body();
    return Status(
        response->result_int() == 404 ? StatusCode::kNotFound : StatusCode::kFailedPrecondition,
        message);
  }
  if (json.is_discarded()) return Internal("the control API sent invalid JSON");
  return json;
}

void Finish(const Status& status, const char* verb) {
  if (!status.ok()) {
    std::fprintf(stderr, "ck %s: %s\n", verb, status.message().c_str());
    ExitCode() = 1;
  }
}

// "12.3": one decimal, as the CPU% and RSS MB columns show numbers.
std::string FormatDecimal(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string FormatUptime(int64_t millis) {
  if (millis <= 0) return "-";
  int64_t seconds = millis / 1000;
  char text[32];
  if (seconds < 60) {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(seconds));
  } else if (seconds < 3600) {
    std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  } else {
    std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60));
  }
  return text;
}

Status Ps(const ControlFlags& flags, bool json_output) {
  CK_ASSIGN_OR_RETURN(nlohmann::json data, Call(flags, http::Verb::get, "/v1/tasks"));
  if (json_output) {
    std::printf("%s\n", data.dump(2).c_str());
    return Status::Ok();
  }
  std::printf("%-24s %-14s %-8s %-10s %8s %8s %6s %8s %6s\n", "TASK", "SERVICE", "VERSION", "STATE",
              "RESTARTS", "UPTIME", "CPU%", "RSS MB", "PORT");
  // A task whose process has not been sampled yet has null metrics: it shows "-" and is left
  // out of the total rather than counted as 0 MB.
  double total_rss = 0;
  size_t sampled = 0, unsampled = 0;
  for (const auto& task : data["tasks"]) {
    const bool has_sample = task.contains("rss_bytes") && task["rss_bytes"].is_number();
    std::string cpu_text = "-", rss_text = "-";
    if (has_sample) {
      const double rss_mb = task["rss_bytes"].get<double>() / (1024.0 * 1024.0);
      total_rss += rss_mb;
      ++sampled;
      rss_text = FormatDecimal(rss_mb);
      if (task.contains("cpu_percent") && task["cpu_percent"].is_number()) {
        cpu_text = FormatDecimal(task["cpu_percent"].get<double>());
      }
    } else if (task.value("pid", 0) != 0) {
      ++unsampled;
    }
    const std::string id = task.value("id", "");
    std::printf("%-24s %-14s %-8s %-10s %8d %8s %6s %8s %6d\n", id.empty() ? "-" : id.c_str(),
                task.value("service", "").c_str(), task.value("version", "").c_str(),
                task.value("state", "").c_str(), task.value("restarts", 0),
                FormatUptime(task.value("uptime_ms", int64_t{0})).c_str(), cpu_text.c_str(),
                rss_text.c_str(), task.value("port", 0));
  }
  for (const auto& service : data["services"]) {
    const bool stopped = service.value("stopped", false);
    if (!stopped && service.value("desired", 1) != 0) continue;
    bool has_tasks = false;
    for (const auto& task : data["tasks"]) has_tasks |= task["service"] == service["name"];
    if (has_tasks) continue;
    std::printf("%-24s %-14s %-8s %-10s\n", "-", service.value("name", "").c_str(),
                service.value("version", "").c_str(), stopped ? "stopped" : "scaled-to-0");
  }
  const double supervisor_rss = data["supervisor"].value("rss_bytes", 0.0) / (1024.0 * 1024.0);
  const std::string in_tasks = unsampled == 0
                                   ? "in tasks"
                                   : "in " + std::to_string(sampled) + " sampled tasks (" +
                                         std::to_string(unsampled) + " not sampled yet)";
  std::printf("%zu tasks; %s; RSS %.1f MB %s + %.1f MB supervisor = %.1f MB\n",
              data["tasks"].size(),
              data.value("all_healthy", false) ? "all healthy" : "not all healthy", total_rss,
              in_tasks.c_str(), supervisor_rss, total_rss + supervisor_rss);
  return Status::Ok();
}

Status ServiceAction(const ControlFlags& flags, const std::string& service,
                     const std::string& action, const std::string& body) {
  CK_ASSIGN_OR_RETURN(nlohmann::json reply, Call(flags, http::Verb::post,
                                                 "/v1/services/" + service + "/" + action, body));
  if (action == "scale") {
    std::printf("%s: desired %s\n", service.c_str(),
                reply.value("desired", nlohmann::json()).dump().c_str());
  } else {
    std::printf("%s: %s requested\n", service.c_str(), action.c_str());
  }
  return Status::Ok();
}

Status Down(const ControlFlags& flags, int wait_seconds) {
  CK_ASSIGN_OR_RETURN(nlohmann::json reply, Call(flags, http::Verb::post, "/v1/down"));
  std::printf("%s\n", reply.value("message", "stopping").c_str());
  if (wait_seconds <= 0) return Status::Ok();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (!Call(flags, http::Verb::get, "/v1/tasks").ok()) {
      std::printf("stack stopped\n");
      return Status::Ok();
    }
  }
  return DeadlineExceeded("the stack is still stopping after " + std::to_string(wait_seconds) +
                          " s");
}

}  // namespace

void RegisterControlCommands(CLI::App& app) {
  auto flags = std::make_shared<ControlFlags>();

  CLI::App* ps = app.add_subcommand(
      "ps",
      "List the running stack's tasks: id, service, version, state (waiting, starting, healthy,\n"
      "stopping, backoff, completed), restarts, uptime, CPU% and RSS (sampled when a task turns\n"
      "healthy and every second; \"-\" before the first sample), port.");
  AddControlOption(ps, *flags);
  auto json_output = std::make_shared<bool>(false);
  ps->add_flag("--json", *json_output, "print the control API's JSON instead of a table");
  ps->callback([flags, json_output] { Finish(Ps(*flags, *json_output), "ps"); });

  auto service = std::make_shared<std::string>();
  for (const char* action : {"stop", "start"}) {
    const std::string name = action;
    CLI::App* command = app.add_subcommand(
        name, name == "stop"
                  ? "Stop a service's tasks gracefully (SIGTERM, then SIGKILL after its\n"
                    "stop grace); its desired count is kept for `ck start`."
                  : "Start a service stopped with `ck stop` again.");
    AddControlOption(command, *flags);
    command->add_option("service", *service, "service name, as in the stack file")->required();
    command->callback([flags, service, name] {
      Finish(ServiceAction(*flags, *service, name, ""), name.c_str());
    });
  }

  auto desired = std::make_shared<int>(1);
  CLI::App* scale = app.add_subcommand(
      "scale",
      "Set a service's desired task count (0-64). New tasks get their own ports and register\n"
      "in discovery; removed tasks stop gracefully.");
  AddControlOption(scale, *flags);
  scale->add_option("service", *service, "service name")->required();
  scale->add_option("count", *desired, "desired number of tasks")
      ->required()
      ->check(CLI::Range(0, 64));
  scale->callback([flags, service, desired] {
    Finish(ServiceAction(*flags, *service, "scale", nlohmann::json{{"desired", *desired}}.dump()),
           "scale");
  });

  auto wait_seconds = std::make_shared<int>(60);
  CLI::App* down = app.add_subcommand(
      "down",
      "Stop the running stack gracefully (dependents first) and wait until `ck up` has exited.\n"
      "Data stays in the data directory.");
  AddControlOption(down, *flags);
  down->add_option("--wait", *wait_seconds,
                   "seconds to wait for the stack to stop (0 = return at once)")
      ->capture_default_str();
  down->callback([flags, wait_seconds] { Finish(Down(*flags, *wait_seconds), "down"); });
}

}  // namespace ck::cli
