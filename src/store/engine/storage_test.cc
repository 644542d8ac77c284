#include "store/engine/storage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace ck::store::engine {
namespace {

class StorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck_storage_test_" + std::to_string(getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    Reopen();
  }
  void TearDown() override {
    storage_.reset();
    std::filesystem::remove_all(directory_);
  }
  void Reopen(Durability durability = Durability::kNormal) {
    storage_.reset();
    auto storage = Storage::Open({(directory_ / "data.db").string(), durability});
    ASSERT_TRUE(storage.ok()) << storage.status().ToString();
    storage_ = std::move(*storage);
  }
  static RowKey Key(uint32_t hash, std::string pk, std::string sk = "") {
    RowKey key;
    key.hash32 = hash;
    key.pk = std::move(pk);
    key.sk = std::move(sk);
    return key;
  }
  std::vector<std::string> QueryAll(const QueryRange& range) {
    std::vector<std::string> items;
    EXPECT_TRUE(storage_
                    ->Query(range,
                            [&](std::string_view item) {
                              items.emplace_back(item);
                              return true;
                            })
                    .ok());
    return items;
  }

  std::filesystem::path directory_;
  std::unique_ptr<Storage> storage_;
};

TEST_F(StorageTest, ASecondStorageOnTheSameFileIsRefusedWhileTheFirstIsOpen) {
  auto second = Storage::Open({(directory_ / "data.db").string(), Durability::kNormal});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("in use by another process"), std::string::npos)
      << second.status().message();
  EXPECT_FALSE(std::filesystem::exists(directory_ / "data.db-shm"));  // WAL index in memory
  storage_.reset();
  auto after_close = Storage::Open({(directory_ / "data.db").string(), Durability::kNormal});
  EXPECT_TRUE(after_close.ok()) << after_close.status().ToString();
}

TEST_F(StorageTest, CatalogPersistsAcrossReopen) {
  auto id = storage_->InsertTable("residents", R"({"a":1})");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(storage_->InsertTable("residents", "{}").status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(storage_->UpdateTableDescription(*id, R"({"a":2})").ok());
  Reopen(Durability::kFull);
  auto catalog = storage_->LoadCatalog();
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog->size(), 1u);
  EXPECT_EQ((*catalog)[0].name, "residents");
  EXPECT_EQ((*catalog)[0].description, R"({"a":2})");
  EXPECT_EQ((*catalog)[0].table_id, *id);
}

TEST_F(StorageTest, PutGetDeleteRows) {
  ASSERT_TRUE(storage_->PutRow(1, 0, Key(7, "a"), "item-a", 10, std::nullopt).ok());
  auto row = storage_->GetRow(1, 0, Key(7, "a"));
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ(**row, "item-a");
  EXPECT_FALSE(storage_->GetRow(2, 0, Key(7, "a"))->has_value());
  ASSERT_TRUE(storage_->PutRow(1, 0, Key(7, "a"), "item-a2", 10, std::nullopt).ok());
  EXPECT_EQ(**storage_->GetRow(1, 0, Key(7, "a")), "item-a2");
  ASSERT_TRUE(storage_->DeleteRow(1, 0, Key(7, "a")).ok());
  EXPECT_FALSE(storage_->GetRow(1, 0, Key(7, "a"))->has_value());
}

TEST_F(StorageTest, EmptyAndNonEmptySortKeysAreDistinct) {
  ASSERT_TRUE(storage_->PutRow(1, 0, Key(1, "p", ""), "empty", 1, std::nullopt).ok());
  ASSERT_TRUE(
      storage_->PutRow(1, 0, Key(1, "p", std::string("\0", 1)), "zero", 1, std::nullopt).ok());
  EXPECT_EQ(**storage_->GetRow(1, 0, Key(1, "p", "")), "empty");
  EXPECT_EQ(**storage_->GetRow(1, 0, Key(1, "p", std::string("\0", 1))), "zero");
}

TEST_F(StorageTest, QueryRangesAndDirections) {
  for (std::string sk : {"a", "b", "ba", "c", "d"}) {
    ASSERT_TRUE(storage_->PutRow(1, 0, Key(5, "p", sk), sk, 1, std::nullopt).ok());
  }
  ASSERT_TRUE(storage_->PutRow(1, 0, Key(5, "q", "a"), "other partition", 1, std::nullopt).ok());
  QueryRange range;
  range.table_id = 1;
  range.hash32 = 5;
  range.pk = "p";
  EXPECT_EQ(QueryAll(range), (std::vector<std::string>{"a", "b", "ba", "c", "d"}));
  range.lower = SortBound{"b", true};
  range.upper = SortBound{"c", false};
  EXPECT_EQ(QueryAll(range), (std::vector<std::string>{"b", "ba"}));
  range.forward = false;
  EXPECT_EQ(QueryAll(range), (std::vector<std::string>{"ba", "b"}));
  range.exclusive_start = Key(5, "p", "ba");
  EXPECT_EQ(QueryAll(range), (std::vector<std::string>{"b"}));
  range.forward = true;
  range.lower = SortBound{"b", false};
  range.upper.reset();
  range.exclusive_start = Key(5, "p", "c");
  EXPECT_EQ(QueryAll(range), (std::vector<std::string>{"d"}));
}

TEST_F(StorageTest, ScanSegmentsPartitionTheHashSpace) {
  for (uint32_t h : {1u, 100u, 0x80000000u, 0xffffffffu}) {
    ASSERT_TRUE(
        storage_->PutRow(1, 0, Key(h, "k" + std::to_string(h)), std::to_string(h), 1, std::nullopt)
            .ok());
  }
  std::vector<std::string> low, high, resumed;
  ScanRange range;
  range.table_id = 1;
  range.hash_high = 0x7fffffff;
  ASSERT_TRUE(storage_
                  ->Scan(range,
                         [&](std::string_view item) {
                           low.emplace_back(item);
                           return true;
                         })
                  .ok());
  range.hash_low = 0x80000000;
  range.hash_high = 0xffffffff;
  ASSERT_TRUE(storage_
                  ->Scan(range,
                         [&](std::string_view item) {
                           high.emplace_back(item);
                           return true;
                         })
                  .ok());
  EXPECT_EQ(low, (std::vector<std::string>{"1", "100"}));
  EXPECT_EQ(high, (std::vector<std::string>{"2147483648", "4294967295"}));
  range.hash_low = 0;
  range.exclusive_start = Key(100, "k100");
  ASSERT_TRUE(storage_
                  ->Scan(range,
                         [&](std::string_view item) {
                           resumed.emplace_back(item);
                           return false;  // stop after one
                         })
                  .ok());
  EXPECT_EQ(resumed, (std::vector<std::string>{"2147483648"}));
}

TEST_F(StorageTest, RollbackDiscardsAndCommitPersists) {
  ASSERT_TRUE(storage_->Begin().ok());
  EXPECT_EQ(storage_->Begin().code(), StatusCode::kInternal);
  ASSERT_TRUE(storage_->PutRow(1, 0, Key(1, "gone"), "x", 1, std::nullopt).ok());
  storage_->Rollback();
  EXPECT_FALSE(storage_->GetRow(1, 0, Key(1, "gone"))->has_value());
  ASSERT_TRUE(storage_->Begin().ok());
  ASSERT_TRUE(storage_->PutRow(1, 0, Key(1, "kept"), "x", 1, std::nullopt).ok());
  ASSERT_TRUE(storage_->Commit().ok());
  Reopen();
  EXPECT_TRUE(storage_->GetRow(1, 0, Key(1, "kept"))->has_value());
}

TEST_F(StorageTest, StatsExpiryAndTableDeletion) {
  auto id = storage_->InsertTable("t1", "{}");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(storage_->PutRow(*id, 0, Key(1, "a"), "x", 10, 100).ok());
  ASSERT_TRUE(storage_->PutRow(*id, 0, Key(2, "b"), "y", 20, 300).ok());
  ASSERT_TRUE(storage_->PutRow(*id, 1, Key(3, "i", ""), "z", 5, std::nullopt).ok());
  auto stats = storage_->Stats(*id, 0);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->item_count, 2);
  EXPECT_EQ(stats->size_bytes, 30);
  EXPECT_EQ(storage_->Stats(*id, 1)->item_count, 1);
  auto expired = storage_->ExpiredRows(200, 0, 10);
  ASSERT_TRUE(expired.ok());
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].key.pk, "a");
  ASSERT_TRUE(storage_->SetExpiry(*id, Key(1, "a"), std::nullopt).ok());
  EXPECT_TRUE(storage_->ExpiredRows(200, 0, 10)->empty());
  ASSERT_TRUE(storage_->DeleteIndexRows(*id, 1).ok());
  EXPECT_EQ(storage_->Stats(*id, 1)->item_count, 0);
  ASSERT_TRUE(storage_->DeleteTable(*id).ok());
  EXPECT_EQ(storage_->Stats(*id, 0)->item_count, 0);
  EXPECT_TRUE(storage_->LoadCatalog()->empty());
}

}  // namespace
}  // namespace ck::store::engine
