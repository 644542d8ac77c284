#include "telemetry/trace_context.h"

#include <gtest/gtest.h>

namespace ck::telemetry {
namespace {

constexpr char kRoot[] = "1-5759e988-bd862e3fe1be46a994272793";
constexpr char kParent[] = "53995c3f42cd8ad8";

TEST(AmznTraceIdTest, ParsesTheDocumentedExample) {
  auto context = ParseAmznTraceId(
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->trace_id, kRoot);
  EXPECT_EQ(context->parent_id, kParent);
  EXPECT_EQ(context->sampled, Sampled::kYes);
  EXPECT_TRUE(context->extra.empty());
}

TEST(AmznTraceIdTest, RoundTripsWithLineageAndUnknownKeysInOrder) {
  std::string header = std::string("Root=") + kRoot + ";Parent=" + kParent +
                       ";Sampled=0;Lineage=a87bd80c:1|68fd508a:5|c512fbe3:2;Foo=bar=baz";
  auto context = ParseAmznTraceId(header);
  ASSERT_TRUE(context);
  ASSERT_EQ(context->extra.size(), 2u);
  EXPECT_EQ(context->extra[0].first, "Lineage");
  EXPECT_EQ(context->extra[0].second, "a87bd80c:1|68fd508a:5|c512fbe3:2");
  EXPECT_EQ(context->extra[1].second, "bar=baz");
  EXPECT_EQ(FormatAmznTraceId(*context), header);
}

TEST(AmznTraceIdTest, RequestedSamplingRoundTrips) {
  auto context = ParseAmznTraceId(std::string("Root=") + kRoot + ";Sampled=?");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->sampled, Sampled::kRequested);
  EXPECT_EQ(FormatAmznTraceId(*context), std::string("Root=") + kRoot + ";Sampled=?");
  EXPECT_EQ(FormatAmznTraceIdEcho(*context, true), std::string("Root=") + kRoot + ";Sampled=1");
}

TEST(AmznTraceIdTest, SelfFromTheLoadBalancerIsKeptAndWrittenFirst) {
  auto context = ParseAmznTraceId(std::string(" Self=1-67891234-12456789abcdef012345678 ; Root=") +
                                  kRoot + " ;");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->self, "1-67891234-12456789abcdef012345678");
  EXPECT_EQ(context->sampled, Sampled::kUnset);
  EXPECT_EQ(FormatAmznTraceId(*context),
            std::string("Self=1-67891234-12456789abcdef012345678;Root=") + kRoot);
}

TEST(AmznTraceIdTest, KeysAreCaseInsensitiveAndHexIsNormalised) {
  auto context =
      ParseAmznTraceId("root=1-5759E988-BD862E3FE1BE46A994272793;parent=53995C3F42CD8AD8");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->trace_id, kRoot);
  EXPECT_EQ(context->parent_id, kParent);
}

TEST(AmznTraceIdTest, MalformedHeadersGiveNoContext) {
  for (std::string bad :
       {"", ";;;", "Root=", "Root=1-5759e988", "Root=2-5759e988-bd862e3fe1be46a994272793",
        "Root=1-5759e98g-bd862e3fe1be46a994272793", "Root=1-5759e988-bd862e3fe1be46a99427279",
        "Parent=53995c3f42cd8ad8;Sampled=1", "Root=1-5759e988-bd862e3fe1be46a994272793x",
        "garbage"}) {
    EXPECT_FALSE(ParseAmznTraceId(bad)) << bad;
  }
  EXPECT_FALSE(ParseAmznTraceId(std::string("Root=") + kRoot + ";" + std::string(9000, 'a')));
  std::string many = std::string("Root=") + kRoot;
  for (int i = 0; i < 40; ++i) many += ";K" + std::to_string(i) + "=v";
  EXPECT_FALSE(ParseAmznTraceId(many));
}

TEST(AmznTraceIdTest, BadPartsAreDroppedNotForwarded) {
  auto context = ParseAmznTraceId(std::string("Root=") + kRoot +
                                  ";Parent=0000000000000000;Sampled=yes;Evil=a\r\nX: y;Bad Key=v");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->parent_id, "");
  EXPECT_EQ(context->sampled, Sampled::kUnset);
  EXPECT_TRUE(context->extra.empty());
  EXPECT_EQ(FormatAmznTraceId(*context), std::string("Root=") + kRoot);
}

TEST(TraceparentTest, ParsesAndMapsToXRay) {
  auto context = ParseTraceparent("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
                                  "vendor=abc,other=1");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->trace_id, kRoot);
  EXPECT_EQ(context->parent_id, kParent);
  EXPECT_EQ(context->sampled, Sampled::kYes);
  EXPECT_EQ(context->tracestate, "vendor=abc,other=1");
  EXPECT_EQ(FormatTraceparent(*context), "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01");
  context->sampled = Sampled::kNo;
  EXPECT_EQ(FormatTraceparent(*context), "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00");
}

TEST(TraceparentTest, FutureVersionsUseTheFirstFourFields) {
  auto context =
      ParseTraceparent("cc-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-00-whatever");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->sampled, Sampled::kNo);
}

TEST(TraceparentTest, MalformedValuesGiveNoContext) {
  for (std::string bad : {
           "",
           "00",
           "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-0",
           "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01-extra",
           "ff-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
           "00-00000000000000000000000000000000-53995c3f42cd8ad8-01",
           "00-5759e988bd862e3fe1be46a994272793-0000000000000000-01",
           "00-5759E988BD862E3FE1BE46A994272793-53995c3f42cd8ad8-01",
           "00_5759e988bd862e3fe1be46a994272793_53995c3f42cd8ad8_01",
           "00-5759e988bd862e3fe1be46a99427279z-53995c3f42cd8ad8-01",
       }) {
    EXPECT_FALSE(ParseTraceparent(bad)) << bad;
  }
  auto context = ParseTraceparent("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
                                  "a=b\r\nX-Injected: 1");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->tracestate, "");
}

TEST(IdsTest, W3cMapping) {
  EXPECT_EQ(XRayToW3cTraceId(kRoot), "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(W3cToXRayTraceId("5759e988bd862e3fe1be46a994272793"), kRoot);
  EXPECT_FALSE(XRayToW3cTraceId("1-5759e988"));
  EXPECT_FALSE(W3cToXRayTraceId("00000000000000000000000000000000"));
}

TEST(IdsTest, NewIdsCarryTheEpochAndRandomBits) {
  SequenceRandom random({0x1122334455667788ULL, 0x99aabbccddeeff00ULL, 0});
  WallTime now = WallTime(std::chrono::seconds(0x5759e988));
  EXPECT_EQ(NewTraceId(now, random), "1-5759e988-5566778899aabbccddeeff00");
  EXPECT_EQ(NewSpanId(random), "0000000000000001");  // never all zero
  SystemRandom& system = SystemRandom::Instance();
  std::string id = NewTraceId(SystemClock::Instance().Now(), system);
  EXPECT_TRUE(IsValidXRayTraceId(id)) << id;
  EXPECT_NE(NewSpanId(system), NewSpanId(system));
}

TEST(HttpContextTest, AmznTraceIdWinsOverTraceparent) {
  http::HttpRequest request(http::Verb::get, "/", 11);
  request.set("X-Amzn-Trace-Id",
              std::string("Root=") + kRoot + ";Parent=" + kParent + ";Sampled=1");
  request.set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  request.set("tracestate", "congo=t61rcWkgMzE");
  auto context = ExtractTraceContext(request);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->trace_id, kRoot);
  EXPECT_EQ(context->tracestate, "");  // belongs to another trace

  request.set("X-Amzn-Trace-Id", "garbage");
  context = ExtractTraceContext(request);
  ASSERT_TRUE(context);
  EXPECT_EQ(context->trace_id, "1-0af76519-16cd43dd8448eb211c80319c");
  EXPECT_EQ(context->parent_id, "b7ad6b7169203331");
  EXPECT_EQ(context->tracestate, "congo=t61rcWkgMzE");

  request.erase("traceparent");
  EXPECT_FALSE(ExtractTraceContext(request));
}

TEST(HttpContextTest, InjectWritesBothHeaderFamilies) {
  TraceContext context;
  context.trace_id = kRoot;
  context.parent_id = kParent;
  context.sampled = Sampled::kYes;
  context.extra = {{"Lineage", "a87bd80c:1"}};
  context.tracestate = "congo=t61rcWkgMzE";
  http::HttpRequest request(http::Verb::get, "/", 11);
  request.set("traceparent", "stale");
  InjectTraceContext(request, context);
  EXPECT_EQ(http::HeaderValue(request, "x-amzn-trace-id"),
            std::string("Root=") + kRoot + ";Parent=" + kParent + ";Sampled=1;Lineage=a87bd80c:1");
  EXPECT_EQ(http::HeaderValue(request, "traceparent"),
            "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01");
  EXPECT_EQ(http::HeaderValue(request, "tracestate"), "congo=t61rcWkgMzE");
  auto back = ExtractTraceContext(request);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, context);
}

}  // namespace
}  // namespace ck::telemetry
