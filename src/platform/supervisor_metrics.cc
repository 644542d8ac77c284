#include "platform/supervisor_metrics.h"

#include <string>
#include <vector>

namespace ck::platform {

namespace {

// Samples of one number per service; `jobs` includes run-to-completion jobs.
template <typename Field>
telemetry::SampleFunction PerService(const Supervisor& supervisor, bool jobs, Field field) {
  return [&supervisor, jobs, field] {
    std::vector<telemetry::Sample> samples;
    for (const ServiceTaskCounts& counts : supervisor.TaskCounts()) {
      if (!jobs && counts.kind == ServiceKind::kJob) continue;
      samples.push_back({{counts.service}, static_cast<double>(field(counts))});
    }
    return samples;
  };
}

}  // namespace

Status AddSupervisorMetrics(telemetry::MetricsRegistry& registry, const Supervisor& supervisor) {
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback(
      "ck_supervisor_desired_tasks",
      "Tasks the supervisor keeps running for the service (0 while stopped or shutting down).",
      {"service"},
      PerService(supervisor, false, [](const ServiceTaskCounts& c) { return c.desired; })));
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback(
      "ck_supervisor_running_tasks", "Tasks of the service with a live process.", {"service"},
      PerService(supervisor, false, [](const ServiceTaskCounts& c) { return c.running; })));
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback(
      "ck_supervisor_healthy_tasks", "Tasks of the service passing their health check.",
      {"service"},
      PerService(supervisor, false, [](const ServiceTaskCounts& c) { return c.healthy; })));
  return registry.AddCounterCallback(
      "ck_supervisor_task_restarts_total",
      "Tasks replaced after a crash, a failed health check or a failed job run.", {"service"},
      PerService(supervisor, true, [](const ServiceTaskCounts& c) { return c.restarts; }));
}

}  // namespace ck::platform
