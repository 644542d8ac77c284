// DynamoDbClient against an in-process HTTP(S) server that scripts its answers: retries on
// 500/throttling/CRC mismatches with the policy's backoff, no retries on other 4xx, SigV4 headers
// verified server-side, error parsing, TLS trust via the CA bundle and the TLS failure message;
// observed views and the DynamoDbTracer's "aws" subsegments.
#include "aws/dynamodb_client.h"

#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "aws/blocking_dynamodb_client.h"
#include "aws/dynamodb_tracer.h"
#include "core/crypto.h"
#include "core/sigv4.h"
#include "core/tls_context.h"
#include "http/server.h"

namespace ck::aws {
namespace {

namespace asio = boost::asio;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;
using std::chrono::milliseconds;

constexpr char kAccessKey[] = "AKIDTEST";
constexpr char kSecret[] = "test-secret";

struct Scripted {
  int status = 200;
  std::string body = "{}";
  enum class Crc { kCorrect, kWrong, kNone } crc = Crc::kCorrect;
};

struct Seen {
  std::string target;  // X-Amz-Target
  std::string content_type;
  std::string body;
  bool signature_valid = false;
};

// An HTTP(S) server on its own thread answering from a script (then "{}" with 200).
class ScriptedServer {
 public:
  explicit ScriptedServer(std::shared_ptr<asio::ssl::context> tls = nullptr) {
    http::ServerOptions options;
    options.tls = std::move(tls);
    server_ = std::make_unique<http::HttpServer>(
        io_, options, [this](http::HttpRequest request) -> asio::awaitable<http::HttpResponse> {
          co_return Answer(request);
        });
    auto endpoint = server_->Listen("127.0.0.1", 0);
    EXPECT_TRUE(endpoint.ok()) << endpoint.status().ToString();
    port_ = endpoint.ok() ? endpoint->port() : 0;
    server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ScriptedServer() {
    asio::post(io_, [this] { server_->Shutdown([this] { io_.stop(); }); });
    thread_.join();
  }

  void Script(std::vector<Scripted> responses) {
    std::lock_guard lock(mutex_);
    for (auto& response : responses) script_.push_back(std::move(response));
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::string url(bool tls) const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }

 private:
  http::HttpResponse Answer(const http::HttpRequest& request) {
    Seen seen;
    seen.target = std::string(http::HeaderValue(request, "X-Amz-Target"));
    seen.content_type = std::string(http::HeaderValue(request, "Content-Type"));
    seen.body = request.body();
    seen.signature_valid = Verify(request);

    Scripted next;
    size_t number = 0;
    {
      std::lock_guard lock(mutex_);
      seen_.push_back(seen);
      number = seen_.size();
      if (!script_.empty()) {
        next = std::move(script_.front());
        script_.pop_front();
      }
    }
    http::HttpResponse response = http::MakeResponse(static_cast<http::HttpStatus>(next.status),
                                                     "application/x-amz-json-1.0", next.body);
    response.set("x-amzn-RequestId", "REQ" + std::to_string(number));
    if (next.crc == Scripted::Crc::kCorrect) {
      response.set("x-amz-crc32", std::to_string(Crc32(next.body)));
    } else if (next.crc == Scripted::Crc::kWrong) {
      response.set("x-amz-crc32", std::to_string(Crc32(next.body) ^ 1u));
    }
    return response;
  }

  static bool Verify(const http::HttpRequest& request) {
    sigv4::SignableRequest signable;
    signable.method = std::string(request.method_string());
    std::string target(request.target());
    signable.path = target.substr(0, target.find('?'));
    for (const auto& field : request) {
      signable.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    signable.body = request.body();
    auto authorization = sigv4::ParseAuthorization(http::HeaderValue(request, "Authorization"));
    if (!authorization.ok() || authorization->access_key_id != kAccessKey ||
        authorization->service != "dynamodb" || authorization->region != "us-east-1") {
      return false;
    }
    return sigv4::VerifySignature(signable, *authorization, kSecret,
                                  http::HeaderValue(request, "X-Amz-Date"));
  }

  asio::io_context io_;
  std::unique_ptr<http::HttpServer> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::deque<Scripted> script_;
  std::vector<Seen> seen_;
};

// Records what an observer is told.
class RecordingObserver final : public CallObserver {
 public:
  struct Entry {
    std::string operation;
    std::string table;
    std::string region;
    int attempts = -1;  // -1 until End()
    int http_status = 0;
    std::string error_type;
  };

  explicit RecordingObserver(std::vector<Entry>* entries) : entries_(entries) {}

  std::unique_ptr<Call> Start(std::string_view operation, const nlohmann::json& request,
                              std::string_view region) override {
    entries_->push_back({std::string(operation), TableNameOf(request), std::string(region)});
    return std::make_unique<Recorder>(entries_, entries_->size() - 1);
  }

 private:
  class Recorder final : public Call {
   public:
    Recorder(std::vector<Entry>* entries, size_t index) : entries_(entries), index_(index) {}
    void End(const CallOutcome& outcome) override {
      Entry& entry = (*entries_)[index_];
      entry.attempts = outcome.attempts;
      entry.http_status = outcome.http_status;
      entry.error_type = outcome.error.type;
    }

   private:
    std::vector<Entry>* entries_;
    size_t index_;
  };

  std::vector<Entry>* entries_;
};

class CapturingSink final : public telemetry::SegmentSink {
 public:
  void Emit(nlohmann::json document) override { documents.push_back(std::move(document)); }
  std::vector<nlohmann::json> documents;
};

// A tracer and one sampled request span, as a service handler has them.
struct TracedRequest {
  TracedRequest() {
    http::HttpRequest request(http::Verb::post, "/", 11);
    request.set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
    span = tracer.StartRequest(request);
  }
  // The segment document, after ending the span.
  Json End() {
    span.End(200);
    EXPECT_EQ(sink.documents.size(), 1u);
    return sink.documents.empty() ? Json() : sink.documents.back();
  }

  CapturingSink sink;
  telemetry::Sampler sampler{SystemClock::Instance(), telemetry::SystemRandom::Instance()};
  telemetry::Tracer tracer{{.service_name = "register-api"}, &sink, sampler};
  telemetry::RequestSpan span;
};

std::string ErrorBody(std::string_view type, std::string_view message) {
  return Json{{"__type", "com.amazonaws.dynamodb.v20120810#" + std::string(type)},
              {"message", message}}
      .dump();
}

class DynamoDbClientTest : public ::testing::Test {
 protected:
  std::unique_ptr<BlockingDynamoDbClient> MakeClient(const std::string& endpoint,
                                                     std::string ca_bundle = "",
                                                     RetryOptions retry = {}) {
    DynamoDbClientOptions options;
    options.config.region = "us-east-1";
    options.config.credentials = {kAccessKey, kSecret, ""};
    options.config.endpoint = endpoint;
    options.config.ca_bundle = std::move(ca_bundle);
    options.retry = retry;
    options.random = [] { return 0.5; };
    options.sleep = [this](milliseconds delay) -> asio::awaitable<void> {
      sleeps_.push_back(delay);
      co_return;
    };
    options.http.request_timeout = milliseconds(5000);
    auto client = BlockingDynamoDbClient::Create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  CallOutcome Invoke(BlockingDynamoDbClient& client, std::string_view operation,
                     const Json& request) {
    return client.Run([&](DynamoDbClient& c) { return c.Invoke(std::string(operation), request); });
  }

  std::vector<milliseconds> sleeps_;
};

TEST_F(DynamoDbClientTest, SendsSignedJsonProtocolRequest) {
  ScriptedServer server;
  server.Script({{200, R"({"TableNames":["a"]})"}});
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  CallOutcome outcome = Invoke(*client, "ListTables", Json::object());
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status().ToString();
  EXPECT_EQ(*outcome.result, Json::parse(R"({"TableNames":["a"]})"));
  EXPECT_EQ(outcome.attempts, 1);
  EXPECT_EQ(outcome.http_status, 200);
  EXPECT_EQ(outcome.request_id, "REQ1");
  EXPECT_TRUE(outcome.error.type.empty());

  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "DynamoDB_20120810.ListTables");
  EXPECT_EQ(seen[0].content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(seen[0].body, "{}");
  EXPECT_TRUE(seen[0].signature_valid);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(DynamoDbClientTest, RetriesServerErrorsThrottlingAndCrcMismatchWithBackoff) {
  ScriptedServer server;
  server.Script({
      {500, ErrorBody("InternalServerError", "Internal server error")},
      {400, ErrorBody("ProvisionedThroughputExceededException", "slow down")},
      {400, ErrorBody("ThrottlingException", "Rate exceeded")},
      {200, R"({"Item":{"id":{"S":"1"}}})", Scripted::Crc::kWrong},
      {503, "<html>unavailable</html>", Scripted::Crc::kNone},
      {200, R"({"Item":{"id":{"S":"1"}}})"},
  });
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  auto item = client->Run([](DynamoDbClient& c) {
    return c.GetItem({.table = "t", .key = {{"id", Str("1")}}});
  });
  auto seen = server.seen();
  ASSERT_TRUE(item.ok()) << item.status().ToString();
  ASSERT_TRUE(item->has_value());
  EXPECT_EQ((**item).at("id"), Str("1"));

  ASSERT_EQ(seen.size(), 6u);
  for (const Seen& request : seen) {
    EXPECT_EQ(request.target, "DynamoDB_20120810.GetItem");
    EXPECT_EQ(request.body, seen[0].body);
    EXPECT_TRUE(request.signature_valid);  // every attempt is signed afresh
  }
  // Full jitter with random 0.5: floor(0.5 * (ceiling + 1)) for ceilings 25, 50, 100, 200, 400.
  EXPECT_THAT(sleeps_, ElementsAre(milliseconds(13), milliseconds(25), milliseconds(50),
                                   milliseconds(100), milliseconds(200)));
}

TEST_F(DynamoDbClientTest, DoesNotRetryClientErrors) {
  ScriptedServer server;
  server.Script(
      {{400, ErrorBody("ConditionalCheckFailedException", "The conditional request failed")}});
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  CallOutcome outcome = Invoke(*client, "PutItem", Json{{"TableName", "t"}});
  ASSERT_FALSE(outcome.result.ok());
  EXPECT_EQ(outcome.attempts, 1);
  EXPECT_EQ(outcome.error.type, "ConditionalCheckFailedException");
  EXPECT_EQ(outcome.error.message, "The conditional request failed");
  EXPECT_EQ(outcome.error.http_status, 400);
  EXPECT_EQ(outcome.error.request_id, "REQ1");
  EXPECT_FALSE(outcome.error.retryable);
  EXPECT_EQ(outcome.result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(outcome.result.status().message(),
            "ConditionalCheckFailedException: The conditional request failed");
  EXPECT_EQ(AwsErrorFrom(outcome.result.status()).type, "ConditionalCheckFailedException");
  EXPECT_EQ(server.seen().size(), 1u);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(DynamoDbClientTest, GivesUpAfterMaxAttempts) {
  ScriptedServer server;
  server.Script(std::vector<Scripted>(
      5, Scripted{400, ErrorBody("ProvisionedThroughputExceededException", "too fast")}));
  auto client = MakeClient(server.url(false), "", RetryOptions{.max_attempts = 3});
  ASSERT_TRUE(client);
  CallOutcome outcome = Invoke(*client, "PutItem", Json{{"TableName", "t"}});
  ASSERT_FALSE(outcome.result.ok());
  EXPECT_EQ(outcome.attempts, 3);
  EXPECT_EQ(outcome.error.type, "ProvisionedThroughputExceededException");
  EXPECT_TRUE(outcome.error.retryable);
  EXPECT_EQ(outcome.result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(server.seen().size(), 3u);
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(DynamoDbClientTest, PersistentCrcMismatchIsReported) {
  ScriptedServer server;
  server.Script({{200, "{}", Scripted::Crc::kWrong}, {200, "{}", Scripted::Crc::kWrong}});
  auto client = MakeClient(server.url(false), "", RetryOptions{.max_attempts = 2});
  ASSERT_TRUE(client);
  auto result = client->Call("ListTables", Json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(result.status().message(), HasSubstr("CRC32CheckFailed: x-amz-crc32 header"));
}

TEST_F(DynamoDbClientTest, NonJsonSuccessIsAnInvalidResponse) {
  ScriptedServer server;
  server.Script({{200, "not json"}});
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  auto result = client->Call("ListTables", Json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
  EXPECT_THAT(result.status().message(), HasSubstr("InvalidResponse"));
  EXPECT_EQ(server.seen().size(), 1u);
}

TEST_F(DynamoDbClientTest, UnserialisableRequestFailsWithoutSending) {
  ScriptedServer server;
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  auto result = client->Call("PutItem", Json{{"TableName", "\xff\xfe"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("InvalidRequest: cannot serialise"));
  EXPECT_TRUE(server.seen().empty());
}

TEST_F(DynamoDbClientTest, ConnectionRefusedIsRetriedThenReported) {
  uint16_t closed_port = 0;
  {
    ScriptedServer server;  // bind a port, then free it
    closed_port = static_cast<uint16_t>(std::stoi(server.url(false).substr(17)));
  }
  auto client = MakeClient("http://127.0.0.1:" + std::to_string(closed_port), "",
                           RetryOptions{.max_attempts = 3});
  ASSERT_TRUE(client);
  CallOutcome outcome = Invoke(*client, "ListTables", Json::object());
  ASSERT_FALSE(outcome.result.ok());
  EXPECT_EQ(outcome.attempts, 3);
  EXPECT_EQ(outcome.error.type, kNetworkingError);
  EXPECT_EQ(outcome.error.http_status, 0);
  EXPECT_THAT(outcome.result.status().message(), HasSubstr("NetworkingError: "));
  EXPECT_EQ(sleeps_.size(), 2u);
}

TEST_F(DynamoDbClientTest, BatchWriteResubmitsUnprocessedItems) {
  ScriptedServer server;
  server.Script({
      {200, R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"2"}}}}]}})"},
      {200, R"({"UnprocessedItems":{}})"},
  });
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  auto unprocessed = client->Run([](DynamoDbClient& c) {
    return c.BatchWriteItem(
        {{"t", {WriteRequest::Put({{"id", Str("1")}}), WriteRequest::Put({{"id", Str("2")}})}}});
  });
  ASSERT_TRUE(unprocessed.ok()) << unprocessed.status().ToString();
  EXPECT_TRUE(unprocessed->empty());
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(Json::parse(seen[1].body),
            Json::parse(R"({"RequestItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"2"}}}}]}})"));
  EXPECT_THAT(sleeps_, ElementsAre(milliseconds(13)));
}

TEST_F(DynamoDbClientTest, ScanAllFollowsLastEvaluatedKey) {
  ScriptedServer server;
  server.Script({
      {200, R"({"Items":[{"id":{"S":"1"}}],"Count":1,"ScannedCount":2,
                "LastEvaluatedKey":{"id":{"S":"1"}}})"},
      {200, R"({"Items":[{"id":{"S":"2"}}],"Count":1,"ScannedCount":1})"},
  });
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  auto page = client->Run([](DynamoDbClient& c) { return c.ScanAll({.table = "t"}); });
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->count, 2);
  EXPECT_EQ(page->scanned_count, 3);
  EXPECT_FALSE(page->last_evaluated_key);
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_FALSE(Json::parse(seen[0].body).contains("ExclusiveStartKey"));
  EXPECT_EQ(Json::parse(seen[1].body)["ExclusiveStartKey"], Json::parse(R"({"id":{"S":"1"}})"));
}

TEST_F(DynamoDbClientTest, ObservedViewReportsEveryCallAndTheClientStaysUnobserved) {
  ScriptedServer server;
  server.Script({
      {500, ErrorBody("InternalServerError", "Internal server error")},
      {200, R"({"Items":[],"Count":0,"ScannedCount":0,"LastEvaluatedKey":{"id":{"S":"1"}}})"},
      {200, R"({"Items":[],"Count":0,"ScannedCount":0})"},
      {400, ErrorBody("ResourceNotFoundException", "Requested resource not found")},
  });
  auto client = MakeClient(server.url(false));
  ASSERT_TRUE(client);
  std::vector<RecordingObserver::Entry> entries;
  DynamoDbClient observed =
      client->async_client().Observed(std::make_unique<RecordingObserver>(&entries));
  auto page = client->Run([&](DynamoDbClient&) { return observed.ScanAll({.table = "pets"}); });
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  auto missing = client->Run([&](DynamoDbClient&) { return observed.DescribeTable("gone"); });
  ASSERT_FALSE(missing.ok());
  // The client itself reports nothing.
  ASSERT_TRUE(client->Call("ListTables", Json::object()).ok());

  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].operation, "Scan");  // first page, after one retry
  EXPECT_EQ(entries[0].table, "pets");
  EXPECT_EQ(entries[0].region, "us-east-1");
  EXPECT_EQ(entries[0].attempts, 2);
  EXPECT_EQ(entries[0].http_status, 200);
  EXPECT_EQ(entries[1].operation, "Scan");  // second page
  EXPECT_EQ(entries[1].attempts, 1);
  EXPECT_EQ(entries[2].operation, "DescribeTable");
  EXPECT_EQ(entries[2].table, "gone");
  EXPECT_EQ(entries[2].http_status, 400);
  EXPECT_EQ(entries[2].error_type, "ResourceNotFoundException");
}

TEST_F(DynamoDbClientTest, TracerRecordsEachCallAsAnAwsSubsegment) {
  ScriptedServer server;
  server.Script({
      {500, ErrorBody("InternalServerError", "Internal server error")},
      {200, "{}"},
      {400, ErrorBody("ConditionalCheckFailedException", "The conditional request failed")},
  });
  auto client = MakeClient(server.url(false), "", RetryOptions{.max_attempts = 2});
  ASSERT_TRUE(client);
  TracedRequest traced;
  DynamoDbClient datastore =
      client->async_client().Observed(std::make_unique<DynamoDbTracer>(&traced.span));
  PutItemRequest put{.table = "cuddlykube", .item = {{"ckid", Str("ck9")}}};
  auto stored = client->Run([&](DynamoDbClient&) { return datastore.PutItem(put); });
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  auto refused = client->Run([&](DynamoDbClient&) { return datastore.PutItem(put); });
  ASSERT_FALSE(refused.ok());

  Json segment = traced.End();
  EXPECT_FALSE(segment.contains("fault")) << segment.dump();
  ASSERT_EQ(segment["subsegments"].size(), 2u) << segment.dump();
  const Json& ok = segment["subsegments"][0];
  EXPECT_EQ(ok["name"], "DynamoDB");
  EXPECT_EQ(ok["namespace"], "aws");
  EXPECT_EQ(ok["aws"]["operation"], "PutItem");
  EXPECT_EQ(ok["aws"]["table_name"], "cuddlykube");
  EXPECT_EQ(ok["aws"]["region"], "us-east-1");
  EXPECT_EQ(ok["aws"]["request_id"], "REQ2");
  EXPECT_EQ(ok["aws"]["retries"], 1);
  EXPECT_EQ(ok["http"]["response"]["status"], 200);
  EXPECT_FALSE(ok.contains("fault") || ok.contains("error")) << ok.dump();

  // A refused call is an error with its status, not a fault.
  const Json& conditional = segment["subsegments"][1];
  EXPECT_EQ(conditional["aws"]["request_id"], "REQ3");
  EXPECT_EQ(conditional["aws"]["retries"], 0);
  EXPECT_EQ(conditional["error"], true);
  EXPECT_FALSE(conditional.contains("fault")) << conditional.dump();
  EXPECT_EQ(conditional["http"]["response"]["status"], 400);
  EXPECT_EQ(conditional["metadata"]["default"]["aws_error"]["type"],
            "ConditionalCheckFailedException");
}

TEST_F(DynamoDbClientTest, TracerRecordsAServerFailureAsARemoteFault) {
  ScriptedServer server;
  server.Script({{503, ErrorBody("ServiceUnavailable", "try later")}});
  auto client = MakeClient(server.url(false), "", RetryOptions{.max_attempts = 1});
  ASSERT_TRUE(client);
  TracedRequest traced;
  DynamoDbClient datastore =
      client->async_client().Observed(std::make_unique<DynamoDbTracer>(&traced.span));
  auto result = client->Run([&](DynamoDbClient&) { return datastore.GetItem({.table = "t"}); });
  ASSERT_FALSE(result.ok());
  Json call = traced.End()["subsegments"][0];
  EXPECT_EQ(call["fault"], true) << call.dump();
  ASSERT_EQ(call["cause"]["exceptions"].size(), 1u);
  EXPECT_EQ(call["cause"]["exceptions"][0]["type"], "ServiceUnavailable");
  EXPECT_EQ(call["cause"]["exceptions"][0]["message"], "try later");
  EXPECT_EQ(call["cause"]["exceptions"][0]["remote"], true);
}

TEST(TableNameOfTest, FindsTheTableOfSingleTableRequests) {
  EXPECT_EQ(TableNameOf(Json{{"TableName", "a"}}), "a");
  EXPECT_EQ(TableNameOf(Json::parse(R"({"RequestItems":{"b":{"Keys":[]}}})")), "b");
  EXPECT_EQ(TableNameOf(Json::parse(R"({"RequestItems":{"b":{},"c":{}}})")), "");
  EXPECT_EQ(TableNameOf(Json::parse(
                R"({"TransactItems":[{"Put":{"TableName":"d"}},{"Delete":{"TableName":"d"}}]})")),
            "d");
  EXPECT_EQ(TableNameOf(Json::parse(
                R"({"TransactItems":[{"Put":{"TableName":"d"}},{"Delete":{"TableName":"e"}}]})")),
            "");
  EXPECT_EQ(TableNameOf(Json::object()), "");
  EXPECT_EQ(TableNameOf(Json::array()), "");
  EXPECT_EQ(TableNameOf(Json{{"TableName", 5}}), "");
}

class TlsDynamoDbClientTest : public DynamoDbClientTest {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck_aws_tls_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
    ASSERT_TRUE(EnsureLocalCertificates(directory_.string(), {"127.0.0.1", "localhost"}).ok());
    auto tls = MakeServerTlsContext((directory_ / "server.pem").string(),
                                    (directory_ / "server-key.pem").string());
    ASSERT_TRUE(tls.ok()) << tls.status().ToString();
    server_ = std::make_unique<ScriptedServer>(*tls);
  }
  void TearDown() override {
    server_.reset();
    std::filesystem::remove_all(directory_);
  }

  std::filesystem::path directory_;
  std::unique_ptr<ScriptedServer> server_;
};

TEST_F(TlsDynamoDbClientTest, TrustsTheCaBundle) {
  server_->Script({{200, R"({"TableNames":[]})"}});
  auto client = MakeClient(server_->url(true), (directory_ / "ca.pem").string());
  ASSERT_TRUE(client);
  auto result = client->Call("ListTables", Json::object());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(server_->seen().at(0).signature_valid);
}

TEST_F(TlsDynamoDbClientTest, UntrustedCertificateIsAVerificationErrorNotRetried) {
  // The system store does not know our freshly made local CA.
  auto client = MakeClient(server_->url(true), "");
  ASSERT_TRUE(client);
  CallOutcome outcome = Invoke(*client, "ListTables", Json::object());
  ASSERT_FALSE(outcome.result.ok());
  EXPECT_EQ(outcome.error.type, kTlsError);
  EXPECT_EQ(outcome.attempts, 1);
  EXPECT_EQ(outcome.result.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(outcome.result.status().message(),
              HasSubstr("TlsError: TLS handshake with 127.0.0.1:"));
  EXPECT_THAT(outcome.result.status().message(), HasSubstr("certificate verify failed"));
  EXPECT_TRUE(server_->seen().empty());
}

TEST_F(TlsDynamoDbClientTest, AnotherCaIsNotTrusted) {
  auto other = directory_ / "other";
  ASSERT_TRUE(EnsureLocalCertificates(other.string(), {"127.0.0.1"}).ok());
  auto client = MakeClient(server_->url(true), (other / "ca.pem").string());
  ASSERT_TRUE(client);
  auto result = client->Call("ListTables", Json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("certificate verify failed"));
}

// The live-debug story at the client: the handshake error is the fault's cause.
TEST_F(TlsDynamoDbClientTest, TracedTlsFailureIsAFaultWithTheHandshakeError) {
  auto other = directory_ / "other";
  ASSERT_TRUE(EnsureLocalCertificates(other.string(), {"127.0.0.1"}).ok());
  auto client = MakeClient(server_->url(true), (other / "ca.pem").string());
  ASSERT_TRUE(client);
  TracedRequest traced;
  DynamoDbClient datastore =
      client->async_client().Observed(std::make_unique<DynamoDbTracer>(&traced.span));
  PutItemRequest put{.table = "cuddlykube", .item = {{"ckid", Str("ck9")}}};
  auto result = client->Run([&](DynamoDbClient&) { return datastore.PutItem(put); });
  ASSERT_FALSE(result.ok());

  Json call = traced.End()["subsegments"][0];
  EXPECT_EQ(call["name"], "DynamoDB");
  EXPECT_EQ(call["aws"]["operation"], "PutItem");
  EXPECT_EQ(call["aws"]["retries"], 0);
  EXPECT_FALSE(call["aws"].contains("request_id")) << call.dump();  // no answer arrived
  EXPECT_EQ(call["fault"], true);
  ASSERT_EQ(call["cause"]["exceptions"].size(), 1u);
  const Json& exception = call["cause"]["exceptions"][0];
  EXPECT_EQ(exception["type"], "TlsError");
  EXPECT_THAT(exception["message"].get<std::string>(), HasSubstr("TLS handshake with 127.0.0.1:"));
  EXPECT_THAT(exception["message"].get<std::string>(), HasSubstr("certificate verify failed"));
  EXPECT_FALSE(exception.value("remote", false));
}

TEST(DynamoDbClientCreateTest, UnreadableCaBundleIsAnError) {
  asio::io_context io;
  DynamoDbClientOptions options;
  options.config.region = "us-east-1";
  options.config.credentials = {kAccessKey, kSecret, ""};
  options.config.endpoint = "https://127.0.0.1:1";
  options.config.ca_bundle = "/nonexistent/ca.pem";
  auto client = DynamoDbClient::Create(io.get_executor(), options);
  ASSERT_FALSE(client.ok());
  EXPECT_THAT(client.status().message(), HasSubstr("/nonexistent/ca.pem"));

  options.config.endpoint = "not a url";
  EXPECT_FALSE(DynamoDbClient::Create(io.get_executor(), options).ok());
}

}  // namespace
}  // namespace ck::aws
