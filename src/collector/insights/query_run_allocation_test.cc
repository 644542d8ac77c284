// The per-event path of a run allocates nothing once warm: counted with a replaced global
// operator new (this test binary only).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <new>
#include <string>

#include "collector/insights/query.h"

namespace {
std::atomic<size_t> allocations{0};
}  // namespace

// Every unaligned form, so that no allocation pairs ours with the runtime's (ASan checks).
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new(size_t size) {
  if (void* memory = operator new(size, std::nothrow)) return memory;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return operator new(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept {
  return operator new(size, std::nothrow);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory, size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }

namespace ck::collector::insights {
namespace {

constexpr int64_t kStart = 1714564800000;  // 2024-05-01 12:00:00 UTC

size_t AllocationsDuring(const std::function<void()>& work) {
  const size_t before = allocations.load();
  work();
  return allocations.load() - before;
}

TEST(QueryRunAllocationTest, CountByBinAllocatesNothingPerEvent) {
  auto query = ParseQuery("stats count(*) by bin(1m)");
  ASSERT_TRUE(query.ok());
  QueryRun run(*query, RunOptions{});
  LogEvent event;
  event.timestamp_ms = kStart;
  run.Add(event);  // creates the first bin
  const size_t same_bin = AllocationsDuring([&] {
    for (int i = 1; i < 50'000; ++i) {
      event.id = i;
      event.timestamp_ms = kStart + i;  // all within 12:00
      run.Add(event);
    }
  });
  EXPECT_EQ(same_bin, 0u);
  const size_t ten_bins = AllocationsDuring([&] {
    for (int i = 0; i < 100'000; ++i) {
      event.timestamp_ms = kStart + 60'000 + i * 6;  // 12:01 .. 12:10
      run.Add(event);
    }
  });
  EXPECT_LE(ten_bins, 10u * 8);  // a few per new bin, none per event
  QueryResult result = run.Finish();
  ASSERT_EQ(result.rows.size(), 11u);
  EXPECT_EQ(result.rows[0],
            (std::vector<std::optional<std::string>>{"2024-05-01 12:00:00.000", "50000"}));
  EXPECT_EQ(result.rows[1][1], "10000");
}

TEST(QueryRunAllocationTest, JsonFilterAllocatesNothingPerEventOnceWarm) {
  auto query =
      ParseQuery("filter level = 'error' and latency_ms > 100 | stats count(*) by service");
  ASSERT_TRUE(query.ok());
  QueryRun run(*query, RunOptions{});
  const std::string error = R"({"level":"error","service":"register-api","latency_ms":1203})";
  const std::string info = R"({"level":"info","service":"register-api","latency_ms":12})";
  LogEvent event;
  event.message = error;
  run.Add(event);
  event.message = info;
  run.Add(event);
  const size_t steady = AllocationsDuring([&] {
    for (int i = 0; i < 10'000; ++i) {
      event.message = i % 2 == 0 ? std::string_view(error) : std::string_view(info);
      run.Add(event);
    }
  });
  EXPECT_EQ(steady, 0u);
  QueryResult result = run.Finish();
  EXPECT_EQ(result.rows,
            (std::vector<std::vector<std::optional<std::string>>>{{"register-api", "5001"}}));
}

}  // namespace
}  // namespace ck::collector::insights
