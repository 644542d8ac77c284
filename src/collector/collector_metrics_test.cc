#include "collector/collector_metrics.h"

#include <gtest/gtest.h>

namespace ck::collector {
namespace {

TEST(CollectorMetricsTest, ExportsTheStatsDocumentReadAtScrapeTime) {
  nlohmann::json stats = {{"datagrams_received", 10},
                          {"datagrams_rejected", 2},
                          {"spans_received", 30},
                          {"spans_dropped", 0},
                          {"spans_stored", 28},
                          {"write_errors", 0},
                          {"otlp_requests", 4},
                          {"otlp_rejected_requests", 1},
                          {"graph_dropped_nodes", 0},
                          {"queue_depth", 2},
                          {"queue_capacity", 200000},
                          {"queue_bytes", 4096},
                          {"queue_capacity_bytes", 134217728},
                          {"last_rejection", "bad header"},
                          {"store", {{"spans_stored", 27}, {"traces_expired", 3}}}};
  telemetry::MetricsRegistry registry;
  ASSERT_TRUE(AddCollectorMetrics(registry, [&] { return stats; }).ok());
  stats["datagrams_received"] = 11;  // read when scraped, not when declared
  const std::string text = registry.Render();
  for (const char* line : {
           "# TYPE ck_collector_datagrams_received_total counter\n"
           "ck_collector_datagrams_received_total 11\n",
           "ck_collector_datagrams_rejected_total 2\n",
           "ck_collector_spans_received_total 30\n",
           "ck_collector_spans_dropped_total 0\n",
           "ck_collector_spans_stored_total 28\n",
           "ck_collector_span_write_errors_total 0\n",
           "ck_collector_otlp_requests_total 4\n",
           "ck_collector_otlp_rejected_requests_total 1\n",
           "ck_collector_traces_expired_total 3\n",
           "ck_collector_graph_dropped_nodes_total 0\n",
           "# TYPE ck_collector_queue_spans gauge\nck_collector_queue_spans 2\n",
           "ck_collector_queue_capacity_spans 200000\n",
           "ck_collector_queue_bytes 4096\n",
           "ck_collector_queue_capacity_bytes 1.34217728e+08\n",
           "# TYPE ck_collector_store_spans gauge\nck_collector_store_spans 27\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
  }
}

TEST(CollectorMetricsTest, LeavesOutWhatTheDocumentLacks) {
  telemetry::MetricsRegistry registry;
  ASSERT_TRUE(AddCollectorMetrics(registry, [] {
                return nlohmann::json{{"queue_depth", "many"}};
              }).ok());
  EXPECT_EQ(registry.Render(), "");
  EXPECT_FALSE(AddCollectorMetrics(registry, nullptr).ok());
}

}  // namespace
}  // namespace ck::collector
