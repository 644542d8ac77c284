#include "collector/model/xray_document.h"

#include <gtest/gtest.h>

namespace ck::collector {
namespace {

constexpr const char* kTrace = "1-5f84c7a1-0123456789abcdef01234567";

std::string Datagram(const nlohmann::json& document) {
  return std::string(kDaemonHeader) + "\n" + document.dump();
}

nlohmann::json RegisterSegment() {
  return {
      {"name", "register-api"},
      {"id", "1111111111111111"},
      {"trace_id", kTrace},
      {"parent_id", "aaaaaaaaaaaaaaaa"},
      {"start_time", 1700000000.0},
      {"end_time", 1700000000.25},
      {"origin", "AWS::ECS::Container"},
      {"fault", true},
      {"http",
       {{"request", {{"method", "POST"}, {"url", "http://register-api/"}}},
        {"response", {{"status", 502}}}}},
      {"annotations", {{"ckid", "ck7"}, {"attempt", 2}, {"cached", false}}},
      {"subsegments",
       {{{"name", "validate-api"},
         {"id", "2222222222222222"},
         {"namespace", "remote"},
         {"start_time", 1700000000.01},
         {"end_time", 1700000000.02},
         {"http",
          {{"request", {{"method", "POST"}, {"traced", true}}}, {"response", {{"status", 200}}}}}},
        {{"name", "DynamoDB"},
         {"id", "3333333333333333"},
         {"namespace", "aws"},
         {"start_time", 1700000000.03},
         {"end_time", 1700000000.2},
         {"fault", true},
         {"aws", {{"operation", "PutItem"}, {"table_name", "cuddlykube"}, {"region", "us-east-1"}}},
         {"cause",
          {{"exceptions",
            {{{"id", "4444444444444444"},
              {"type", "TLSHandshakeError"},
              {"message", "certificate verify failed"}}}}}}}}}};
}

TEST(XRayDocumentTest, FlattensASegmentWithSubsegments) {
  auto spans = DecodeDatagram(Datagram(RegisterSegment()));
  ASSERT_TRUE(spans.ok()) << spans.status().message();
  ASSERT_EQ(spans->size(), 3u);
  const Span& segment = (*spans)[0];
  EXPECT_EQ(segment.kind, SpanKind::kSegment);
  EXPECT_EQ(segment.service, "register-api");
  EXPECT_EQ(segment.segment_id, "1111111111111111");
  EXPECT_EQ(segment.parent_id, "aaaaaaaaaaaaaaaa");
  EXPECT_EQ(segment.http_status, 502);
  EXPECT_TRUE(segment.fault);
  EXPECT_EQ(std::get<std::string>(segment.annotations.at("ckid")), "ck7");
  EXPECT_EQ(std::get<int64_t>(segment.annotations.at("attempt")), 2);
  EXPECT_EQ(std::get<bool>(segment.annotations.at("cached")), false);

  const Span& remote = (*spans)[1];
  EXPECT_EQ(remote.kind, SpanKind::kSubsegment);
  EXPECT_EQ(remote.trace_id, kTrace);
  EXPECT_EQ(remote.parent_id, "1111111111111111");
  EXPECT_EQ(remote.service, "register-api");
  EXPECT_TRUE(remote.traced);

  const Span& dynamodb = (*spans)[2];
  EXPECT_EQ(dynamodb.namespace_name, "aws");
  EXPECT_EQ(dynamodb.aws_operation, "PutItem");
  EXPECT_EQ(dynamodb.aws_table_name, "cuddlykube");
  ASSERT_EQ(dynamodb.causes.size(), 1u);
  EXPECT_EQ(dynamodb.causes[0].type, "TLSHandshakeError");
  EXPECT_EQ(NodeTypeFor(dynamodb), "AWS::DynamoDB::Table");
}

TEST(XRayDocumentTest, NestedSubsegmentsAreParentedToTheirEnclosingSubsegment) {
  nlohmann::json document = RegisterSegment();
  document["subsegments"][0]["subsegments"] = {{{"name", "inner"},
                                                {"id", "5555555555555555"},
                                                {"start_time", 1700000000.011},
                                                {"end_time", 1700000000.012}}};
  auto spans = DecodeSegmentJson(document);
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 4u);
  EXPECT_EQ((*spans)[2].id, "5555555555555555");
  EXPECT_EQ((*spans)[2].parent_id, "2222222222222222");
  EXPECT_EQ((*spans)[2].segment_id, "1111111111111111");
}

TEST(XRayDocumentTest, IndependentSubsegmentNeedsAParent) {
  nlohmann::json document = {{"type", "subsegment"},
                             {"name", "DynamoDB"},
                             {"id", "3333333333333333"},
                             {"trace_id", kTrace},
                             {"parent_id", "1111111111111111"},
                             {"start_time", 1.0},
                             {"end_time", 2.0}};
  auto spans = DecodeSegmentJson(document);
  ASSERT_TRUE(spans.ok()) << spans.status().message();
  EXPECT_EQ((*spans)[0].kind, SpanKind::kSubsegment);
  EXPECT_EQ((*spans)[0].parent_id, "1111111111111111");
  EXPECT_TRUE((*spans)[0].service.empty());
  document.erase("parent_id");
  EXPECT_EQ(DecodeSegmentJson(document).status().code(), StatusCode::kInvalidArgument);
}

TEST(XRayDocumentTest, InProgressSegmentsNeedNoEndTime) {
  nlohmann::json document = RegisterSegment();
  document.erase("end_time");
  EXPECT_EQ(DecodeSegmentJson(document).status().code(), StatusCode::kInvalidArgument);
  document["in_progress"] = true;
  auto spans = DecodeSegmentJson(document);
  ASSERT_TRUE(spans.ok());
  EXPECT_TRUE((*spans)[0].in_progress);
  EXPECT_EQ((*spans)[0].end_time, 0);
}

TEST(XRayDocumentTest, RejectsWhatPutTraceSegmentsRejects) {
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> change;
  };
  std::vector<Case> cases = {
      {"missing name", [](auto& d) { d.erase("name"); }},
      {"short id", [](auto& d) { d["id"] = "123"; }},
      {"non-hex id", [](auto& d) { d["id"] = "ghijklmnopqrstuv"; }},
      {"bad trace id", [](auto& d) { d["trace_id"] = "1-xyz-0123"; }},
      {"string start", [](auto& d) { d["start_time"] = "now"; }},
      {"bad parent", [](auto& d) { d["parent_id"] = "zz"; }},
      {"subsegments not a list", [](auto& d) { d["subsegments"] = 3; }},
      {"bad subsegment id", [](auto& d) { d["subsegments"][0]["id"] = 7; }},
      {"not an object", [](auto& d) { d = nlohmann::json::array(); }},
  };
  for (const Case& c : cases) {
    nlohmann::json document = RegisterSegment();
    c.change(document);
    auto spans = DecodeSegmentJson(document);
    ASSERT_FALSE(spans.ok()) << c.what;
    EXPECT_EQ(spans.status().code(), StatusCode::kInvalidArgument) << c.what;
    EXPECT_FALSE(spans.status().message().empty()) << c.what;
  }
}

TEST(XRayDocumentTest, UpperCaseIdsAreNormalised) {
  nlohmann::json document = RegisterSegment();
  document["id"] = "ABCDEF0123456789";
  auto spans = DecodeSegmentJson(document);
  ASSERT_TRUE(spans.ok());
  EXPECT_EQ((*spans)[0].id, "abcdef0123456789");
  EXPECT_EQ((*spans)[1].parent_id, "abcdef0123456789");
}

TEST(XRayDocumentTest, ChecksTheDaemonHeader) {
  const std::string body = RegisterSegment().dump();
  EXPECT_TRUE(DecodeDatagram("{\"format\": \"json\", \"version\": 1}\n" + body).ok());
  EXPECT_FALSE(DecodeDatagram(body).ok());
  EXPECT_FALSE(DecodeDatagram("{\"format\":\"json\",\"version\":2}\n" + body).ok());
  EXPECT_FALSE(DecodeDatagram("{\"format\":\"xml\",\"version\":1}\n" + body).ok());
  // Found by fuzzing: a non-string format threw from the header check.
  EXPECT_FALSE(DecodeDatagram("{ \"format\" :1 }\r\n" + body).ok());
  EXPECT_FALSE(DecodeDatagram("[1]\n" + body).ok());
  EXPECT_FALSE(DecodeDatagram(std::string(kDaemonHeader) + "\n{not json").ok());
  EXPECT_FALSE(DecodeDatagram(std::string(kDaemonHeader) + "\n" + std::string(70000, ' ')).ok());
}

TEST(XRayDocumentTest, RejectsNestingBeyondTheLimit) {
  nlohmann::json document = RegisterSegment();
  nlohmann::json* cursor = &document;
  for (int depth = 0; depth < kMaxSubsegmentDepth + 2; ++depth) {
    char id[17];
    std::snprintf(id, sizeof id, "%016x", depth + 100);
    (*cursor)["subsegments"] = {
        {{"name", "n"}, {"id", id}, {"start_time", 1.0}, {"end_time", 2.0}}};
    cursor = &(*cursor)["subsegments"][0];
  }
  EXPECT_EQ(DecodeSegmentJson(document).status().code(), StatusCode::kInvalidArgument);
}

// Found by fuzzing: a repeated id made the reassembled tree contain spans twice.
TEST(XRayDocumentTest, RejectsAnIdUsedTwiceInOneDocument) {
  nlohmann::json document = RegisterSegment();
  document["subsegments"][1]["id"] = document["subsegments"][0]["id"];
  auto spans = DecodeSegmentJson(document);
  ASSERT_EQ(spans.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(spans.status().message().find("more than one"), std::string::npos);
}

TEST(XRayDocumentTest, AssemblyPlacesEachSpanOnceEvenWithCyclicParents) {
  auto spans = DecodeSegmentJson(RegisterSegment());
  ASSERT_TRUE(spans.ok());
  // Two subsegments of different documents that name each other as parent, and one that names
  // the segment: nothing may be duplicated or loop.
  Span a = (*spans)[1];
  Span b = (*spans)[2];
  a.id = "aaaaaaaaaaaaaaa1";
  a.parent_id = "aaaaaaaaaaaaaaa2";
  b.id = "aaaaaaaaaaaaaaa2";
  b.parent_id = "aaaaaaaaaaaaaaa1";
  spans->push_back(a);
  spans->push_back(b);
  size_t total = 0;
  std::function<void(const nlohmann::json&)> count = [&](const nlohmann::json& document) {
    ++total;
    for (const auto& child : document.value("subsegments", nlohmann::json::array())) count(child);
  };
  for (const auto& document : AssembleSegmentDocuments(*spans)) count(document);
  EXPECT_EQ(total, 3u);  // the segment and its two subsegments; the cycle has no root
}

TEST(XRayDocumentTest, StoredFormRoundTripsEveryField) {
  auto spans = DecodeSegmentJson(RegisterSegment());
  ASSERT_TRUE(spans.ok());
  for (const Span& span : *spans) {
    auto back = SpanFromStoredJson(StoredSpanJson(span));
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(StoredSpanJson(*back), StoredSpanJson(span));
    EXPECT_EQ(back->service, span.service);
    EXPECT_EQ(back->segment_id, span.segment_id);
    EXPECT_EQ(back->kind, span.kind);
  }
}

TEST(XRayDocumentTest, AssemblesDocumentsBackIntoSegments) {
  auto spans = DecodeSegmentJson(RegisterSegment());
  ASSERT_TRUE(spans.ok());
  auto documents = AssembleSegmentDocuments(*spans);
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0]["id"], "1111111111111111");
  EXPECT_EQ(documents[0]["trace_id"], kTrace);
  ASSERT_EQ(documents[0]["subsegments"].size(), 2u);
  EXPECT_EQ(documents[0]["subsegments"][1]["cause"]["exceptions"][0]["message"],
            "certificate verify failed");
  // Decoding the assembled document gives the same spans again.
  auto again = DecodeSegmentJson(documents[0]);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), spans->size());
}

TEST(XRayDocumentTest, IndexDetailLeavesOutOnlyTheJsonTrees) {
  nlohmann::json document = RegisterSegment();
  document["metadata"] = {{"debug", {{"attempts", 3}}}};
  const std::string text = document.dump();
  auto full = DecodeSegmentDocument(text, SpanDetail::kFull);
  auto index = DecodeSegmentDocument(text, SpanDetail::kIndex);
  ASSERT_TRUE(full.ok() && index.ok());
  ASSERT_EQ(full->size(), 3u);
  ASSERT_EQ(index->size(), 3u);
  EXPECT_EQ((*full)[0].metadata["debug"]["attempts"], 3);
  EXPECT_EQ((*full)[0].original["origin"], "AWS::ECS::Container");
  EXPECT_FALSE((*full)[0].original.contains("subsegments"));
  for (size_t i = 0; i < full->size(); ++i) {
    Span& expected = (*full)[i];
    EXPECT_TRUE((*index)[i].original.is_null());
    EXPECT_TRUE((*index)[i].metadata.empty());
    expected.original = nullptr;
    expected.metadata = nlohmann::json::object();
    EXPECT_EQ(StoredSpanJson((*index)[i]), StoredSpanJson(expected));
  }
}

// Inputs simdjson alone would reject are read as nlohmann::json reads them.
TEST(XRayDocumentTest, ReadsWhatAJsonObjectWouldHold) {
  const std::string repeated =
      R"({"name":"first","id":"1111111111111111","trace_id":"1-5f84c7a1-0123456789abcdef01234567",)"
      R"("start_time":1,"end_time":2,"name":"second","annotations":{"a":1,"a":{"x":1}}})";
  auto spans = DecodeSegmentDocument(repeated);
  ASSERT_TRUE(spans.ok()) << spans.status().message();
  EXPECT_EQ((*spans)[0].name, "second");
  EXPECT_TRUE((*spans)[0].annotations.empty());
  EXPECT_EQ((*spans)[0].original["name"], "second");

  const std::string big =
      R"({"name":"n","id":"1111111111111111","trace_id":"1-5f84c7a1-0123456789abcdef01234567",)"
      R"("start_time":1,"end_time":2,"annotations":{"big":123456789012345678901234567890}})";
  spans = DecodeSegmentDocument(big);
  ASSERT_TRUE(spans.ok()) << spans.status().message();
  EXPECT_DOUBLE_EQ(std::get<double>((*spans)[0].annotations.at("big")), 1.2345678901234568e29);

  spans = DecodeSegmentDocument("\xEF\xBB\xBF" + big);  // a UTF-8 byte-order mark
  ASSERT_TRUE(spans.ok()) << spans.status().message();
  EXPECT_EQ((*spans)[0].name, "n");

  EXPECT_FALSE(DecodeSegmentDocument(big + "x").ok());
  EXPECT_FALSE(DecodeSegmentDocument("{\"name\":\"\xff\"}").ok());
}

TEST(XRayDocumentTest, StoredTextReadsLikeStoredJson) {
  auto spans = DecodeSegmentJson(RegisterSegment());
  ASSERT_TRUE(spans.ok());
  auto back = SpanFromStoredText(StoredSpanJson((*spans)[2]).dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(StoredSpanJson(*back), StoredSpanJson((*spans)[2]));
  EXPECT_FALSE(SpanFromStoredText("{}").ok());
  EXPECT_FALSE(SpanFromStoredText("not json").ok());
}

}  // namespace
}  // namespace ck::collector
