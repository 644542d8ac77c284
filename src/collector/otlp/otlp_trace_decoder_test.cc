#include "collector/otlp/otlp_trace_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "collector/otlp/otlp_trace_json.h"
#include "collector/otlp/otlp_trace_protobuf.h"

namespace ck::collector::otlp {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kTraceHex[] = "5759e988bd862e3fe1be46a994272793";
constexpr char kXRayTraceId[] = "1-5759e988-bd862e3fe1be46a994272793";
constexpr char kSiteServer[] = "a1a2a3a4a5a6a7a1";
constexpr char kSiteClient[] = "b1b2b3b4b5b6b7b1";
constexpr char kListServer[] = "c1c2c3c4c5c6c7c1";
constexpr char kListDynamo[] = "d1d2d3d4d5d6d7d1";
constexpr uint64_t kT0 = 1718000000ull * 1000000000ull;

// The request an OpenTelemetry JS SDK (@opentelemetry/otlp-transformer 0.203) sends for the
// scenario below, as its ProtobufTraceSerializer and JsonTraceSerializer wrote it.
constexpr char kPeerProtobufHex[] =
    "0a9d060a580a1a0a0c736572766963652e6e616d65120a0a086c6973742d6170690a1b0a0e636c6f75642e706c6174"
    "66"
    "6f726d12090a076177735f6563730a1b0a0c636c6f75642e726567696f6e120b0a0965752d776573742d31100012c0"
    "05"
    "0a040a02636b12e7030a105759e988bd862e3fe1be46a9942727931208d1d2d3d4d5d6d7d12208c1c2c3c4c5c6c7c1"
    "2a"
    "0e44796e616d6f44422e5175657279300339c0c64ccce58fd7174100095ccce58fd7174a170a0a7270632e73797374"
    "65"
    "6d12090a076177732d6170694a190a0b7270632e73657276696365120a0a0844796e616d6f44424a150a0a7270632e"
    "6d"
    "6574686f6412070a0551756572794a270a186177732e64796e616d6f64622e7461626c655f6e616d6573120b2a090a"
    "07"
    "0a056974656d734a1a0a0e6177732e726571756573745f696412080a065245513132334a170a0964622e7379737465"
    "6d"
    "120a0a0864796e616d6f64624a240a146177732e787261792e616e6e6f746174696f6e73120c2a0a0a080a0674656e"
    "61"
    "6e744a100a0674656e616e7412060a0461636d654a0d0a0772657472696573120218024a120a05726174696f120921"
    "00"
    "0000000000e03f4a0c0a066361636865641202100050005a7409e06754cce58fd7171209657863657074696f6e1a3a"
    "0a"
    "0e657863657074696f6e2e7479706512280a2650726f766973696f6e65645468726f75676870757445786365656465"
    "64"
    "457863657074696f6e1a200a11657863657074696f6e2e6d657373616765120b0a09736c6f7720646f776e20006000"
    "70"
    "007a0d12097468726f74746c6564180212cd010a105759e988bd862e3fe1be46a9942727931208c1c2c3c4c5c6c7c1"
    "22"
    "08b1b2b3b4b5b6b7b12a0a474554202f6974656d7330023980843dcce58fd71741404b6bcce58fd7174a140a0b6874"
    "74"
    "702e6d6574686f6412050a034745544a170a0b687474702e74617267657412080a062f6974656d734a1c0a09687474"
    "70"
    "2e686f7374120f0a0d6c6973742d6170693a383038304a170a10687474702e7374617475735f636f6465120318c801"
    "4a"
    "150a0b687474702e736368656d6512060a04687474705000600070007a0218000afe040a5b0a1d0a0c736572766963"
    "65"
    "2e6e616d65120d0a0b7075626c69632d736974650a1b0a0e636c6f75642e706c6174666f726d12090a076177735f65"
    "63"
    "730a1b0a0c636c6f75642e726567696f6e120b0a0965752d776573742d311000129e040a040a02636b12ed010a1057"
    "59"
    "e988bd862e3fe1be46a9942727931208b1b2b3b4b5b6b7b12208a1a2a3a4a5a6a7a12a0347455430033940422ecce5"
    "8f"
    "d71741808d7acce58fd7174a1c0a13687474702e726571756573742e6d6574686f6412050a034745544a280a087572"
    "6c"
    "2e66756c6c121c0a1a687474703a2f2f6c6973742d6170693a383038302f6974656d734a1c0a0e7365727665722e61"
    "64"
    "6472657373120a0a086c6973742d6170694a1a0a0c706565722e73657276696365120a0a086c6973742d6170694a20"
    "0a"
    "19687474702e726573706f6e73652e7374617475735f636f6465120318c8015000600070007a02180012a5020a1057"
    "59"
    "e988bd862e3fe1be46a9942727931208a1a2a3a4a5a6a7a12a09474554202f6c69737430023900001fcce58fd71741"
    "c0"
    "cf89cce58fd7174a1c0a13687474702e726571756573742e6d6574686f6412050a034745544a130a0875726c2e7061"
    "74"
    "6812070a052f6c6973744a140a0a75726c2e736368656d6512060a04687474704a1d0a0e7365727665722e61646472"
    "65"
    "7373120b0a096c6f63616c686f73744a120a0b7365727665722e706f7274120318903f4a200a19687474702e726573"
    "70"
    "6f6e73652e7374617475735f636f6465120318c8014a210a13757365725f6167656e742e6f726967696e616c120a0a"
    "08"
    "6375726c2f382e304a1d0a0e636c69656e742e61646472657373120b0a093132372e302e302e315000600070007a02"
    "18"
    "00";
constexpr char kPeerJson[] =
    R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":)"
    R"("list-api"}},{"key":"cloud.platform","value":{"stringValue":"aws_ecs"}},{"key":"cloud.regi)"
    R"(on","value":{"stringValue":"eu-west-1"}}],"droppedAttributesCount":0},"scopeSpans":[{"scop)"
    R"(e":{"name":"ck"},"spans":[{"traceId":"5759e988bd862e3fe1be46a994272793","spanId":"d1d2d3d4)"
    R"(d5d6d7d1","parentSpanId":"c1c2c3c4c5c6c7c1","name":"DynamoDB.Query","kind":3,"startTimeUni)"
    R"(xNano":"1718000000003000000","endTimeUnixNano":"1718000000004000000","attributes":[{"key":)"
    R"("rpc.system","value":{"stringValue":"aws-api"}},{"key":"rpc.service","value":{"stringValue)"
    R"(":"DynamoDB"}},{"key":"rpc.method","value":{"stringValue":"Query"}},{"key":"aws.dynamodb.t)"
    R"(able_names","value":{"arrayValue":{"values":[{"stringValue":"items"}]}}},{"key":"aws.reque)"
    R"(st_id","value":{"stringValue":"REQ123"}},{"key":"db.system","value":{"stringValue":"dynamo)"
    R"(db"}},{"key":"aws.xray.annotations","value":{"arrayValue":{"values":[{"stringValue":"tenan)"
    R"(t"}]}}},{"key":"tenant","value":{"stringValue":"acme"}},{"key":"retries","value":{"intValu)"
    R"(e":2}},{"key":"ratio","value":{"doubleValue":0.5}},{"key":"cached","value":{"boolValue":fa)"
    R"(lse}}],"droppedAttributesCount":0,"events":[{"attributes":[{"key":"exception.type","value")"
    R"(:{"stringValue":"ProvisionedThroughputExceededException"}},{"key":"exception.message","val)"
    R"(ue":{"stringValue":"slow down"}}],"name":"exception","timeUnixNano":"1718000000003500000",)"
    R"("droppedAttributesCount":0}],"droppedEventsCount":0,"status":{"code":2,"message":"throttle)"
    R"(d"},"links":[],"droppedLinksCount":0},{"traceId":"5759e988bd862e3fe1be46a994272793","spanI)"
    R"(d":"c1c2c3c4c5c6c7c1","parentSpanId":"b1b2b3b4b5b6b7b1","name":"GET /items","kind":2,"star)"
    R"(tTimeUnixNano":"1718000000002000000","endTimeUnixNano":"1718000000005000000","attributes":)"
    R"([{"key":"http.method","value":{"stringValue":"GET"}},{"key":"http.target","value":{"string)"
    R"(Value":"/items"}},{"key":"http.host","value":{"stringValue":"list-api:8080"}},{"key":"http)"
    R"(.status_code","value":{"intValue":200}},{"key":"http.scheme","value":{"stringValue":"http")"
    R"(}}],"droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"status":{"code":0},"lin)"
    R"(ks":[],"droppedLinksCount":0}]}]},{"resource":{"attributes":[{"key":"service.name","value")"
    R"(:{"stringValue":"public-site"}},{"key":"cloud.platform","value":{"stringValue":"aws_ecs"}})"
    R"(,{"key":"cloud.region","value":{"stringValue":"eu-west-1"}}],"droppedAttributesCount":0},")"
    R"(scopeSpans":[{"scope":{"name":"ck"},"spans":[{"traceId":"5759e988bd862e3fe1be46a994272793")"
    R"(,"spanId":"b1b2b3b4b5b6b7b1","parentSpanId":"a1a2a3a4a5a6a7a1","name":"GET","kind":3,"star)"
    R"(tTimeUnixNano":"1718000000001000000","endTimeUnixNano":"1718000000006000000","attributes":)"
    R"([{"key":"http.request.method","value":{"stringValue":"GET"}},{"key":"url.full","value":{"s)"
    R"(tringValue":"http://list-api:8080/items"}},{"key":"server.address","value":{"stringValue":)"
    R"("list-api"}},{"key":"peer.service","value":{"stringValue":"list-api"}},{"key":"http.respon)"
    R"(se.status_code","value":{"intValue":200}}],"droppedAttributesCount":0,"events":[],"dropped)"
    R"(EventsCount":0,"status":{"code":0},"links":[],"droppedLinksCount":0},{"traceId":"5759e988b)"
    R"(d862e3fe1be46a994272793","spanId":"a1a2a3a4a5a6a7a1","name":"GET /list","kind":2,"startTim)"
    R"(eUnixNano":"1718000000000000000","endTimeUnixNano":"1718000000007000000","attributes":[{"k)"
    R"(ey":"http.request.method","value":{"stringValue":"GET"}},{"key":"url.path","value":{"strin)"
    R"(gValue":"/list"}},{"key":"url.scheme","value":{"stringValue":"http"}},{"key":"server.addre)"
    R"(ss","value":{"stringValue":"localhost"}},{"key":"server.port","value":{"intValue":8080}},{)"
    R"("key":"http.response.status_code","value":{"intValue":200}},{"key":"user_agent.original",")"
    R"(value":{"stringValue":"curl/8.0"}},{"key":"client.address","value":{"stringValue":"127.0.0)"
    R"(.1"}}],"droppedAttributesCount":0,"events":[],"droppedEventsCount":0,"status":{"code":0},")"
    R"(links":[],"droppedLinksCount":0}]}]}]})";

std::string FromHex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

OtlpSpan MakeSpan(std::string span_id, std::string parent, std::string name, int kind,
                  uint64_t start_ms, uint64_t end_ms, OtlpAttributes attributes) {
  OtlpSpan span;
  span.trace_id = kTraceHex;
  span.span_id = std::move(span_id);
  span.parent_span_id = std::move(parent);
  span.name = std::move(name);
  span.kind = kind;
  span.start_time_unix_nano = kT0 + start_ms * 1000000;
  span.end_time_unix_nano = kT0 + end_ms * 1000000;
  span.attributes = std::move(attributes);
  return span;
}

OtlpResourceSpans MakeResource(std::string service, std::vector<OtlpSpan> spans) {
  OtlpResourceSpans resource;
  resource.resource_attributes = {{"service.name", std::move(service)},
                                  {"cloud.platform", "aws_ecs"},
                                  {"cloud.region", "eu-west-1"}};
  OtlpScopeSpans& scope = resource.scope_spans.emplace_back();
  scope.scope_name = "ck";
  scope.spans = std::move(spans);
  return resource;
}

// public-site SERVER -> CLIENT to list-api -> list-api SERVER -> CLIENT DynamoDB Query (throttled).
OtlpTraceRequest ScenarioRequest() {
  OtlpSpan root = MakeSpan(kSiteServer, "", "GET /list", kOtlpSpanKindServer, 0, 7,
                           {{"http.request.method", "GET"},
                            {"url.path", "/list"},
                            {"url.scheme", "http"},
                            {"server.address", "localhost"},
                            {"server.port", 8080},
                            {"http.response.status_code", 200},
                            {"user_agent.original", "curl/8.0"},
                            {"client.address", "127.0.0.1"}});
  OtlpSpan call = MakeSpan(kSiteClient, kSiteServer, "GET", kOtlpSpanKindClient, 1, 6,
                           {{"http.request.method", "GET"},
                            {"url.full", "http://list-api:8080/items"},
                            {"server.address", "list-api"},
                            {"peer.service", "list-api"},
                            {"http.response.status_code", 200}});
  OtlpSpan server = MakeSpan(kListServer, kSiteClient, "GET /items", kOtlpSpanKindServer, 2, 5,
                             {{"http.method", "GET"},
                              {"http.target", "/items"},
                              {"http.host", "list-api:8080"},
                              {"http.status_code", 200},
                              {"http.scheme", "http"}});
  OtlpSpan dynamo = MakeSpan(kListDynamo, kListServer, "DynamoDB.Query", kOtlpSpanKindClient, 3, 4,
                             {{"rpc.system", "aws-api"},
                              {"rpc.service", "DynamoDB"},
                              {"rpc.method", "Query"},
                              {"aws.dynamodb.table_names", json::array({"items"})},
                              {"aws.request_id", "REQ123"},
                              {"db.system", "dynamodb"},
                              {"aws.xray.annotations", json::array({"tenant"})},
                              {"tenant", "acme"},
                              {"retries", 2},
                              {"ratio", 0.5},
                              {"cached", false}});
  OtlpEvent& exception = dynamo.events.emplace_back();
  exception.name = "exception";
  exception.time_unix_nano = kT0 + 3500000;
  exception.attributes = {{"exception.type", "ProvisionedThroughputExceededException"},
                          {"exception.message", "slow down"}};
  dynamo.status_code = kOtlpStatusError;
  dynamo.status_message = "throttled";
  OtlpTraceRequest request;
  request.resource_spans.push_back(MakeResource("list-api", {dynamo, server}));
  request.resource_spans.push_back(MakeResource("public-site", {call, root}));
  return request;
}

std::map<std::string, Span> ById(const std::vector<Span>& spans) {
  std::map<std::string, Span> out;
  for (const Span& span : spans) out[span.id] = span;
  return out;
}

void ExpectScenario(const OtlpDecodeResult& result) {
  EXPECT_EQ(result.rejected_spans, 0);
  EXPECT_EQ(result.error_message, "");
  ASSERT_EQ(result.spans.size(), 4u);
  auto spans = ById(result.spans);
  for (const auto& [id, span] : spans) {
    EXPECT_EQ(span.trace_id, kXRayTraceId);
    EXPECT_EQ(span.source, SpanSource::kOtlp);
    EXPECT_FALSE(span.in_progress);
  }

  const Span& root = spans.at(kSiteServer);
  EXPECT_EQ(root.kind, SpanKind::kSegment);
  EXPECT_TRUE(root.IsRoot());
  EXPECT_EQ(root.name, "public-site");
  EXPECT_EQ(root.service, "public-site");
  EXPECT_EQ(root.segment_id, kSiteServer);
  EXPECT_EQ(root.origin, "AWS::ECS::Container");
  EXPECT_EQ(root.http_method, "GET");
  EXPECT_EQ(root.http_url, "http://localhost:8080/list");
  EXPECT_EQ(root.http_status, 200);
  EXPECT_EQ(root.user_agent, "curl/8.0");
  EXPECT_EQ(root.client_ip, "127.0.0.1");
  EXPECT_DOUBLE_EQ(root.start_time, 1718000000.0);
  EXPECT_DOUBLE_EQ(root.end_time, 1718000000.007);
  EXPECT_FALSE(root.error || root.fault || root.throttle);
  EXPECT_EQ(root.metadata["otel.span"]["name"], "GET /list");
  EXPECT_EQ(root.metadata["otel.span"]["kind"], "SERVER");

  const Span& call = spans.at(kSiteClient);
  EXPECT_EQ(call.kind, SpanKind::kSubsegment);
  EXPECT_EQ(call.namespace_name, "remote");
  EXPECT_EQ(call.name, "list-api");
  EXPECT_EQ(call.service, "public-site");
  EXPECT_EQ(call.parent_id, kSiteServer);
  EXPECT_EQ(call.segment_id, kSiteServer);
  EXPECT_EQ(call.http_url, "http://list-api:8080/items");
  EXPECT_TRUE(call.traced) << "list-api's SERVER span is in the request";
  EXPECT_EQ(call.user_agent, "") << "user agent and client ip belong to segments";

  const Span& server = spans.at(kListServer);
  EXPECT_EQ(server.kind, SpanKind::kSegment);
  EXPECT_EQ(server.name, "list-api");
  EXPECT_EQ(server.parent_id, kSiteClient);
  EXPECT_EQ(server.segment_id, kListServer);
  EXPECT_EQ(server.http_method, "GET");
  EXPECT_EQ(server.http_url, "http://list-api:8080/items");
  EXPECT_EQ(server.http_status, 200);

  const Span& dynamo = spans.at(kListDynamo);
  EXPECT_EQ(dynamo.kind, SpanKind::kSubsegment);
  EXPECT_EQ(dynamo.namespace_name, "aws");
  EXPECT_EQ(dynamo.name, "DynamoDB");
  EXPECT_EQ(NodeTypeFor(dynamo), "AWS::DynamoDB::Table");
  EXPECT_EQ(dynamo.service, "list-api");
  EXPECT_EQ(dynamo.segment_id, kListServer);
  EXPECT_EQ(dynamo.aws_operation, "Query");
  EXPECT_EQ(dynamo.aws_table_name, "items");
  EXPECT_EQ(dynamo.aws_region, "eu-west-1");
  EXPECT_EQ(dynamo.aws_request_id, "REQ123");
  EXPECT_TRUE(dynamo.fault) << "status ERROR without a 4xx";
  EXPECT_FALSE(dynamo.error);
  ASSERT_EQ(dynamo.causes.size(), 1u);
  EXPECT_EQ(dynamo.causes[0].type, "ProvisionedThroughputExceededException");
  EXPECT_EQ(dynamo.causes[0].message, "slow down");
  EXPECT_TRUE(dynamo.causes[0].remote);
  ASSERT_EQ(dynamo.annotations.count("tenant"), 1u);
  EXPECT_EQ(std::get<std::string>(dynamo.annotations.at("tenant")), "acme");
  const json& otel = dynamo.metadata["otel"];
  EXPECT_EQ(otel["retries"], 2);
  EXPECT_EQ(otel["ratio"], 0.5);
  EXPECT_EQ(otel["cached"], false);
  EXPECT_EQ(otel["aws.dynamodb.table_names"], json::array({"items"}));
  EXPECT_FALSE(otel.contains("tenant")) << "annotated attributes are not repeated in metadata";
  EXPECT_FALSE(otel.contains("aws.xray.annotations"));
  EXPECT_FALSE(dynamo.metadata.contains("otel.resource")) << "kept once, on the segment";
  EXPECT_EQ(dynamo.metadata["otel.span"]["status_code"], "ERROR");
  EXPECT_EQ(dynamo.metadata["otel.span"]["status_message"], "throttled");
  EXPECT_EQ(dynamo.metadata["otel.span"]["scope"], "ck");
}

TEST(OtlpTraceDecoderTest, DecodesTheScenarioAsProtobuf) {
  auto decoded = DecodeOtlpTraceProtobuf(EncodeOtlpTraceProtobuf(ScenarioRequest()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ExpectScenario(*decoded);
}

TEST(OtlpTraceDecoderTest, DecodesTheScenarioAsJson) {
  auto decoded = DecodeOtlpTraceJson(EncodeOtlpTraceJson(ScenarioRequest()));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ExpectScenario(*decoded);
}

TEST(OtlpTraceDecoderTest, DecodesWhatTheOpenTelemetryJsExporterSendsAsProtobuf) {
  auto decoded = DecodeOtlpTraceProtobuf(FromHex(kPeerProtobufHex));
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ExpectScenario(*decoded);
}

TEST(OtlpTraceDecoderTest, DecodesWhatTheOpenTelemetryJsExporterSendsAsJson) {
  auto decoded = DecodeOtlpTraceJson(kPeerJson);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ExpectScenario(*decoded);
}

TEST(OtlpTraceDecoderTest, BothEncodingsOfTheSameRequestDecodeToTheSameModel) {
  auto from_protobuf = ParseOtlpTraceProtobuf(FromHex(kPeerProtobufHex));
  auto from_json = ParseOtlpTraceJson(kPeerJson);
  ASSERT_TRUE(from_protobuf.ok() && from_json.ok());
  EXPECT_EQ(EncodeOtlpTraceJson(*from_protobuf), EncodeOtlpTraceJson(*from_json));
}

TEST(OtlpTraceDecoderTest, MapsW3cTraceIdsToXRayForm) {
  EXPECT_EQ(OtlpTraceIdToXRay("5759E988BD862E3FE1BE46A994272793"), kXRayTraceId);
  EXPECT_EQ(OtlpTraceIdToXRay("00000000000000000000000000000000"), "");
  EXPECT_EQ(OtlpTraceIdToXRay("5759e988bd862e3fe1be46a99427279"), "");
  EXPECT_EQ(OtlpTraceIdToXRay("5759e988bd862e3fe1be46a99427279g"), "");

  // Upper-case hex in OTLP/JSON ids is accepted and normalised.
  std::string text = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{
      "traceId":"5759E988BD862E3FE1BE46A994272793","spanId":"53995C3F42CD8AD8",
      "parentSpanId":"0000000000000000","name":"job","kind":1}]}]}]})";
  auto decoded = DecodeOtlpTraceJson(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  ASSERT_EQ(decoded->spans.size(), 1u);
  const Span& span = decoded->spans[0];
  EXPECT_EQ(span.trace_id, kXRayTraceId);
  EXPECT_EQ(span.id, "53995c3f42cd8ad8");
  EXPECT_EQ(span.parent_id, "") << "an all-zero parent means no parent";
  EXPECT_EQ(span.service, "unknown_service");
  EXPECT_EQ(span.namespace_name, "");
  EXPECT_EQ(span.name, "job");
  EXPECT_EQ(span.segment_id, "");
}

TEST(OtlpTraceDecoderTest, BadIdsRejectOnlyTheirSpan) {
  OtlpTraceRequest request = ScenarioRequest();
  std::vector<OtlpSpan>& spans = request.resource_spans[1].scope_spans[0].spans;
  OtlpSpan short_id = spans[0];
  short_id.span_id = "b1b2b3";
  OtlpSpan zero_trace = spans[0];
  zero_trace.trace_id = std::string(32, '0');
  OtlpSpan bad_parent = spans[0];
  bad_parent.span_id = "e1e2e3e4e5e6e7e1";
  bad_parent.parent_span_id = "a1a2";
  spans.push_back(short_id);
  spans.push_back(zero_trace);
  spans.push_back(bad_parent);
  for (bool use_json : {false, true}) {
    SCOPED_TRACE(use_json ? "json" : "protobuf");
    auto decoded = use_json ? DecodeOtlpTraceJson(EncodeOtlpTraceJson(request))
                            : DecodeOtlpTraceProtobuf(EncodeOtlpTraceProtobuf(request));
    ASSERT_TRUE(decoded.ok()) << decoded.status().message();
    EXPECT_EQ(decoded->rejected_spans, 3);
    EXPECT_EQ(decoded->spans.size(), 4u);
    EXPECT_THAT(decoded->error_message,
                HasSubstr("resourceSpans[1].scopeSpans[0].spans[2]: spanId must be 16 hex digits"));
    EXPECT_THAT(decoded->error_message, HasSubstr("b1b2b3"));
  }
  // Ids that are not hex at all (only JSON can say that).
  auto decoded = DecodeOtlpTraceJson(R"({"resourceSpans":[{"scopeSpans":[{"spans":[
      {"traceId":"zz59e988bd862e3fe1be46a994272793","spanId":"53995c3f42cd8ad8"},
      {"spanId":"53995c3f42cd8ad8"}]}]}]})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_EQ(decoded->rejected_spans, 2);
  EXPECT_THAT(decoded->error_message, HasSubstr("traceId must be 32 hex digits"));
}

OtlpDecodeResult DecodeOne(OtlpSpan span, OtlpAttributes resource_attributes = {}) {
  OtlpTraceRequest request;
  OtlpResourceSpans& resource = request.resource_spans.emplace_back();
  resource.resource_attributes = std::move(resource_attributes);
  resource.scope_spans.emplace_back().spans.push_back(std::move(span));
  auto decoded = DecodeOtlpTraceProtobuf(EncodeOtlpTraceProtobuf(request));
  EXPECT_TRUE(decoded.ok()) << decoded.status().message();
  return decoded.ok() ? *decoded : OtlpDecodeResult{};
}

Span DecodeOneSpan(OtlpSpan span, OtlpAttributes resource_attributes = {}) {
  OtlpDecodeResult result = DecodeOne(std::move(span), std::move(resource_attributes));
  EXPECT_EQ(result.spans.size(), 1u);
  return result.spans.empty() ? Span{} : result.spans[0];
}

TEST(OtlpTraceDecoderTest, HttpStatusAndSpanStatusSetTheFlags) {
  struct Case {
    int http_status;
    int otlp_status;
    bool error, throttle, fault;
  };
  for (const Case& c : {Case{200, kOtlpStatusUnset, false, false, false},
                        Case{404, kOtlpStatusUnset, true, false, false},
                        Case{404, kOtlpStatusError, true, false, false},
                        Case{429, kOtlpStatusUnset, true, true, false},
                        Case{503, kOtlpStatusUnset, false, false, true},
                        Case{200, kOtlpStatusError, false, false, true},
                        Case{0, kOtlpStatusError, false, false, true}}) {
    SCOPED_TRACE(testing::Message() << c.http_status << "/" << c.otlp_status);
    OtlpAttributes attributes;
    if (c.http_status != 0) attributes.emplace_back("http.status_code", c.http_status);
    OtlpSpan otlp = MakeSpan(kSiteServer, "", "GET /", kOtlpSpanKindServer, 0, 1, attributes);
    otlp.status_code = c.otlp_status;
    Span span = DecodeOneSpan(otlp);
    EXPECT_EQ(span.http_status, c.http_status);
    EXPECT_EQ(span.error, c.error);
    EXPECT_EQ(span.throttle, c.throttle);
    EXPECT_EQ(span.fault, c.fault);
  }
}

TEST(OtlpTraceDecoderTest, StatusCodesMayArriveAsStrings) {
  Span span = DecodeOneSpan(MakeSpan(kSiteServer, "", "GET /", kOtlpSpanKindServer, 0, 1,
                                     {{"http.response.status_code", "502"}}));
  EXPECT_EQ(span.http_status, 502);
  EXPECT_TRUE(span.fault);
}

TEST(OtlpTraceDecoderTest, RemoteNamesFallBackThroughPeerHostAndSpanName) {
  struct Case {
    OtlpAttributes attributes;
    std::string name;
  };
  for (const Case& c : {Case{{{"peer.service", "orders"}, {"server.address", "x"}}, "orders"},
                        Case{{{"server.address", "feed-api"}}, "feed-api"},
                        Case{{{"net.peer.name", "validate-api"}}, "validate-api"},
                        Case{{{"http.host", "register-api:8443"}}, "register-api"},
                        Case{{{"http.url", "https://happiness-api:9000/x?y"}}, "happiness-api"},
                        Case{{}, "publish"}}) {
    OtlpSpan otlp =
        MakeSpan(kSiteClient, kSiteServer, "publish", kOtlpSpanKindProducer, 0, 1, c.attributes);
    Span span = DecodeOneSpan(otlp);
    EXPECT_EQ(span.namespace_name, "remote");
    EXPECT_EQ(span.name, c.name);
    EXPECT_EQ(span.segment_id, kSiteServer) << "the parent, which is not in the request";
    EXPECT_FALSE(span.traced);
  }
}

TEST(OtlpTraceDecoderTest, OldSemanticConventionsFillHttpFields) {
  Span span = DecodeOneSpan(MakeSpan(kSiteServer, "", "POST", kOtlpSpanKindServer, 0, 1,
                                     {{"http.method", "POST"},
                                      {"http.url", "http://public-site/register"},
                                      {"http.status_code", 201},
                                      {"http.user_agent", "Mozilla/5.0"},
                                      {"net.peer.ip", "10.1.2.3"}}));
  EXPECT_EQ(span.http_method, "POST");
  EXPECT_EQ(span.http_url, "http://public-site/register");
  EXPECT_EQ(span.http_status, 201);
  EXPECT_EQ(span.user_agent, "Mozilla/5.0");
  EXPECT_EQ(span.client_ip, "10.1.2.3");
}

TEST(OtlpTraceDecoderTest, DynamoDbByDbSystemAloneIsAnAwsSubsegment) {
  Span span = DecodeOneSpan(MakeSpan(kListDynamo, kListServer, "PutItem", kOtlpSpanKindClient, 0, 1,
                                     {{"db.system", "dynamodb"},
                                      {"db.operation", "PutItem"},
                                      {"aws.dynamodb.table_names", "registrations"},
                                      {"cloud.region", "us-west-2"}}),
                            {{"service.name", "register-api"}, {"cloud.region", "eu-west-1"}});
  EXPECT_EQ(span.namespace_name, "aws");
  EXPECT_EQ(span.name, "DynamoDB");
  EXPECT_EQ(span.aws_operation, "PutItem");
  EXPECT_EQ(span.aws_table_name, "registrations");
  EXPECT_EQ(span.aws_region, "us-west-2") << "the span's region wins over the resource's";
  EXPECT_EQ(span.service, "register-api");
}

TEST(OtlpTraceDecoderTest, SegmentIdIsTheNearestServerSpanOfTheSameService) {
  // SERVER(a) -> INTERNAL(b) -> INTERNAL(c) -> CLIENT(d), all list-api; plus a CLIENT(e) of
  // public-site whose parent is a list-api span (no segment of its own service above it).
  std::vector<OtlpSpan> spans = {
      MakeSpan("000000000000000a", "", "GET /items", kOtlpSpanKindServer, 0, 9, {}),
      MakeSpan("000000000000000b", "000000000000000a", "load", kOtlpSpanKindInternal, 1, 8, {}),
      MakeSpan("000000000000000c", "000000000000000b", "parse", kOtlpSpanKindUnspecified, 2, 7, {}),
      MakeSpan("000000000000000d", "000000000000000c", "GET", kOtlpSpanKindClient, 3, 6, {}),
  };
  OtlpSpan other =
      MakeSpan("000000000000000e", "000000000000000d", "GET", kOtlpSpanKindClient, 4, 5, {});
  OtlpTraceRequest request;
  // Children before parents: the mapping must not depend on order.
  request.resource_spans.push_back(
      MakeResource("list-api", {spans[3], spans[2], spans[1], spans[0]}));
  request.resource_spans.push_back(MakeResource("public-site", {other}));
  OtlpDecodeResult result = MapOtlpTraceRequest(request);
  auto by_id = ById(result.spans);
  ASSERT_EQ(by_id.size(), 5u);
  EXPECT_EQ(by_id["000000000000000b"].segment_id, "000000000000000a");
  EXPECT_EQ(by_id["000000000000000c"].segment_id, "000000000000000a");
  EXPECT_EQ(by_id["000000000000000c"].name, "parse");
  EXPECT_EQ(by_id["000000000000000d"].segment_id, "000000000000000a");
  EXPECT_EQ(by_id["000000000000000e"].segment_id, "000000000000000d");
  EXPECT_EQ(by_id["000000000000000e"].service, "public-site");
}

TEST(OtlpTraceDecoderTest, ParentCyclesDoNotHang) {
  OtlpTraceRequest request;
  request.resource_spans.push_back(MakeResource(
      "loop",
      {MakeSpan("000000000000000a", "000000000000000b", "a", kOtlpSpanKindInternal, 0, 1, {}),
       MakeSpan("000000000000000b", "000000000000000a", "b", kOtlpSpanKindInternal, 0, 1, {})}));
  OtlpDecodeResult result = MapOtlpTraceRequest(request);
  ASSERT_EQ(result.spans.size(), 2u);
  EXPECT_EQ(result.spans[0].segment_id, "000000000000000b");
}

TEST(OtlpTraceDecoderTest, AnnotationsNamedByTheResourceAndTheSpan) {
  OtlpSpan otlp = MakeSpan(kSiteServer, "", "GET /", kOtlpSpanKindServer, 0, 1,
                           {{"aws.xray.annotations", json::array({"user.id", "list"})},
                            {"user.id", 42},
                            {"list", json::array({1, 2})},
                            {"plain", "kept"}});
  Span span = DecodeOneSpan(otlp, {{"service.name", "public-site"},
                                   {"deployment.environment", "dev"},
                                   {"aws.xray.annotations", "deployment.environment"}});
  EXPECT_EQ(std::get<int64_t>(span.annotations.at("user_id")), 42);
  EXPECT_EQ(std::get<std::string>(span.annotations.at("deployment_environment")), "dev");
  EXPECT_EQ(span.annotations.count("list"), 0u) << "arrays cannot be annotations";
  EXPECT_EQ(span.metadata["otel"]["list"], json::array({1, 2}));
  EXPECT_EQ(span.metadata["otel"]["plain"], "kept");
  EXPECT_FALSE(span.metadata["otel"].contains("user.id"));
  EXPECT_EQ(span.metadata["otel.resource"]["deployment.environment"], "dev");
}

TEST(OtlpTraceDecoderTest, StatusMessageIsTheCauseWhenThereIsNoException) {
  OtlpSpan otlp = MakeSpan(kSiteClient, kSiteServer, "GET", kOtlpSpanKindClient, 0, 1, {});
  otlp.status_code = kOtlpStatusError;
  otlp.status_message = "certificate verify failed";
  Span span = DecodeOneSpan(otlp);
  EXPECT_TRUE(span.fault);
  ASSERT_EQ(span.causes.size(), 1u);
  EXPECT_EQ(span.causes[0].message, "certificate verify failed");
  EXPECT_TRUE(span.causes[0].remote);
}

TEST(OtlpTraceDecoderTest, UnfinishedSpansAreInProgress) {
  OtlpSpan otlp = MakeSpan(kSiteServer, "", "GET", kOtlpSpanKindServer, 0, 0, {});
  otlp.end_time_unix_nano = 0;
  Span span = DecodeOneSpan(otlp);
  EXPECT_TRUE(span.in_progress);
  EXPECT_EQ(span.end_time, 0);
}

}  // namespace
}  // namespace ck::collector::otlp
