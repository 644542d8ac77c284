#include "collector/metrics/emf.h"

#include <gtest/gtest.h>

namespace ck::collector::metrics {
namespace {

// The example document of the CloudWatch embedded metric format specification.
constexpr const char* kSpecExample = R"({
  "_aws": {
    "Timestamp": 1574109732004,
    "CloudWatchMetrics": [
      {
        "Namespace": "lambda-function-metrics",
        "Dimensions": [["functionVersion"]],
        "Metrics": [
          {
            "Name": "time",
            "Unit": "Milliseconds",
            "StorageResolution": 60
          }
        ]
      }
    ]
  },
  "functionVersion": "$LATEST",
  "time": 100,
  "requestId": "989ffbf8-9ace-4817-a57c-e4dd734019ee"
})";

TEST(EmfTest, SpecificationExample) {
  EmfDecodeResult decoded = DecodeEmf(kSpecExample);
  ASSERT_EQ(decoded.status, EmfStatus::kValid) << decoded.error;
  ASSERT_EQ(decoded.datums.size(), 1u);
  const MetricDatum& datum = decoded.datums[0];
  EXPECT_EQ(datum.key,
            (SeriesKey{"lambda-function-metrics", "time", {{"functionVersion", "$LATEST"}}}));
  EXPECT_EQ(datum.timestamp_ms, 1574109732004);
  EXPECT_EQ(datum.unit, "Milliseconds");
  EXPECT_EQ(datum.storage_resolution_s, 60);
  EXPECT_EQ(datum.values, std::vector<double>{100});
  EXPECT_TRUE(datum.counts.empty());
}

TEST(EmfTest, DimensionSetsArraysAndSeveralDirectives) {
  std::string line =
      R"({"_aws":{"Timestamp":1700000000123,"CloudWatchMetrics":[)"
      R"({"Namespace":"ck/register-api","Dimensions":[["Service","Operation"],["Service"],[]],)"
      R"("Metrics":[{"Name":"Latency","Unit":"Milliseconds","StorageResolution":1},{"Name":"Errors"}]},)"
      R"({"Namespace":"ck/other","Dimensions":[["Operation"]],"Metrics":[{"Name":"Errors","Unit":"Count"}]}]},)"
      R"("Service":"register-api","Operation":"PutItem","Latency":[12.5,3,40],"Errors":0,"trace_id":"x"})";
  EmfDecodeResult decoded = DecodeEmf(line);
  ASSERT_EQ(decoded.status, EmfStatus::kValid) << decoded.error;
  ASSERT_EQ(decoded.datums.size(), 7u);
  std::vector<std::string> keys;
  for (const MetricDatum& datum : decoded.datums) keys.push_back(SeriesKeyToString(datum.key));
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "ck/register-api/Latency{Operation=PutItem,Service=register-api}",
                      "ck/register-api/Latency{Service=register-api}",
                      "ck/register-api/Latency{}",
                      "ck/register-api/Errors{Operation=PutItem,Service=register-api}",
                      "ck/register-api/Errors{Service=register-api}",
                      "ck/register-api/Errors{}",
                      "ck/other/Errors{Operation=PutItem}",
                  }));
  EXPECT_EQ(decoded.datums[0].values, (std::vector<double>{12.5, 3, 40}));
  EXPECT_EQ(decoded.datums[0].storage_resolution_s, 1);
  EXPECT_EQ(decoded.datums[3].values, std::vector<double>{0});
  EXPECT_EQ(decoded.datums[3].unit, "None");
  EXPECT_EQ(decoded.datums[3].storage_resolution_s, 60);
  EXPECT_EQ(decoded.datums[6].unit, "Count");
}

TEST(EmfTest, LinesThatAreNotEmf) {
  for (const char* line :
       {"", "plain text", R"({"msg":"hello","level":"info"})", R"(text before {"_aws":{}})",
        R"({"note":"\"_aws\" inside a string"})", R"([{"_aws":{}}])"}) {
    EmfDecodeResult decoded = DecodeEmf(line);
    EXPECT_EQ(decoded.status, EmfStatus::kNotEmf) << line;
    EXPECT_TRUE(decoded.datums.empty());
    EXPECT_TRUE(decoded.error.empty());
  }
}

struct InvalidCase {
  std::string document;
  std::string error;
};

// Builds a document with one directive `directive` and extra root members.
std::string WithDirective(const std::string& directive,
                          const std::string& members = R"("Time":1)") {
  return R"({"_aws":{"Timestamp":1,"CloudWatchMetrics":[)" + directive + "]}," + members + "}";
}

TEST(EmfTest, InvalidDocumentsGetExactErrors) {
  const std::string metrics = R"("Metrics":[{"Name":"Time"}])";
  std::vector<InvalidCase> cases = {
      {R"({"_aws": )", "invalid JSON at byte 10"},
      {R"({"_aws":[]})", "_aws must be an object"},
      {R"({"_aws":{"Timestamp":1}})", "_aws.CloudWatchMetrics is required"},
      {R"({"_aws":{"Timestamp":1,"CloudWatchMetrics":{}}})",
       "_aws.CloudWatchMetrics must be an array"},
      {R"({"_aws":{"CloudWatchMetrics":[]}})", "_aws.Timestamp is required"},
      {R"({"_aws":{"Timestamp":"now","CloudWatchMetrics":[]}})",
       "_aws.Timestamp must be a non-negative integer of epoch milliseconds"},
      {R"({"_aws":{"Timestamp":1.5,"CloudWatchMetrics":[]}})",
       "_aws.Timestamp must be a non-negative integer of epoch milliseconds"},
      {R"({"_aws":{"Timestamp":-1,"CloudWatchMetrics":[]}})",
       "_aws.Timestamp must be a non-negative integer of epoch milliseconds"},
      {WithDirective("7"), "_aws.CloudWatchMetrics[0] must be an object"},
      {WithDirective(R"({"Dimensions":[[]],)" + metrics + "}"),
       "_aws.CloudWatchMetrics[0].Namespace is required"},
      {WithDirective(R"({"Namespace":"","Dimensions":[[]],)" + metrics + "}"),
       "_aws.CloudWatchMetrics[0].Namespace must be a string of 1 to 255 characters, not starting "
       "with ':'"},
      {WithDirective(R"({"Namespace":"ns",)" + metrics + "}"),
       "_aws.CloudWatchMetrics[0].Dimensions is required"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":["Service"],)" + metrics + "}"),
       "_aws.CloudWatchMetrics[0].Dimensions[0] must be an array of strings"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[],)" + metrics + "}"),
       "_aws.CloudWatchMetrics[0].Dimensions must hold at least one dimension set"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[],[1]],)" + metrics + "}"),
       "_aws.CloudWatchMetrics[0].Dimensions[1][0] must be a string of 1 to 255 characters"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[["Service"]],)" + metrics + "}"),
       "_aws.CloudWatchMetrics[0].Dimensions[0][0]: the root has no member \"Service\""},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[["Service"]],)" + metrics + "}",
                     R"("Time":1,"Service":42)"),
       "root member \"Service\" (a dimension) must be a string of 1 to 1024 characters"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[["Service","Service"]],)" + metrics + "}",
                     R"("Time":1,"Service":"a")"),
       "_aws.CloudWatchMetrics[0].Dimensions[0] names \"Service\" twice"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[]]})"),
       "_aws.CloudWatchMetrics[0].Metrics is required"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[]],"Metrics":[{"Unit":"Count"}]})"),
       "_aws.CloudWatchMetrics[0].Metrics[0].Name is required"},
      {WithDirective(
           R"({"Namespace":"ns","Dimensions":[[]],"Metrics":[{"Name":"Time","Unit":"Parsecs"}]})"),
       "_aws.CloudWatchMetrics[0].Metrics[0].Unit \"Parsecs\" is not a CloudWatch unit"},
      {WithDirective(
           R"({"Namespace":"ns","Dimensions":[[]],"Metrics":[{"Name":"Time","StorageResolution":5}]})"),
       "_aws.CloudWatchMetrics[0].Metrics[0].StorageResolution must be 1 or 60"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[]],"Metrics":[{"Name":"Missing"}]})"),
       "_aws.CloudWatchMetrics[0].Metrics[0]: the root has no member \"Missing\""},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[]],)" + metrics + "}", R"("Time":"12")"),
       "root member \"Time\" (a metric) must be a number or an array of numbers"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[]],)" + metrics + "}",
                     R"("Time":[1,"2"])"),
       "root member \"Time\" (a metric) must be a number or an array of numbers"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[]],)" + metrics + "}", R"("Time":[])"),
       "root member \"Time\" (a metric) has no values"},
      {WithDirective(R"({"Namespace":"ns","Dimensions":[[]],)" + metrics + "}", R"("Time":1e300)"),
       "root member \"Time\" (a metric) has a value outside +-2^360"},
  };
  std::string too_many_values = "[";
  for (int i = 0; i <= 100; ++i) too_many_values += (i ? ",1" : "1");
  cases.push_back({WithDirective(R"({"Namespace":"ns","Dimensions":[[]],)" + metrics + "}",
                                 R"("Time":)" + too_many_values + "]"),
                   "root member \"Time\" (a metric) has more than 100 values"});
  std::string many_metrics = R"({"Namespace":"ns","Dimensions":[[]],"Metrics":[)";
  for (int i = 0; i <= 100; ++i) many_metrics += std::string(i ? "," : "") + R"({"Name":"Time"})";
  cases.push_back({WithDirective(many_metrics + "]}"),
                   "_aws.CloudWatchMetrics[0].Metrics has more than 100 metrics"});
  std::string wide_set = "[";
  std::string members = R"("Time":1)";
  for (int i = 0; i <= 30; ++i) {
    wide_set += std::string(i ? "," : "") + "\"d" + std::to_string(i) + "\"";
    members += ",\"d" + std::to_string(i) + "\":\"v\"";
  }
  cases.push_back(
      {WithDirective(R"({"Namespace":"ns","Dimensions":[)" + wide_set + "]]," + metrics + "}",
                     members),
       "_aws.CloudWatchMetrics[0].Dimensions[0] has more than 30 dimensions"});

  for (const InvalidCase& test : cases) {
    EmfDecodeResult decoded = DecodeEmf(test.document);
    EXPECT_EQ(decoded.status, EmfStatus::kInvalid) << test.document;
    EXPECT_EQ(decoded.error, test.error) << test.document;
    EXPECT_TRUE(decoded.datums.empty());
  }
}

TEST(EmfTest, DatumLimitPerDocument) {
  // 11 dimension sets x 100 metrics = 1,100 datums, over the 1,000 limit.
  std::string sets;
  for (int i = 0; i < 11; ++i) sets += std::string(i ? "," : "") + "[]";
  std::string metrics;
  for (int i = 0; i < 100; ++i) metrics += std::string(i ? "," : "") + R"({"Name":"Time"})";
  EmfDecodeResult decoded = DecodeEmf(WithDirective(R"({"Namespace":"ns","Dimensions":[)" + sets +
                                                    R"(],"Metrics":[)" + metrics + "]}"));
  EXPECT_EQ(decoded.status, EmfStatus::kInvalid);
  EXPECT_EQ(decoded.error, "the document defines more than 1000 metric datums");
}

}  // namespace
}  // namespace ck::collector::metrics
