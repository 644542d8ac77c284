#include "store/api/dynamodb_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/crypto.h"

namespace ck::store::api {
namespace {

using nlohmann::json;

struct Reply {
  int status = 0;
  json body;
  std::string type;  // the short error name, e.g. "ValidationException"
  std::string message;
};

class DynamoDbServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck_dynamodb_service_test_" + std::to_string(getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    now_ = std::chrono::system_clock::from_time_t(1767225600);  // 2026-01-01T00:00:00Z
    Open(false);
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(directory_);
  }
  void Open(bool verify) {
    service_.reset();
    DynamoDbOptions options;
    options.data_path = (directory_ / "dynamodb.sqlite").string();
    options.verify_signatures = verify;
    options.clock = [this] { return now_; };
    auto service = DynamoDbService::Open(options);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
  }
  static http::HttpRequest Request(std::string_view operation, std::string body) {
    http::HttpRequest request(http::Verb::post, "/", 11);
    request.set(http::Field::host, "localhost:8000");
    request.set(http::Field::content_type, "application/x-amz-json-1.0");
    request.set("X-Amz-Target", "DynamoDB_20120810." + std::string(operation));
    request.body() = std::move(body);
    request.prepare_payload();
    return request;
  }
  Reply Send(const http::HttpRequest& request) {
    http::HttpResponse response = service_->Handle(request);
    Reply reply;
    reply.status = static_cast<int>(response.result_int());
    EXPECT_EQ(response["x-amz-crc32"], std::to_string(Crc32(response.body())));
    EXPECT_FALSE(response["x-amzn-RequestId"].empty());
    reply.body = json::parse(response.body(), nullptr, false);
    if (reply.body.is_object() && reply.body.contains("__type")) {
      std::string type = reply.body["__type"];
      reply.type = type.substr(type.find('#') + 1);
      reply.message = reply.body.value("message", reply.body.value("Message", ""));
    }
    return reply;
  }
  Reply Call(std::string_view operation, const json& body) {
    return Send(Request(operation, body.dump()));
  }
  json Ok(std::string_view operation, const json& body) {
    Reply reply = Call(operation, body);
    EXPECT_EQ(reply.status, 200) << operation << ": " << reply.body.dump();
    return reply.body;
  }
  void ExpectError(std::string_view operation, const json& body, std::string_view type,
                   std::string_view message) {
    Reply reply = Call(operation, body);
    EXPECT_EQ(reply.status, 400) << reply.body.dump();
    EXPECT_EQ(reply.type, type) << reply.body.dump();
    EXPECT_EQ(reply.message, message) << reply.body.dump();
  }
  void CreateResidents() {
    Ok("CreateTable", json::parse(R"({
      "TableName": "residents",
      "AttributeDefinitions": [{"AttributeName":"ckid","AttributeType":"S"},
                               {"AttributeName":"seq","AttributeType":"N"},
                               {"AttributeName":"city","AttributeType":"S"},
                               {"AttributeName":"age","AttributeType":"N"}],
      "KeySchema": [{"AttributeName":"ckid","KeyType":"HASH"},{"AttributeName":"seq","KeyType":"RANGE"}],
      "BillingMode": "PAY_PER_REQUEST",
      "GlobalSecondaryIndexes": [{"IndexName":"by_city",
        "KeySchema":[{"AttributeName":"city","KeyType":"HASH"},{"AttributeName":"age","KeyType":"RANGE"}],
        "Projection":{"ProjectionType":"KEYS_ONLY"}}],
      "LocalSecondaryIndexes": [{"IndexName":"by_age",
        "KeySchema":[{"AttributeName":"ckid","KeyType":"HASH"},{"AttributeName":"age","KeyType":"RANGE"}],
        "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["name"]}}]})"));
  }
  void Put(const std::string& ckid, int seq, const std::string& city, int age) {
    Ok("PutItem", {{"TableName", "residents"},
                   {"Item",
                    {{"ckid", {{"S", ckid}}},
                     {"seq", {{"N", std::to_string(seq)}}},
                     {"city", {{"S", city}}},
                     {"age", {{"N", std::to_string(age)}}},
                     {"name", {{"S", ckid + "-name"}}},
                     {"mood", {{"S", "happy"}}}}}});
  }

  std::filesystem::path directory_;
  std::chrono::system_clock::time_point now_;
  std::unique_ptr<DynamoDbService> service_;
};

TEST_F(DynamoDbServiceTest, HealthAndProtocolErrors) {
  http::HttpRequest get(http::Verb::get, "/", 11);
  auto health = service_->Handle(get);
  EXPECT_EQ(health.result_int(), 200u);
  EXPECT_EQ(health.body(), "healthy: dynamodb.us-east-1.amazonaws.com ");

  Reply unknown = Send(Request("Frobnicate", "{}"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.type, "UnknownOperationException");
  EXPECT_EQ(unknown.body["__type"], "com.amazon.coral.service#UnknownOperationException");

  Reply invalid = Send(Request("ListTables", "{not json"));
  EXPECT_EQ(invalid.type, "SerializationException");
  Reply deep = Send(Request("ListTables", std::string(100000, '[')));
  EXPECT_EQ(deep.type, "SerializationException");
  Reply wrong_type = Call("DescribeTable", {{"TableName", 5}});
  EXPECT_EQ(wrong_type.type, "SerializationException");
  EXPECT_EQ(wrong_type.message, "NUMBER_VALUE cannot be converted to String");
}

TEST_F(DynamoDbServiceTest, TableLifecycle) {
  CreateResidents();
  json described = Ok("DescribeTable", {{"TableName", "residents"}})["Table"];
  EXPECT_EQ(described["TableStatus"], "ACTIVE");
  EXPECT_EQ(described["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/residents");
  EXPECT_EQ(described["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
  EXPECT_EQ(described["ProvisionedThroughput"]["NumberOfDecreasesToday"], 0);
  EXPECT_EQ(described["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE");
  EXPECT_EQ(described["CreationDateTime"], 1767225600.0);

  Reply duplicate = Call("CreateTable", json::parse(R"({"TableName":"residents",
      "AttributeDefinitions":[{"AttributeName":"ckid","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"ckid","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})"));
  EXPECT_EQ(duplicate.type, "ResourceInUseException");

  for (auto name : {"aaa", "bbb", "ccc"}) {
    Ok("CreateTable",
       {{"TableName", name},
        {"AttributeDefinitions", {{{"AttributeName", "k"}, {"AttributeType", "S"}}}},
        {"KeySchema", {{{"AttributeName", "k"}, {"KeyType", "HASH"}}}},
        {"ProvisionedThroughput", {{"ReadCapacityUnits", 5}, {"WriteCapacityUnits", 5}}}});
  }
  json page = Ok("ListTables", {{"Limit", 2}});
  EXPECT_EQ(page["TableNames"], json({"aaa", "bbb"}));
  EXPECT_EQ(page["LastEvaluatedTableName"], "bbb");
  page = Ok("ListTables", {{"ExclusiveStartTableName", "bbb"}});
  EXPECT_EQ(page["TableNames"], json({"ccc", "residents"}));
  EXPECT_FALSE(page.contains("LastEvaluatedTableName"));

  EXPECT_EQ(Ok("DeleteTable", {{"TableName", "aaa"}})["TableDescription"]["TableStatus"],
            "DELETING");
  ExpectError("DescribeTable", {{"TableName", "aaa"}}, "ResourceNotFoundException",
              "Requested resource not found: Table: aaa not found");
  ExpectError("GetItem", {{"TableName", "aaa"}, {"Key", {{"k", {{"S", "x"}}}}}},
              "ResourceNotFoundException", "Requested resource not found");
  ExpectError("DescribeTable", {{"TableName", "abc!"}}, "ValidationException",
              "1 validation error detected: Value 'abc!' at 'tableName' failed to satisfy "
              "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");

  // The catalog survives a restart.
  Open(false);
  EXPECT_EQ(Ok("ListTables", json::object())["TableNames"].size(), 3u);
}

// Regression: DescribeTable without TableName answered the item operations' constraint message.
TEST_F(DynamoDbServiceTest, TableLevelOperationsNameAMissingTableName) {
  for (auto operation : {"CreateTable", "DescribeTable", "DeleteTable", "UpdateTable",
                         "DescribeTimeToLive", "UpdateTimeToLive"}) {
    SCOPED_TRACE(operation);
    ExpectError(operation, json::object(), "ValidationException",
                "The parameter 'TableName' is required but was not present in the request");
    ExpectError(operation, {{"TableName", "a!"}}, "ValidationException",
                "TableName must be at least 3 characters long and at most 255 characters long");
    ExpectError(operation, {{"TableName", std::string(256, 'a')}}, "ValidationException",
                "TableName must be at least 3 characters long and at most 255 characters long");
  }
  // Item operations keep the constraint form.
  ExpectError("GetItem", {{"Key", {{"ckid", {{"S", "a"}}}}}}, "ValidationException",
              "1 validation error detected: Value null at 'tableName' failed to satisfy "
              "constraint: Member must not be null");
  ExpectError("Query", json::object(), "ValidationException",
              "1 validation error detected: Value null at 'tableName' failed to satisfy "
              "constraint: Member must not be null");
}

TEST_F(DynamoDbServiceTest, PutGetDeleteAndConditions) {
  CreateResidents();
  Put("ada", 1, "Oslo", 80);
  json item = Ok("GetItem", {{"TableName", "residents"},
                             {"Key", {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}}}})["Item"];
  EXPECT_EQ(item["city"]["S"], "Oslo");
  json projected = Ok("GetItem", {{"TableName", "residents"},
                                  {"Key", {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}}},
                                  {"ProjectionExpression", "#n"},
                                  {"ExpressionAttributeNames", {{"#n", "name"}}}})["Item"];
  EXPECT_EQ(projected, json::parse(R"({"name":{"S":"ada-name"}})"));

  Reply failed = Call("PutItem", {{"TableName", "residents"},
                                  {"Item", {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}}},
                                  {"ConditionExpression", "attribute_not_exists(ckid)"},
                                  {"ReturnValuesOnConditionCheckFailure", "ALL_OLD"}});
  EXPECT_EQ(failed.type, "ConditionalCheckFailedException");
  EXPECT_EQ(failed.message, "The conditional request failed");
  EXPECT_EQ(failed.body["Item"]["city"]["S"], "Oslo");

  ExpectError("PutItem", {{"TableName", "residents"}, {"Item", {{"seq", {{"N", "1"}}}}}},
              "ValidationException",
              "One or more parameter values were invalid: Missing the key ckid in the item");
  ExpectError(
      "PutItem",
      {{"TableName", "residents"}, {"Item", {{"ckid", {{"N", "1"}}}, {"seq", {{"N", "1"}}}}}},
      "ValidationException",
      "One or more parameter values were invalid: Type mismatch for key ckid expected: S actual: "
      "N");
  ExpectError("PutItem",
              {{"TableName", "residents"},
               {"Item",
                {{"ckid", {{"S", "x"}}},
                 {"seq", {{"N", "1"}}},
                 {"big", {{"S", std::string(410000, 'x')}}}}}},
              "ValidationException", "Item size has exceeded the maximum allowed size");
  ExpectError(
      "PutItem",
      {{"TableName", "residents"},
       {"Item", {{"ckid", {{"S", "x"}}}, {"seq", {{"N", "1"}}}, {"s", {{"SS", {"a", "a"}}}}}}},
      "ValidationException",
      "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
  ExpectError("PutItem",
              {{"TableName", "residents"},
               {"Item", {{"ckid", {{"S", "x"}}}, {"seq", {{"N", "1"}}}}},
               {"ReturnValues", "ALL_NEW"}},
              "ValidationException", "ReturnValues can only be ALL_OLD or NONE");
  ExpectError("GetItem",
              {{"TableName", "residents"}, {"Key", {{"ckid", {{"S", ""}}}, {"seq", {{"N", "1"}}}}}},
              "ValidationException",
              "One or more parameter values were invalid: The AttributeValue for a key attribute "
              "cannot contain an empty string value. Key: ckid");
  ExpectError("PutItem",
              {{"TableName", "residents"},
               {"Item", {{"ckid", {{"S", "x"}}}, {"seq", {{"N", "1"}}}}},
               {"ConditionExpression", "attribute_exists(ckid)"},
               {"ExpressionAttributeValues", {{":unused", {{"S", "x"}}}}}},
              "ValidationException",
              "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");

  json deleted = Ok("DeleteItem", {{"TableName", "residents"},
                                   {"Key", {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}}},
                                   {"ReturnValues", "ALL_OLD"}});
  EXPECT_EQ(deleted["Attributes"]["name"]["S"], "ada-name");
  EXPECT_FALSE(Ok("GetItem", {{"TableName", "residents"},
                              {"Key", {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}}}})
                   .contains("Item"));
}

// Regression: SET on a nested path could build an item deeper than 32 levels, which DynamoDB
// refuses and which no request could have written directly.
TEST_F(DynamoDbServiceTest, UpdateItemKeepsNestingWithinDynamoDbsLimit) {
  CreateResidents();
  Put("ada", 1, "Oslo", 80);
  auto nested = [](int levels) {  // `levels` levels of maps around a string
    json value = {{"S", "leaf"}};
    for (int i = 1; i < levels; ++i) value = {{"M", {{"k", value}}}};
    return value;
  };
  auto set_a = [&](int levels) {
    return Call("UpdateItem", {{"TableName", "residents"},
                               {"Key", {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}}},
                               {"UpdateExpression", "SET a = :v"},
                               {"ExpressionAttributeValues", {{":v", nested(levels)}}}});
  };
  auto set_a_k = [&](int levels) {
    return Call("UpdateItem", {{"TableName", "residents"},
                               {"Key", {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}}},
                               {"UpdateExpression", "SET a.k = :v"},
                               {"ExpressionAttributeValues", {{":v", nested(levels)}}}});
  };
  EXPECT_EQ(set_a(32).status, 200);
  EXPECT_EQ(set_a_k(31).status, 200);  // a stays at 32 levels
  Reply too_deep = set_a_k(32);        // a would have 33
  EXPECT_EQ(too_deep.type, "ValidationException");
  EXPECT_EQ(too_deep.message, "Nesting Levels have exceeded supported limits");
  // The item is unchanged and every read of it still works.
  EXPECT_EQ(Ok("Scan", {{"TableName", "residents"}})["Count"], 1);
}

TEST_F(DynamoDbServiceTest, UpdateItemReturnValues) {
  CreateResidents();
  json key = {{"ckid", {{"S", "bob"}}}, {"seq", {{"N", "1"}}}};
  json created =
      Ok("UpdateItem",
         {{"TableName", "residents"},
          {"Key", key},
          {"UpdateExpression", "SET #h = if_not_exists(#h, :zero) + :one"},
          {"ExpressionAttributeNames", {{"#h", "happiness"}}},
          {"ExpressionAttributeValues", {{":zero", {{"N", "0"}}}, {":one", {{"N", "1"}}}}},
          {"ReturnValues", "ALL_NEW"}});
  EXPECT_EQ(created["Attributes"]["happiness"]["N"], "1");
  EXPECT_EQ(created["Attributes"]["ckid"]["S"], "bob");
  json updated = Ok("UpdateItem", {{"TableName", "residents"},
                                   {"Key", key},
                                   {"UpdateExpression", "SET #h = #h + :one"},
                                   {"ExpressionAttributeNames", {{"#h", "happiness"}}},
                                   {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}}},
                                   {"ReturnValues", "UPDATED_OLD"}});
  EXPECT_EQ(updated["Attributes"], json::parse(R"({"happiness":{"N":"1"}})"));
  ExpectError("UpdateItem",
              {{"TableName", "residents"},
               {"Key", key},
               {"UpdateExpression", "SET ckid = :v"},
               {"ExpressionAttributeValues", {{":v", {{"S", "x"}}}}}},
              "ValidationException",
              "One or more parameter values were invalid: Cannot update attribute ckid. This "
              "attribute is part of the key");
  ExpectError("UpdateItem",
              {{"TableName", "residents"},
               {"Key", key},
               {"UpdateExpression", "SET happiness = :v"},
               {"ConditionExpression", "happiness > :v"},
               {"ExpressionAttributeValues", {{":v", {{"N", "100"}}}}}},
              "ConditionalCheckFailedException", "The conditional request failed");
}

TEST_F(DynamoDbServiceTest, QueryPagingFiltersAndIndexes) {
  CreateResidents();
  for (int seq = 1; seq <= 5; ++seq) Put("ada", seq, seq % 2 ? "Oslo" : "Bergen", 70 + seq);
  Put("bob", 1, "Oslo", 99);

  json all = Ok("Query", {{"TableName", "residents"},
                          {"KeyConditionExpression", "ckid = :c"},
                          {"ExpressionAttributeValues", {{":c", {{"S", "ada"}}}}}});
  EXPECT_EQ(all["Count"], 5);
  EXPECT_EQ(all["Items"][0]["seq"]["N"], "1");

  json backwards =
      Ok("Query", {{"TableName", "residents"},
                   {"KeyConditionExpression", "ckid = :c AND seq BETWEEN :a AND :b"},
                   {"ExpressionAttributeValues",
                    {{":c", {{"S", "ada"}}}, {":a", {{"N", "2"}}}, {":b", {{"N", "4"}}}}},
                   {"ScanIndexForward", false},
                   {"Limit", 2}});
  EXPECT_EQ(backwards["Count"], 2);
  EXPECT_EQ(backwards["Items"][0]["seq"]["N"], "4");
  ASSERT_TRUE(backwards.contains("LastEvaluatedKey"));
  json rest = Ok("Query", {{"TableName", "residents"},
                           {"KeyConditionExpression", "ckid = :c AND seq BETWEEN :a AND :b"},
                           {"ExpressionAttributeValues",
                            {{":c", {{"S", "ada"}}}, {":a", {{"N", "2"}}}, {":b", {{"N", "4"}}}}},
                           {"ScanIndexForward", false},
                           {"ExclusiveStartKey", backwards["LastEvaluatedKey"]}});
  EXPECT_EQ(rest["Count"], 1);
  EXPECT_EQ(rest["Items"][0]["seq"]["N"], "2");

  json filtered =
      Ok("Query",
         {{"TableName", "residents"},
          {"KeyConditionExpression", "ckid = :c"},
          {"FilterExpression", "city = :city"},
          {"Select", "COUNT"},
          {"ExpressionAttributeValues", {{":c", {{"S", "ada"}}}, {":city", {{"S", "Oslo"}}}}}});
  EXPECT_EQ(filtered["Count"], 3);
  EXPECT_EQ(filtered["ScannedCount"], 5);
  EXPECT_FALSE(filtered.contains("Items"));

  json by_city = Ok(
      "Query", {{"TableName", "residents"},
                {"IndexName", "by_city"},
                {"KeyConditionExpression", "city = :c AND age > :a"},
                {"ExpressionAttributeValues", {{":c", {{"S", "Oslo"}}}, {":a", {{"N", "72"}}}}}});
  EXPECT_EQ(by_city["Count"], 3);                      // ada 73, ada 75, bob 99
  EXPECT_FALSE(by_city["Items"][0].contains("name"));  // KEYS_ONLY
  ExpectError("Query",
              {{"TableName", "residents"},
               {"IndexName", "by_city"},
               {"ConsistentRead", true},
               {"KeyConditionExpression", "city = :c"},
               {"ExpressionAttributeValues", {{":c", {{"S", "Oslo"}}}}}},
              "ValidationException",
              "Consistent reads are not supported on global secondary indexes");
  ExpectError("Query",
              {{"TableName", "residents"},
               {"IndexName", "nope"},
               {"KeyConditionExpression", "city = :c"},
               {"ExpressionAttributeValues", {{":c", {{"S", "Oslo"}}}}}},
              "ValidationException", "The table does not have the specified index: nope");

  json by_age =
      Ok("Query", {{"TableName", "residents"},
                   {"IndexName", "by_age"},
                   {"KeyConditionExpression", "ckid = :c AND age >= :a"},
                   {"ExpressionAttributeValues", {{":c", {{"S", "ada"}}}, {":a", {{"N", "74"}}}}},
                   {"Select", "ALL_ATTRIBUTES"}});
  EXPECT_EQ(by_age["Count"], 2);
  EXPECT_EQ(by_age["Items"][0]["mood"]["S"], "happy");  // fetched from the table
}

// Regression: a Query filter on a key attribute was accepted instead of rejected.
TEST_F(DynamoDbServiceTest, QueryFilterMayNotReadTheQueriedKeys) {
  CreateResidents();
  Put("ada", 1, "Oslo", 80);
  auto read = [](std::string index, std::string key_condition, std::string filter,
                 std::string value) {
    json request = {{"TableName", "residents"},
                    {"FilterExpression", filter},
                    {"ExpressionAttributeValues", {{":v", {{"S", value}}}, {":n", {{"N", "1"}}}}}};
    if (!key_condition.empty()) request["KeyConditionExpression"] = key_condition;
    if (!index.empty()) request["IndexName"] = index;
    return request;
  };
  const std::string kMessage =
      "Filter Expression can only contain non-primary key attributes: Primary key attribute: ";
  ExpectError("Query", read("", "ckid = :v", "age > :n AND seq > :n", "ada"), "ValidationException",
              kMessage + "seq");
  json hidden = read("", "ckid = :v", "NOT (size(#k) > :n)", "ada");
  hidden["ExpressionAttributeNames"] = {{"#k", "ckid"}};
  ExpectError("Query", hidden, "ValidationException", kMessage + "ckid");
  ExpectError("Query", read("by_city", "city = :v", "age > :n", "Oslo"), "ValidationException",
              kMessage + "age");
  // Only the keys of the table or index queried count: a GSI query may filter on table keys,
  // and Scan on anything.
  EXPECT_EQ(Ok("Query", read("by_city", "city = :v", "seq >= :n AND ckid <> :v", "Oslo"))["Count"],
            1);
  EXPECT_EQ(Ok("Query", read("", "ckid = :v", "age > :n", "ada"))["Count"], 1);
  EXPECT_EQ(Ok("Scan", read("", "", "seq >= :n AND ckid = :v", "ada"))["Count"], 1);
}

TEST_F(DynamoDbServiceTest, ScanSegmentsCoverTheTable) {
  CreateResidents();
  for (int i = 0; i < 40; ++i) Put("k" + std::to_string(i), 1, "Oslo", i);
  std::set<std::string> seen;
  for (int segment = 0; segment < 4; ++segment) {
    json page =
        Ok("Scan", {{"TableName", "residents"}, {"Segment", segment}, {"TotalSegments", 4}});
    for (const auto& item : page["Items"]) seen.insert(item["ckid"]["S"].get<std::string>());
  }
  EXPECT_EQ(seen.size(), 40u);
  json limited =
      Ok("Scan", {{"TableName", "residents"}, {"Limit", 10}, {"ReturnConsumedCapacity", "TOTAL"}});
  EXPECT_EQ(limited["Count"], 10);
  EXPECT_TRUE(limited.contains("LastEvaluatedKey"));
  EXPECT_EQ(limited["ConsumedCapacity"]["TableName"], "residents");
  ExpectError("Scan", {{"TableName", "residents"}, {"Segment", 4}, {"TotalSegments", 4}},
              "ValidationException",
              "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
              "Segment: 4 is not less than TotalSegments: 4");
}

TEST_F(DynamoDbServiceTest, BatchOperations) {
  CreateResidents();
  json writes = json::array();
  for (int i = 0; i < 3; ++i) {
    writes.push_back(
        {{"PutRequest",
          {{"Item", {{"ckid", {{"S", "b" + std::to_string(i)}}}, {"seq", {{"N", "1"}}}}}}}});
  }
  EXPECT_EQ(Ok("BatchWriteItem", {{"RequestItems", {{"residents", writes}}}})["UnprocessedItems"],
            json::object());
  json keys = json::array();
  for (int i = 0; i < 4; ++i)
    keys.push_back({{"ckid", {{"S", "b" + std::to_string(i)}}}, {"seq", {{"N", "1"}}}});
  json got = Ok("BatchGetItem", {{"RequestItems", {{"residents", {{"Keys", keys}}}}}});
  EXPECT_EQ(got["Responses"]["residents"].size(), 3u);
  writes.push_back(writes[0]);
  ExpectError("BatchWriteItem", {{"RequestItems", {{"residents", writes}}}}, "ValidationException",
              "Provided list of item keys contains duplicates");
  json too_many = json::array();
  for (int i = 0; i < 26; ++i) {
    too_many.push_back(
        {{"DeleteRequest",
          {{"Key", {{"ckid", {{"S", "x" + std::to_string(i)}}}, {"seq", {{"N", "1"}}}}}}}});
  }
  Reply reply = Call("BatchWriteItem", {{"RequestItems", {{"residents", too_many}}}});
  EXPECT_EQ(reply.type, "ValidationException");
}

TEST_F(DynamoDbServiceTest, Transactions) {
  CreateResidents();
  Put("ada", 1, "Oslo", 80);
  json ada = {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}};
  json cat = {{"ckid", {{"S", "cat"}}}, {"seq", {{"N", "1"}}}};
  Reply cancelled =
      Call("TransactWriteItems", {{"TransactItems",
                                   {{{"ConditionCheck",
                                      {{"TableName", "residents"},
                                       {"Key", ada},
                                       {"ConditionExpression", "attribute_not_exists(ckid)"}}}},
                                    {{"Put", {{"TableName", "residents"}, {"Item", cat}}}}}}});
  EXPECT_EQ(cancelled.type, "TransactionCanceledException");
  EXPECT_EQ(cancelled.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons "
            "[ConditionalCheckFailed, None]");
  EXPECT_EQ(
      cancelled.body["CancellationReasons"],
      json::parse(
          R"([{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"},{"Code":"None"}])"));
  json got = Ok("TransactGetItems",
                {{"TransactItems", {{{"Get", {{"TableName", "residents"}, {"Key", cat}}}}}}});
  EXPECT_EQ(got["Responses"][0], json::object());  // the Put was rolled back

  Ok("TransactWriteItems", {{"TransactItems",
                             {{{"Update",
                                {{"TableName", "residents"},
                                 {"Key", ada},
                                 {"UpdateExpression", "SET visits = :one"},
                                 {"ExpressionAttributeValues", {{":one", {{"N", "1"}}}}}}}},
                              {{"Put", {{"TableName", "residents"}, {"Item", cat}}}}}}});
  got = Ok("TransactGetItems", {{"TransactItems",
                                 {{{"Get", {{"TableName", "residents"}, {"Key", ada}}}},
                                  {{"Get", {{"TableName", "residents"}, {"Key", cat}}}}}}});
  EXPECT_EQ(got["Responses"][0]["Item"]["visits"]["N"], "1");
  EXPECT_EQ(got["Responses"][1]["Item"]["ckid"]["S"], "cat");
  ExpectError("TransactWriteItems",
              {{"TransactItems",
                {{{"Delete", {{"TableName", "residents"}, {"Key", ada}}}},
                 {{"Put", {{"TableName", "residents"}, {"Item", ada}}}}}}},
              "ValidationException",
              "Transaction request cannot include multiple operations on one item");
}

// Regression: a repeated ClientRequestToken applied the transaction's writes again.
TEST_F(DynamoDbServiceTest, ClientRequestTokenMakesTransactWriteIdempotent) {
  CreateResidents();
  json ada = {{"ckid", {{"S", "ada"}}}, {"seq", {{"N", "1"}}}};
  auto increment = [&](std::string token, std::string by) {
    return json{{"ClientRequestToken", token},
                {"TransactItems",
                 {{{"Update",
                    {{"TableName", "residents"},
                     {"Key", ada},
                     {"UpdateExpression", "ADD visits :by"},
                     {"ExpressionAttributeValues", {{":by", {{"N", by}}}}}}}}}}};
  };
  auto visits = [&] {
    json got = Ok("GetItem", {{"TableName", "residents"}, {"Key", ada}});
    return got["Item"]["visits"]["N"].get<std::string>();
  };
  Ok("TransactWriteItems", increment("tok-1", "1"));
  Ok("TransactWriteItems", increment("tok-1", "1"));
  EXPECT_EQ(visits(), "1");

  Reply mismatch = Call("TransactWriteItems", increment("tok-1", "5"));
  EXPECT_EQ(mismatch.status, 400);
  EXPECT_EQ(mismatch.body["__type"],
            "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException");
  EXPECT_EQ(mismatch.message,
            "DynamoDB rejected the request because you retried a request with a different payload "
            "but with an idempotent token that was already used.");
  EXPECT_EQ(visits(), "1");

  Ok("TransactWriteItems", increment("tok-2", "1"));  // another token is another transaction
  EXPECT_EQ(visits(), "2");

  // A cancelled transaction does not use up its token.
  json guarded = increment("tok-3", "1");
  guarded["TransactItems"][0]["Update"]["ConditionExpression"] = "visits = :by";
  EXPECT_EQ(Call("TransactWriteItems", guarded).type, "TransactionCanceledException");
  guarded["TransactItems"][0]["Update"]["ExpressionAttributeValues"][":by"]["N"] = "2";
  Ok("TransactWriteItems", guarded);
  EXPECT_EQ(visits(), "4");

  // The window is ten minutes after the first call.
  now_ += std::chrono::minutes(9);
  Ok("TransactWriteItems", increment("tok-1", "1"));
  EXPECT_EQ(visits(), "4");
  now_ += std::chrono::minutes(2);
  Ok("TransactWriteItems", increment("tok-1", "1"));
  EXPECT_EQ(visits(), "5");
}

TEST_F(DynamoDbServiceTest, UpdateTableBackfillsANewIndex) {
  CreateResidents();
  Put("ada", 1, "Oslo", 80);
  Put("bob", 1, "Oslo", 90);
  json updated = Ok("UpdateTable", json::parse(R"({"TableName":"residents",
      "AttributeDefinitions":[{"AttributeName":"mood","AttributeType":"S"}],
      "GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by_mood",
        "KeySchema":[{"AttributeName":"mood","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}},
        {"Delete":{"IndexName":"by_city"}}]})"));
  EXPECT_EQ(updated["TableDescription"]["GlobalSecondaryIndexes"].size(), 1u);
  EXPECT_EQ(updated["TableDescription"]["GlobalSecondaryIndexes"][0]["ItemCount"], 2);
  json moods = Ok("Query", {{"TableName", "residents"},
                            {"IndexName", "by_mood"},
                            {"KeyConditionExpression", "mood = :m"},
                            {"ExpressionAttributeValues", {{":m", {{"S", "happy"}}}}}});
  EXPECT_EQ(moods["Count"], 2);
  Open(false);  // the new schema persists
  EXPECT_EQ(Ok("DescribeTable", {{"TableName", "residents"}})["Table"]["ItemCount"], 2);
}

TEST_F(DynamoDbServiceTest, TagsPersistAndGoWithTheTable) {
  CreateResidents();
  const std::string arn = "arn:aws:dynamodb:us-east-1:000000000000:table/residents";
  Ok("TagResource",
     {{"ResourceArn", arn},
      {"Tags", {{{"Key", "env"}, {"Value", "test"}}, {{"Key", "b"}, {"Value", ""}}}}});
  Open(false);  // tags live in the catalog
  EXPECT_EQ(Ok("ListTagsOfResource", {{"ResourceArn", arn}})["Tags"],
            json::parse(R"([{"Key":"b","Value":""},{"Key":"env","Value":"test"}])"));
  // CreateTable too checks the Tags' types before its other members.
  EXPECT_EQ(Call("CreateTable", {{"TableName", "ab"}, {"Tags", "x"}}).type,
            "SerializationException");
  // Member types are checked before anything else, the ARN included.
  EXPECT_EQ(Call("TagResource", {{"Tags", "x"}}).type, "SerializationException");
  EXPECT_EQ(Call("TagResource", {{"ResourceArn", "bad"}, {"Tags", {{{"Key", 5}}}}}).type,
            "SerializationException");
  // Another region's ARN for the same name is another table.
  ExpectError("ListTagsOfResource",
              {{"ResourceArn", "arn:aws:dynamodb:eu-west-1:000000000000:table/residents"}},
              "ResourceNotFoundException",
              "Requested resource not found: ResourcArn: "
              "arn:aws:dynamodb:eu-west-1:000000000000:table/residents not found");
  // A failed TagResource changes nothing.
  json many = json::array();
  for (int i = 0; i < 49; ++i) many.push_back({{"Key", "k" + std::to_string(i)}, {"Value", "v"}});
  ExpectError("TagResource", {{"ResourceArn", arn}, {"Tags", many}}, "ValidationException",
              "Number of Tags exceed the current limit for the provided ResourceArn");
  EXPECT_EQ(Ok("ListTagsOfResource", {{"ResourceArn", arn}})["Tags"].size(), 2u);
  Ok("DeleteTable", {{"TableName", "residents"}});
  CreateResidents();
  EXPECT_EQ(Ok("ListTagsOfResource", {{"ResourceArn", arn}})["Tags"], json::array());
}

TEST_F(DynamoDbServiceTest, PointInTimeRecoverySettingPersists) {
  CreateResidents();
  ExpectError("DescribeContinuousBackups", {{"TableName", "nobody"}}, "TableNotFoundException",
              "Table not found: nobody");
  json enabled = Ok("UpdateContinuousBackups",
                    {{"TableName", "residents"},
                     {"PointInTimeRecoverySpecification",
                      {{"PointInTimeRecoveryEnabled", true}, {"RecoveryPeriodInDays", 7}}}});
  Open(false);  // kept in the catalog
  json described = Ok("DescribeContinuousBackups", {{"TableName", "residents"}});
  EXPECT_EQ(described, enabled);
  EXPECT_EQ(described["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
                     ["RecoveryPeriodInDays"],
            7);
  // Ten days on, the window reaches back the 7 days of the recovery period.
  now_ += std::chrono::hours(24 * 10);
  json later =
      Ok("DescribeContinuousBackups",
         {{"TableName",
           "residents"}})["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"];
  EXPECT_DOUBLE_EQ(later["LatestRestorableDateTime"].get<double>() -
                       later["EarliestRestorableDateTime"].get<double>(),
                   7 * 86400.0 - 300);
}

// Constraint errors come before the table lookup, as in DynamoDB.
TEST_F(DynamoDbServiceTest, TableSettingsAreCheckedBeforeTheTableIsLookedUp) {
  ExpectError("UpdateTable", {{"TableName", "missing"}, {"TableClass", "CHEAP"}},
              "ValidationException",
              "1 validation error detected: Value 'CHEAP' at 'tableClass' failed to satisfy "
              "constraint: Member must satisfy enum value set: [STANDARD, "
              "STANDARD_INFREQUENT_ACCESS]");
  Reply two = Call("UpdateTable",
                   {{"TableName", "missing"}, {"TableClass", "CHEAP"}, {"BillingMode", "NOPE"}});
  EXPECT_EQ(two.message.rfind("2 validation errors detected: ", 0), 0u) << two.message;
}

TEST_F(DynamoDbServiceTest, TimeToLiveDeletesExpiredItems) {
  CreateResidents();
  int64_t now = 1767225600;
  auto put = [&](const std::string& id, int64_t expires) {
    Ok("PutItem", {{"TableName", "residents"},
                   {"Item",
                    {{"ckid", {{"S", id}}},
                     {"seq", {{"N", "1"}}},
                     {"city", {{"S", "Oslo"}}},
                     {"age", {{"N", "1"}}},
                     {"expires", {{"N", std::to_string(expires)}}}}}});
  };
  put("old", now - 10);
  put("fresh", now + 1000);
  put("ancient", now - 6LL * 365 * 24 * 3600);  // more than five years ago: DynamoDB ignores it
  EXPECT_EQ(Ok("DescribeTimeToLive",
               {{"TableName", "residents"}})["TimeToLiveDescription"]["TimeToLiveStatus"],
            "DISABLED");
  EXPECT_EQ(service_->SweepExpiredItems(), 0u);
  Ok("UpdateTimeToLive",
     {{"TableName", "residents"},
      {"TimeToLiveSpecification", {{"Enabled", true}, {"AttributeName", "expires"}}}});
  EXPECT_EQ(Ok("DescribeTimeToLive",
               {{"TableName", "residents"}})["TimeToLiveDescription"]["AttributeName"],
            "expires");
  EXPECT_EQ(service_->SweepExpiredItems(), 1u);
  json left = Ok("Scan", {{"TableName", "residents"}});
  EXPECT_EQ(left["Count"], 2);
  json index = Ok("Query", {{"TableName", "residents"},
                            {"IndexName", "by_city"},
                            {"KeyConditionExpression", "city = :c"},
                            {"ExpressionAttributeValues", {{":c", {{"S", "Oslo"}}}}}});
  EXPECT_EQ(index["Count"], 2);  // the index row went with the item
  now_ += std::chrono::seconds(2000);
  EXPECT_EQ(service_->SweepExpiredItems(), 1u);

  // A bounded sweep deletes at most that many and leaves the rest for the next step.
  for (int i = 0; i < 5; ++i) put("batch-" + std::to_string(i), now);
  EXPECT_EQ(service_->SweepExpiredItems(2), 2u);
  EXPECT_EQ(Ok("Scan", {{"TableName", "residents"}})["Count"], 4);
  EXPECT_EQ(service_->SweepExpiredItems(2), 2u);
  EXPECT_EQ(service_->SweepExpiredItems(2), 1u);
  EXPECT_EQ(service_->SweepExpiredItems(2), 0u);
  EXPECT_EQ(Ok("Scan", {{"TableName", "residents"}})["Count"], 1);  // "ancient" stays
}

class DynamoDbAuthTest : public DynamoDbServiceTest {
 protected:
  void SetUp() override {
    DynamoDbServiceTest::SetUp();
    Open(true);
  }
  http::HttpRequest Signed(std::string access_key, std::string secret, WallTime at,
                           std::string_view operation = "ListTables") {
    http::HttpRequest request = Request(operation, "{}");
    sigv4::SignableRequest signable{"POST", "/", "", {}, request.body()};
    for (const auto& field : request) {
      signable.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    sigv4::Sign(signable, {access_key, secret, ""}, "us-east-1", "dynamodb", FormatAmzDate(at));
    for (const auto& [name, value] : signable.headers) request.set(name, value);
    return request;
  }
};

TEST_F(DynamoDbAuthTest, VerifiesSignatures) {
  Reply missing = Send(Request("ListTables", "{}"));
  EXPECT_EQ(missing.type, "MissingAuthenticationTokenException");
  EXPECT_EQ(missing.message, "Request is missing Authentication Token");

  EXPECT_EQ(Send(Signed("ck-local", "ck-local-secret", now_)).status, 200);

  Reply unknown = Send(Signed("someone", "ck-local-secret", now_));
  EXPECT_EQ(unknown.type, "UnrecognizedClientException");
  EXPECT_EQ(unknown.message, "The security token included in the request is invalid.");

  Reply bad = Send(Signed("ck-local", "wrong", now_));
  EXPECT_EQ(bad.type, "InvalidSignatureException");

  Reply expired = Send(Signed("ck-local", "ck-local-secret", now_ - std::chrono::minutes(20)));
  EXPECT_EQ(expired.type, "InvalidSignatureException");
  EXPECT_EQ(expired.message,
            "Signature expired: 20251231T234000Z is now earlier than 20251231T234500Z "
            "(20260101T000000Z - 15 min.)");

  http::HttpRequest tampered = Signed("ck-local", "ck-local-secret", now_);
  tampered.body() = R"({"Limit":1})";
  tampered.prepare_payload();
  EXPECT_EQ(Send(tampered).type, "InvalidSignatureException");
}

// Regression: the operation was looked up before the signature was checked, so a signed
// X-Amz-Target altered in transit answered UnknownOperationException.
TEST_F(DynamoDbAuthTest, AuthenticatesBeforeLookingAtTheOperation) {
  http::HttpRequest retargeted = Signed("ck-local", "ck-local-secret", now_);
  retargeted.set("X-Amz-Target", "DynamoDB_20120810.DescribeLimits");
  EXPECT_EQ(Send(retargeted).type, "InvalidSignatureException");

  EXPECT_EQ(Send(Request("Frobnicate", "{}")).type, "MissingAuthenticationTokenException");
  EXPECT_EQ(Send(Request("ListTables", "{not json")).type, "MissingAuthenticationTokenException");
  EXPECT_EQ(Send(Signed("ck-local", "ck-local-secret", now_, "Frobnicate")).type,
            "UnknownOperationException");

  http::HttpRequest get(http::Verb::get, "/", 11);
  EXPECT_EQ(service_->Handle(get).result_int(), 200u);  // the health line needs no signature
}

}  // namespace
}  // namespace ck::store::api
