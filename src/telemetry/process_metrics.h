// Process metrics: the standard `process_*` metrics every Prometheus client library exports,
// read from /proc when scraped (Linux), so dashboards and alerts written for any exporter work:
//
//   process_cpu_seconds_total       user + system CPU time          /proc/<pid>/stat utime+stime
//   process_resident_memory_bytes   resident set size               /proc/<pid>/stat rss x page
//   process_virtual_memory_bytes    virtual memory size             /proc/<pid>/stat vsize
//   process_open_fds                open file descriptors           entries of /proc/<pid>/fd
//   process_max_fds                 soft limit on open descriptors  /proc/<pid>/limits
//   process_start_time_seconds      start, seconds since the epoch  /proc/stat btime + starttime
//
//   MetricsRegistry registry;
//   CK_RETURN_IF_ERROR(AddProcessMetrics(registry));
//
// Failure modes: a file that cannot be read or parsed at scrape time leaves its metrics out of
// that scrape (never an error, never a made-up value). The start time is read once, at
// declaration. Thread-safety: as the registry; the reads are plain file reads.
#pragma once

#include <string>

#include "core/status.h"
#include "telemetry/metrics.h"

namespace ck::telemetry {

struct ProcessMetricsOptions {
  std::string proc_root = "/proc";  // tests point this at a directory laid out like /proc
  std::string pid = "self";
  long clock_ticks_per_second = 0;  // 0: sysconf(_SC_CLK_TCK)
  long page_size_bytes = 0;         // 0: sysconf(_SC_PAGESIZE)
};

// What /proc/<pid>/stat says, in seconds and bytes.
struct ProcessStat {
  double cpu_seconds = 0;
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double start_ticks_after_boot = 0;
};

// Parses the text of /proc/<pid>/stat (the command name may hold spaces and parentheses).
Result<ProcessStat> ParseProcessStat(std::string_view text, long clock_ticks_per_second,
                                     long page_size_bytes);

// Declares the six process_* families on `registry`. Fails only when a name is taken.
Status AddProcessMetrics(MetricsRegistry& registry, ProcessMetricsOptions options = {});

}  // namespace ck::telemetry
