#include "telemetry/process_metrics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ck::telemetry {
namespace {

namespace fs = std::filesystem;

// A directory laid out like /proc for one process.
class FakeProc {
 public:
  FakeProc() {
    root_ = fs::temp_directory_path() /
            ("ck-fake-proc-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(root_ / "self" / "fd");
  }
  ~FakeProc() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  void Write(const std::string& relative, const std::string& text) {
    std::ofstream(root_ / relative) << text;
  }
  std::string root() const { return root_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path root_;
};

// utime 250, stime 50, starttime 1000 ticks, vsize 123456789, rss 2560 pages; the command name
// holds a space and parentheses.
constexpr const char* kStat =
    "4242 (ck (serve) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0 1000 "
    "123456789 2560 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

TEST(ProcessMetricsTest, ParsesStatLine) {
  auto stat = ParseProcessStat(kStat, 100, 4096);
  ASSERT_TRUE(stat.ok()) << stat.status().ToString();
  EXPECT_EQ(stat->cpu_seconds, 3.0);
  EXPECT_EQ(stat->resident_bytes, 2560.0 * 4096);
  EXPECT_EQ(stat->virtual_bytes, 123456789.0);
  EXPECT_EQ(stat->start_ticks_after_boot, 1000.0);
  EXPECT_FALSE(ParseProcessStat("garbage", 100, 4096).ok());
  EXPECT_FALSE(ParseProcessStat("1 (x) S 1 2 3", 100, 4096).ok());
  std::string malformed = kStat;
  malformed.replace(malformed.find(" 250 "), 5, " 2x0 ");
  EXPECT_FALSE(ParseProcessStat(malformed, 100, 4096).ok());
}

TEST(ProcessMetricsTest, RendersTheStandardProcessMetrics) {
  FakeProc proc;
  proc.Write("self/stat", kStat);
  proc.Write("stat", "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n");
  proc.Write("self/limits",
             "Limit                     Soft Limit           Hard Limit           Units\n"
             "Max open files            1024                 4096                 files\n");
  for (const char* fd : {"0", "1", "2"}) proc.Write(std::string("self/fd/") + fd, "");
  MetricsRegistry registry;
  ASSERT_TRUE(AddProcessMetrics(registry, {.proc_root = proc.root(),
                                           .clock_ticks_per_second = 100,
                                           .page_size_bytes = 4096})
                  .ok());
  EXPECT_EQ(registry.Render(),
            "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
            "# TYPE process_cpu_seconds_total counter\n"
            "process_cpu_seconds_total 3\n"
            "# HELP process_max_fds Maximum number of open file descriptors.\n"
            "# TYPE process_max_fds gauge\n"
            "process_max_fds 1024\n"
            "# HELP process_open_fds Number of open file descriptors.\n"
            "# TYPE process_open_fds gauge\n"
            "process_open_fds 3\n"
            "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
            "# TYPE process_resident_memory_bytes gauge\n"
            "process_resident_memory_bytes 1.048576e+07\n"
            "# HELP process_start_time_seconds Start time of the process since unix epoch in "
            "seconds.\n"
            "# TYPE process_start_time_seconds gauge\n"
            "process_start_time_seconds 1.70000001e+09\n"
            "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
            "# TYPE process_virtual_memory_bytes gauge\n"
            "process_virtual_memory_bytes 1.23456789e+08\n");
}

TEST(ProcessMetricsTest, LeavesOutWhatCannotBeRead) {
  FakeProc proc;  // no stat, no limits; an empty fd directory
  MetricsRegistry registry;
  ASSERT_TRUE(AddProcessMetrics(registry, {.proc_root = proc.root()}).ok());
  EXPECT_EQ(registry.Render(),
            "# HELP process_open_fds Number of open file descriptors.\n"
            "# TYPE process_open_fds gauge\n"
            "process_open_fds 0\n");
  EXPECT_EQ(AddProcessMetrics(registry, {.proc_root = proc.root()}).code(),
            StatusCode::kAlreadyExists);
}

TEST(ProcessMetricsTest, ReadsThisProcess) {
  MetricsRegistry registry;
  ASSERT_TRUE(AddProcessMetrics(registry).ok());
  const std::string text = registry.Render();
  for (const char* name : {"process_cpu_seconds_total ", "process_resident_memory_bytes ",
                           "process_virtual_memory_bytes ", "process_open_fds ", "process_max_fds ",
                           "process_start_time_seconds "}) {
    EXPECT_NE(text.find(std::string("\n") + name), std::string::npos) << name << "\n" << text;
  }
}

}  // namespace
}  // namespace ck::telemetry
