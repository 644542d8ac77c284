#include "aws/dynamodb_types.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ck::aws {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

TEST(DynamoDbTypesTest, MinimalRequestsSendOnlyWhatIsSet) {
  EXPECT_EQ(ToJson(GetItemRequest{.table = "t", .key = {{"id", Str("1")}}}),
            Json::parse(R"json({"TableName":"t","Key":{"id":{"S":"1"}}})json"));
  EXPECT_EQ(ToJson(PutItemRequest{.table = "t", .item = {{"id", Str("1")}}}),
            Json::parse(R"json({"TableName":"t","Item":{"id":{"S":"1"}}})json"));
  EXPECT_EQ(ToJson(ScanRequest{.table = "t"}), Json::parse(R"json({"TableName":"t"})json"));
}

TEST(DynamoDbTypesTest, UpdateItemWithExpressions) {
  UpdateItemRequest request{.table = "residents",
                            .key = {{"ckid", Str("ck1")}},
                            .update = "SET #h = #h + :one",
                            .condition = "attribute_exists(ckid)",
                            .names = {{"#h", "happiness"}},
                            .values = {{":one", Num(1)}},
                            .return_values = "ALL_NEW",
                            .extra = {{"ReturnConsumedCapacity", "TOTAL"}}};
  const Json expected1 = Json::parse(R"json({
    "TableName":"residents","Key":{"ckid":{"S":"ck1"}},
    "UpdateExpression":"SET #h = #h + :one","ConditionExpression":"attribute_exists(ckid)",
    "ExpressionAttributeNames":{"#h":"happiness"},
    "ExpressionAttributeValues":{":one":{"N":"1"}},
    "ReturnValues":"ALL_NEW","ReturnConsumedCapacity":"TOTAL"})json");
  EXPECT_EQ(ToJson(request), expected1);
}

TEST(DynamoDbTypesTest, QueryWithEveryOption) {
  QueryRequest request{.table = "t",
                       .index = "by_name",
                       .key_condition = "#n = :n",
                       .filter = "age > :a",
                       .projection = "id, #n",
                       .names = {{"#n", "name"}},
                       .values = {{":n", Str("x")}, {":a", Num(3)}},
                       .limit = 10,
                       .scan_index_forward = false,
                       .consistent_read = true,
                       .select = "SPECIFIC_ATTRIBUTES",
                       .exclusive_start_key = Item{{"id", Str("9")}}};
  const Json expected2 = Json::parse(R"json({
    "TableName":"t","IndexName":"by_name","KeyConditionExpression":"#n = :n",
    "FilterExpression":"age > :a","ProjectionExpression":"id, #n",
    "ExpressionAttributeNames":{"#n":"name"},
    "ExpressionAttributeValues":{":n":{"S":"x"},":a":{"N":"3"}},
    "Limit":10,"ScanIndexForward":false,"ConsistentRead":true,"Select":"SPECIFIC_ATTRIBUTES",
    "ExclusiveStartKey":{"id":{"S":"9"}}})json");
  EXPECT_EQ(ToJson(request), expected2);
}

TEST(DynamoDbTypesTest, ParallelScanSegments) {
  EXPECT_EQ(ToJson(ScanRequest{.table = "t", .segment = 1, .total_segments = 4}),
            Json::parse(R"json({"TableName":"t","Segment":1,"TotalSegments":4})json"));
}

TEST(DynamoDbTypesTest, BatchAndTransactionDocuments) {
  const Json expected3 = Json::parse(R"json({"RequestItems":{"t":[
              {"PutRequest":{"Item":{"id":{"S":"1"}}}},
              {"DeleteRequest":{"Key":{"id":{"S":"2"}}}}]}})json");
  EXPECT_EQ(BatchWriteToJson({{"t",
                               {WriteRequest::Put({{"id", Str("1")}}),
                                WriteRequest::Delete({{"id", Str("2")}})}}}),
            expected3);
  const Json expected4 = Json::parse(R"json({"RequestItems":{"t":{"Keys":[{"id":{"S":"1"}}],
              "ProjectionExpression":"#i","ExpressionAttributeNames":{"#i":"id"},
              "ConsistentRead":true}}})json");
  EXPECT_EQ(BatchGetToJson({{"t", KeysAndAttributes{.keys = {{{"id", Str("1")}}},
                                                    .projection = "#i",
                                                    .names = {{"#i", "id"}},
                                                    .consistent_read = true}}}),
            expected4);

  TransactWriteRequest transaction;
  transaction.items = {
      {.kind = TransactWriteItem::Kind::kPut,
       .table = "t",
       .item = {{"id", Str("1")}},
       .condition = "attribute_not_exists(id)"},
      {.kind = TransactWriteItem::Kind::kUpdate,
       .table = "t",
       .item = {{"id", Str("2")}},
       .update = "SET n = :n",
       .values = {{":n", Num(1)}}},
      {.kind = TransactWriteItem::Kind::kDelete, .table = "t", .item = {{"id", Str("3")}}},
      {.kind = TransactWriteItem::Kind::kConditionCheck,
       .table = "t",
       .item = {{"id", Str("4")}},
       .condition = "attribute_exists(id)",
       .return_values_on_condition_check_failure = "ALL_OLD"},
  };
  transaction.client_request_token = "token-1";
  const Json expected5 = Json::parse(R"json({"TransactItems":[
    {"Put":{"TableName":"t","Item":{"id":{"S":"1"}},"ConditionExpression":"attribute_not_exists(id)"}},
    {"Update":{"TableName":"t","Key":{"id":{"S":"2"}},"UpdateExpression":"SET n = :n",
               "ExpressionAttributeValues":{":n":{"N":"1"}}}},
    {"Delete":{"TableName":"t","Key":{"id":{"S":"3"}}}},
    {"ConditionCheck":{"TableName":"t","Key":{"id":{"S":"4"}},"ConditionExpression":"attribute_exists(id)",
                       "ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}],
    "ClientRequestToken":"token-1"})json");
  EXPECT_EQ(ToJson(transaction), expected5);

  const Json expected6 =
      Json::parse(R"json({"TransactItems":[{"Get":{"TableName":"t","Key":{"id":{"S":"1"}},
              "ProjectionExpression":"id"}}]})json");
  EXPECT_EQ(TransactGetToJson({{.table = "t", .key = {{"id", Str("1")}}, .projection = "id"}}),
            expected6);
}

TEST(DynamoDbTypesTest, CreateTableDocuments) {
  const Json expected7 = Json::parse(R"json({"TableName":"t",
              "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
              "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
              "BillingMode":"PAY_PER_REQUEST"})json");
  EXPECT_EQ(ToJson(CreateTableRequest{.table = "t", .hash_key = {"pk", "S"}}), expected7);
  CreateTableRequest provisioned{.table = "t",
                                 .hash_key = {"pk", "S"},
                                 .range_key = KeyAttribute{"sk", "N"},
                                 .other_attributes = {{"g", "B"}},
                                 .billing_mode = "PROVISIONED",
                                 .read_capacity = 2,
                                 .write_capacity = 3};
  provisioned.extra["GlobalSecondaryIndexes"] = Json::array();
  const Json expected8 = Json::parse(R"json({"TableName":"t",
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
      {"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"B"}],
    "BillingMode":"PROVISIONED",
    "ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":3},
    "GlobalSecondaryIndexes":[]})json");
  EXPECT_EQ(ToJson(provisioned), expected8);
}

TEST(DynamoDbTypesTest, ParsesResults) {
  auto item = ItemResultFromJson(Json::parse(R"json({"Item":{"id":{"S":"1"}}})json"), "Item");
  ASSERT_TRUE(item.ok());
  ASSERT_TRUE(item->has_value());
  EXPECT_EQ((**item).at("id"), Str("1"));
  auto none = ItemResultFromJson(Json::object(), "Item");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  auto page = PageFromJson(Json::parse(
      R"({"Items":[{"id":{"S":"1"}},{"id":{"S":"2"}}],"Count":2,"ScannedCount":5,
          "LastEvaluatedKey":{"id":{"S":"2"}}})"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->count, 2);
  EXPECT_EQ(page->scanned_count, 5);
  ASSERT_TRUE(page->last_evaluated_key);
  EXPECT_EQ(page->last_evaluated_key->at("id"), Str("2"));

  auto batch = BatchGetResultFromJson(Json::parse(
      R"({"Responses":{"t":[{"id":{"S":"1"}}]},
          "UnprocessedKeys":{"t":{"Keys":[{"id":{"S":"2"}}],"ConsistentRead":true}}})"));
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ(batch->items.at("t").size(), 1u);
  EXPECT_EQ(batch->unprocessed.at("t").keys.size(), 1u);
  EXPECT_TRUE(batch->unprocessed.at("t").consistent_read);

  auto unprocessed = UnprocessedItemsFromJson(Json::parse(
      R"({"UnprocessedItems":{"t":[{"PutRequest":{"Item":{"id":{"S":"1"}}}},
                                   {"DeleteRequest":{"Key":{"id":{"S":"2"}}}}]}})"));
  ASSERT_TRUE(unprocessed.ok());
  ASSERT_EQ(unprocessed->at("t").size(), 2u);
  EXPECT_TRUE(unprocessed->at("t")[0].put_item.has_value());
  EXPECT_TRUE(unprocessed->at("t")[1].delete_key.has_value());

  auto transact = TransactGetResultFromJson(
      Json::parse(R"json({"Responses":[{"Item":{"id":{"S":"1"}}},{}]})json"));
  ASSERT_TRUE(transact.ok());
  ASSERT_EQ(transact->size(), 2u);
  EXPECT_TRUE((*transact)[0].has_value());
  EXPECT_FALSE((*transact)[1].has_value());

  auto table = TableDescriptionFromJson(
      Json::parse(R"json({"Table":{"TableName":"t","TableStatus":"ACTIVE","ItemCount":3,
                               "TableArn":"arn:aws:dynamodb:us-east-1:1:table/t"}})json"),
      "Table");
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->name, "t");
  EXPECT_EQ(table->status, "ACTIVE");
  EXPECT_EQ(table->item_count, 3);
  EXPECT_EQ(table->arn, "arn:aws:dynamodb:us-east-1:1:table/t");

  auto tables = ListTablesPageFromJson(
      Json::parse(R"json({"TableNames":["a","b"],"LastEvaluatedTableName":"b"})json"));
  ASSERT_TRUE(tables.ok());
  EXPECT_EQ(tables->names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(tables->last_evaluated_table, "b");
}

TEST(DynamoDbTypesTest, MalformedResultsAreErrors) {
  auto page = PageFromJson(Json::parse(R"json({"Items":{}})json"));
  ASSERT_FALSE(page.ok());
  EXPECT_THAT(page.status().message(), HasSubstr("Items is not an array"));
  auto item = ItemResultFromJson(Json::parse(R"json({"Item":{"id":{"X":"1"}}})json"), "Item");
  ASSERT_FALSE(item.ok());
  EXPECT_THAT(item.status().message(), HasSubstr("Item.id"));
  auto table = TableDescriptionFromJson(Json::object(), "Table");
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), HasSubstr("Table is missing"));
  auto tables = ListTablesPageFromJson(Json::parse(R"json({"TableNames":[1]})json"));
  ASSERT_FALSE(tables.ok());
}

}  // namespace
}  // namespace ck::aws
