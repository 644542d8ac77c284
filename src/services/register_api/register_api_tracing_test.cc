// Tracing across processes' worth of hops: a register request through register-api (in-process
// host) to validate-api (in-process host) and to a real `ck dynamodb` over HTTPS, with both
// services' emitters sending to a fake X-Ray daemon on a real UDP socket. Checks the wire format,
// the segments and their parent links, sampling decisions passed downstream, the echoed header,
// trace ids on log lines, and the live-debug story (a TLS trust failure as the fault's cause).
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/tls_context.h"
#include "services/common/service_test_support.h"
#include "services/register_api/register_api.h"
#include "services/validate_api/validate_api.h"

namespace ck::services::register_api {
namespace {

using testing::Call;
using ::testing::HasSubstr;
using testing::TestHost;
using Json = nlohmann::json;

constexpr char kRoot[] = "1-5759e988-bd862e3fe1be46a994272793";
constexpr char kCallerId[] = "53995c3f42cd8ad8";
constexpr char kResident[] = R"({"name":"web01","type":"t3.micro","os":"linux"})";

std::string SampledHeader(const std::string& root, char sampled) {
  return "Root=" + root + ";Parent=" + kCallerId + ";Sampled=" + std::string(1, sampled);
}

// The subsegments of `segment` named `name`.
std::vector<Json> SubsegmentsNamed(const Json& segment, std::string_view name) {
  std::vector<Json> found;
  for (const Json& subsegment : segment.value("subsegments", Json::array())) {
    if (subsegment.value("name", "") == name) found.push_back(subsegment);
  }
  return found;
}

class RegisterApiTracingTest : public testing::DatastoreTest {
 protected:
  void SetUp() override {
    DatastoreTest::SetUp();
    if (IsSkipped()) return;
    CreateTable();
    validate_ =
        std::make_unique<TestHost>(validate_api::ValidateApiService(), Config("validate-api"));
    discovery_.Add("validate-api", validate_->port());
  }

  Result<http::HttpResponse> Register(TestHost& host, const std::string& trace_header) {
    return Call(http::Verb::post, host.url(), kResident, {{"X-Amzn-Trace-Id", trace_header}});
  }

  std::unique_ptr<TestHost> validate_;
};

TEST_F(RegisterApiTracingTest, OneRegisterRequestIsOneTraceDownToDynamoDb) {
  TestHost host(RegisterApiService(), Config("register-api"));
  auto response = Register(host, SampledHeader(kRoot, '1'));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(response->result(), http::HttpStatus::created) << response->body();
  EXPECT_EQ((*response)["X-Amzn-Trace-Id"], std::string("Root=") + kRoot + ";Sampled=1");

  auto segments = daemon_.Segments(kRoot, {"register-api", "validate-api"});
  ASSERT_EQ(segments.size(), 2u) << "segments did not arrive";
  const Json& register_api = segments["register-api"];
  const Json& validate_api = segments["validate-api"];

  EXPECT_EQ(register_api["parent_id"], kCallerId);
  EXPECT_EQ(register_api["origin"], "AWS::ECS::Container");
  EXPECT_EQ(register_api["http"]["request"]["method"], "POST");
  EXPECT_EQ(register_api["http"]["response"]["status"], 201);
  EXPECT_FALSE(register_api.contains("fault") || register_api.contains("error"));
  ASSERT_EQ(register_api["subsegments"].size(), 2u) << register_api.dump();

  std::vector<Json> validate_calls = SubsegmentsNamed(register_api, "validate-api");
  ASSERT_EQ(validate_calls.size(), 1u) << register_api.dump();
  const Json& validate_call = validate_calls[0];
  EXPECT_EQ(validate_call["namespace"], "remote");
  EXPECT_EQ(validate_call["http"]["request"]["url"], "http://validate-api.cuddle-kube.local/");
  EXPECT_EQ(validate_call["http"]["request"]["traced"], true);
  EXPECT_EQ(validate_call["http"]["response"]["status"], 200);

  std::vector<Json> dynamodb_calls = SubsegmentsNamed(register_api, "DynamoDB");
  ASSERT_EQ(dynamodb_calls.size(), 1u) << register_api.dump();
  const Json& put = dynamodb_calls[0];
  EXPECT_EQ(put["namespace"], "aws");
  EXPECT_EQ(put["aws"]["operation"], "PutItem");
  EXPECT_EQ(put["aws"]["table_name"], environment_["CK_TABLE"]);
  EXPECT_EQ(put["aws"]["region"], "us-east-1");
  EXPECT_FALSE(put["aws"].value("request_id", "").empty()) << put.dump();
  EXPECT_EQ(put["aws"]["retries"], 0);
  EXPECT_EQ(put["http"]["response"]["status"], 200);

  // validate-api's segment hangs off register-api's call to it.
  EXPECT_EQ(validate_api["parent_id"], validate_call["id"]);
  EXPECT_EQ(validate_api["http"]["response"]["status"], 200);
  EXPECT_NE(validate_api["id"], validate_call["id"]);
  // Calls happen inside the segment's time.
  EXPECT_GE(put["start_time"].get<double>(), register_api["start_time"].get<double>());
  EXPECT_LE(put["end_time"].get<double>(), register_api["end_time"].get<double>());
}

TEST_F(RegisterApiTracingTest, AnIncomingSampledZeroIsHonouredDownstream) {
  TestHost host(RegisterApiService(), Config("register-api"));
  const std::string unsampled_root = "1-5759e988-000000000000000000000001";
  auto unsampled = Register(host, SampledHeader(unsampled_root, '0'));
  ASSERT_TRUE(unsampled.ok()) << unsampled.status().ToString();
  ASSERT_EQ(unsampled->result(), http::HttpStatus::created) << unsampled->body();
  EXPECT_EQ((*unsampled)["X-Amzn-Trace-Id"], "Root=" + unsampled_root + ";Sampled=0");

  // Each emitter sends in order, so had either service recorded the unsampled request, its
  // segment would arrive before that service's segment of this sampled one.
  auto sampled = Register(host, SampledHeader(kRoot, '1'));
  ASSERT_TRUE(sampled.ok());
  std::vector<Json> others;
  auto segments = daemon_.Segments(kRoot, {"register-api", "validate-api"}, &others);
  ASSERT_EQ(segments.size(), 2u) << "segments did not arrive";
  for (const Json& document : others) {
    EXPECT_NE(document.value("trace_id", ""), unsampled_root) << document.dump();
  }
}

TEST_F(RegisterApiTracingTest, TraceIdsAreOnTheRequestsLogLines) {
  testing::CapturedLog log;
  TestHost host(RegisterApiService(), Config("register-api"));
  auto response = Register(host, SampledHeader(kRoot, '1'));
  ASSERT_TRUE(response.ok());
  auto segments = daemon_.Segments(kRoot, {"register-api", "validate-api"});
  ASSERT_EQ(segments.size(), 2u);

  std::vector<Json> registered = log.Lines("registered");
  ASSERT_EQ(registered.size(), 1u);
  EXPECT_EQ(registered[0]["trace_id"], kRoot);
  EXPECT_EQ(registered[0]["span_id"], segments["register-api"]["id"]);
  // One "request" line per service, each with its own segment's id.
  std::vector<std::string> span_ids;
  for (const Json& line : log.Lines("request")) {
    EXPECT_EQ(line["trace_id"], kRoot) << line.dump();
    span_ids.push_back(line.value("span_id", ""));
  }
  EXPECT_THAT(span_ids,
              ::testing::UnorderedElementsAre(segments["register-api"]["id"].get<std::string>(),
                                              segments["validate-api"]["id"].get<std::string>()));
}

// The workshop's live-debug story: register-api does not trust ck dynamodb's certificate. The
// trace shows the fault on the DynamoDB call with the TLS error as its cause, and on
// register-api's own segment.
TEST_F(RegisterApiTracingTest, UntrustedDatastoreIsAFaultWithTheTlsErrorAsCause) {
  const std::filesystem::path other_ca =
      std::filesystem::temp_directory_path() / ("ck-other-ca-" + RandomHex(6));
  ASSERT_TRUE(EnsureLocalCertificates(other_ca.string(), {"127.0.0.1"}).ok());
  environment_["AWS_CA_BUNDLE"] = (other_ca / "ca.pem").string();
  {
    TestHost host(RegisterApiService(), Config("register-api"));
    auto response = Register(host, SampledHeader(kRoot, '1'));
    ASSERT_TRUE(response.ok()) << response.status().ToString();
    EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway) << response->body();
  }
  std::filesystem::remove_all(other_ca);

  auto segments = daemon_.Segments(kRoot, {"register-api"});
  ASSERT_EQ(segments.size(), 1u) << "segment did not arrive";
  const Json& segment = segments["register-api"];
  EXPECT_EQ(segment["fault"], true);
  EXPECT_EQ(segment["http"]["response"]["status"], 502);
  ASSERT_EQ(segment["cause"]["exceptions"].size(), 1u) << segment.dump();
  EXPECT_EQ(segment["cause"]["exceptions"][0]["type"], "TlsError");
  EXPECT_THAT(segment["cause"]["exceptions"][0]["message"].get<std::string>(),
              HasSubstr("certificate verify failed"));

  std::vector<Json> dynamodb_calls = SubsegmentsNamed(segment, "DynamoDB");
  ASSERT_EQ(dynamodb_calls.size(), 1u) << segment.dump();
  const Json& put = dynamodb_calls[0];
  EXPECT_EQ(put["aws"]["operation"], "PutItem");
  EXPECT_EQ(put["fault"], true);
  ASSERT_EQ(put["cause"]["exceptions"].size(), 1u);
  const Json& exception = put["cause"]["exceptions"][0];
  EXPECT_EQ(exception["type"], "TlsError");
  EXPECT_THAT(exception["message"].get<std::string>(), HasSubstr("TLS handshake with 127.0.0.1:"));
  EXPECT_THAT(exception["message"].get<std::string>(), HasSubstr("certificate verify failed"));
  // validate-api was fine.
  std::vector<Json> validate_calls = SubsegmentsNamed(segment, "validate-api");
  ASSERT_EQ(validate_calls.size(), 1u);
  EXPECT_FALSE(validate_calls[0].contains("fault"));
}

TEST_F(RegisterApiTracingTest, TracingOffRecordsNothingButPassesIdsAndTheDecisionOn) {
  environment_["CK_TRACING"] = "off";
  TestHost host(RegisterApiService(), Config("register-api"));
  auto response = Register(host, SampledHeader(kRoot, '1'));
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->result(), http::HttpStatus::created) << response->body();
  EXPECT_EQ((*response)["X-Amzn-Trace-Id"], std::string("Root=") + kRoot + ";Sampled=1");
  // validate-api (tracing on) still follows the caller's decision in the same trace.
  auto segments = daemon_.Segments(kRoot, {"validate-api"});
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments["validate-api"]["parent_id"].get<std::string>().size(), 16u);
  EXPECT_NE(segments["validate-api"]["parent_id"], kCallerId);
  telemetry::EmitterStats stats = host.service().telemetry_stats();
  EXPECT_EQ(stats.emitted + stats.queued + stats.dropped_queue_full, 0u);
}

}  // namespace
}  // namespace ck::services::register_api
