#include "telemetry/process_metrics.h"

#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <sstream>
#include <vector>

namespace ck::telemetry {

namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<double> ParseNumber(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return static_cast<double>(value);
}

std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\t')) ++at;
    size_t end = at;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n' && text[end] != '\t') ++end;
    if (end > at) fields.push_back(text.substr(at, end - at));
    at = end;
  }
  return fields;
}

// One unlabelled series, or none when `read` has no value.
SampleFunction Optional(std::function<std::optional<double>()> read) {
  return [read = std::move(read)]() -> std::vector<Sample> {
    std::optional<double> value = read();
    if (!value) return {};
    return {Sample{{}, *value}};
  };
}

// The soft "Max open files" limit from /proc/<pid>/limits text (+Inf for "unlimited").
std::optional<double> ParseMaxOpenFiles(std::string_view text) {
  constexpr std::string_view kLine = "Max open files";
  size_t at = text.find(kLine);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = text.substr(at + kLine.size());
  rest = rest.substr(0, rest.find('\n'));
  std::vector<std::string_view> fields = Fields(rest);
  if (fields.empty()) return std::nullopt;
  if (fields[0] == "unlimited") return std::numeric_limits<double>::infinity();
  return ParseNumber(fields[0]);
}

std::optional<double> ParseBootTime(std::string_view text) {
  size_t at = text.find("\nbtime ");
  if (at == std::string_view::npos) {
    if (text.rfind("btime ", 0) != 0) return std::nullopt;
    at = 0;
  } else {
    ++at;
  }
  std::string_view rest = text.substr(at + 6);
  return ParseNumber(rest.substr(0, rest.find('\n')));
}

}  // namespace

Result<ProcessStat> ParseProcessStat(std::string_view text, long clock_ticks_per_second,
                                     long page_size_bytes) {
  const size_t close = text.rfind(')');
  if (close == std::string_view::npos || clock_ticks_per_second <= 0) {
    return InvalidArgument("not a /proc/<pid>/stat line");
  }
  // Fields after the command name start at field 3 (state); field n is fields[n - 3].
  std::vector<std::string_view> fields = Fields(text.substr(close + 1));
  if (fields.size() < 22) return InvalidArgument("/proc/<pid>/stat has too few fields");
  auto utime = ParseNumber(fields[11]);
  auto stime = ParseNumber(fields[12]);
  auto start = ParseNumber(fields[19]);
  auto vsize = ParseNumber(fields[20]);
  auto rss = ParseNumber(fields[21]);
  if (!utime || !stime || !start || !vsize || !rss) {
    return InvalidArgument("/proc/<pid>/stat has a malformed field");
  }
  const double ticks = static_cast<double>(clock_ticks_per_second);
  ProcessStat stat;
  stat.cpu_seconds = (*utime + *stime) / ticks;
  stat.resident_bytes = *rss * static_cast<double>(page_size_bytes);
  stat.virtual_bytes = *vsize;
  stat.start_ticks_after_boot = *start;
  return stat;
}

Status AddProcessMetrics(MetricsRegistry& registry, ProcessMetricsOptions options) {
  if (options.clock_ticks_per_second <= 0) options.clock_ticks_per_second = ::sysconf(_SC_CLK_TCK);
  if (options.page_size_bytes <= 0) options.page_size_bytes = ::sysconf(_SC_PAGESIZE);
  const std::string process_dir = options.proc_root + "/" + options.pid;
  auto stat = [process_dir, options]() -> std::optional<ProcessStat> {
    std::optional<std::string> text = ReadFile(process_dir + "/stat");
    if (!text) return std::nullopt;
    auto parsed = ParseProcessStat(*text, options.clock_ticks_per_second, options.page_size_bytes);
    if (!parsed.ok()) return std::nullopt;
    return *parsed;
  };
  auto field = [stat](double ProcessStat::*member) {
    return Optional([stat, member]() -> std::optional<double> {
      std::optional<ProcessStat> now = stat();
      if (!now) return std::nullopt;
      return (*now).*member;
    });
  };

  CK_RETURN_IF_ERROR(registry.AddCounterCallback("process_cpu_seconds_total",
                                                 "Total user and system CPU time spent in seconds.",
                                                 {}, field(&ProcessStat::cpu_seconds)));
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback("process_resident_memory_bytes",
                                               "Resident memory size in bytes.", {},
                                               field(&ProcessStat::resident_bytes)));
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback("process_virtual_memory_bytes",
                                               "Virtual memory size in bytes.", {},
                                               field(&ProcessStat::virtual_bytes)));
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback(
      "process_open_fds", "Number of open file descriptors.", {},
      Optional([process_dir]() -> std::optional<double> {
        std::error_code error;
        std::filesystem::directory_iterator entries(process_dir + "/fd", error);
        if (error) return std::nullopt;
        double count = 0;
        for (auto it = entries; it != std::filesystem::directory_iterator(); it.increment(error)) {
          if (error) return std::nullopt;
          ++count;
        }
        return count;
      })));
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback(
      "process_max_fds", "Maximum number of open file descriptors.", {},
      Optional([process_dir]() -> std::optional<double> {
        std::optional<std::string> text = ReadFile(process_dir + "/limits");
        if (!text) return std::nullopt;
        return ParseMaxOpenFiles(*text);
      })));

  std::optional<double> start_time;
  std::optional<std::string> system_stat = ReadFile(options.proc_root + "/stat");
  std::optional<ProcessStat> process = stat();
  if (system_stat && process) {
    if (std::optional<double> boot = ParseBootTime(*system_stat)) {
      start_time = *boot + process->start_ticks_after_boot /
                               static_cast<double>(options.clock_ticks_per_second);
    }
  }
  return registry.AddGaugeCallback("process_start_time_seconds",
                                   "Start time of the process since unix epoch in seconds.", {},
                                   Optional([start_time] { return start_time; }));
}

}  // namespace ck::telemetry
