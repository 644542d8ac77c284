// StackSpec: the parsed, validated form of a stack file (stacks/cuddlekube.yaml), the ECS-style
// declaration of everything `ck up` runs: the datastore, one-shot jobs (seeding) and services with
// their task definitions, desired counts, ports, health checks and dependencies.
//
//   CK_ASSIGN_OR_RETURN(StackSpec stack, LoadStackFile("stacks/cuddlekube.yaml"));
//   for (const ServiceSpec& service : stack.services) ...   // in dependency order
//
// The datastore and jobs are turned into ServiceSpecs too (kind kDatastore / kJob), so the
// supervisor runs one kind of thing. `services` is sorted so that every service comes after its
// dependencies. docs/stack-file.md is the schema reference.
//
// Failure modes: an unreadable file is kNotFound; anything invalid (YAML syntax, unknown keys,
// wrong types, bad durations, unknown or cyclic dependencies, duplicate ports) is
// kInvalidArgument with "<file>:<line>:<column>: <path>: <reason>".
// Thread-safety: value types and pure functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace ck::platform {

using Milliseconds = std::chrono::milliseconds;

struct HealthCheckSpec {
  std::string scheme = "http";  // "https" for the datastore (verified against the local CA)
  std::string path = "/health";
  Milliseconds interval{1000};       // between probes once started (reference: 5 s)
  Milliseconds timeout{1000};        // per probe (reference: 2 s)
  int healthy_threshold = 3;         // consecutive successes after the start period
  int unhealthy_threshold = 3;       // consecutive failures that make a task unhealthy
  Milliseconds start_period{10000};  // failures before this are not counted; one success counts
  Milliseconds start_interval{50};   // probe cadence while starting
};

enum class CaBundle { kLocal, kNone };

struct TaskDefinition {
  std::string version;
  std::vector<std::string> command;  // argv; "ck" as argv[0] = this binary
  std::map<std::string, std::string> env;
  CaBundle ca_bundle = CaBundle::kLocal;
};

enum class ServiceKind { kService, kDatastore, kJob };

struct ServiceSpec {
  std::string name;
  ServiceKind kind = ServiceKind::kService;
  std::string version;  // the active task definition
  std::map<std::string, TaskDefinition> task_definitions;
  int desired = 1;
  uint16_t port = 0;  // fixed port (e.g. the public site); 0 = assigned by the supervisor
  HealthCheckSpec health_check;
  std::vector<std::string> depends_on;
  Milliseconds stop_grace{5000};
  int line = 0;  // where the service is declared, for messages
  int depends_on_line = 0;
  int depends_on_column = 0;

  const TaskDefinition& active() const { return task_definitions.at(version); }
};

struct DatastoreSpec {
  std::string name = "dynamodb";
  uint16_t port = 8000;
  bool tls = true;  // HTTPS with a certificate from the local CA under <data dir>/tls
  std::string durability = "normal";
  std::string table = "cuddlykube";
  std::string region = "us-east-1";
  std::string access_key = "ck-local";
  std::string secret_key = "ck-local-secret";
};

// The collector `ck up` hosts: X-Ray daemon protocol (UDP) and X-Ray API (TCP) on xray_port,
// OTLP/HTTP on otlp_port. Tasks get AWS_XRAY_DAEMON_ADDRESS and OTEL_EXPORTER_OTLP_ENDPOINT.
struct TelemetrySpec {
  bool enabled = true;
  uint16_t xray_port = 2000;
  uint16_t otlp_port = 4318;
  std::string retention = "24h";
  uint64_t max_spans = 2'000'000;
  int log_retention_days = 30;  // a CloudWatch Logs retention value; 0 = never expire
  int log_max_mb = 1024;        // total log text kept; the oldest events go first beyond it
};

struct StackSpec {
  std::string name = "cuddlekube";
  std::string domain = "cuddle-kube.local";
  std::string data_dir = ".ck";  // relative to the working directory of `ck up`
  uint16_t control_port = 9900;
  std::string public_service;  // the service serving the public port ("" = none)
  uint16_t public_port = 8080;
  DatastoreSpec datastore;
  TelemetrySpec telemetry;
  std::vector<ServiceSpec> services;  // datastore, jobs and services; dependencies first
  // `alarms:` as PutMetricAlarm / PutCompositeAlarm bodies (stack_alarms.h).
  std::vector<nlohmann::json> alarms;

  const ServiceSpec* Find(const std::string& name) const;
  ServiceSpec* Find(const std::string& name);
};

// Parses and validates stack-file text; `file_name` prefixes error messages.
Result<StackSpec> ParseStackSpec(const std::string& text, const std::string& file_name);
// Reads and parses a stack file.
Result<StackSpec> LoadStackFile(const std::string& path);

// Applies port overrides after parsing (0 = keep): moves every fixed port by `offset`, then sets
// the control/public/datastore ports that are given; rechecks that fixed ports are distinct.
struct PortOverrides {
  int offset = 0;
  uint16_t control_port = 0;
  uint16_t public_port = 0;
  uint16_t datastore_port = 0;
  uint16_t xray_port = 0;
  uint16_t otlp_port = 0;
};
Status ApplyPortOverrides(StackSpec& stack, const PortOverrides& overrides);

// "250ms", "1s", "1.5s", "2m" -> milliseconds.
Result<Milliseconds> ParseDuration(const std::string& text);

}  // namespace ck::platform
