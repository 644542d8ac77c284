// DynamoDbClient against real servers: dynalite (npm, over HTTP) and `ck dynamodb` (over HTTPS
// with its --tls-auto local CA). The same scenarios run against both.
//
// dynalite runs when `node` is on PATH and tests/js/node_modules/dynalite is found (searched
// upward from the working directory and the test binary; CK_DYNALITE_DIR overrides). `ck dynamodb`
// runs when CK_BIN names the ck binary; it is signed for with CK_ACCESS_KEY_ID /
// CK_SECRET_ACCESS_KEY (default ck-local / ck-local-secret, ck's documented local credentials).
// Either backend is skipped, with the reason, when absent.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "aws/blocking_dynamodb_client.h"

extern char** environ;

namespace ck::aws {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// A child process started from an argv array (no shell), killed and reaped on destruction.
class Child {
 public:
  // `capture_stdout`: the child's stdout is readable through ReadLine().
  static std::unique_ptr<Child> Spawn(const std::vector<std::string>& argv, bool capture_stdout,
                                      std::string* error) {
    int pipe_fds[2] = {-1, -1};
    if (capture_stdout && ::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      *error = "pipe failed";
      return nullptr;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (capture_stdout) {
      posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    } else {
      posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (capture_stdout) ::close(pipe_fds[1]);
    if (rc != 0) {
      if (capture_stdout) ::close(pipe_fds[0]);
      *error = "cannot start " + argv[0] + ": " + std::strerror(rc);
      return nullptr;
    }
    return std::unique_ptr<Child>(new Child(pid, capture_stdout ? pipe_fds[0] : -1));
  }

  ~Child() {
    int status = 0;
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    for (int i = 0; pid_ > 0 && i < 100; ++i) {  // up to 5 s for a graceful exit, then SIGKILL
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
  }

  // The next stdout line, or nullopt after `timeout` or at end of output.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto newline = buffer_.find('\n'); newline != std::string::npos) {
        std::string line = buffer_.substr(0, newline);
        buffer_.erase(0, newline + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd fd{stdout_fd_, POLLIN, 0};
      if (::poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[512];
      ssize_t n = ::read(stdout_fd_, chunk, sizeof(chunk));
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  bool Exited() {
    if (pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = -1;
    return pid_ < 0;
  }

 private:
  Child(pid_t pid, int stdout_fd) : pid_(pid), stdout_fd_(stdout_fd) {}
  pid_t pid_;
  int stdout_fd_;
  std::string buffer_;
};

std::optional<std::string> Environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

bool OnPath(const std::string& program) {
  std::stringstream path(Environment("PATH").value_or(""));
  std::string directory;
  while (std::getline(path, directory, ':')) {
    if (!directory.empty() && ::access((directory + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::optional<fs::path> FindDynalite() {
  if (auto dir = Environment("CK_DYNALITE_DIR")) return fs::path(*dir);
  std::vector<fs::path> starts = {fs::current_path()};
  std::error_code error;
  if (auto exe = fs::read_symlink("/proc/self/exe", error); !error) starts.push_back(exe);
  for (fs::path start : starts) {
    for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
      fs::path candidate = dir / "tests/js/node_modules/dynalite";
      if (fs::exists(candidate / "package.json")) return candidate;
      if (dir == dir.parent_path()) break;
    }
  }
  return std::nullopt;
}

// One running backend and how to reach it.
struct Backend {
  std::unique_ptr<Child> child;
  fs::path data_dir;
  std::string endpoint;
  std::string ca_bundle;
  sigv4::Credentials credentials;
  std::string skip_reason;  // non-empty when the backend cannot run here
  bool supports_transactions = true;

  ~Backend() {
    child.reset();
    if (!data_dir.empty()) {
      std::error_code ignored;
      fs::remove_all(data_dir, ignored);
    }
  }
};

std::unique_ptr<Backend> StartDynalite() {
  auto backend = std::make_unique<Backend>();
  backend->supports_transactions = false;  // dynalite 4 implements no Transact* operations
  backend->credentials = {"AKIDDYNALITE", "dynalite-ignores-signatures", ""};
  if (!OnPath("node")) {
    backend->skip_reason = "node is not on PATH";
    return backend;
  }
  auto dynalite = FindDynalite();
  if (!dynalite) {
    backend->skip_reason = "dynalite not found (install tests/js with npm, or set CK_DYNALITE_DIR)";
    return backend;
  }
  const std::string script =
      "const server = require(process.argv[1])({createTableMs: 0, deleteTableMs: 0, "
      "updateTableMs: 0});"
      "server.listen(0, '127.0.0.1', () => console.log('READY ' + server.address().port));";
  std::string error;
  backend->child = Child::Spawn({"node", "-e", script, dynalite->string()}, true, &error);
  if (!backend->child) {
    backend->skip_reason = error;
    return backend;
  }
  auto line = backend->child->ReadLine(std::chrono::seconds(20));
  if (!line || line->rfind("READY ", 0) != 0) {
    ADD_FAILURE() << "dynalite did not report its port: " << line.value_or("<no output>");
    backend->skip_reason = "dynalite failed to start";
    return backend;
  }
  backend->endpoint = "http://127.0.0.1:" + line->substr(6);
  return backend;
}

std::unique_ptr<Backend> StartCk() {
  auto backend = std::make_unique<Backend>();
  backend->credentials = {Environment("CK_ACCESS_KEY_ID").value_or("ck-local"),
                          Environment("CK_SECRET_ACCESS_KEY").value_or("ck-local-secret"), ""};
  auto binary = Environment("CK_BIN");
  if (!binary) {
    backend->skip_reason = "CK_BIN is not set";
    return backend;
  }
  if (::access(binary->c_str(), X_OK) != 0) {
    backend->skip_reason = "CK_BIN " + *binary + " is not an executable file";
    return backend;
  }
  char pattern[] = "/tmp/ck_aws_live_XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    backend->skip_reason = "mkdtemp failed";
    return backend;
  }
  backend->data_dir = pattern;
  fs::path ready = backend->data_dir / "ready";
  std::string error;
  backend->child =
      Child::Spawn({*binary, "dynamodb", "--listen", "127.0.0.1:0", "--data-dir",
                    backend->data_dir.string(), "--tls-auto", "--ready-file", ready.string()},
                   false, &error);
  if (!backend->child) {
    ADD_FAILURE() << error;
    backend->skip_reason = error;
    return backend;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(ready);
    std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto newline = contents.find('\n'); newline != std::string::npos) {
      backend->endpoint = contents.substr(0, newline);
      backend->ca_bundle = (backend->data_dir / "tls" / "ca.pem").string();
      return backend;
    }
    if (backend->child->Exited()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "ck dynamodb did not write " << ready;
  backend->skip_reason = "ck dynamodb failed to start";
  return backend;
}

// Backends are started once per test binary and stopped by the environment at exit.
class Backends : public ::testing::Environment {
 public:
  static Backend& Get(const std::string& name) {
    auto& slot = instances()[name];
    if (!slot) slot = name == "dynalite" ? StartDynalite() : StartCk();
    return *slot;
  }
  void TearDown() override { instances().clear(); }

 private:
  static std::map<std::string, std::unique_ptr<Backend>>& instances() {
    static std::map<std::string, std::unique_ptr<Backend>> map;
    return map;
  }
};
const auto* const kBackendsEnvironment = ::testing::AddGlobalTestEnvironment(new Backends);

class LiveServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    backend_ = &Backends::Get(GetParam());
    if (!backend_->skip_reason.empty()) GTEST_SKIP() << backend_->skip_reason;
    client_ = MakeClient(backend_->credentials);
    ASSERT_TRUE(client_);
  }

  std::unique_ptr<BlockingDynamoDbClient> MakeClient(sigv4::Credentials credentials) {
    DynamoDbClientOptions options;
    options.config.region = "us-east-1";
    options.config.credentials = std::move(credentials);
    options.config.endpoint = backend_->endpoint;
    options.config.ca_bundle = backend_->ca_bundle;
    options.retry.max_attempts = 4;
    auto client = BlockingDynamoDbClient::Create(std::move(options));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  // A table unique to the test, with a string hash key "pk" and a number range key "sk".
  std::string CreateTable() {
    std::string table =
        std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : table) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    }
    auto created = client_->Run([&](DynamoDbClient& c) {
      return c.CreateTable(
          {.table = table, .hash_key = {"pk", "S"}, .range_key = KeyAttribute{"sk", "N"}});
    });
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    Status active = client_->Run([&](DynamoDbClient& c) { return c.WaitUntilActive(table); });
    EXPECT_TRUE(active.ok()) << active.ToString();
    return table;
  }

  Backend* backend_ = nullptr;
  std::unique_ptr<BlockingDynamoDbClient> client_;
};

TEST_P(LiveServerTest, TableLifecycle) {
  std::string table = CreateTable();
  auto description = client_->Run([&](DynamoDbClient& c) { return c.DescribeTable(table); });
  ASSERT_TRUE(description.ok()) << description.status().ToString();
  EXPECT_EQ(description->name, table);
  EXPECT_EQ(description->status, "ACTIVE");
  EXPECT_THAT(description->arn, HasSubstr(table));

  auto names = client_->Run([](DynamoDbClient& c) { return c.ListAllTables(); });
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_THAT(*names, Contains(table));

  auto again = client_->Run([&](DynamoDbClient& c) {
    return c.CreateTable({.table = table, .hash_key = {"pk", "S"}});
  });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(AwsErrorFrom(again.status()).type, "ResourceInUseException");

  auto deleted = client_->Run([&](DynamoDbClient& c) { return c.DeleteTable(table); });
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  // Deletion may take a moment (dynalite: DELETING first).
  Result<TableDescription> gone = Internal("not checked");
  for (int i = 0; i < 100; ++i) {
    gone = client_->Run([&](DynamoDbClient& c) { return c.DescribeTable(table); });
    if (!gone.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AwsErrorFrom(gone.status()).type, "ResourceNotFoundException");
}

TEST_P(LiveServerTest, ItemLifecycleWithExpressions) {
  std::string table = CreateTable();
  Item resident = {
      {"pk", Str("ck1")},
      {"sk", Num(1)},
      {"name", Str("Ada")},
      {"happiness", Num(5)},
      {"photo", AttributeValue::Binary(std::string("\x00\x01\xfe", 3))},
      {"tags", AttributeValue::StringSet({"retired", "server"})},
      {"scores", AttributeValue::NumberSet({"1", "2.5"})},
      {"meta", AttributeValue::FromMap({{"rack", Str("r1")}, {"u", Num(4)}})},
      {"log",
       AttributeValue::FromList({Str("boot"), AttributeValue::Bool(true), AttributeValue::Null()})},
  };
  auto put = client_->Run([&](DynamoDbClient& c) {
    return c.PutItem({.table = table, .item = resident, .condition = "attribute_not_exists(pk)"});
  });
  ASSERT_TRUE(put.ok()) << put.status().ToString();

  auto got = client_->Run([&](DynamoDbClient& c) {
    return c.GetItem(
        {.table = table, .key = {{"pk", Str("ck1")}, {"sk", Num(1)}}, .consistent_read = true});
  });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ(**got, resident);

  auto duplicate = client_->Run([&](DynamoDbClient& c) {
    return c.PutItem({.table = table, .item = resident, .condition = "attribute_not_exists(pk)"});
  });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(AwsErrorFrom(duplicate.status()).type, "ConditionalCheckFailedException");
  EXPECT_THAT(duplicate.status().message(), HasSubstr("The conditional request failed"));

  auto updated = client_->Run([&](DynamoDbClient& c) {
    return c.UpdateItem({.table = table,
                         .key = {{"pk", Str("ck1")}, {"sk", Num(1)}},
                         .update = "SET #h = #h + :one",
                         .names = {{"#h", "happiness"}},
                         .values = {{":one", Num(1)}},
                         .return_values = "ALL_NEW"});
  });
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  ASSERT_TRUE(updated->has_value());
  EXPECT_EQ((**updated).at("happiness"), Num(6));

  auto deleted = client_->Run([&](DynamoDbClient& c) {
    return c.DeleteItem(
        {.table = table, .key = {{"pk", Str("ck1")}, {"sk", Num(1)}}, .return_values = "ALL_OLD"});
  });
  ASSERT_TRUE(deleted.ok()) << deleted.status().ToString();
  ASSERT_TRUE(deleted->has_value());
  EXPECT_EQ((**deleted).at("name"), Str("Ada"));

  auto missing = client_->Run([&](DynamoDbClient& c) {
    return c.GetItem({.table = table, .key = {{"pk", Str("ck1")}, {"sk", Num(1)}}});
  });
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_FALSE(missing->has_value());
}

TEST_P(LiveServerTest, QueryAndScanPaginate) {
  std::string table = CreateTable();
  for (int i = 0; i < 23; ++i) {
    auto put = client_->Run([&](DynamoDbClient& c) {
      return c.PutItem({.table = table,
                        .item = {{"pk", Str(i % 2 == 0 ? "even" : "odd")},
                                 {"sk", Num(i)},
                                 {"big", AttributeValue::Bool(i >= 10)}}});
    });
    ASSERT_TRUE(put.ok()) << put.status().ToString();
  }
  auto evens = client_->Run([&](DynamoDbClient& c) {
    return c.QueryAll({.table = table,
                       .key_condition = "pk = :p AND sk >= :from",
                       .values = {{":p", Str("even")}, {":from", Num(4)}},
                       .limit = 3,
                       .scan_index_forward = false});
  });
  ASSERT_TRUE(evens.ok()) << evens.status().ToString();
  std::vector<std::string> keys;
  for (const Item& item : evens->items) keys.push_back(item.at("sk").scalar());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"22", "20", "18", "16", "14", "12", "10", "8", "6", "4"}));
  EXPECT_EQ(evens->count, 10);
  EXPECT_FALSE(evens->last_evaluated_key);

  auto page = client_->Run([&](DynamoDbClient& c) {
    return c.Query(
        {.table = table, .key_condition = "pk = :p", .values = {{":p", Str("odd")}}, .limit = 4});
  });
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->items.size(), 4u);
  ASSERT_TRUE(page->last_evaluated_key);

  auto big = client_->Run([&](DynamoDbClient& c) {
    return c.ScanAll({.table = table,
                      .filter = "#b = :yes",
                      .names = {{"#b", "big"}},
                      .values = {{":yes", AttributeValue::Bool(true)}},
                      .limit = 5});
  });
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->items.size(), 13u);
  EXPECT_EQ(big->count, 13);
  EXPECT_EQ(big->scanned_count, 23);

  auto capped =
      client_->Run([&](DynamoDbClient& c) { return c.ScanAll({.table = table, .limit = 5}, 7); });
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->items.size(), 10u);  // stops after the page that reached 7
  EXPECT_TRUE(capped->last_evaluated_key);
}

TEST_P(LiveServerTest, BatchWriteAndGet) {
  std::string table = CreateTable();
  BatchWriteRequests writes;
  for (int i = 0; i < 20; ++i) {
    writes[table].push_back(WriteRequest::Put({{"pk", Str("b")}, {"sk", Num(i)}}));
  }
  auto unprocessed = client_->Run([&](DynamoDbClient& c) { return c.BatchWriteItem(writes); });
  ASSERT_TRUE(unprocessed.ok()) << unprocessed.status().ToString();
  EXPECT_TRUE(unprocessed->empty());

  KeysAndAttributes keys;
  for (int i = 0; i < 20; i += 2) keys.keys.push_back({{"pk", Str("b")}, {"sk", Num(i)}});
  keys.keys.push_back({{"pk", Str("b")}, {"sk", Num(99)}});  // absent: simply not returned
  keys.projection = "sk";
  auto got = client_->Run([&](DynamoDbClient& c) { return c.BatchGetItem({{table, keys}}); });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->unprocessed.empty());
  ASSERT_EQ(got->items[table].size(), 10u);
  for (const Item& item : got->items[table]) {
    EXPECT_EQ(item.size(), 1u);  // projected to sk only
  }

  BatchWriteRequests deletes;
  for (int i = 0; i < 20; ++i)
    deletes[table].push_back(WriteRequest::Delete({{"pk", Str("b")}, {"sk", Num(i)}}));
  ASSERT_TRUE(client_->Run([&](DynamoDbClient& c) { return c.BatchWriteItem(deletes); }).ok());
  auto rest = client_->Run([&](DynamoDbClient& c) { return c.ScanAll({.table = table}); });
  ASSERT_TRUE(rest.ok());
  EXPECT_TRUE(rest->items.empty());
}

TEST_P(LiveServerTest, Transactions) {
  if (!backend_->supports_transactions) {
    GTEST_SKIP() << GetParam() << " does not implement TransactWriteItems/TransactGetItems";
  }
  std::string table = CreateTable();
  TransactWriteRequest write;
  write.items = {
      {.kind = TransactWriteItem::Kind::kPut,
       .table = table,
       .item = {{"pk", Str("tx")}, {"sk", Num(1)}, {"n", Num(1)}}},
      {.kind = TransactWriteItem::Kind::kPut,
       .table = table,
       .item = {{"pk", Str("tx")}, {"sk", Num(2)}, {"n", Num(2)}}},
  };
  Status written = client_->Run([&](DynamoDbClient& c) { return c.TransactWriteItems(write); });
  ASSERT_TRUE(written.ok()) << written.ToString();

  TransactWriteRequest conflicting;
  conflicting.items = {
      {.kind = TransactWriteItem::Kind::kUpdate,
       .table = table,
       .item = {{"pk", Str("tx")}, {"sk", Num(1)}},
       .update = "SET n = :v",
       .values = {{":v", Num(10)}}},
      {.kind = TransactWriteItem::Kind::kConditionCheck,
       .table = table,
       .item = {{"pk", Str("tx")}, {"sk", Num(2)}},
       .condition = "n = :expected",
       .values = {{":expected", Num(99)}}},
  };
  Status cancelled =
      client_->Run([&](DynamoDbClient& c) { return c.TransactWriteItems(conflicting); });
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(AwsErrorFrom(cancelled).type, "TransactionCanceledException");
  EXPECT_THAT(cancelled.message(), HasSubstr("ConditionalCheckFailed"));

  auto got = client_->Run([&](DynamoDbClient& c) {
    return c.TransactGetItems({{.table = table, .key = {{"pk", Str("tx")}, {"sk", Num(1)}}},
                               {.table = table, .key = {{"pk", Str("tx")}, {"sk", Num(3)}}}});
  });
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), 2u);
  ASSERT_TRUE((*got)[0].has_value());
  EXPECT_EQ((*got)[0]->at("n"), Num(1));  // the cancelled update changed nothing
  EXPECT_FALSE((*got)[1].has_value());
}

TEST_P(LiveServerTest, ServiceErrorsAreTypedAndNotRetried) {
  CallOutcome missing = client_->Run([](DynamoDbClient& c) {
    return c.Invoke("GetItem", {{"TableName", "no_such_table"}, {"Key", {{"id", {{"S", "1"}}}}}});
  });
  ASSERT_FALSE(missing.result.ok());
  EXPECT_EQ(missing.error.type, "ResourceNotFoundException");
  EXPECT_EQ(missing.error.http_status, 400);
  EXPECT_EQ(missing.attempts, 1);
  EXPECT_FALSE(missing.error.request_id.empty());
  EXPECT_EQ(missing.result.status().code(), StatusCode::kNotFound);

  std::string table = CreateTable();
  CallOutcome invalid = client_->Run([&](DynamoDbClient& c) {
    return c.Invoke("PutItem", {{"TableName", table}, {"Item", {{"other", {{"S", "x"}}}}}});
  });
  ASSERT_FALSE(invalid.result.ok());
  EXPECT_EQ(invalid.attempts, 1);
  EXPECT_EQ(invalid.error.type, "ValidationException");
  EXPECT_EQ(invalid.result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(invalid.error.message, HasSubstr("Missing the key pk"));
}

TEST_P(LiveServerTest, WrongSecretIsRejected) {
  if (GetParam() == "dynalite") GTEST_SKIP() << "dynalite does not verify signatures";
  sigv4::Credentials wrong = backend_->credentials;
  wrong.secret_access_key += "-wrong";
  auto client = MakeClient(wrong);
  ASSERT_TRUE(client);
  CallOutcome outcome =
      client->Run([](DynamoDbClient& c) { return c.Invoke("ListTables", Json::object()); });
  ASSERT_FALSE(outcome.result.ok());
  EXPECT_EQ(outcome.attempts, 1);
  EXPECT_EQ(outcome.result.status().code(), StatusCode::kUnauthenticated)
      << outcome.result.status().ToString();
}

TEST_P(LiveServerTest, HttpsIsVerifiedAgainstTheLocalCa) {
  if (backend_->ca_bundle.empty()) GTEST_SKIP() << GetParam() << " is served over plain HTTP";
  EXPECT_EQ(backend_->endpoint.rfind("https://", 0), 0u) << backend_->endpoint;
  // Without the local CA the system store cannot verify ck's certificate.
  DynamoDbClientOptions options;
  options.config.region = "us-east-1";
  options.config.credentials = backend_->credentials;
  options.config.endpoint = backend_->endpoint;
  auto untrusting = BlockingDynamoDbClient::Create(std::move(options));
  ASSERT_TRUE(untrusting.ok());
  auto result = (*untrusting)->Call("ListTables", Json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("TlsError: "));
  EXPECT_THAT(result.status().message(), HasSubstr("certificate verify failed"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveServerTest, ::testing::Values("dynalite", "ck"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ck::aws
