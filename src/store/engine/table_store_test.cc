#include "store/engine/table_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/attribute_json.h"
#include "store/engine/key_codec.h"

namespace ck::store::engine {
namespace {

AttributeValue S(std::string text) { return AttributeValue::String(std::move(text)); }
AttributeValue N(std::string text) { return AttributeValue::Number(std::move(text)); }

class TableStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck_table_store_test_" + std::to_string(getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    auto storage = Storage::Open({(directory_ / "data.db").string(), Durability::kNormal});
    ASSERT_TRUE(storage.ok()) << storage.status().ToString();
    storage_ = std::move(*storage);
    store_ = std::make_unique<TableStore>(*storage_);

    schema_.table_id = 1;
    schema_.name = "residents";
    schema_.hash = {"ckid", AttributeType::kString};
    schema_.range = KeyAttribute{"seq", AttributeType::kNumber};
    IndexSchema by_city;
    by_city.index_id = 1;
    by_city.name = "by_city";
    by_city.hash = {"city", AttributeType::kString};
    by_city.range = KeyAttribute{"age", AttributeType::kNumber};
    by_city.projection = ProjectionType::kKeysOnly;
    schema_.indexes.push_back(by_city);
  }
  void TearDown() override {
    store_.reset();
    storage_.reset();
    std::filesystem::remove_all(directory_);
  }
  std::vector<Item> QueryIndex(std::string city) {
    QueryRange range;
    range.table_id = 1;
    range.index_id = 1;
    range.pk = city;
    range.hash32 = PartitionHash(range.pk);
    std::vector<Item> items;
    EXPECT_TRUE(storage_
                    ->Query(range,
                            [&](std::string_view text) {
                              items.push_back(*ItemFromStoredJson(text));
                              return true;
                            })
                    .ok());
    return items;
  }

  std::filesystem::path directory_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<TableStore> store_;
  TableSchema schema_;
};

TEST_F(TableStoreTest, KeyEncodingPreservesNumericOrder) {
  EXPECT_LT(EncodeKeyValue(N("-10")), EncodeKeyValue(N("-2")));
  EXPECT_LT(EncodeKeyValue(N("-2")), EncodeKeyValue(N("0")));
  EXPECT_LT(EncodeKeyValue(N("2")), EncodeKeyValue(N("10")));
  EXPECT_LT(EncodeKeyValue(S("a")), EncodeKeyValue(S("ab")));
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor("a\xff"), "b");
  EXPECT_EQ(PrefixSuccessor("\xff"), std::nullopt);
}

TEST_F(TableStoreTest, PutMaintainsSparseProjectedIndex) {
  Item item{
      {"ckid", S("a")}, {"seq", N("1")}, {"city", S("Oslo")}, {"age", N("80")}, {"name", S("Ada")}};
  ASSERT_TRUE(store_->PutItem(schema_, item, nullptr).ok());
  auto index_items = QueryIndex("Oslo");
  ASSERT_EQ(index_items.size(), 1u);
  EXPECT_EQ(index_items[0].count("name"), 0u);  // KEYS_ONLY
  EXPECT_EQ(index_items[0].at("age"), N("80"));

  // Moving the item to another city moves its index row.
  item["city"] = S("Bergen");
  ASSERT_TRUE(store_->PutItem(schema_, item, nullptr).ok());
  EXPECT_TRUE(QueryIndex("Oslo").empty());
  EXPECT_EQ(QueryIndex("Bergen").size(), 1u);

  // Removing an index key attribute removes the row (sparse index).
  item.erase("age");
  ASSERT_TRUE(store_->PutItem(schema_, item, nullptr).ok());
  EXPECT_TRUE(QueryIndex("Bergen").empty());

  auto stored = store_->GetItem(schema_, {{"ckid", S("a")}, {"seq", N("1")}});
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ(**stored, item);
}

TEST_F(TableStoreTest, DeleteRemovesIndexRows) {
  Item item{{"ckid", S("a")}, {"seq", N("1")}, {"city", S("Oslo")}, {"age", N("80")}};
  ASSERT_TRUE(store_->PutItem(schema_, item, nullptr).ok());
  ASSERT_TRUE(store_->DeleteItem(schema_, item).ok());
  EXPECT_TRUE(QueryIndex("Oslo").empty());
  EXPECT_FALSE(store_->GetItem(schema_, item)->has_value());
}

TEST_F(TableStoreTest, BackfillBuildsANewIndex) {
  TableSchema plain = schema_;
  plain.indexes.clear();
  for (int i = 0; i < 5; ++i) {
    Item item{
        {"ckid", S("k" + std::to_string(i))}, {"seq", N("1")}, {"age", N(std::to_string(70 + i))}};
    if (i % 2 == 0) item["city"] = S("Oslo");
    ASSERT_TRUE(store_->PutItem(plain, item, nullptr).ok());
  }
  ASSERT_TRUE(store_->BackfillIndex(schema_, schema_.indexes[0]).ok());
  auto rows = QueryIndex("Oslo");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].at("age"), N("70"));
  EXPECT_EQ(rows[2].at("age"), N("74"));
}

TEST_F(TableStoreTest, ExpiryFollowsTheTtlAttribute) {
  schema_.ttl_attribute = "expires";
  EXPECT_EQ(TableStore::ExpiryOf(schema_, {{"expires", N("1700000000.5")}}), 1700000000);
  EXPECT_EQ(TableStore::ExpiryOf(schema_, {{"expires", S("1700000000")}}), std::nullopt);
  EXPECT_EQ(TableStore::ExpiryOf(schema_, {{"expires", N("-1")}}), std::nullopt);

  TableSchema no_ttl = schema_;
  no_ttl.ttl_attribute.clear();
  Item item{{"ckid", S("a")}, {"seq", N("1")}, {"expires", N("100")}};
  ASSERT_TRUE(store_->PutItem(no_ttl, item, nullptr).ok());
  EXPECT_TRUE(storage_->ExpiredRows(1000, 0, 10)->empty());
  ASSERT_TRUE(store_->RefreshExpiry(schema_).ok());
  EXPECT_EQ(storage_->ExpiredRows(1000, 0, 10)->size(), 1u);
}

}  // namespace
}  // namespace ck::store::engine
