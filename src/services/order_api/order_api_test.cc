// Contract tests of order-api over a real socket.
#include <utility>

#include <gtest/gtest.h>

#include "services/common/service_test_support.h"
#include "services/order_api/order_api.h"

namespace ck::services::order_api {
namespace {

using testing::BodyJson;
using testing::Call;
using testing::TestHost;

TEST(OrderApiTest, GetAnswersHelloWorld) {
  TestHost host(OrderApiService(), LoadServiceConfig("order-api", MapEnvironment({})));
  auto response = Call(http::Verb::get, host.url());
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->result(), http::HttpStatus::ok);
  EXPECT_EQ((*response)[http::Field::content_type], "application/json");
  EXPECT_EQ(BodyJson(*response), nlohmann::json({{"message", "Hello World!"}}));
  auto post = Call(http::Verb::post, host.url(), "{}");
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->result(), http::HttpStatus::method_not_allowed);
  auto health = Call(http::Verb::get, host.url("/health"));
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(BodyJson(*health)["service"], "order-api");
}

}  // namespace
}  // namespace ck::services::order_api
