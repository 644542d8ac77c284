// The public site end to end within one process: a real ServiceHost serving PublicSiteService(),
// fake list-api, register-api and feed-api servers on port 0, and a fake discovery registry that
// points the site's ServiceClient at them. Requests go over real sockets; segments go to a fake
// X-Ray daemon on a real UDP socket.
#include "services/public_site/site_handlers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/client.h"
#include "http/server.h"
#include "services/common/service_test_support.h"
#include "services/public_site/public_site.h"
#include "services/public_site/static_assets.h"

namespace ck::services::public_site {
namespace {

namespace asio = boost::asio;
using http::HttpRequest;
using http::HttpResponse;
using http::HttpStatus;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

HttpResponse JsonReply(HttpStatus status, std::string body) {
  return http::MakeResponse(status, "application/json", std::move(body));
}

// An HTTP server on port 0 answering with a replaceable function and recording its requests.
class FakeBackend {
 public:
  using Reply = std::function<HttpResponse(const HttpRequest&)>;

  explicit FakeBackend(asio::io_context& io)
      : server_(io, http::ServerOptions{},
                [this](HttpRequest request) { return Serve(this, std::move(request)); }) {}

  uint16_t Start() {
    auto endpoint = server_.Listen("127.0.0.1", 0);
    EXPECT_TRUE(endpoint.ok());
    server_.Start();
    return endpoint->port();
  }
  void SetReply(Reply reply) {
    std::lock_guard lock(mutex_);
    reply_ = std::move(reply);
  }
  std::vector<HttpRequest> Received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  static asio::awaitable<HttpResponse> Serve(FakeBackend* self, HttpRequest request) {
    HttpResponse response;
    {
      std::lock_guard lock(self->mutex_);
      self->received_.push_back(request);
      response =
          self->reply_ ? self->reply_(request) : JsonReply(HttpStatus::internal_server_error, "{}");
    }
    co_return response;
  }

  std::mutex mutex_;
  Reply reply_;
  std::vector<HttpRequest> received_;
  http::HttpServer server_;
};

class PublicSiteHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ports_["list-api"] = list_api_.Start();
    ports_["register-api"] = register_api_.Start();
    ports_["feed-api"] = feed_api_.Start();
    discovery_.SetReply([this](const HttpRequest& request) { return Discover(request); });
    uint16_t discovery_port = discovery_.Start();
    ServiceConfig config = LoadServiceConfig(
        "public-site",
        MapEnvironment({{"CK_DISCOVERY_URL", "http://127.0.0.1:" + std::to_string(discovery_port)},
                        {"CK_SERVICE_DOMAIN", "cuddle-kube.local"},
                        {"AWS_XRAY_DAEMON_ADDRESS", daemon_.address()}}));
    host_ = std::make_unique<ServiceHost>(io_, definition_, std::move(config));
    ASSERT_TRUE(host_->Start("127.0.0.1", 0).ok());
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    work_.reset();
    io_.stop();
    thread_.join();
  }

  HttpResponse Discover(const HttpRequest& request) {
    std::string service(request.target().substr(std::string_view("/v1/discovery/").size()));
    std::lock_guard lock(ports_mutex_);
    auto it = ports_.find(service);
    if (it == ports_.end()) {
      return JsonReply(HttpStatus::not_found, R"({"error":"unknown service: )" + service + "\"}");
    }
    nlohmann::json answer = {{"service", service},
                             {"instances",
                              {{{"id", service + "-v1-1"},
                                {"address", "127.0.0.1"},
                                {"port", it->second},
                                {"version", "v1"},
                                {"healthy", true}}}}};
    return JsonReply(HttpStatus::ok, answer.dump());
  }

  void Forget(const std::string& service) {
    std::lock_guard lock(ports_mutex_);
    ports_.erase(service);
  }

  HttpResponse Send(HttpRequest request) {
    auto url = http::ParseUrl(host_->url() + std::string(request.target()));
    EXPECT_TRUE(url.ok());
    auto response = http::SendBlocking(*url, std::move(request));
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : HttpResponse();
  }
  HttpResponse Get(std::string target) {
    return Send(HttpRequest(http::Verb::get, std::move(target), 11));
  }
  HttpResponse PostForm(std::string target, std::string body,
                        std::string content_type = "application/x-www-form-urlencoded") {
    HttpRequest request(http::Verb::post, std::move(target), 11);
    if (!content_type.empty()) request.set(http::Field::content_type, content_type);
    request.body() = std::move(body);
    return Send(std::move(request));
  }

  static void ExpectHtml(const HttpResponse& response) {
    EXPECT_EQ(response[http::Field::content_type], "text/html; charset=utf-8");
    EXPECT_THAT(response.body(), StartsWith("<!doctype html>"));
    EXPECT_THAT(std::string(response["Content-Security-Policy"]), HasSubstr("script-src 'self'"));
    EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  }

  testing::FakeXRayDaemon daemon_;
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  FakeBackend list_api_{io_};
  FakeBackend register_api_{io_};
  FakeBackend feed_api_{io_};
  FakeBackend discovery_{io_};
  std::mutex ports_mutex_;
  std::map<std::string, uint16_t> ports_;
  ServiceDefinition definition_ = PublicSiteService();
  std::unique_ptr<ServiceHost> host_;
  std::thread thread_;
};

constexpr const char* kResidents = R"json([
  {"ckid":"ck1","name":"ig.nore.me","type":"m2.xlarge","service":10,"happiness":1,
   "petname":"The ignored one","os":"linux","image":"/img/server-1.svg"},
  {"ckid":"ck\"><img src=x onerror=alert(1)>","name":"<script>alert(1)</script>",
   "type":"t","service":3,"happiness":7,"petname":"","os":"OpenBSD",
   "image":"javascript:alert(1)"}])json";

TEST_F(PublicSiteHandlersTest, HomeAndRegisterFormAreHtml) {
  HttpResponse home = Get("/");
  EXPECT_EQ(home.result(), HttpStatus::ok);
  ExpectHtml(home);
  EXPECT_THAT(home.body(), HasSubstr("Request admittance"));
  HttpResponse form = Get("/register");
  EXPECT_EQ(form.result(), HttpStatus::ok);
  ExpectHtml(form);
  EXPECT_THAT(form.body(), HasSubstr("name=\"Name\""));
}

TEST_F(PublicSiteHandlersTest, HealthNamesTheService) {
  HttpResponse health = Get("/health");
  EXPECT_EQ(health.result(), HttpStatus::ok);
  EXPECT_EQ(nlohmann::json::parse(health.body())["service"], "public-site");
}

// The service map's public-site -> list-api edge: the call is a subsegment named as list-api
// names its own segment, and list-api gets that subsegment's id as its Parent.
TEST_F(PublicSiteHandlersTest, ListCallIsARemoteSubsegmentNamedAfterListApi) {
  const std::string root = "1-5759e988-bd862e3fe1be46a994272793";
  list_api_.SetReply([](const HttpRequest&) { return JsonReply(HttpStatus::ok, kResidents); });
  HttpRequest request(http::Verb::get, "/list", 11);
  request.set("X-Amzn-Trace-Id", "Root=" + root + ";Sampled=1");
  HttpResponse page = Send(std::move(request));
  EXPECT_EQ(page.result(), HttpStatus::ok);
  EXPECT_EQ(page["X-Amzn-Trace-Id"], "Root=" + root + ";Sampled=1");

  auto segments = daemon_.Segments(root, {"public-site"});
  ASSERT_EQ(segments.size(), 1u);
  const nlohmann::json& segment = segments["public-site"];
  ASSERT_EQ(segment["subsegments"].size(), 1u) << segment.dump();
  const nlohmann::json& call = segment["subsegments"][0];
  EXPECT_EQ(call["name"], "list-api");
  EXPECT_EQ(call["namespace"], "remote");
  EXPECT_EQ(call["http"]["response"]["status"], 200);
  auto calls = list_api_.Received();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["X-Amzn-Trace-Id"],
            "Root=" + root + ";Parent=" + call["id"].get<std::string>() + ";Sampled=1");
}

TEST_F(PublicSiteHandlersTest, ListRendersCardsFromListApiWithHostileDataInert) {
  list_api_.SetReply([](const HttpRequest&) { return JsonReply(HttpStatus::ok, kResidents); });
  HttpResponse page = Get("/list");
  EXPECT_EQ(page.result(), HttpStatus::ok);
  ExpectHtml(page);
  EXPECT_THAT(page.body(), HasSubstr("<input type=\"hidden\" name=\"ckid\" value=\"ck1\">"));
  EXPECT_THAT(page.body(), HasSubstr("(The ignored one)"));
  EXPECT_THAT(page.body(), HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(page.body(), Not(HasSubstr("<script>alert")));
  EXPECT_THAT(page.body(), Not(HasSubstr("<img src=x")));
  EXPECT_THAT(page.body(), Not(HasSubstr("javascript:")));
  auto calls = list_api_.Received();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method(), http::Verb::get);
  EXPECT_EQ(calls[0].target(), "/");
  EXPECT_EQ(calls[0][http::Field::host], "list-api.cuddle-kube.local");
}

TEST_F(PublicSiteHandlersTest, ListApiErrorGivesAFriendlyPageNamingIt) {
  list_api_.SetReply([](const HttpRequest&) {
    return JsonReply(HttpStatus::internal_server_error,
                     R"({"error":"ResourceNotFoundException: table cuddlykube not found"})");
  });
  HttpResponse page = Get("/list");
  EXPECT_EQ(page.result(), HttpStatus::bad_gateway);
  ExpectHtml(page);
  EXPECT_THAT(page.body(), HasSubstr("<strong>list-api</strong>"));
  EXPECT_THAT(page.body(), HasSubstr("HTTP 500 Internal Server Error: "
                                     "ResourceNotFoundException: table cuddlykube not found"));
  EXPECT_THAT(page.body(), HasSubstr("href=\"/list\">Try again</a>"));
}

TEST_F(PublicSiteHandlersTest, UnreachableListApiGivesAFriendlyPage) {
  Forget("list-api");
  HttpResponse page = Get("/list");
  EXPECT_EQ(page.result(), HttpStatus::bad_gateway);
  ExpectHtml(page);
  EXPECT_THAT(page.body(), HasSubstr("<strong>list-api</strong>"));
  EXPECT_THAT(page.body(), HasSubstr("list-api is unavailable"));
}

TEST_F(PublicSiteHandlersTest, ListApiAnsweringAnObjectIsAnErrorNotAnEmptyList) {
  list_api_.SetReply(
      [](const HttpRequest&) { return JsonReply(HttpStatus::ok, R"({"0":{"ckid":"ck1"}})"); });
  HttpResponse page = Get("/list");
  EXPECT_EQ(page.result(), HttpStatus::bad_gateway);
  EXPECT_THAT(page.body(), HasSubstr("not a JSON array"));
}

TEST_F(PublicSiteHandlersTest, RegisterSendsDecodedJsonAndRedirectsToTheList) {
  register_api_.SetReply([](const HttpRequest&) {
    return JsonReply(HttpStatus::created,
                     R"({"message":"item Old Faithful, is registered","ckid":"ck 42"})");
  });
  HttpResponse response = PostForm(
      "/register", "Name=Old+Faithful&type=m2.xlarge&age=12&pet=Faithy+%26+co&os=Open%42SD");
  EXPECT_EQ(response.result(), HttpStatus::see_other);
  EXPECT_EQ(response[http::Field::location], "/list#resident-ck%2042");
  auto calls = register_api_.Received();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method(), http::Verb::post);
  EXPECT_EQ(calls[0][http::Field::content_type], "application/json");
  EXPECT_EQ(nlohmann::json::parse(calls[0].body()),
            nlohmann::json::parse(R"({"name":"Old Faithful","type":"m2.xlarge","service":12,
                                      "petname":"Faithy & co","os":"OpenBSD"})"));
}

TEST_F(PublicSiteHandlersTest, RegisterWithoutCkidInTheAnswerRedirectsToTheList) {
  register_api_.SetReply([](const HttpRequest&) {
    return JsonReply(HttpStatus::created, R"({"message":"item a, is registered"})");
  });
  HttpResponse response = PostForm("/register", "Name=a&type=b&age=1&os=c");
  EXPECT_EQ(response.result(), HttpStatus::see_other);
  EXPECT_EQ(response[http::Field::location], "/list");
}

TEST_F(PublicSiteHandlersTest, ValidationFailureKeepsTheInputAndShowsTheReasons) {
  register_api_.SetReply([](const HttpRequest&) {
    return JsonReply(
        HttpStatus::bad_request,
        R"({"error":"validation failed","reasons":["name is required","os is required"]})");
  });
  HttpResponse page = PostForm("/register", "Name=&type=%3Cb%3Ex%3C%2Fb%3E&age=7&pet=Rex&os=");
  EXPECT_EQ(page.result(), HttpStatus::unprocessable_entity);
  ExpectHtml(page);
  EXPECT_THAT(page.body(), HasSubstr("<li>name is required</li>"));
  EXPECT_THAT(page.body(), HasSubstr("<li>os is required</li>"));
  EXPECT_THAT(page.body(), HasSubstr("value=\"&lt;b&gt;x&lt;/b&gt;\""));
  EXPECT_THAT(page.body(), HasSubstr("value=\"7\""));
  EXPECT_THAT(page.body(), HasSubstr("value=\"Rex\""));
}

TEST_F(PublicSiteHandlersTest, InvalidAgeIsCaughtWithoutCallingRegisterApi) {
  HttpResponse page = PostForm("/register", "Name=a&type=b&age=old&os=c");
  EXPECT_EQ(page.result(), HttpStatus::unprocessable_entity);
  EXPECT_THAT(page.body(), HasSubstr("whole number"));
  EXPECT_THAT(page.body(), HasSubstr("value=\"old\""));
  EXPECT_TRUE(register_api_.Received().empty());
}

TEST_F(PublicSiteHandlersTest, RegisterApiFailureNamesItAndItsError) {
  // The workshop's broken register-v2: the datastore call fails on TLS.
  register_api_.SetReply([](const HttpRequest&) {
    return JsonReply(
        HttpStatus::bad_gateway,
        R"({"error":"TLS handshake with 127.0.0.1:8000 failed: certificate verify failed"})");
  });
  HttpResponse page = PostForm("/register", "Name=a&type=b&age=1&os=c");
  EXPECT_EQ(page.result(), HttpStatus::bad_gateway);
  ExpectHtml(page);
  EXPECT_THAT(page.body(), HasSubstr("<strong>register-api</strong>"));
  EXPECT_THAT(page.body(), HasSubstr("certificate verify failed"));
}

TEST_F(PublicSiteHandlersTest, UnreachableRegisterApiGivesAFriendlyPage) {
  Forget("register-api");
  HttpResponse page = PostForm("/register", "Name=a&type=b&age=1&os=c");
  EXPECT_EQ(page.result(), HttpStatus::bad_gateway);
  EXPECT_THAT(page.body(), HasSubstr("register-api is unavailable"));
}

TEST_F(PublicSiteHandlersTest, FeedSendsTheRealCkidAndRedirectsToItsCard) {
  feed_api_.SetReply([](const HttpRequest&) {
    return JsonReply(HttpStatus::created, R"({"ckid":"ck1","happiness":2})");
  });
  HttpResponse response = PostForm("/feed", "ckid=ck1");
  EXPECT_EQ(response.result(), HttpStatus::see_other);
  EXPECT_EQ(response[http::Field::location], "/list#resident-ck1");
  auto calls = feed_api_.Received();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(calls[0].body()), nlohmann::json({{"ckid", "ck1"}}));
}

TEST_F(PublicSiteHandlersTest, FeedingAnUnknownResidentSays404) {
  feed_api_.SetReply([](const HttpRequest&) {
    return JsonReply(HttpStatus::not_found, R"({"error":"no resident with ckid nope"})");
  });
  HttpResponse page = PostForm("/feed", "ckid=nope");
  EXPECT_EQ(page.result(), HttpStatus::not_found);
  ExpectHtml(page);
  EXPECT_THAT(page.body(), HasSubstr("no resident with ckid nope"));
}

TEST_F(PublicSiteHandlersTest, FeedFailuresGiveFriendlyPages) {
  feed_api_.SetReply([](const HttpRequest&) {
    return JsonReply(HttpStatus::service_unavailable,
                     R"({"error":"happiness-api is unavailable"})");
  });
  HttpResponse page = PostForm("/feed", "ckid=ck1");
  EXPECT_EQ(page.result(), HttpStatus::bad_gateway);
  EXPECT_THAT(page.body(), HasSubstr("<strong>feed-api</strong>"));
  EXPECT_THAT(page.body(), HasSubstr("happiness-api is unavailable"));

  HttpResponse missing = PostForm("/feed", "other=1");
  EXPECT_EQ(missing.result(), HttpStatus::bad_request);
  ExpectHtml(missing);
  EXPECT_EQ(feed_api_.Received().size(), 1u);
}

// Regression: feeding a ckid over 2048 bytes showed the 502 "kitchen is closed" page, because
// the datastore's ValidationException came back as a backend failure. feed-api now answers 400,
// which is the sender's mistake; and no page echoes the whole id.
TEST_F(PublicSiteHandlersTest, OverlongCkidGivesA400PageNotABackendFailurePage) {
  const std::string overlong(3000, 'x');
  feed_api_.SetReply([](const HttpRequest&) {
    return JsonReply(HttpStatus::bad_request,
                     R"({"error":"ckid must be a non-empty string of at most 128 bytes"})");
  });
  HttpResponse page = PostForm("/feed", "ckid=" + overlong);
  EXPECT_EQ(page.result(), HttpStatus::bad_request);
  ExpectHtml(page);
  EXPECT_THAT(page.body(), HasSubstr("ckid must be a non-empty string of at most 128 bytes"));
  EXPECT_THAT(page.body(), Not(HasSubstr("kitchen is closed")));

  feed_api_.SetReply([&](const HttpRequest&) {
    return JsonReply(HttpStatus::not_found,
                     nlohmann::json({{"error", "no resident with ckid " + overlong}}).dump());
  });
  HttpResponse unknown = PostForm("/feed", "ckid=" + overlong);
  EXPECT_EQ(unknown.result(), HttpStatus::not_found);
  EXPECT_THAT(unknown.body(), HasSubstr("no resident with ckid " + std::string(64, 'x') + "…"));
  EXPECT_THAT(unknown.body(), Not(HasSubstr(std::string(65, 'x'))));

  HttpResponse missing = Get("/" + overlong);
  EXPECT_EQ(missing.result(), HttpStatus::not_found);
  EXPECT_THAT(missing.body(), HasSubstr("/" + std::string(63, 'x') + "…"));
  EXPECT_THAT(missing.body(), Not(HasSubstr(std::string(64, 'x'))));
}

TEST_F(PublicSiteHandlersTest, BadFormsGetHtmlErrorPages) {
  HttpResponse big = PostForm("/register", "Name=" + std::string(kFormBodyLimitBytes, 'a'));
  EXPECT_EQ(big.result(), HttpStatus::payload_too_large);
  ExpectHtml(big);
  HttpResponse garbled = PostForm("/register", "Name=%zz");
  EXPECT_EQ(garbled.result(), HttpStatus::bad_request);
  ExpectHtml(garbled);
  HttpResponse json = PostForm("/feed", R"({"ckid":"ck1"})", "application/json");
  EXPECT_EQ(json.result(), HttpStatus::unsupported_media_type);
  ExpectHtml(json);
  EXPECT_TRUE(register_api_.Received().empty());
  EXPECT_TRUE(feed_api_.Received().empty());
}

TEST_F(PublicSiteHandlersTest, StaticAssetsHaveTypesAndCacheHeaders) {
  HttpResponse css = Get("/static/style.css?v=" + AssetVersion());
  EXPECT_EQ(css.result(), HttpStatus::ok);
  EXPECT_EQ(css[http::Field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(css[http::Field::cache_control], "public, max-age=86400");
  std::string etag(css[http::Field::etag]);
  ASSERT_FALSE(etag.empty());

  HttpRequest again(http::Verb::get, "/static/style.css", 11);
  again.set(http::Field::if_none_match, etag);
  HttpResponse not_modified = Send(std::move(again));
  EXPECT_EQ(not_modified.result(), HttpStatus::not_modified);
  EXPECT_TRUE(not_modified.body().empty());

  HttpResponse svg = Get("/img/server-4.svg");
  EXPECT_EQ(svg.result(), HttpStatus::ok);
  EXPECT_EQ(svg[http::Field::content_type], "image/svg+xml");
  HttpResponse js = Get("/static/site.js");
  EXPECT_EQ(js[http::Field::content_type], "text/javascript; charset=utf-8");

  HttpResponse missing = Get("/img/server-99.svg");
  EXPECT_EQ(missing.result(), HttpStatus::not_found);
  ExpectHtml(missing);
}

TEST_F(PublicSiteHandlersTest, UnknownPathsGetTheHtml404AndWrongMethods405) {
  HttpResponse missing = Get("/nope/%3Cscript%3E?x=<script>");
  EXPECT_EQ(missing.result(), HttpStatus::not_found);
  ExpectHtml(missing);
  EXPECT_THAT(missing.body(), HasSubstr("This room is empty"));
  EXPECT_THAT(missing.body(), Not(HasSubstr("<script>")));

  HttpResponse post_missing = PostForm("/nope", "a=1");
  EXPECT_EQ(post_missing.result(), HttpStatus::not_found);
  ExpectHtml(post_missing);

  HttpResponse wrong = Get("/feed");
  EXPECT_EQ(wrong.result(), HttpStatus::method_not_allowed);
  EXPECT_EQ(wrong[http::Field::allow], "POST");
  ExpectHtml(wrong);
}

}  // namespace
}  // namespace ck::services::public_site
