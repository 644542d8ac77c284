#include "services/common/residents.h"

#include <charconv>
#include <cstdlib>

#include "aws/blocking_dynamodb_client.h"
#include "core/logger.h"
#include "services/common/json_body.h"
#include "services/common/service_host.h"

namespace ck::services {

namespace asio = boost::asio;
using store::AttributeType;
using store::AttributeValue;
using store::Item;

nlohmann::json NumberJson(std::string_view text) {
  int64_t integer = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
  if (error == std::errc() && end == text.data() + text.size()) return integer;
  std::string copy(text);
  char* parsed_end = nullptr;
  double value = std::strtod(copy.c_str(), &parsed_end);
  if (parsed_end == copy.c_str() || *parsed_end != '\0') return 0;
  if (value == static_cast<double>(static_cast<int64_t>(value))) {
    return static_cast<int64_t>(value);  // "1E+1" is the integer 10
  }
  return value;
}

Result<std::string> CkidFromRequest(const nlohmann::json& body) {
  auto ckid = body.find("ckid");
  if (ckid == body.end() || !ckid->is_string() || ckid->get_ref<const std::string&>().empty() ||
      ckid->get_ref<const std::string&>().size() > kMaxCkidBytes) {
    return InvalidArgument("ckid must be a non-empty string of at most " +
                           std::to_string(kMaxCkidBytes) + " bytes");
  }
  return ckid->get<std::string>();
}

http::HttpResponse DatastoreErrorResponse(const Status& status) {
  const bool refused = aws::AwsErrorFrom(status).type == "ValidationException";
  return JsonError(refused ? http::HttpStatus::bad_request : http::HttpStatus::bad_gateway,
                   status.message());
}

void RecordDatastoreFault(telemetry::RequestSpan* span, const Status& status) {
  if (span == nullptr || status.ok()) return;
  aws::AwsError error = aws::AwsErrorFrom(status);
  const bool remote = aws::IsServiceError(error);
  span->RecordException(std::move(error.type), std::move(error.message), remote);
}

nlohmann::json ResidentJson(const Item& item) {
  auto text = [&](const char* name) -> std::string {
    auto it = item.find(name);
    if (it == item.end() || it->second.type() != AttributeType::kString) return "";
    return it->second.scalar();
  };
  auto number = [&](const char* name) -> nlohmann::json {
    auto it = item.find(name);
    if (it == item.end() || it->second.type() != AttributeType::kNumber) return 0;
    return NumberJson(it->second.scalar());
  };
  return {{"ckid", text("ckid")},
          {"name", text("name")},
          {"type", text("type")},
          {"service", number("service")},
          {"happiness", number("happiness")},
          {"petname", text("petname")},
          {"os", text("os")},
          {"image", text("image")}};
}

std::string DefaultImageFor(std::string_view ckid) {
  size_t hash = 0;
  for (unsigned char c : ckid) hash = hash * 31 + c;
  return std::string(kResidentImages[hash % kResidentImages.size()]);
}

std::vector<Item> SeedResidents() {
  struct Seed {
    const char* ckid;
    const char* name;
    const char* type;
    int service;
    int happiness;
    const char* petname;
    const char* os;
    const char* image;
  };
  static constexpr Seed kSeeds[] = {
      {"ck1", "ig.nore.me", "m2.xlarge", 10, 1, "The ignored one", "linux", "/img/server-1.svg"},
      {"ck2", "mail.example.org", "t2.micro", 7, 6, "Postie", "OpenBSD", "/img/server-2.svg"},
      {"ck3", "db-prod-03", "r3.large", 5, 8, "Big Bertha", "linux", "/img/server-3.svg"},
      {"ck4", "build01", "c4.2xlarge", 4, 3, "Jenkins' Shadow", "FreeBSD", "/img/server-4.svg"},
      {"ck5", "legacy-ftp", "m1.small", 12, 2, "Old Faithful", "Solaris", "/img/server-5.svg"},
      {"ck6", "fileserver", "m3.medium", 8, 9, "Filo", "Windows Server 2008", "/img/server-6.svg"},
  };
  std::vector<Item> items;
  for (const Seed& seed : kSeeds) {
    items.push_back({{"ckid", aws::Str(seed.ckid)},
                     {"name", aws::Str(seed.name)},
                     {"type", aws::Str(seed.type)},
                     {"service", aws::Num(seed.service)},
                     {"happiness", aws::Num(seed.happiness)},
                     {"petname", aws::Str(seed.petname)},
                     {"os", aws::Str(seed.os)},
                     {"image", aws::Str(seed.image)}});
  }
  return items;
}

asio::awaitable<Result<TableInit>> EnsureResidentTable(aws::DynamoDbClient* client,
                                                       std::string table, bool seed_existing) {
  TableInit init;
  auto described = co_await client->DescribeTable(table);
  if (!described.ok()) {
    if (aws::AwsErrorFrom(described.status()).type != "ResourceNotFoundException") {
      co_return described.status();
    }
    aws::CreateTableRequest create;
    create.table = table;
    create.hash_key = {"ckid", "S"};
    auto created = co_await client->CreateTable(std::move(create));
    if (created.ok()) {
      init.created = true;
    } else if (aws::AwsErrorFrom(created.status()).type != "ResourceInUseException") {
      co_return created.status();  // else another process created it just now
    }
  }
  Status active = co_await client->WaitUntilActive(table, std::chrono::seconds(10));
  if (!active.ok()) co_return active;
  if (!init.created && !seed_existing) co_return init;
  for (Item& item : SeedResidents()) {
    aws::PutItemRequest put;
    put.table = table;
    put.item = std::move(item);
    put.condition = "attribute_not_exists(ckid)";
    auto written = co_await client->PutItem(std::move(put));
    if (written.ok()) {
      ++init.seeded;
    } else if (aws::AwsErrorFrom(written.status()).type != "ConditionalCheckFailedException") {
      co_return written.status();
    }
  }
  co_return init;
}

asio::awaitable<void> InitResidentTable(ServiceContext* context) {
  if (!context->config.init_table) co_return;
  if (!context->datastore.ok()) co_return;  // already logged by the host
  const std::string table = context->config.table;
  auto init = co_await EnsureResidentTable(*context->datastore, table, false);
  if (!init.ok()) {
    Logger::Global().Warn("cannot initialise the residents table",
                          {{"table", table}, {"error", init.status().message()}});
    co_return;
  }
  if (init->created) {
    Logger::Global().Info("created the residents table",
                          {{"table", table}, {"seeded", init->seeded}});
  }
}

Result<TableInit> EnsureResidentTableBlocking(const ServiceConfig& config, bool seed_existing) {
  if (!config.aws.ok()) return config.aws.status();
  CK_ASSIGN_OR_RETURN(auto client, aws::BlockingDynamoDbClient::Create({.config = *config.aws}));
  const std::string table = config.table;
  return client->Run([&](aws::DynamoDbClient& async_client) {
    return EnsureResidentTable(&async_client, table, seed_existing);
  });
}

}  // namespace ck::services
