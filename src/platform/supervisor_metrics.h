// Supervisor metrics: `ck up`'s task numbers per service (the ECS service view: desired, running
// and healthy counts, restarts), served on the control API's `GET /metrics` (docs/metrics.md):
//
//   ck_supervisor_desired_tasks{service}        gauge    0 while `ck stop`ped or shutting down
//   ck_supervisor_running_tasks{service}        gauge    tasks with a live process
//   ck_supervisor_healthy_tasks{service}        gauge    tasks passing their health check
//   ck_supervisor_task_restarts_total{service}  counter  crashes, failed health, failed jobs
//
// The gauges cover long-running services and the datastore; jobs (run to completion) appear only
// in the restart counter. Values are read from the supervisor at scrape time.
//
//   CK_RETURN_IF_ERROR(AddSupervisorMetrics(registry, supervisor));
//
// Thread-safety: the Supervisor is not thread-safe, so the registry must be rendered on the
// supervisor's io_context thread (where the control API runs); `supervisor` must outlive it.
#pragma once

#include "core/status.h"
#include "platform/supervisor.h"
#include "telemetry/metrics.h"

namespace ck::platform {

Status AddSupervisorMetrics(telemetry::MetricsRegistry& registry, const Supervisor& supervisor);

}  // namespace ck::platform
