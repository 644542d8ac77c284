#include "platform/supervisor_metrics.h"

#include <gtest/gtest.h>

#include "platform/control_api.h"

namespace ck::platform {
namespace {

class SupervisorMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stack = ParseStackSpec(
        "jobs:\n  seed: {command: [/bin/true]}\n"
        "public: {service: web, port: 18080}\n"
        "services:\n"
        "  api: {desired: 2, task_definitions: {v1: {command: [/bin/true]}}}\n"
        "  web: {depends_on: [api], task_definitions: {v1: {command: [/bin/true]}}}\n",
        "t.yaml");
    ASSERT_TRUE(stack.ok()) << stack.status().message();
    SupervisorOptions options;
    options.data_dir = "/tmp/ck-supervisor-metrics-test";
    supervisor_ = std::make_unique<Supervisor>(io_, *stack, discovery_, options);
    api_ = std::make_unique<ControlApi>(*supervisor_, discovery_, nullptr);
  }

  boost::asio::io_context io_;
  DiscoveryRegistry discovery_;
  std::unique_ptr<Supervisor> supervisor_;
  std::unique_ptr<ControlApi> api_;
};

TEST_F(SupervisorMetricsTest, ReportsTaskNumbersPerServiceThroughTheControlApi) {
  const http::HttpRequest scrape(http::Verb::get, "/metrics", 11);
  EXPECT_EQ(api_->Handle(scrape).result_int(), 404u);  // nothing served until asked

  telemetry::MetricsRegistry registry;
  ASSERT_TRUE(AddSupervisorMetrics(registry, *supervisor_).ok());
  api_->ServeMetrics(&registry);
  ASSERT_TRUE(supervisor_->StopService("web").ok());
  http::HttpResponse response = api_->Handle(scrape);
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response[http::Field::content_type], telemetry::kMetricsContentType);
  // Not started: nothing runs yet; web is stopped, so it wants none.
  EXPECT_EQ(response.body(),
            "# HELP ck_supervisor_desired_tasks Tasks the supervisor keeps running for the "
            "service (0 while stopped or shutting down).\n"
            "# TYPE ck_supervisor_desired_tasks gauge\n"
            "ck_supervisor_desired_tasks{service=\"api\"} 2\n"
            "ck_supervisor_desired_tasks{service=\"web\"} 0\n"
            "# HELP ck_supervisor_healthy_tasks Tasks of the service passing their health check.\n"
            "# TYPE ck_supervisor_healthy_tasks gauge\n"
            "ck_supervisor_healthy_tasks{service=\"api\"} 0\n"
            "ck_supervisor_healthy_tasks{service=\"web\"} 0\n"
            "# HELP ck_supervisor_running_tasks Tasks of the service with a live process.\n"
            "# TYPE ck_supervisor_running_tasks gauge\n"
            "ck_supervisor_running_tasks{service=\"api\"} 0\n"
            "ck_supervisor_running_tasks{service=\"web\"} 0\n"
            "# HELP ck_supervisor_task_restarts_total Tasks replaced after a crash, a failed "
            "health check or a failed job run.\n"
            "# TYPE ck_supervisor_task_restarts_total counter\n"
            "ck_supervisor_task_restarts_total{service=\"api\"} 0\n"
            "ck_supervisor_task_restarts_total{service=\"seed\"} 0\n"
            "ck_supervisor_task_restarts_total{service=\"web\"} 0\n");
  // The other routes are unchanged.
  EXPECT_EQ(api_->Handle(http::HttpRequest(http::Verb::get, "/v1/tasks", 11)).result_int(), 200u);
  EXPECT_EQ(api_->Handle(http::HttpRequest(http::Verb::post, "/metrics", 11)).result_int(), 404u);
}

TEST_F(SupervisorMetricsTest, TaskCountsFollowScaling) {
  ASSERT_TRUE(supervisor_->Scale("api", 3).ok());
  std::vector<ServiceTaskCounts> counts = supervisor_->TaskCounts();
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].service, "seed");
  EXPECT_EQ(counts[0].kind, ServiceKind::kJob);
  EXPECT_EQ(counts[1].service, "api");
  EXPECT_EQ(counts[1].desired, 3);
  EXPECT_EQ(counts[1].running, 0);
  EXPECT_EQ(counts[1].restarts, 0u);
}

}  // namespace
}  // namespace ck::platform
