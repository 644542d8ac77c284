#include "platform/stack_spec.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "platform/stack_alarms.h"

namespace ck::platform {
namespace {

// Reads YAML nodes into specs; every error names file:line:column and the dotted key path.
class Reader {
 public:
  explicit Reader(std::string file_name) : file_name_(std::move(file_name)) {}

  Status Error(const YAML::Node& node, const std::string& path, const std::string& reason) const {
    const YAML::Mark mark = node.Mark();
    return ErrorAt(mark.line, mark.column, path, reason);
  }
  Status ErrorAt(int line, int column, const std::string& path, const std::string& reason) const {
    std::string where = file_name_;
    if (line >= 0) where += ":" + std::to_string(line + 1) + ":" + std::to_string(column + 1);
    return InvalidArgument(where + ": " + (path.empty() ? "" : path + ": ") + reason);
  }

  // Checks that `node` is a map whose keys are all in `allowed` (and not repeated).
  Status ExpectMap(const YAML::Node& node, const std::string& path,
                   const std::set<std::string>& allowed) const {
    if (!node.IsMap()) return Error(node, path, "expected a mapping");
    std::set<std::string> seen;
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) return Error(entry.first, path, "keys must be plain strings");
      const std::string key = entry.first.Scalar();
      const std::string key_path = Join(path, key);
      if (!allowed.empty() && !allowed.count(key)) {
        std::string known;
        for (const auto& name : allowed) known += (known.empty() ? "" : ", ") + name;
        return Error(entry.first, key_path, "unknown key (expected one of: " + known + ")");
      }
      if (!seen.insert(key).second) return Error(entry.first, key_path, "duplicate key");
    }
    return Status::Ok();
  }

  Result<std::string> String(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) return Error(node, path, "expected a string");
    return node.Scalar();
  }

  Result<int> Integer(const YAML::Node& node, const std::string& path, int min, int max) const {
    if (!node.IsScalar()) return Error(node, path, "expected an integer");
    const std::string& text = node.Scalar();
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
      return Error(node, path, "expected an integer, got '" + text + "'");
    }
    if (value < min || value > max) {
      return Error(node, path,
                   "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return value;
  }

  Result<uint16_t> Port(const YAML::Node& node, const std::string& path) const {
    CK_ASSIGN_OR_RETURN(int value, Integer(node, path, 1, 65535));
    return static_cast<uint16_t>(value);
  }

  Result<bool> Bool(const YAML::Node& node, const std::string& path) const {
    if (node.IsScalar()) {
      const std::string& text = node.Scalar();
      if (text == "true") return true;
      if (text == "false") return false;
    }
    return Error(node, path, "expected true or false");
  }

  Result<Milliseconds> Duration(const YAML::Node& node, const std::string& path) const {
    if (!node.IsScalar()) return Error(node, path, "expected a duration such as 500ms or 2s");
    auto parsed = ParseDuration(node.Scalar());
    if (!parsed.ok()) return Error(node, path, parsed.status().message());
    return *parsed;
  }

  Result<std::vector<std::string>> StringList(const YAML::Node& node,
                                              const std::string& path) const {
    if (!node.IsSequence()) return Error(node, path, "expected a list of strings");
    std::vector<std::string> values;
    for (size_t i = 0; i < node.size(); ++i) {
      CK_ASSIGN_OR_RETURN(std::string value, String(node[i], path + "[" + std::to_string(i) + "]"));
      values.push_back(std::move(value));
    }
    return values;
  }

  static std::string Join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  std::string file_name_;
};

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-')) {
      return false;
    }
  }
  return name.front() != '-' && name.back() != '-';
}

Status ReadHealthCheck(const Reader& reader, const YAML::Node& node, const std::string& path,
                       HealthCheckSpec& out) {
  CK_RETURN_IF_ERROR(reader.ExpectMap(node, path,
                                      {"path", "interval", "timeout", "healthy_threshold",
                                       "unhealthy_threshold", "start_period", "start_interval"}));
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const std::string key_path = Reader::Join(path, key);
    const YAML::Node& value = entry.second;
    if (key == "path") {
      CK_ASSIGN_OR_RETURN(out.path, reader.String(value, key_path));
      if (out.path.empty() || out.path[0] != '/') {
        return reader.Error(value, key_path, "must start with '/'");
      }
    } else if (key == "interval") {
      CK_ASSIGN_OR_RETURN(out.interval, reader.Duration(value, key_path));
    } else if (key == "timeout") {
      CK_ASSIGN_OR_RETURN(out.timeout, reader.Duration(value, key_path));
    } else if (key == "healthy_threshold") {
      CK_ASSIGN_OR_RETURN(out.healthy_threshold, reader.Integer(value, key_path, 1, 10));
    } else if (key == "unhealthy_threshold") {
      CK_ASSIGN_OR_RETURN(out.unhealthy_threshold, reader.Integer(value, key_path, 1, 10));
    } else if (key == "start_period") {
      CK_ASSIGN_OR_RETURN(out.start_period, reader.Duration(value, key_path));
    } else if (key == "start_interval") {
      CK_ASSIGN_OR_RETURN(out.start_interval, reader.Duration(value, key_path));
    }
  }
  if (out.interval.count() < 10 || out.start_interval.count() < 10) {
    return reader.Error(node, path, "intervals must be at least 10ms");
  }
  return Status::Ok();
}

Result<TaskDefinition> ReadTaskDefinition(const Reader& reader, const YAML::Node& node,
                                          const std::string& path, const std::string& version,
                                          bool check_keys = true) {
  if (check_keys) CK_RETURN_IF_ERROR(reader.ExpectMap(node, path, {"command", "env", "ca_bundle"}));
  TaskDefinition definition;
  definition.version = version;
  if (!node["command"]) return reader.Error(node, path, "missing key 'command'");
  CK_ASSIGN_OR_RETURN(definition.command,
                      reader.StringList(node["command"], Reader::Join(path, "command")));
  if (definition.command.empty() || definition.command[0].empty()) {
    return reader.Error(node["command"], Reader::Join(path, "command"),
                        "must name a program (argv[0])");
  }
  if (const YAML::Node env = node["env"]) {
    const std::string env_path = Reader::Join(path, "env");
    CK_RETURN_IF_ERROR(reader.ExpectMap(env, env_path, {}));
    for (const auto& entry : env) {
      const std::string name = entry.first.Scalar();
      if (name.empty() || name.find('=') != std::string::npos) {
        return reader.Error(entry.first, Reader::Join(env_path, name), "invalid variable name");
      }
      CK_ASSIGN_OR_RETURN(definition.env[name],
                          reader.String(entry.second, Reader::Join(env_path, name)));
    }
  }
  if (const YAML::Node ca = node["ca_bundle"]) {
    const std::string ca_path = Reader::Join(path, "ca_bundle");
    CK_ASSIGN_OR_RETURN(std::string value, reader.String(ca, ca_path));
    if (value == "local") {
      definition.ca_bundle = CaBundle::kLocal;
    } else if (value == "none") {
      definition.ca_bundle = CaBundle::kNone;
    } else {
      return reader.Error(ca, ca_path, "expected 'local' or 'none', got '" + value + "'");
    }
  }
  return definition;
}

struct Defaults {
  HealthCheckSpec health_check;
  Milliseconds stop_grace{5000};
};

Result<ServiceSpec> ReadService(const Reader& reader, const YAML::Node& node,
                                const std::string& path, const std::string& name,
                                const Defaults& defaults, ServiceKind kind) {
  ServiceSpec service;
  service.name = name;
  service.kind = kind;
  service.health_check = defaults.health_check;
  service.stop_grace = defaults.stop_grace;
  service.line = node.Mark().line + 1;
  if (kind == ServiceKind::kJob) {
    // A job is one task definition written inline.
    CK_RETURN_IF_ERROR(reader.ExpectMap(node, path, {"command", "env", "ca_bundle", "depends_on"}));
    CK_ASSIGN_OR_RETURN(TaskDefinition definition,
                        ReadTaskDefinition(reader, node, path, "v1", /*check_keys=*/false));
    service.version = "v1";
    service.task_definitions["v1"] = std::move(definition);
  } else {
    CK_RETURN_IF_ERROR(reader.ExpectMap(node, path,
                                        {"version", "desired", "port", "task_definitions",
                                         "health_check", "depends_on", "stop_grace"}));
    const YAML::Node definitions = node["task_definitions"];
    if (!definitions) return reader.Error(node, path, "missing key 'task_definitions'");
    const std::string definitions_path = Reader::Join(path, "task_definitions");
    CK_RETURN_IF_ERROR(reader.ExpectMap(definitions, definitions_path, {}));
    if (definitions.size() == 0) {
      return reader.Error(definitions, definitions_path, "declare at least one version");
    }
    for (const auto& entry : definitions) {
      const std::string version = entry.first.Scalar();
      if (!ValidName(version)) {
        return reader.Error(entry.first, Reader::Join(definitions_path, version),
                            "versions are lowercase letters, digits and '-'");
      }
      CK_ASSIGN_OR_RETURN(service.task_definitions[version],
                          ReadTaskDefinition(reader, entry.second,
                                             Reader::Join(definitions_path, version), version));
    }
    if (const YAML::Node version = node["version"]) {
      CK_ASSIGN_OR_RETURN(service.version, reader.String(version, Reader::Join(path, "version")));
      if (!service.task_definitions.count(service.version)) {
        return reader.Error(version, Reader::Join(path, "version"),
                            "no task definition '" + service.version + "'");
      }
    } else if (service.task_definitions.size() == 1) {
      service.version = service.task_definitions.begin()->first;
    } else {
      return reader.Error(node, path, "several task definitions: say which 'version' runs");
    }
    if (const YAML::Node desired = node["desired"]) {
      CK_ASSIGN_OR_RETURN(service.desired,
                          reader.Integer(desired, Reader::Join(path, "desired"), 0, 64));
    }
    if (const YAML::Node port = node["port"]) {
      CK_ASSIGN_OR_RETURN(service.port, reader.Port(port, Reader::Join(path, "port")));
      if (service.desired > 1) {
        return reader.Error(port, Reader::Join(path, "port"),
                            "a fixed port allows only one task (desired <= 1)");
      }
    }
    if (const YAML::Node health = node["health_check"]) {
      CK_RETURN_IF_ERROR(ReadHealthCheck(reader, health, Reader::Join(path, "health_check"),
                                         service.health_check));
    }
    if (const YAML::Node grace = node["stop_grace"]) {
      CK_ASSIGN_OR_RETURN(service.stop_grace,
                          reader.Duration(grace, Reader::Join(path, "stop_grace")));
    }
  }
  if (const YAML::Node depends = node["depends_on"]) {
    CK_ASSIGN_OR_RETURN(service.depends_on,
                        reader.StringList(depends, Reader::Join(path, "depends_on")));
    service.depends_on_line = depends.Mark().line + 1;
    service.depends_on_column = depends.Mark().column + 1;
  }
  return service;
}

Status ReadDatastore(const Reader& reader, const YAML::Node& node, DatastoreSpec& out) {
  CK_RETURN_IF_ERROR(reader.ExpectMap(
      node, "datastore",
      {"name", "port", "tls", "durability", "table", "region", "access_key", "secret_key"}));
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const std::string path = "datastore." + key;
    const YAML::Node& value = entry.second;
    if (key == "name") {
      CK_ASSIGN_OR_RETURN(out.name, reader.String(value, path));
      if (!ValidName(out.name)) return reader.Error(value, path, "invalid name");
    } else if (key == "port") {
      CK_ASSIGN_OR_RETURN(out.port, reader.Port(value, path));
    } else if (key == "tls") {
      CK_ASSIGN_OR_RETURN(std::string tls, reader.String(value, path));
      if (tls != "local-ca" && tls != "none") {
        return reader.Error(value, path, "expected 'local-ca' or 'none', got '" + tls + "'");
      }
      out.tls = tls == "local-ca";
    } else if (key == "durability") {
      CK_ASSIGN_OR_RETURN(out.durability, reader.String(value, path));
      if (out.durability != "normal" && out.durability != "full") {
        return reader.Error(value, path, "expected 'normal' or 'full'");
      }
    } else if (key == "table") {
      CK_ASSIGN_OR_RETURN(out.table, reader.String(value, path));
    } else if (key == "region") {
      CK_ASSIGN_OR_RETURN(out.region, reader.String(value, path));
    } else if (key == "access_key") {
      CK_ASSIGN_OR_RETURN(out.access_key, reader.String(value, path));
    } else if (key == "secret_key") {
      CK_ASSIGN_OR_RETURN(out.secret_key, reader.String(value, path));
    }
  }
  return Status::Ok();
}

ServiceSpec DatastoreService(const DatastoreSpec& datastore, const Defaults& defaults, int line) {
  ServiceSpec service;
  service.name = datastore.name;
  service.kind = ServiceKind::kDatastore;
  service.version = "v1";
  service.port = datastore.port;
  service.stop_grace = defaults.stop_grace;
  service.line = line;
  service.health_check = defaults.health_check;
  service.health_check.scheme = datastore.tls ? "https" : "http";
  service.health_check.path = "/";  // `ck dynamodb` answers GET / with a health line
  TaskDefinition definition;
  definition.version = "v1";
  definition.ca_bundle = CaBundle::kNone;
  definition.command = {"ck",           "dynamodb",          "--listen",     "${CK_LISTEN}",
                        "--data-dir",   "${CK_DATA_DIR}",    "--durability", datastore.durability,
                        "--region",     datastore.region,    "--access-key", datastore.access_key,
                        "--secret-key", datastore.secret_key};
  if (datastore.tls) definition.command.push_back("--tls-auto");
  service.task_definitions["v1"] = std::move(definition);
  return service;
}

// Orders services so that dependencies come first; reports unknown names and cycles.
Status SortByDependencies(const Reader& reader, std::vector<ServiceSpec>& services) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < services.size(); ++i) index[services[i].name] = i;
  for (const ServiceSpec& service : services) {
    for (const std::string& dependency : service.depends_on) {
      if (!index.count(dependency)) {
        return reader.ErrorAt(service.depends_on_line - 1, service.depends_on_column - 1,
                              service.name + ".depends_on", "unknown service '" + dependency + "'");
      }
      if (dependency == service.name) {
        return reader.ErrorAt(service.depends_on_line - 1, service.depends_on_column - 1,
                              service.name + ".depends_on", "a service cannot depend on itself");
      }
    }
  }
  enum Mark { kNew, kVisiting, kDone };
  std::vector<Mark> marks(services.size(), kNew);
  std::vector<size_t> order;
  std::vector<std::string> stack;
  std::function<Status(size_t)> visit = [&](size_t i) -> Status {
    if (marks[i] == kDone) return Status::Ok();
    if (marks[i] == kVisiting) {
      std::string cycle;
      auto start = std::find(stack.begin(), stack.end(), services[i].name);
      for (auto it = start; it != stack.end(); ++it) cycle += *it + " -> ";
      return reader.ErrorAt(services[i].depends_on_line - 1, services[i].depends_on_column - 1,
                            services[i].name + ".depends_on",
                            "dependency cycle: " + cycle + services[i].name);
    }
    marks[i] = kVisiting;
    stack.push_back(services[i].name);
    for (const std::string& dependency : services[i].depends_on) {
      CK_RETURN_IF_ERROR(visit(index[dependency]));
    }
    stack.pop_back();
    marks[i] = kDone;
    order.push_back(i);
    return Status::Ok();
  };
  for (size_t i = 0; i < services.size(); ++i) CK_RETURN_IF_ERROR(visit(i));
  std::vector<ServiceSpec> sorted;
  for (size_t i : order) sorted.push_back(std::move(services[i]));
  services = std::move(sorted);
  return Status::Ok();
}

// Fixed ports must be distinct; `line` of 0 means "not from a particular line".
Status CheckPorts(const Reader& reader, const StackSpec& stack) {
  std::map<uint16_t, std::string> owners;
  auto claim = [&](uint16_t port, const std::string& owner, int line) -> Status {
    if (port == 0) return Status::Ok();
    auto [it, inserted] = owners.emplace(port, owner);
    if (!inserted) {
      return reader.ErrorAt(line - 1, 2, owner,
                            "port " + std::to_string(port) + " is already used by " + it->second);
    }
    return Status::Ok();
  };
  CK_RETURN_IF_ERROR(claim(stack.control_port, "control.port", 0));
  if (stack.telemetry.enabled) {
    CK_RETURN_IF_ERROR(claim(stack.telemetry.xray_port, "telemetry.xray_port", 0));
    CK_RETURN_IF_ERROR(claim(stack.telemetry.otlp_port, "telemetry.otlp_port", 0));
  }
  for (const ServiceSpec& service : stack.services) {
    CK_RETURN_IF_ERROR(claim(service.port, service.name + ".port", service.line));
  }
  return Status::Ok();
}

}  // namespace

const ServiceSpec* StackSpec::Find(const std::string& service_name) const {
  for (const ServiceSpec& service : services) {
    if (service.name == service_name) return &service;
  }
  return nullptr;
}

ServiceSpec* StackSpec::Find(const std::string& service_name) {
  return const_cast<ServiceSpec*>(static_cast<const StackSpec*>(this)->Find(service_name));
}

Result<Milliseconds> ParseDuration(const std::string& text) {
  size_t unit_start = 0;
  while (unit_start < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[unit_start])) || text[unit_start] == '.')) {
    ++unit_start;
  }
  const std::string number = text.substr(0, unit_start);
  const std::string unit = text.substr(unit_start);
  double value = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  double scale = unit == "ms"  ? 1
                 : unit == "s" ? 1000
                 : unit == "m" ? 60000
                 : unit == "h" ? 3600000
                 : unit == "d" ? 86400000
                               : -1;
  if (number.empty() || error != std::errc() || end != number.data() + number.size() || scale < 0) {
    return InvalidArgument("expected a duration such as 500ms, 2s, 1m or 6h, got '" + text + "'");
  }
  const double millis = value * scale;
  if (millis > 365.0 * 86400 * 1000) {
    return InvalidArgument("duration '" + text + "' is too long");
  }
  return Milliseconds(static_cast<int64_t>(std::llround(millis)));
}

Result<StackSpec> ParseStackSpec(const std::string& text, const std::string& file_name) {
  Reader reader(file_name);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    return reader.ErrorAt(error.mark.line, error.mark.column, "", "YAML syntax: " + error.msg);
  }
  StackSpec stack;
  try {
    if (!root.IsMap()) return reader.ErrorAt(0, 0, "", "a stack file is a mapping");
    CK_RETURN_IF_ERROR(
        reader.ExpectMap(root, "",
                         {"version", "name", "domain", "data_dir", "control", "public", "datastore",
                          "telemetry", "defaults", "jobs", "services", "alarms"}));
    if (const YAML::Node alarms = root["alarms"]) {
      CK_ASSIGN_OR_RETURN(stack.alarms, ParseStackAlarms(alarms, file_name));
    }
    if (const YAML::Node version = root["version"]) {
      CK_ASSIGN_OR_RETURN(int number, reader.Integer(version, "version", 1, 1));
      (void)number;
    }
    if (const YAML::Node name = root["name"]) {
      CK_ASSIGN_OR_RETURN(stack.name, reader.String(name, "name"));
    }
    if (const YAML::Node domain = root["domain"]) {
      CK_ASSIGN_OR_RETURN(stack.domain, reader.String(domain, "domain"));
    }
    if (const YAML::Node data_dir = root["data_dir"]) {
      CK_ASSIGN_OR_RETURN(stack.data_dir, reader.String(data_dir, "data_dir"));
      if (stack.data_dir.empty()) return reader.Error(data_dir, "data_dir", "must not be empty");
    }
    if (const YAML::Node control = root["control"]) {
      CK_RETURN_IF_ERROR(reader.ExpectMap(control, "control", {"port"}));
      if (control["port"]) {
        CK_ASSIGN_OR_RETURN(stack.control_port, reader.Port(control["port"], "control.port"));
      }
    }
    if (const YAML::Node telemetry = root["telemetry"]) {
      CK_RETURN_IF_ERROR(reader.ExpectMap(telemetry, "telemetry",
                                          {"enabled", "xray_port", "otlp_port", "retention",
                                           "max_spans", "log_retention_days", "log_max_mb"}));
      if (telemetry["enabled"]) {
        CK_ASSIGN_OR_RETURN(stack.telemetry.enabled,
                            reader.Bool(telemetry["enabled"], "telemetry.enabled"));
      }
      if (telemetry["xray_port"]) {
        CK_ASSIGN_OR_RETURN(stack.telemetry.xray_port,
                            reader.Port(telemetry["xray_port"], "telemetry.xray_port"));
      }
      if (telemetry["otlp_port"]) {
        CK_ASSIGN_OR_RETURN(stack.telemetry.otlp_port,
                            reader.Port(telemetry["otlp_port"], "telemetry.otlp_port"));
      }
      if (telemetry["retention"]) {
        CK_ASSIGN_OR_RETURN(stack.telemetry.retention,
                            reader.String(telemetry["retention"], "telemetry.retention"));
        if (!ParseDuration(stack.telemetry.retention).ok()) {
          return reader.Error(telemetry["retention"], "telemetry.retention",
                              "must be a duration such as 30m, 6h or 24h");
        }
      }
      if (telemetry["max_spans"]) {
        CK_ASSIGN_OR_RETURN(
            int max_spans,
            reader.Integer(telemetry["max_spans"], "telemetry.max_spans", 1000, 2'000'000'000));
        stack.telemetry.max_spans = static_cast<uint64_t>(max_spans);
      }
      if (telemetry["log_retention_days"]) {
        CK_ASSIGN_OR_RETURN(stack.telemetry.log_retention_days,
                            reader.Integer(telemetry["log_retention_days"],
                                           "telemetry.log_retention_days", 0, 3653));
        static constexpr int kRetentionDays[] = {0,    1,    3,    5,    7,    14,   30,  60,
                                                 90,   120,  150,  180,  365,  400,  545, 731,
                                                 1096, 1827, 2192, 2557, 2922, 3288, 3653};
        if (std::find(std::begin(kRetentionDays), std::end(kRetentionDays),
                      stack.telemetry.log_retention_days) == std::end(kRetentionDays)) {
          return reader.Error(telemetry["log_retention_days"], "telemetry.log_retention_days",
                              "must be 0 (never expire) or a CloudWatch Logs retention: 1, 3, 5, "
                              "7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, "
                              "2192, 2557, 2922, 3288 or 3653");
        }
      }
      if (telemetry["log_max_mb"]) {
        CK_ASSIGN_OR_RETURN(
            stack.telemetry.log_max_mb,
            reader.Integer(telemetry["log_max_mb"], "telemetry.log_max_mb", 1, 1'000'000));
      }
    }
    Defaults defaults;
    if (const YAML::Node node = root["defaults"]) {
      CK_RETURN_IF_ERROR(reader.ExpectMap(node, "defaults", {"health_check", "stop_grace"}));
      if (node["health_check"]) {
        CK_RETURN_IF_ERROR(ReadHealthCheck(reader, node["health_check"], "defaults.health_check",
                                           defaults.health_check));
      }
      if (node["stop_grace"]) {
        CK_ASSIGN_OR_RETURN(defaults.stop_grace,
                            reader.Duration(node["stop_grace"], "defaults.stop_grace"));
      }
    }
    if (const YAML::Node datastore = root["datastore"]) {
      CK_RETURN_IF_ERROR(ReadDatastore(reader, datastore, stack.datastore));
      stack.services.push_back(
          DatastoreService(stack.datastore, defaults, datastore.Mark().line + 1));
    }
    std::set<std::string> names;
    if (!stack.services.empty()) names.insert(stack.services[0].name);
    for (const char* section : {"jobs", "services"}) {
      const YAML::Node node = root[section];
      if (!node) continue;
      CK_RETURN_IF_ERROR(reader.ExpectMap(node, section, {}));
      const ServiceKind kind =
          std::string(section) == "jobs" ? ServiceKind::kJob : ServiceKind::kService;
      for (const auto& entry : node) {
        const std::string name = entry.first.Scalar();
        if (!ValidName(name)) {
          return reader.Error(entry.first, name,
                              "names are 1-63 lowercase letters, digits and '-'");
        }
        if (!names.insert(name).second) {
          return reader.Error(entry.first, name, "name is used twice");
        }
        CK_ASSIGN_OR_RETURN(ServiceSpec service,
                            ReadService(reader, entry.second, name, name, defaults, kind));
        stack.services.push_back(std::move(service));
      }
    }
    if (const YAML::Node node = root["public"]) {
      CK_RETURN_IF_ERROR(reader.ExpectMap(node, "public", {"service", "port"}));
      if (!node["service"]) return reader.Error(node, "public", "missing key 'service'");
      CK_ASSIGN_OR_RETURN(stack.public_service, reader.String(node["service"], "public.service"));
      if (node["port"]) {
        CK_ASSIGN_OR_RETURN(stack.public_port, reader.Port(node["port"], "public.port"));
      }
      ServiceSpec* service = stack.Find(stack.public_service);
      if (!service || service->kind != ServiceKind::kService) {
        return reader.Error(node["service"], "public.service",
                            "unknown service '" + stack.public_service + "'");
      }
      if (service->port != 0 && service->port != stack.public_port) {
        return reader.Error(
            node, "public.port",
            "conflicts with " + service->name + ".port " + std::to_string(service->port));
      }
      if (service->desired > 1) {
        return reader.Error(node, "public.service", "the public service runs one task");
      }
      service->port = stack.public_port;
    }
    CK_RETURN_IF_ERROR(SortByDependencies(reader, stack.services));
    CK_RETURN_IF_ERROR(CheckPorts(reader, stack));
  } catch (const YAML::Exception& error) {
    return reader.ErrorAt(error.mark.line, error.mark.column, "", error.msg);
  }
  return stack;
}

Result<StackSpec> LoadStackFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read stack file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseStackSpec(text.str(), path);
}

Status ApplyPortOverrides(StackSpec& stack, const PortOverrides& overrides) {
  auto shift = [&](uint16_t& port, const std::string& what) -> Status {
    if (port == 0 || overrides.offset == 0) return Status::Ok();
    const int moved = port + overrides.offset;
    if (moved < 1 || moved > 65535) {
      return InvalidArgument("--port-offset moves " + what + " out of range");
    }
    port = static_cast<uint16_t>(moved);
    return Status::Ok();
  };
  CK_RETURN_IF_ERROR(shift(stack.control_port, "the control port"));
  CK_RETURN_IF_ERROR(shift(stack.public_port, "the public port"));
  CK_RETURN_IF_ERROR(shift(stack.datastore.port, "the datastore port"));
  CK_RETURN_IF_ERROR(shift(stack.telemetry.xray_port, "the X-Ray port"));
  CK_RETURN_IF_ERROR(shift(stack.telemetry.otlp_port, "the OTLP port"));
  for (ServiceSpec& service : stack.services) {
    CK_RETURN_IF_ERROR(shift(service.port, service.name + "'s port"));
  }
  if (overrides.control_port) stack.control_port = overrides.control_port;
  if (overrides.public_port) stack.public_port = overrides.public_port;
  if (overrides.datastore_port) stack.datastore.port = overrides.datastore_port;
  if (overrides.xray_port) stack.telemetry.xray_port = overrides.xray_port;
  if (overrides.otlp_port) stack.telemetry.otlp_port = overrides.otlp_port;
  for (ServiceSpec& service : stack.services) {
    if (service.kind == ServiceKind::kDatastore) service.port = stack.datastore.port;
    if (service.name == stack.public_service) service.port = stack.public_port;
  }
  return CheckPorts(Reader("overrides"), stack);
}

}  // namespace ck::platform
