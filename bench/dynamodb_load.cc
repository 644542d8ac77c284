// ck_dynamodb_load: a closed-loop load generator for DynamoDB-compatible endpoints.
//
// N connections (coroutines), each with its own keep-alive HttpClient, send SigV4-signed DynamoDB
// JSON requests back to back for a fixed time and report ops/s and latency percentiles as one JSON
// line. The same binary drives `ck dynamodb` and dynalite, so client cost is identical for both.
//
//   ck_dynamodb_load --endpoint http://127.0.0.1:8000 --setup --items 1000
//   ck_dynamodb_load --endpoint http://127.0.0.1:8000 --op update --connections 16 --duration-ms
//   5000
//   {"op":"update","connections":16,...,"ops_per_s":12345.6,"p50_ms":1.2,"p99_ms":3.4,"errors":0}
//
// A second mode measures a server's startup (bench/dynamodb_vs_dynalite.sh uses it). The caller
// starts the server itself (so it stays the server's parent) and passes the start instant:
//
//   t0=$EPOCHREALTIME; ck dynamodb --ready-file /tmp/ready ... & pid=$!
//   ck_dynamodb_load --wait --since "$t0" --pid "$pid" --ready-file /tmp/ready
//   {"url":"http://127.0.0.1:40000","ready_file_ms":3.1,"first_answer_ms":3.4}
//
// Every request is signed with the current X-Amz-Date; like the AWS SDKs the signing key is cached
// per day (checked against sigv4::Sign at start; --no-signing-key-cache calls sigv4::Sign itself).
// --transport raw replaces HttpClient with a minimal HTTP/1.1 client, to measure HttpClient's cost.
// An https:// endpoint is verified against --ca-bundle (PEM; `ck dynamodb --tls-auto` writes its CA
// to <data-dir>/tls/ca.pem) or the system store; the raw transport speaks plain HTTP only.
// Latencies are recorded per request in microseconds (sorted vectors, nearest-rank percentiles)
// and cover Send() only: signing happens before the clock starts but is part of every request.
// Thread-safety: --threads T runs T io_contexts, each on its own thread with its own coroutines
// and counters; they share nothing but the start/stop instants and the first-error slot.
#include <utility>  // Boost 1.74's asio/awaitable.hpp needs it first under g++ 12.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "core/clock.h"
#include "core/crypto.h"
#include "core/sigv4.h"
#include "core/status.h"
#include "core/tls_context.h"
#include "http/client.h"
#include "http/message.h"
#include "http/url.h"

namespace {

namespace asio = boost::asio;
using ck::Result;
using ck::Status;
using ck::http::HttpClient;
using ck::http::HttpRequest;
using ck::http::HttpResponse;
using ck::http::Url;
using SteadyTime = std::chrono::steady_clock::time_point;

constexpr std::string_view kUsage =
    "usage: ck_dynamodb_load --endpoint http://127.0.0.1:PORT --op put|get|update|scan\n"
    "         [--connections 16] [--threads 1] [--duration-ms 5000] [--warmup-ms 500]\n"
    "         [--items 1000] [--table bench] [--setup] [--no-signing-key-cache]\n"
    "         [--transport beast|raw] [--ca-bundle FILE]\n"
    "       ck_dynamodb_load --endpoint URL --setup [--items 1000] [--table bench]\n"
    "       ck_dynamodb_load --wait --since EPOCH_SECONDS [--pid PID]\n"
    "         [--ready-file FILE | --endpoint URL] [--timeout-ms 30000]\n";

// ---------------------------------------------------------------------------------------------
// Flags

struct Options {
  std::string endpoint;
  std::string op;
  int connections = 16;
  int threads = 1;
  int64_t duration_ms = 5000;
  int64_t warmup_ms = 500;
  int items = 1000;
  std::string table = "bench";
  bool setup = false;
  bool no_signing_key_cache = false;
  std::string transport = "beast";
  std::string ca_bundle;  // PEM CAs for an https endpoint (else the system store)
  // --wait mode
  bool wait = false;
  double since = 0;  // seconds since the epoch, as bash's $EPOCHREALTIME
  int pid = 0;
  std::string ready_file;
  int64_t timeout_ms = 30000;
};

[[noreturn]] void UsageError(const std::string& message) {
  std::cerr << "ck_dynamodb_load: " << message << "\n" << kUsage;
  std::exit(2);
}

int64_t ParseInt(const std::string& flag, const std::string& text, int64_t min) {
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < min) {
    UsageError(flag + " needs an integer >= " + std::to_string(min) + ", got '" + text + "'");
  }
  return value;
}

Options ParseFlags(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (flag == "--setup") {
      options.setup = true;
      continue;
    }
    if (flag == "--no-signing-key-cache") {
      options.no_signing_key_cache = true;
      continue;
    }
    if (flag == "--wait") {
      options.wait = true;
      continue;
    }
    std::string value;
    if (auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
    } else {
      if (i + 1 >= argc) UsageError(flag + " needs a value");
      value = argv[++i];
    }
    if (flag == "--endpoint") {
      options.endpoint = value;
    } else if (flag == "--op") {
      options.op = value;
    } else if (flag == "--connections") {
      options.connections = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--threads") {
      options.threads = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--duration-ms") {
      options.duration_ms = ParseInt(flag, value, 1);
    } else if (flag == "--warmup-ms") {
      options.warmup_ms = ParseInt(flag, value, 0);
    } else if (flag == "--items") {
      options.items = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--transport") {
      if (value != "beast" && value != "raw") UsageError("--transport must be beast or raw");
      options.transport = value;
    } else if (flag == "--ca-bundle") {
      options.ca_bundle = value;
    } else if (flag == "--table") {
      options.table = value;
    } else if (flag == "--since") {
      char* end = nullptr;
      options.since = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || options.since <= 0) {
        UsageError("--since needs seconds since the epoch, e.g. bash's $EPOCHREALTIME");
      }
    } else if (flag == "--pid") {
      options.pid = static_cast<int>(ParseInt(flag, value, 1));
    } else if (flag == "--ready-file") {
      options.ready_file = value;
    } else if (flag == "--timeout-ms") {
      options.timeout_ms = ParseInt(flag, value, 1);
    } else {
      UsageError("unknown flag " + flag);
    }
  }
  if (options.wait) {
    if (options.since <= 0) UsageError("--wait needs --since");
    if (options.ready_file.empty() && options.endpoint.empty()) {
      UsageError("--wait needs --ready-file or --endpoint");
    }
    return options;
  }
  if (options.endpoint.empty()) UsageError("--endpoint is required");
  if (options.op.empty() && !options.setup) UsageError("--op or --setup is required");
  if (!options.op.empty() && options.op != "put" && options.op != "get" && options.op != "update" &&
      options.op != "scan") {
    UsageError("--op must be put, get, update or scan, not '" + options.op + "'");
  }
  options.threads = std::min(options.threads, options.connections);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Signed DynamoDB requests

const ck::sigv4::Credentials& BenchCredentials() {
  static const ck::sigv4::Credentials credentials{"ck-local", "ck-local-secret", ""};
  return credentials;
}

// X-Amz-Date for now, reformatted only when the second changes (one cache per thread).
const std::string& CurrentAmzDate() {
  thread_local std::string cached;
  thread_local std::time_t cached_second = -1;
  auto now = std::chrono::system_clock::now();
  std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second) {
    cached = ck::FormatAmzDate(now);
    cached_second = second;
  }
  return cached;
}

// Whether MakeSignedRequest caches the SigV4 signing key per day (as the AWS SDKs do) instead of
// calling sigv4::Sign, which re-derives it (four extra HMACs) for every request.
bool g_cache_signing_key = true;
// Every HttpClient's options: TLS settings for an https endpoint (--ca-bundle).
ck::http::ClientOptions g_client_options;

constexpr std::string_view kRegion = "us-east-1";
constexpr std::string_view kService = "dynamodb";

// SigV4 with the signing key cached per day: the same canonical request, string to sign and
// final HMAC as sigv4::Sign (built from its own public pieces), minus re-deriving the key.
// CheckFastSigning() proves both produce the same Authorization before any load is sent.
class CachedKeySigner {
 public:
  void Sign(ck::sigv4::SignableRequest& request, std::string_view amz_date) {
    std::string_view date = amz_date.substr(0, 8);
    if (date != date_) {
      date_ = std::string(date);
      key_ = ck::sigv4::SigningKey(BenchCredentials().secret_access_key, date_, kRegion, kService);
      scope_ = date_ + "/" + std::string(kRegion) + "/" + std::string(kService) + "/aws4_request";
    }
    request.headers.emplace_back("X-Amz-Date", std::string(amz_date));
    std::vector<std::string> signed_headers;
    signed_headers.reserve(request.headers.size());
    for (const auto& header : request.headers) {
      std::string name = header.first;
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      signed_headers.push_back(std::move(name));
    }
    std::sort(signed_headers.begin(), signed_headers.end());
    std::string string_to_sign = ck::sigv4::StringToSign(
        amz_date, scope_, ck::sigv4::CanonicalRequest(request, signed_headers));
    std::string authorization = "AWS4-HMAC-SHA256 Credential=";
    authorization += BenchCredentials().access_key_id;
    authorization += '/';
    authorization += scope_;
    authorization += ", SignedHeaders=";
    for (size_t i = 0; i < signed_headers.size(); ++i) {
      if (i > 0) authorization += ';';
      authorization += signed_headers[i];
    }
    authorization += ", Signature=";
    authorization += ck::HexEncode(ck::HmacSha256(key_, string_to_sign));
    request.headers.emplace_back("Authorization", std::move(authorization));
  }

 private:
  std::string date_;
  std::string key_;
  std::string scope_;
};

ck::sigv4::SignableRequest MakeSignable(const Url& url, std::string_view operation,
                                        std::string body) {
  ck::sigv4::SignableRequest signable;
  signable.method = "POST";
  signable.path = "/";
  signable.headers = {{"Host", url.HostHeader()},
                      {"Content-Type", "application/x-amz-json-1.0"},
                      {"X-Amz-Target", "DynamoDB_20120810." + std::string(operation)}};
  signable.body = std::move(body);
  return signable;
}

// A DynamoDB JSON 1.0 request for `operation`, SigV4-signed with the current date.
HttpRequest MakeSignedRequest(const Url& url, std::string_view operation, std::string body) {
  ck::sigv4::SignableRequest signable = MakeSignable(url, operation, std::move(body));
  if (g_cache_signing_key) {
    thread_local CachedKeySigner signer;
    signer.Sign(signable, CurrentAmzDate());
  } else {
    ck::sigv4::Sign(signable, BenchCredentials(), kRegion, kService, CurrentAmzDate());
  }
  HttpRequest request{ck::http::Verb::post, "/", 11};
  for (auto& [name, value] : signable.headers) request.set(name, value);
  request.body() = std::move(signable.body);
  return request;
}

// The cached-key signer must produce exactly sigv4::Sign's Authorization header.
bool CheckFastSigning(const Url& url) {
  auto authorization = [](const ck::sigv4::SignableRequest& request) {
    for (const auto& [name, value] : request.headers) {
      if (name == "Authorization") return value;
    }
    return std::string();
  };
  const std::string amz_date = "20260102T030405Z";
  auto reference = MakeSignable(url, "GetItem", "{\"TableName\":\"bench\"}");
  auto fast = reference;
  ck::sigv4::Sign(reference, BenchCredentials(), kRegion, kService, amz_date);
  CachedKeySigner signer;
  signer.Sign(fast, amz_date);
  if (authorization(reference) == authorization(fast) && !authorization(fast).empty()) {
    return true;
  }
  std::cerr << "ck_dynamodb_load: cached-key signing disagrees with sigv4::Sign:\n  "
            << authorization(reference) << "\n  " << authorization(fast) << "\n";
  return false;
}

// JSON string contents for the characters we generate (names, table names): escape " and \.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

std::string ItemKey(int i) { return "item-" + std::to_string(i); }

// ~100 printable bytes that differ per call.
std::string Payload(uint64_t seed) {
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string out(100, 'x');
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
  for (char& c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = kAlphabet[x % (sizeof(kAlphabet) - 1)];
  }
  return out;
}

std::string PutItemBody(const std::string& table, int i, uint64_t seed) {
  std::string body;
  body.reserve(256);
  body += "{\"TableName\":";
  AppendJsonString(body, table);
  body += ",\"Item\":{\"pk\":{\"S\":\"item-";
  body += std::to_string(i);
  body += "\"},\"h\":{\"N\":\"0\"},\"name\":{\"S\":\"name ";
  body += std::to_string(i);
  body += "\"},\"payload\":{\"S\":\"";
  body += Payload(seed);
  body += "\"},\"kind\":{\"S\":\"";
  body += (i % 2 == 0) ? "a" : "b";
  body += "\"}}}";
  return body;
}

std::string KeyBody(const std::string& table, int i, std::string_view extra) {
  std::string body;
  body.reserve(192);
  body += "{\"TableName\":";
  AppendJsonString(body, table);
  body += ",\"Key\":{\"pk\":{\"S\":\"item-";
  body += std::to_string(i);
  body += "\"}}";
  body += extra;
  body += '}';
  return body;
}

std::string UpdateItemBody(const std::string& table, int i) {
  return KeyBody(table, i,
                 ",\"UpdateExpression\":\"SET #h = #h + :one\","
                 "\"ExpressionAttributeNames\":{\"#h\":\"h\"},"
                 "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"}},"
                 "\"ReturnValues\":\"ALL_NEW\"");
}

std::string ScanBody(const std::string& table, std::string_view kind,
                     const std::string& start_key) {
  std::string body;
  body.reserve(256);
  body += "{\"TableName\":";
  AppendJsonString(body, table);
  body += ",\"FilterExpression\":\"kind = :k\",\"ExpressionAttributeValues\":{\":k\":{\"S\":\"";
  body += kind;
  body += "\"}},\"Limit\":100";
  if (!start_key.empty()) {
    body += ",\"ExclusiveStartKey\":{\"pk\":{\"S\":";
    AppendJsonString(body, start_key);
    body += "}}";
  }
  body += '}';
  return body;
}

// The `pk` string of LastEvaluatedKey in a Scan response, or "" when the scan is complete.
// A cheap textual extraction (keys are "item-<n>", no escapes) so the client's parsing cost
// does not depend on the server's JSON layout beyond optional whitespace.
std::string LastEvaluatedPk(std::string_view body) {
  size_t pos = body.find("\"LastEvaluatedKey\"");
  if (pos == std::string_view::npos) return "";
  pos = body.find("\"S\"", pos);
  if (pos == std::string_view::npos) return "";
  pos += 3;
  while (pos < body.size() && (body[pos] == ' ' || body[pos] == ':')) ++pos;
  if (pos >= body.size() || body[pos] != '"') return "";
  size_t end = body.find('"', pos + 1);
  if (end == std::string_view::npos) return "";
  return std::string(body.substr(pos + 1, end - pos - 1));
}

// ---------------------------------------------------------------------------------------------
// Setup: table and items

struct SetupState {
  std::string error;  // first failure, empty when fine
};

asio::awaitable<Result<HttpResponse>> Call(HttpClient& client, const Url& url,
                                           std::string_view operation, std::string body) {
  co_return co_await client.Send(url, MakeSignedRequest(url, operation, std::move(body)));
}

std::string Describe(const Result<HttpResponse>& response) {
  if (!response.ok()) return response.status().ToString();
  return "HTTP " + std::to_string(response->result_int()) + ": " + response->body();
}

asio::awaitable<void> CreateTable(asio::any_io_executor executor, const Options& options,
                                  const Url& url, SetupState& state) {
  HttpClient client(executor, g_client_options);
  std::string body = "{\"TableName\":";
  AppendJsonString(body, options.table);
  body +=
      ",\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
      "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
      "\"BillingMode\":\"PAY_PER_REQUEST\"}";
  auto created = co_await Call(client, url, "CreateTable", body);
  bool exists = created.ok() && created->result_int() == 400 &&
                created->body().find("ResourceInUseException") != std::string::npos;
  if (!exists && (!created.ok() || created->result_int() != 200)) {
    state.error = "CreateTable failed: " + Describe(created);
    co_return;
  }
  // Wait until ACTIVE (dynalite keeps new tables CREATING for --createTableMs).
  std::string describe = "{\"TableName\":";
  AppendJsonString(describe, options.table);
  describe += '}';
  asio::steady_timer timer(executor);
  for (int attempt = 0; attempt < 300; ++attempt) {
    auto described = co_await Call(client, url, "DescribeTable", describe);
    if (!described.ok() || described->result_int() != 200) {
      state.error = "DescribeTable failed: " + Describe(described);
      co_return;
    }
    const std::string& text = described->body();
    if (text.find("\"TableStatus\":\"ACTIVE\"") != std::string::npos ||
        text.find("\"TableStatus\": \"ACTIVE\"") != std::string::npos) {
      co_return;
    }
    timer.expires_after(std::chrono::milliseconds(20));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  state.error = "table " + options.table + " did not become ACTIVE within 6 s";
}

asio::awaitable<void> LoadItems(asio::any_io_executor executor, const Options& options,
                                const Url& url, int first, int stride, SetupState& state) {
  HttpClient client(executor, g_client_options);
  for (int i = first; i < options.items && state.error.empty(); i += stride) {
    auto put = co_await Call(client, url, "PutItem",
                             PutItemBody(options.table, i, static_cast<uint64_t>(i)));
    if (!put.ok() || put->result_int() != 200) {
      state.error = "PutItem " + ItemKey(i) + " failed: " + Describe(put);
    }
  }
}

int RunSetup(const Options& options, const Url& url) {
  asio::io_context io;
  SetupState state;
  auto start = std::chrono::steady_clock::now();
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        co_await CreateTable(io.get_executor(), options, url, state);
        if (!state.error.empty()) co_return;
        int loaders = std::min(options.connections, options.items);
        for (int k = 0; k < loaders; ++k) {
          asio::co_spawn(io, LoadItems(io.get_executor(), options, url, k, loaders, state),
                         asio::detached);
        }
      },
      asio::detached);
  io.run();
  if (!state.error.empty()) {
    std::cerr << "ck_dynamodb_load: setup: " << state.error << "\n";
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "ck_dynamodb_load: setup: table %s ready with %d items in %.2f s\n",
               options.table.c_str(), options.items, seconds);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The load run

struct RunWindow {
  SteadyTime start;         // when coroutines begin sending
  SteadyTime measure_from;  // end of warm-up
  SteadyTime stop;          // end of the measured window; no request starts after it
};

struct FirstError {
  std::mutex mutex;
  std::string text;
  void Record(const std::string& description) {
    std::lock_guard lock(mutex);
    if (text.empty()) text = description.substr(0, 2000);
  }
};

// Per-thread counters; merged after every thread has finished.
struct ThreadStats {
  uint64_t ops = 0;
  uint64_t errors = 0;
  std::vector<uint32_t> latencies_us;
};

// --transport raw: a minimal keep-alive HTTP/1.1 client on a bare socket (one request in flight,
// Content-Length bodies only, no timeouts beyond the run's watchdog). It exists to measure how
// much of the client's cost is the general-purpose HttpClient; the default is HttpClient.
class RawClient {
 public:
  explicit RawClient(asio::any_io_executor executor) : executor_(executor), socket_(executor) {}

  asio::awaitable<Result<HttpResponse>> Send(const Url& url, HttpRequest request) {
    boost::system::error_code error;
    if (!socket_.is_open()) {
      asio::ip::tcp::resolver resolver(executor_);
      auto endpoints = co_await resolver.async_resolve(
          url.host, std::to_string(url.port), asio::redirect_error(asio::use_awaitable, error));
      if (!error) {
        co_await asio::async_connect(socket_, endpoints,
                                     asio::redirect_error(asio::use_awaitable, error));
      }
      if (error) co_return Fail("connect: " + error.message());
      socket_.set_option(asio::ip::tcp::no_delay(true), error);
      in_.clear();
    }
    out_.clear();
    out_ += request.method_string();
    out_ += ' ';
    out_ += request.target();
    out_ += " HTTP/1.1\r\n";
    for (const auto& field : request) {
      out_ += field.name_string();
      out_ += ": ";
      out_ += field.value();
      out_ += "\r\n";
    }
    out_ += "Content-Length: ";
    out_ += std::to_string(request.body().size());
    out_ += "\r\n\r\n";
    out_ += request.body();
    co_await asio::async_write(socket_, asio::buffer(out_),
                               asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return Fail("write: " + error.message());

    size_t header_end = std::string::npos;
    size_t content_length = 0;
    bool close = false;
    while (true) {
      if (header_end == std::string::npos) {
        size_t pos = in_.find("\r\n\r\n");
        if (pos != std::string::npos) {
          header_end = pos + 4;
          std::string_view head(in_.data(), pos);
          auto value_of = [&](std::string_view name) -> std::string_view {
            size_t line = head.find("\r\n");
            while (line != std::string_view::npos) {
              size_t next = head.find("\r\n", line + 2);
              std::string_view text =
                  head.substr(line + 2, next == std::string_view::npos ? std::string_view::npos
                                                                       : next - line - 2);
              if (text.size() > name.size() && text[name.size()] == ':' &&
                  std::equal(name.begin(), name.end(), text.begin(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) ==
                           std::tolower(static_cast<unsigned char>(b));
                  })) {
                std::string_view value = text.substr(name.size() + 1);
                while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
                return value;
              }
              line = next;
            }
            return {};
          };
          if (!value_of("transfer-encoding").empty()) {
            co_return Fail("raw transport does not support Transfer-Encoding");
          }
          content_length =
              std::strtoull(std::string(value_of("content-length")).c_str(), nullptr, 10);
          close = value_of("connection") == "close";
        }
      }
      if (header_end != std::string::npos && in_.size() >= header_end + content_length) break;
      size_t old_size = in_.size();
      in_.resize(old_size + 65536);
      size_t n = co_await socket_.async_read_some(asio::buffer(in_.data() + old_size, 65536),
                                                  asio::redirect_error(asio::use_awaitable, error));
      in_.resize(old_size + n);
      if (error) co_return Fail("read: " + error.message());
    }
    HttpResponse response;
    response.result(static_cast<unsigned>(std::atoi(in_.c_str() + 9)));
    response.body().assign(in_, header_end, content_length);
    in_.erase(0, header_end + content_length);
    if (close) socket_.close(error);
    co_return response;
  }

 private:
  Status Fail(const std::string& message) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    return ck::Unavailable(message);
  }

  asio::any_io_executor executor_;
  asio::ip::tcp::socket socket_;
  std::string out_;
  std::string in_;
};

template <typename Client>
asio::awaitable<void> Worker(Client client, asio::any_io_executor executor, const Options& options,
                             const Url& url, const RunWindow& window, uint64_t seed,
                             ThreadStats& stats, FirstError& first_error) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> pick(0, options.items - 1);
  std::string scan_cursor;  // this connection's position in its walk over the table
  uint64_t scans = 0;
  uint64_t puts = 0;
  asio::steady_timer backoff(executor);
  while (true) {
    if (std::chrono::steady_clock::now() >= window.stop) break;
    int i = pick(rng);
    HttpRequest request;
    if (options.op == "put") {
      request = MakeSignedRequest(url, "PutItem",
                                  PutItemBody(options.table, i, seed * 1000003u + ++puts));
    } else if (options.op == "get") {
      request = MakeSignedRequest(url, "GetItem", KeyBody(options.table, i, ""));
    } else if (options.op == "update") {
      request = MakeSignedRequest(url, "UpdateItem", UpdateItemBody(options.table, i));
    } else {
      request = MakeSignedRequest(url, "Scan",
                                  ScanBody(options.table, (scans++ % 2) ? "b" : "a", scan_cursor));
    }
    SteadyTime sent = std::chrono::steady_clock::now();
    Result<HttpResponse> response = Status(ck::StatusCode::kInternal, "unset");
    if constexpr (std::is_same_v<Client, RawClient>) {
      response = co_await client.Send(url, std::move(request));
    } else {
      response = co_await client->Send(url, std::move(request));
    }
    SteadyTime done = std::chrono::steady_clock::now();
    bool ok = response.ok() && response->result_int() == 200;
    if (ok && options.op == "scan") scan_cursor = LastEvaluatedPk(response->body());
    if (done < window.measure_from || done > window.stop) continue;
    if (ok) {
      ++stats.ops;
      auto micros = std::chrono::duration_cast<std::chrono::microseconds>(done - sent).count();
      stats.latencies_us.push_back(static_cast<uint32_t>(std::min<int64_t>(micros, UINT32_MAX)));
    } else {
      ++stats.errors;
      first_error.Record(Describe(response));
      if (!response.ok()) {
        // Transport failure (server gone?): do not spin.
        boost::system::error_code ignored;
        backoff.expires_after(std::chrono::milliseconds(1));
        co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      }
    }
  }
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double PercentileMs(const std::vector<uint32_t>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1] / 1000.0;
}

int RunLoad(const Options& options, const Url& url) {
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<ThreadStats> stats(static_cast<size_t>(options.threads));
  FirstError first_error;
  RunWindow window;
  for (int t = 0; t < options.threads; ++t) {
    contexts.push_back(std::make_unique<asio::io_context>(1));
  }
  for (auto& s : stats) s.latencies_us.reserve(1 << 16);
  window.start = std::chrono::steady_clock::now();
  window.measure_from = window.start + std::chrono::milliseconds(options.warmup_ms);
  window.stop = window.measure_from + std::chrono::milliseconds(options.duration_ms);
  for (int c = 0; c < options.connections; ++c) {
    size_t t = static_cast<size_t>(c % options.threads);
    auto executor = contexts[t]->get_executor();
    auto seed = static_cast<uint64_t>(c) + 1;
    if (options.transport == "raw") {
      asio::co_spawn(
          executor,
          Worker(RawClient(executor), executor, options, url, window, seed, stats[t], first_error),
          asio::detached);
    } else {
      asio::co_spawn(executor,
                     Worker(std::make_unique<HttpClient>(executor, g_client_options), executor,
                            options, url, window, seed, stats[t], first_error),
                     asio::detached);
    }
  }
  // Watchdog: a server that stops answering must not hang the benchmark (the raw transport has
  // no timeouts of its own; HttpClient's is 10 s).
  std::mutex watchdog_mutex;
  std::condition_variable watchdog_wakeup;
  bool finished = false;
  std::thread watchdog([&] {
    std::unique_lock lock(watchdog_mutex);
    if (!watchdog_wakeup.wait_until(lock, window.stop + std::chrono::seconds(15),
                                    [&] { return finished; })) {
      std::fprintf(stderr,
                   "ck_dynamodb_load: requests still pending 15 s after the run; giving up\n");
      std::_Exit(1);
    }
  });
  double cpu_before = CpuSeconds();
  std::vector<std::thread> threads;
  for (int t = 1; t < options.threads; ++t) {
    threads.emplace_back([&, t] { contexts[static_cast<size_t>(t)]->run(); });
  }
  contexts[0]->run();
  for (auto& thread : threads) thread.join();
  double cpu_seconds = CpuSeconds() - cpu_before;
  {
    std::lock_guard lock(watchdog_mutex);
    finished = true;
  }
  watchdog_wakeup.notify_all();
  watchdog.join();
  double wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - window.start).count();

  uint64_t ops = 0;
  uint64_t errors = 0;
  std::vector<uint32_t> latencies;
  for (auto& s : stats) {
    ops += s.ops;
    errors += s.errors;
    latencies.insert(latencies.end(), s.latencies_us.begin(), s.latencies_us.end());
  }
  std::sort(latencies.begin(), latencies.end());
  double duration_s = static_cast<double>(options.duration_ms) / 1000.0;
  if (!first_error.text.empty()) {
    std::cerr << "ck_dynamodb_load: " << errors << " errors; first: " << first_error.text << "\n";
  }
  std::printf(
      "{\"op\":\"%s\",\"connections\":%d,\"threads\":%d,\"duration_s\":%.3f,\"ops\":%" PRIu64
      ",\"ops_per_s\":%.1f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"errors\":%" PRIu64
      ",\"client_cpu_pct\":%.1f}\n",
      options.op.c_str(), options.connections, options.threads, duration_s, ops,
      static_cast<double>(ops) / duration_s, PercentileMs(latencies, 0.50),
      PercentileMs(latencies, 0.99), PercentileMs(latencies, 1.0), errors,
      100.0 * cpu_seconds / wall_seconds);
  std::fflush(stdout);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// --wait: time a server's ready file and its first answer, from the instant it was started

// True while `pid` runs (an exited child that its parent has not reaped yet counts as gone).
bool ProcessRunning(int pid) {
  if (pid <= 0) return true;
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  size_t paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] != 'Z';
}

int RunWait(const Options& options) {
  auto since = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::duration<double>(options.since)));
  auto ms_since_start = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::system_clock::now() - since)
        .count();
  };
  auto fail = [&](const std::string& message) {
    std::cerr << "ck_dynamodb_load: " << message << "\n";
    return 1;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms);

  std::string url_text = options.endpoint;
  double ready_file_ms = -1;
  if (!options.ready_file.empty()) {
    while (true) {
      std::ifstream in(options.ready_file);
      std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!content.empty() && content.back() == '\n') {
        ready_file_ms = ms_since_start();
        content.pop_back();
        if (url_text.empty()) url_text = content;
        break;
      }
      if (!ProcessRunning(options.pid)) return fail("server exited before writing its ready file");
      if (std::chrono::steady_clock::now() > deadline) return fail("no ready file in time");
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  }
  auto url = ck::http::ParseUrl(url_text);
  if (!url.ok()) return fail("bad URL '" + url_text + "': " + url.status().ToString());
  url->target = "/";

  ck::http::ClientOptions client_options = g_client_options;
  client_options.connect_timeout = std::chrono::milliseconds(200);
  client_options.request_timeout = std::chrono::milliseconds(2000);
  while (true) {
    HttpRequest probe{ck::http::Verb::get, "/", 11};
    auto response = ck::http::SendBlocking(*url, std::move(probe), client_options);
    if (response.ok() && response->result_int() == 200) {
      double first_answer_ms = ms_since_start();
      std::printf("{\"url\":\"%s\",\"ready_file_ms\":%.2f,\"first_answer_ms\":%.2f}\n",
                  url_text.c_str(), ready_file_ms, first_answer_ms);
      std::fflush(stdout);
      return 0;
    }
    if (!ProcessRunning(options.pid)) return fail("server exited before answering GET /");
    if (std::chrono::steady_clock::now() > deadline) {
      return fail("no 200 answer to GET / in time; last: " + Describe(response));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options = ParseFlags(argc, argv);
  if (!options.ca_bundle.empty()) {
    auto tls = ck::MakeClientTlsContext(options.ca_bundle);
    if (!tls.ok()) UsageError("--ca-bundle: " + tls.status().ToString());
    g_client_options.tls = std::move(*tls);
  }
  if (options.wait) return RunWait(options);
  auto url = ck::http::ParseUrl(options.endpoint);
  if (!url.ok()) UsageError("bad --endpoint: " + url.status().ToString());
  url->target = "/";
  if (url->tls() && options.transport == "raw")
    UsageError("--transport raw speaks plain HTTP only");
  g_cache_signing_key = !options.no_signing_key_cache;
  if (g_cache_signing_key && !CheckFastSigning(*url)) return 1;
  if (options.setup) {
    if (int rc = RunSetup(options, *url); rc != 0) return rc;
  }
  if (options.op.empty()) return 0;
  return RunLoad(options, *url);
}
