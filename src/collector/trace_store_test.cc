#include "collector/trace_store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "collector/model/xray_document.h"
#include "collector/otlp/otlp_trace_decoder.h"

namespace ck::collector {
namespace {

class TraceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck-trace-store-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::unique_ptr<TraceStore> Open(uint64_t max_spans = 1'000'000, double retention = 3600) {
    TraceStoreOptions options;
    options.path = (directory_ / "traces.sqlite3").string();
    options.max_spans = max_spans;
    options.retention_seconds = retention;
    auto store = TraceStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::filesystem::path directory_;
};

std::string TraceId(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "1-5f84c7a1-%024x", n);
  return id;
}

std::string SpanId(int n) {
  char id[17];
  std::snprintf(id, sizeof id, "%016x", n);
  return id;
}

Span Segment(const std::string& trace, int id, double start, const std::string& name = "list-api") {
  Span span;
  span.trace_id = trace;
  span.id = SpanId(id);
  span.segment_id = span.id;
  span.name = name;
  span.service = name;
  span.start_time = start;
  span.end_time = start + 0.01;
  span.http_status = 200;
  return span;
}

TEST_F(TraceStoreTest, StoresAndReadsATraceInStartOrder) {
  auto store = Open();
  std::vector<Span> spans = {Segment(TraceId(1), 2, 1000.5, "list-api"),
                             Segment(TraceId(1), 1, 1000.0, "public-site"),
                             Segment(TraceId(2), 3, 1001.0)};
  spans[0].parent_id = SpanId(9);
  ASSERT_TRUE(store->Write(spans).ok());
  auto trace = store->GetTrace(TraceId(1));
  ASSERT_TRUE(trace.ok()) << trace.status().message();
  ASSERT_EQ(trace->size(), 2u);
  EXPECT_EQ((*trace)[0].name, "public-site");
  EXPECT_EQ((*trace)[1].parent_id, SpanId(9));
  EXPECT_EQ(store->GetTrace(TraceId(7)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->stats().spans_stored, 3u);
}

TEST_F(TraceStoreTest, DataSurvivesReopening) {
  {
    auto store = Open();
    std::vector<Span> spans = {Segment(TraceId(1), 1, 1000)};
    ASSERT_TRUE(store->Write(spans).ok());
  }
  auto store = Open();
  EXPECT_TRUE(store->GetTrace(TraceId(1)).ok());
  EXPECT_EQ(store->stats().spans_stored, 1u);
}

TEST_F(TraceStoreTest, CompleteSpansReplaceInProgressOnesNeverTheReverse) {
  auto store = Open();
  Span progress = Segment(TraceId(1), 1, 1000);
  progress.in_progress = true;
  progress.end_time = 0;
  std::vector<Span> first = {progress};
  ASSERT_TRUE(store->Write(first).ok());
  Span done = Segment(TraceId(1), 1, 1000);
  done.http_status = 503;
  std::vector<Span> second = {done};
  ASSERT_TRUE(store->Write(second).ok());
  std::vector<Span> late = {progress};
  ASSERT_TRUE(store->Write(late).ok());
  auto trace = store->GetTrace(TraceId(1));
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->size(), 1u);
  EXPECT_FALSE((*trace)[0].in_progress);
  EXPECT_EQ((*trace)[0].http_status, 503);
  EXPECT_EQ(store->stats().spans_stored, 1u);
  EXPECT_EQ(store->stats().spans_replaced, 1u);
}

TEST_F(TraceStoreTest, IndependentSubsegmentsTakeTheirParentsService) {
  auto store = Open();
  std::vector<Span> segment = {Segment(TraceId(1), 1, 1000, "register-api")};
  ASSERT_TRUE(store->Write(segment).ok());
  Span sub;
  sub.kind = SpanKind::kSubsegment;
  sub.trace_id = TraceId(1);
  sub.id = SpanId(2);
  sub.parent_id = SpanId(1);
  sub.name = "DynamoDB";
  sub.namespace_name = "aws";
  sub.start_time = 1000.001;
  sub.end_time = 1000.002;
  std::vector<Span> later = {sub};
  ASSERT_TRUE(store->Write(later).ok());
  EXPECT_EQ(later[0].service, "register-api");
  EXPECT_EQ(later[0].segment_id, SpanId(1));
}

TEST_F(TraceStoreTest, WindowsPageNewestFirst) {
  auto store = Open();
  std::vector<Span> spans;
  for (int i = 0; i < 10; ++i) spans.push_back(Segment(TraceId(i), i + 1, 1000 + i));
  ASSERT_TRUE(store->Write(spans).ok());
  auto page = store->TracesInWindow(1002, 1008, 3);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 3u);
  EXPECT_EQ((*page)[0].trace_id, TraceId(7));
  EXPECT_EQ((*page)[2].trace_id, TraceId(5));
  auto next = store->TracesInWindow(1002, 1008, 10, &page->back());
  ASSERT_TRUE(next.ok());
  ASSERT_EQ(next->size(), 3u);
  EXPECT_EQ((*next)[0].trace_id, TraceId(4));
  EXPECT_EQ((*next)[2].trace_id, TraceId(2));
}

TEST_F(TraceStoreTest, RetentionDeletesOldTracesAndKeepsTheSizeBound) {
  auto store = Open(/*max_spans=*/1000, /*retention=*/100);
  std::vector<Span> spans;
  for (int i = 0; i < 1500; ++i) spans.push_back(Segment(TraceId(i), i + 1, 10'000 + i));
  ASSERT_TRUE(store->Write(spans).ok());
  // Time: everything that started before 10'100 (now 10'200 - 100) goes; then size: the oldest
  // until at most 1000 spans remain (the newest 1000 are traces 500..1499).
  ASSERT_TRUE(store->EnforceRetention(10'200).ok());
  EXPECT_EQ(store->GetTrace(TraceId(50)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->GetTrace(TraceId(499)).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store->GetTrace(TraceId(500)).ok());
  EXPECT_TRUE(store->GetTrace(TraceId(1499)).ok());
  EXPECT_EQ(store->stats().spans_stored, 1000u);
  EXPECT_EQ(store->stats().traces_expired, 500u);
}

// An X-Ray document is stored as received (one row) and read back as its spans.
TraceWrite DocumentWrite(nlohmann::json document) {
  auto spans = DecodeSegmentJson(document);
  EXPECT_TRUE(spans.ok()) << spans.status().message();
  return TraceWrite{spans.ok() ? std::move(*spans) : std::vector<Span>{}, document.dump()};
}

nlohmann::json RegisterDocument(bool in_progress, int subsegments) {
  nlohmann::json document = {{"name", "register-api"},
                             {"id", SpanId(1)},
                             {"trace_id", TraceId(1)},
                             {"start_time", 1000.0},
                             {"subsegments", nlohmann::json::array()}};
  if (in_progress) {
    document["in_progress"] = true;
  } else {
    document["end_time"] = 1000.5;
  }
  for (int i = 0; i < subsegments; ++i) {
    document["subsegments"].push_back({{"name", "DynamoDB"},
                                       {"id", SpanId(10 + i)},
                                       {"namespace", "aws"},
                                       {"start_time", 1000.1},
                                       {"end_time", 1000.2}});
  }
  return document;
}

TEST_F(TraceStoreTest, DocumentsAreStoredWholeAndReplacedWhenComplete) {
  auto store = Open();
  std::vector<TraceWrite> first = {DocumentWrite(RegisterDocument(true, 1))};
  ASSERT_TRUE(store->Write(first).ok());
  EXPECT_EQ(store->stats().spans_stored, 2u);
  std::vector<TraceWrite> done = {DocumentWrite(RegisterDocument(false, 3))};
  ASSERT_TRUE(store->Write(done).ok());
  std::vector<TraceWrite> late = {DocumentWrite(RegisterDocument(true, 1))};
  ASSERT_TRUE(store->Write(late).ok());
  auto trace = store->GetTrace(TraceId(1));
  ASSERT_TRUE(trace.ok());
  ASSERT_EQ(trace->size(), 4u);
  EXPECT_FALSE((*trace)[0].in_progress);
  for (const Span& span : *trace) EXPECT_EQ(span.service, "register-api");
  EXPECT_EQ(store->stats().spans_stored, 4u);

  // An independent subsegment whose parent is nested inside the stored document.
  nlohmann::json independent = {{"type", "subsegment"},    {"name", "inner"},
                                {"id", SpanId(99)},        {"trace_id", TraceId(1)},
                                {"parent_id", SpanId(11)}, {"start_time", 1000.15},
                                {"end_time", 1000.16}};
  std::vector<TraceWrite> streamed = {DocumentWrite(independent)};
  ASSERT_TRUE(store->Write(streamed).ok());
  EXPECT_EQ(streamed[0].spans[0].service, "register-api");
  EXPECT_EQ(streamed[0].spans[0].segment_id, SpanId(1));
  EXPECT_EQ(store->GetTrace(TraceId(1))->size(), 5u);

  // Retention accounts for every span of a document row.
  ASSERT_TRUE(store->EnforceRetention(1'000'000).ok());
  EXPECT_EQ(store->stats().spans_stored, 0u);
}

// OTLP spans are stored one row per trace and request: the request's part for that trace.
TraceWrite OtlpWrite(bool finished, int64_t http_status) {
  otlp::OtlpTraceRequest request;
  otlp::OtlpResourceSpans& resource = request.resource_spans.emplace_back();
  resource.resource_attributes = {{"service.name", "list-api"}};
  otlp::OtlpScopeSpans& scope = resource.scope_spans.emplace_back();
  for (int i = 1; i <= 2; ++i) {
    otlp::OtlpSpan& span = scope.spans.emplace_back();
    span.trace_id = "5f84c7a1000000000000000000000001";
    span.span_id = SpanId(i);
    if (i == 2) span.parent_span_id = SpanId(1);
    span.name = i == 1 ? "GET /list" : "Query";
    span.kind = i == 1 ? otlp::kOtlpSpanKindServer : otlp::kOtlpSpanKindClient;
    span.start_time_unix_nano = 1000'000'000'000ull + i;
    span.end_time_unix_nano = finished ? 1000'500'000'000ull : 0;
    span.attributes = {{"http.response.status_code", http_status}};
  }
  std::vector<otlp::OtlpTraceGroup> groups =
      otlp::GroupOtlpSpansByTrace(request, otlp::MapOtlpTraceRequest(request, SpanDetail::kIndex));
  EXPECT_EQ(groups.size(), 1u);
  return TraceWrite{std::move(groups[0].spans), std::move(groups[0].protobuf),
                    DocumentFormat::kOtlpProtobuf};
}

TEST_F(TraceStoreTest, OtlpTraceGroupsAreOneRowReadBackInFull) {
  auto store = Open();
  std::vector<TraceWrite> first = {OtlpWrite(/*finished=*/false, 200)};
  ASSERT_TRUE(store->Write(first).ok());
  EXPECT_EQ(store->stats().spans_stored, 2u);
  std::vector<TraceWrite> done = {OtlpWrite(/*finished=*/true, 503)};
  ASSERT_TRUE(store->Write(done).ok());
  std::vector<TraceWrite> again = {OtlpWrite(/*finished=*/true, 200)};
  ASSERT_TRUE(store->Write(again).ok());  // a resent request: ignored
  EXPECT_EQ(store->stats().spans_stored, 2u);
  EXPECT_EQ(store->stats().spans_replaced, 1u);

  const std::string trace_id = "1-5f84c7a1-000000000000000000000001";
  auto trace = store->GetTrace(trace_id);
  ASSERT_TRUE(trace.ok()) << trace.status().message();
  ASSERT_EQ(trace->size(), 2u);
  EXPECT_EQ((*trace)[0].kind, SpanKind::kSegment);
  EXPECT_EQ((*trace)[0].source, SpanSource::kOtlp);
  EXPECT_FALSE((*trace)[0].in_progress);
  EXPECT_EQ((*trace)[0].http_status, 503);
  EXPECT_EQ((*trace)[0].metadata["otel.span"]["name"], "GET /list");
  EXPECT_EQ((*trace)[1].service, "list-api");
  EXPECT_EQ((*trace)[1].segment_id, SpanId(1));
  auto window = store->TracesInWindow(999, 1001, 10);
  ASSERT_TRUE(window.ok());
  ASSERT_EQ(window->size(), 1u);
  EXPECT_DOUBLE_EQ((*window)[0].end_time, 1000.5);

  ASSERT_TRUE(store->EnforceRetention(1'000'000).ok());
  EXPECT_EQ(store->stats().spans_stored, 0u);
}

TEST_F(TraceStoreTest, SettingsArePersistedByPrefix) {
  auto store = Open();
  ASSERT_TRUE(store->PutSetting("group/slow", "responsetime > 1").ok());
  ASSERT_TRUE(store->PutSetting("group/faults", "fault").ok());
  ASSERT_TRUE(store->PutSetting("other", "x").ok());
  auto groups = store->Settings("group/");
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].first, "group/faults");
  ASSERT_TRUE(store->DeleteSetting("group/faults").ok());
  EXPECT_EQ(store->Settings("group/")->size(), 1u);
}

}  // namespace
}  // namespace ck::collector
