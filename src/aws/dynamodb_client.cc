// DynamoDbClient transport: request building, SigV4 signing, response interpretation, retries.
// The typed operation helpers live in dynamodb_operations.cc.
#include "aws/dynamodb_client.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>

#include "aws/dynamodb_client_impl.h"
#include "core/crypto.h"
#include "core/sigv4.h"
#include "core/tls_context.h"

namespace ck::aws {

namespace asio = boost::asio;
using Json = nlohmann::json;

namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::string_view kContentType = "application/x-amz-json-1.0";
constexpr std::string_view kUserAgent = "ck-aws-client/1.0";

SleepFunction TimerSleep(asio::any_io_executor executor) {
  return [executor](std::chrono::milliseconds delay) -> asio::awaitable<void> {
    asio::steady_timer timer(executor, delay);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  };
}

std::string HeaderOf(const http::HttpResponse& response, std::string_view name) {
  auto it = response.find(name);
  return it == response.end() ? std::string() : std::string(it->value());
}

// A 2xx answer: the CRC check, then the JSON body. Anything else: the service's error.
std::variant<Json, AwsError> Interpret(const http::HttpResponse& response) {
  int status = static_cast<int>(response.result_int());
  std::string request_id = HeaderOf(response, "x-amzn-RequestId");
  const std::string& body = response.body();

  std::string crc_header = HeaderOf(response, "x-amz-crc32");
  if (!crc_header.empty()) {
    uint32_t expected = 0;
    auto [end, error] =
        std::from_chars(crc_header.data(), crc_header.data() + crc_header.size(), expected);
    uint32_t actual = Crc32(body);
    if (error != std::errc() || end != crc_header.data() + crc_header.size() ||
        expected != actual) {
      AwsError mismatch;
      mismatch.type = std::string(kCrc32CheckFailed);
      mismatch.message = "x-amz-crc32 header " + crc_header +
                         " does not match the response body's CRC32 " + std::to_string(actual);
      mismatch.http_status = status;
      mismatch.request_id = request_id;
      mismatch.retryable = IsRetryable(mismatch);
      return mismatch;
    }
  }

  if (status < 200 || status > 299) {
    return ParseErrorResponse(status, body, HeaderOf(response, "x-amzn-ErrorType"), request_id);
  }
  Json document = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object()) {
    AwsError invalid;
    invalid.type = std::string(kInvalidResponse);
    invalid.message = "HTTP " + std::to_string(status) +
                      " response body is not a JSON object: " + body.substr(0, 200);
    invalid.http_status = status;
    invalid.request_id = request_id;
    return invalid;
  }
  return document;
}

}  // namespace

Result<std::unique_ptr<DynamoDbClient>> DynamoDbClient::Create(asio::any_io_executor executor,
                                                               DynamoDbClientOptions options) {
  auto url = http::ParseUrl(options.config.endpoint);
  if (!url.ok()) return url.status();
  if (url->tls() && !options.http.tls) {
    auto tls = MakeClientTlsContext(options.config.ca_bundle);
    if (!tls.ok()) return tls.status();
    options.http.tls = *tls;
  }
  if (options.config.max_attempts) options.retry.max_attempts = *options.config.max_attempts;
  if (!options.sleep) options.sleep = TimerSleep(executor);
  if (options.clock == nullptr) options.clock = &SystemClock::Instance();

  auto impl = std::make_shared<Impl>(executor, std::move(options), std::move(*url));
  return std::unique_ptr<DynamoDbClient>(new DynamoDbClient(std::move(impl), nullptr));
}

DynamoDbClient::Impl::Impl(asio::any_io_executor executor, DynamoDbClientOptions client_options,
                           http::Url endpoint_url)
    : options(std::move(client_options)),
      url(std::move(endpoint_url)),
      http(executor, options.http),
      retry(options.retry, options.random) {
  size_t query = url.target.find('?');
  path = url.target.substr(0, query);
  if (query != std::string::npos) this->query = url.target.substr(query + 1);
}

http::HttpRequest DynamoDbClient::Impl::BuildRequest(std::string_view operation,
                                                     const std::string& body) const {
  sigv4::SignableRequest signable;
  signable.method = "POST";
  signable.path = path;
  signable.query = query;
  signable.headers = {{"Host", url.HostHeader()},
                      {"Content-Type", std::string(kContentType)},
                      {"X-Amz-Target", std::string(kTargetPrefix) + std::string(operation)}};
  signable.body = body;
  sigv4::Sign(signable, options.config.credentials, options.config.region, "dynamodb",
              FormatAmzDate(options.clock->Now()));

  http::HttpRequest request(http::Verb::post, url.target, 11);
  for (const auto& [name, value] : signable.headers) request.set(name, value);
  request.set(http::Field::user_agent, kUserAgent);
  request.set(http::Field::accept_encoding, "identity");
  request.body() = std::move(signable.body);
  return request;
}

DynamoDbClient::DynamoDbClient(std::shared_ptr<Impl> impl, std::unique_ptr<CallObserver> observer)
    : impl_(std::move(impl)), observer_(std::move(observer)) {}
DynamoDbClient::~DynamoDbClient() = default;
DynamoDbClient::DynamoDbClient(DynamoDbClient&&) noexcept = default;
DynamoDbClient& DynamoDbClient::operator=(DynamoDbClient&&) noexcept = default;

DynamoDbClient DynamoDbClient::Observed(std::unique_ptr<CallObserver> observer) const {
  return DynamoDbClient(impl_, std::move(observer));
}

const AwsConfig& DynamoDbClient::config() const { return impl_->options.config; }
const RetryPolicy& DynamoDbClient::retry_policy() const { return impl_->retry; }
void DynamoDbClient::CloseIdle() { impl_->http.CloseIdle(); }

asio::awaitable<CallOutcome> DynamoDbClient::Invoke(std::string operation, Json request) {
  std::unique_ptr<CallObserver::Call> observed;
  if (observer_) observed = observer_->Start(operation, request, impl_->options.config.region);
  CallOutcome outcome = co_await impl_->Invoke(std::move(operation), std::move(request));
  if (observed) observed->End(outcome);
  co_return outcome;
}

asio::awaitable<CallOutcome> DynamoDbClient::Impl::Invoke(std::string operation, Json request) {
  CallOutcome outcome;
  std::string body;
  try {
    body = request.dump();
  } catch (const Json::exception& error) {
    outcome.error.type = std::string(kInvalidRequest);
    outcome.error.message =
        std::string("cannot serialise the ") + std::string(operation) + " request: " + error.what();
    outcome.result = outcome.error.ToStatus();
    co_return outcome;
  }

  for (int attempt = 1;; ++attempt) {
    outcome.attempts = attempt;
    auto response = co_await http.Send(url, BuildRequest(operation, body));
    AwsError error;
    if (!response.ok()) {
      error = TransportError(response.status());
    } else {
      outcome.http_status = static_cast<int>(response->result_int());
      outcome.request_id = HeaderOf(*response, "x-amzn-RequestId");
      auto interpreted = Interpret(*response);
      if (auto* document = std::get_if<Json>(&interpreted)) {
        outcome.error = AwsError{};
        outcome.result = std::move(*document);
        co_return outcome;
      }
      error = std::get<AwsError>(std::move(interpreted));
    }
    if (!retry.ShouldRetry(error, attempt)) {
      outcome.result = error.ToStatus();
      outcome.error = std::move(error);
      co_return outcome;
    }
    co_await options.sleep(retry.Delay(attempt));
  }
}

asio::awaitable<Result<Json>> DynamoDbClient::Call(std::string operation, Json request) {
  CallOutcome outcome = co_await Invoke(std::move(operation), std::move(request));
  co_return std::move(outcome.result);
}

}  // namespace ck::aws
