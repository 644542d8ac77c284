#include "collector/metrics_api.h"

#include <array>
#include <boost/beast/core/string.hpp>
#include <utility>

#include "collector/alarms/alarm_format.h"
#include "collector/alarms/alarm_json.h"
#include "collector/alarms/alarm_paging.h"
#include "collector/alarms/alarm_validation.h"
#include "collector/alarms/prometheus_rule.h"
#include "collector/metric_alarm_source.h"
#include "collector/metrics/statistics.h"
#include "collector/metrics_api_params.h"
#include "collector/metrics_prometheus.h"
#include "collector/otlp/gzip.h"
#include "core/crypto.h"
#include "telemetry/metrics.h"

namespace ck::collector {

namespace {

constexpr std::string_view kTargetPrefix = "GraniteServiceVersion20100801.";
constexpr std::string_view kRulesPath = "/v1/alarms/prometheus-rules";
constexpr std::string_view kExpositionPath = "/v1/metrics/prometheus";
constexpr std::string_view kJson10 = "application/x-amz-json-1.0";
constexpr std::string_view kRuleGroup = "ck-alarms";
constexpr size_t kMaxAlarmNamesPerCall = 100;
constexpr size_t kMaxStateReasonLength = 1023;
constexpr size_t kMaxStateReasonDataLength = 4000;
constexpr int64_t kMaxDatapointsPerRequest = 1440;
constexpr size_t kMaxStatistics = 5;
constexpr size_t kMaxExtendedStatistics = 10;
// A gzip body inflates to at most the API port's body limit.
constexpr size_t kMaxInflatedBodyBytes = 4 << 20;

std::string_view PathOf(const http::HttpRequest& request) {
  std::string_view target = request.target();
  return target.substr(0, target.find('?'));
}

// ISO timestamps of the alarm JSON shapes as the JSON protocol's epoch seconds.
void ToEpochSeconds(AlarmJson& element, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto found = element.find(key);
    if (found == element.end() || !found->is_string()) continue;
    if (std::optional<int64_t> ms = ParseIsoMillis(found->get<std::string>())) {
      *found = EpochSeconds(*ms);
    }
  }
}

bool IsPlainStatistic(std::string_view name) {
  return name == "SampleCount" || name == "Sum" || name == "Average" || name == "Minimum" ||
         name == "Maximum";
}

class Operations {
 public:
  explicit Operations(MetricsService& service) : service_(service) {}

  MetricsReply Dispatch(std::string_view operation, const AlarmJson& body) {
    using Handler = MetricsReply (Operations::*)(const AlarmJson&);
    static constexpr std::array<std::pair<std::string_view, Handler>, 11> kOperations = {{
        {"PutMetricData", &Operations::PutMetricData},
        {"GetMetricStatistics", &Operations::GetMetricStatistics},
        {"ListMetrics", &Operations::ListMetrics},
        {"PutMetricAlarm", &Operations::PutMetricAlarm},
        {"PutCompositeAlarm", &Operations::PutCompositeAlarm},
        {"DescribeAlarms", &Operations::DescribeAlarms},
        {"DescribeAlarmHistory", &Operations::DescribeAlarmHistory},
        {"DeleteAlarms", &Operations::DeleteAlarms},
        {"SetAlarmState", &Operations::SetAlarmState},
        {"EnableAlarmActions", &Operations::EnableAlarmActions},
        {"DisableAlarmActions", &Operations::DisableAlarmActions},
    }};
    for (const auto& [name, handler] : kOperations) {
      if (name == operation) return (this->*handler)(body);
    }
    return MetricsReply::Error("UnknownOperationException",
                               "Unknown operation " + std::string(operation));
  }

 private:
  MetricsReply PutMetricData(const AlarmJson& body) {
    std::vector<metrics::MetricDatum> data;
    if (auto error = ParsePutMetricData(body, service_.NowMs(), &data)) return *error;
    return MetricsReply::FromMetricStatus(service_.PutMetricData(std::move(data)));
  }

  MetricsReply GetMetricStatistics(const AlarmJson& body) {
    MetricsParams params(body);
    metrics::StatisticsRequest request;
    request.key.metric_namespace = params.String("Namespace", true).value_or("");
    request.key.metric_name = params.String("MetricName", true).value_or("");
    request.key.dimensions = params.Dimensions("Dimensions", metrics::kMaxDimensions);
    request.start_ms = params.TimestampMs("StartTime", true).value_or(0);
    request.end_ms = params.TimestampMs("EndTime", true).value_or(0);
    request.period_s = params.Integer("Period", true).value_or(60);
    std::vector<std::string> statistics = params.Strings("Statistics", kMaxStatistics, false);
    std::vector<std::string> extended =
        params.Strings("ExtendedStatistics", kMaxExtendedStatistics, false);
    std::optional<std::string> unit = params.String("Unit", false);
    if (params.error()) return *params.error();

    if (statistics.empty() == extended.empty()) {
      return MetricsReply::Error(
          "InvalidParameterCombination",
          "Must specify either Statistics or ExtendedStatistics, but not both.");
    }
    for (const std::string& statistic : statistics) {
      if (!IsPlainStatistic(statistic)) {
        return MetricsReply::Error("InvalidParameterValue",
                                   "The value " + statistic +
                                       " for parameter Statistics is not supported; use one of "
                                       "SampleCount, Average, Sum, Minimum, Maximum.");
      }
    }
    for (const std::string& statistic : extended) {
      if (!IsValidExtendedStatistic(statistic)) {
        return MetricsReply::Error(
            "InvalidParameterValue",
            "The value " + statistic + " for parameter ExtendedStatistics is not supported.");
      }
    }
    if (unit && !metrics::IsValidUnit(*unit)) {
      return MetricsReply::Error("InvalidParameterValue",
                                 "The value " + *unit + " for parameter Unit is not supported.");
    }
    if (Status period = metrics::ValidatePeriod(request.period_s); !period.ok()) {
      return MetricsReply::Error("InvalidParameterValue", "The parameter Period " +
                                                              std::to_string(request.period_s) +
                                                              " is invalid: " + period.message());
    }
    if (request.start_ms >= request.end_ms) {
      return MetricsReply::Error("InvalidParameterValue",
                                 "The parameter StartTime must be less than the parameter "
                                 "EndTime.");
    }
    const int64_t period_ms = request.period_s * 1000;
    const int64_t aligned_start =
        request.start_ms - ((request.start_ms % period_ms) + period_ms) % period_ms;
    const int64_t periods = (request.end_ms - aligned_start + period_ms - 1) / period_ms;
    if (periods > kMaxDatapointsPerRequest) {
      return MetricsReply::Error(
          "InvalidParameterCombination",
          "You have requested up to " + std::to_string(periods) +
              " datapoints, which exceeds the limit of 1,440. You may reduce the datapoints "
              "requested by increasing Period, or decreasing the time range.");
    }
    request.statistics = statistics;
    request.statistics.insert(request.statistics.end(), extended.begin(), extended.end());
    auto points = service_.store().GetStatistics(request);
    if (!points.ok()) return MetricsReply::FromMetricStatus(points.status());

    AlarmJson datapoints = AlarmJson::array();
    for (const metrics::StatisticsDatapoint& point : *points) {
      if (unit && *unit != point.unit) continue;
      AlarmJson item = AlarmJson::object();
      item["Timestamp"] = EpochSeconds(point.timestamp_ms);
      const std::pair<const char*, const std::optional<double>*> plain[] = {
          {"SampleCount", &point.sample_count},
          {"Average", &point.average},
          {"Sum", &point.sum},
          {"Minimum", &point.minimum},
          {"Maximum", &point.maximum}};
      for (const auto& [name, value] : plain) {
        if (value->has_value()) item[name] = **value;
      }
      if (!extended.empty()) {
        AlarmJson percentiles = AlarmJson::object();
        for (const auto& [name, value] : point.percentiles) percentiles[name] = value;
        item["ExtendedStatistics"] = std::move(percentiles);
      }
      item["Unit"] = point.unit;
      datapoints.push_back(std::move(item));
    }
    AlarmJson out = AlarmJson::object();
    out["Label"] = request.key.metric_name;
    out["Datapoints"] = std::move(datapoints);
    return MetricsReply::Ok(std::move(out));
  }

  MetricsReply ListMetrics(const AlarmJson& body) {
    MetricsParams params(body);
    metrics::ListMetricsRequest request;
    request.metric_namespace = params.String("Namespace", false);
    request.metric_name = params.String("MetricName", false);
    request.dimensions = params.DimensionFilters("Dimensions", 10);
    request.next_token = params.String("NextToken", false).value_or("");
    std::optional<std::string> recently_active = params.String("RecentlyActive", false);
    if (params.error()) return *params.error();
    if (recently_active && *recently_active != "PT3H") {
      return MetricsReply::Error("InvalidParameterValue",
                                 "The value " + *recently_active +
                                     " for parameter RecentlyActive is invalid: it must be PT3H.");
    }
    auto page = service_.store().ListMetrics(request);
    if (!page.ok()) return MetricsReply::FromMetricStatus(page.status());
    AlarmJson metrics_json = AlarmJson::array();
    for (const metrics::ListedMetric& listed : page->metrics) {
      AlarmJson dimensions = AlarmJson::array();
      for (const metrics::Dimension& dimension : listed.key.dimensions) {
        AlarmJson item = AlarmJson::object();
        item["Name"] = dimension.name;
        item["Value"] = dimension.value;
        dimensions.push_back(std::move(item));
      }
      AlarmJson item = AlarmJson::object();
      item["Namespace"] = listed.key.metric_namespace;
      item["MetricName"] = listed.key.metric_name;
      item["Dimensions"] = std::move(dimensions);
      metrics_json.push_back(std::move(item));
    }
    AlarmJson out = AlarmJson::object();
    out["Metrics"] = std::move(metrics_json);
    if (!page->next_token.empty()) out["NextToken"] = page->next_token;
    return MetricsReply::Ok(std::move(out));
  }

  // Alarm changes are acknowledged only once saved.
  MetricsReply Saved(const Status& change) {
    if (!change.ok()) return MetricsReply::FromAlarmStatus(change);
    Status saved = service_.SaveAlarms();
    if (!saved.ok()) {
      return MetricsReply::Error("InternalServiceError",
                                 "The change was made but could not be saved: " + saved.message(),
                                 500);
    }
    return MetricsReply::Ok(AlarmJson::object());
  }

  MetricsReply PutMetricAlarm(const AlarmJson& body) {
    auto spec = ParsePutMetricAlarm(body);
    if (!spec.ok()) return MetricsReply::FromAlarmStatus(spec.status());
    return Saved(service_.alarms().PutMetricAlarm(*spec, service_.NowMs()));
  }

  MetricsReply PutCompositeAlarm(const AlarmJson& body) {
    auto spec = ParsePutCompositeAlarm(body);
    if (!spec.ok()) return MetricsReply::FromAlarmStatus(spec.status());
    return Saved(service_.alarms().PutCompositeAlarm(*spec, service_.NowMs()));
  }

  // NextToken of DescribeAlarms / DescribeAlarmHistory: a string, as for ListMetrics.
  static std::optional<MetricsReply> ReadNextToken(const AlarmJson& body, std::string* token) {
    MetricsParams params(body);
    *token = params.String("NextToken", false).value_or("");
    return params.error();
  }

  MetricsReply DescribeAlarms(const AlarmJson& body) {
    std::string token;
    if (auto error = ReadNextToken(body, &token)) return *error;
    auto filter = ParseDescribeAlarms(body);
    if (!filter.ok()) return MetricsReply::FromAlarmStatus(filter.status());
    auto page = DescribeAlarmsPage(service_.alarms(), std::move(*filter), token);
    if (!page.ok()) return MetricsReply::Error("InvalidNextToken", page.status().message());
    AlarmJson out = DescribeAlarmsResponse(page->records);
    for (const char* list : {"MetricAlarms", "CompositeAlarms"}) {
      for (AlarmJson& element : out[list]) {
        ToEpochSeconds(element, {"AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp",
                                 "StateTransitionedTimestamp"});
      }
    }
    if (!page->next_token.empty()) out["NextToken"] = page->next_token;
    return MetricsReply::Ok(std::move(out));
  }

  MetricsReply DescribeAlarmHistory(const AlarmJson& body) {
    std::string token;
    if (auto error = ReadNextToken(body, &token)) return *error;
    auto query = ParseDescribeAlarmHistory(body);
    if (!query.ok()) return MetricsReply::FromAlarmStatus(query.status());
    auto page = DescribeAlarmHistoryPage(service_.alarms(), std::move(*query), token);
    if (!page.ok()) return MetricsReply::Error("InvalidNextToken", page.status().message());
    AlarmJson out = DescribeAlarmHistoryResponse(page->items);
    for (AlarmJson& item : out["AlarmHistoryItems"]) ToEpochSeconds(item, {"Timestamp"});
    if (!page->next_token.empty()) out["NextToken"] = page->next_token;
    return MetricsReply::Ok(std::move(out));
  }

  MetricsReply DeleteAlarms(const AlarmJson& body) {
    MetricsParams params(body);
    std::vector<std::string> names = params.Strings("AlarmNames", kMaxAlarmNamesPerCall, true);
    if (params.error()) return *params.error();
    return Saved(service_.alarms().DeleteAlarms(names));
  }

  MetricsReply SetAlarmState(const AlarmJson& body) {
    MetricsParams params(body);
    std::optional<std::string> name = params.String("AlarmName", true);
    std::optional<std::string> state_text = params.String("StateValue", true);
    std::optional<std::string> reason = params.String("StateReason", true);
    std::optional<std::string> data_text = params.String("StateReasonData", false);
    if (params.error()) return *params.error();
    std::optional<AlarmState> state = ParseAlarmState(*state_text);
    if (!state) {
      return MetricsReply::FromAlarmStatus(AlarmConstraintError(
          "stateValue", *state_text, "satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]"));
    }
    if (reason->size() > kMaxStateReasonLength) {
      return MetricsReply::FromAlarmStatus(
          AlarmConstraintError("stateReason", *reason, "have length less than or equal to 1023"));
    }
    AlarmJson reason_data;
    if (data_text) {
      if (data_text->size() > kMaxStateReasonDataLength) {
        return MetricsReply::FromAlarmStatus(AlarmConstraintError(
            "stateReasonData", *data_text, "have length less than or equal to 4000"));
      }
      auto parsed = ParseAlarmJson(*data_text);
      if (!parsed.ok() || !parsed->is_object()) {
        return MetricsReply::Error("InvalidFormat", "StateReasonData is not a valid JSON object.");
      }
      reason_data = std::move(*parsed);
    }
    return Saved(
        service_.alarms().SetAlarmState(*name, *state, *reason, reason_data, service_.NowMs()));
  }

  MetricsReply SetActionsEnabled(const AlarmJson& body, bool enabled) {
    MetricsParams params(body);
    std::vector<std::string> names = params.Strings("AlarmNames", kMaxAlarmNamesPerCall, true);
    if (params.error()) return *params.error();
    return Saved(service_.alarms().SetActionsEnabled(names, enabled, service_.NowMs()));
  }
  MetricsReply EnableAlarmActions(const AlarmJson& body) { return SetActionsEnabled(body, true); }
  MetricsReply DisableAlarmActions(const AlarmJson& body) { return SetActionsEnabled(body, false); }

  MetricsService& service_;
};

http::HttpResponse Respond(const http::HttpRequest& request, const MetricsReply& reply) {
  AlarmJson body = reply.body;
  std::string shape_id;
  if (!reply.error_type.empty()) {
    shape_id = ErrorShapeId(reply.error_type);
    body = AlarmJson::object();
    body["__type"] = shape_id;
    body["message"] = reply.message;
  }
  http::HttpResponse response = http::MakeResponse(
      static_cast<http::HttpStatus>(reply.status), kJson10,
      body.dump(-1, ' ', false, AlarmJson::error_handler_t::replace), request.version());
  if (!reply.error_type.empty()) {
    // As a query-compatible JSON service: the shape in __type and x-amzn-ErrorType, the
    // query protocol's code in x-amzn-query-error (which the SDKs for CloudWatch read first).
    response.set("x-amzn-ErrorType", shape_id.substr(shape_id.find('#') + 1));
    response.set("x-amzn-query-error",
                 reply.error_type + (reply.status >= 500 ? ";Receiver" : ";Sender"));
  }
  std::string id = RandomHex(16);
  id.insert(20, "-").insert(16, "-").insert(12, "-").insert(8, "-");
  response.set("x-amzn-RequestId", id);
  return response;
}

http::HttpResponse RestError(const http::HttpRequest& request, http::HttpStatus status,
                             const std::string& message) {
  return http::MakeJsonError(status, message, request.version());
}

http::HttpResponse PrometheusRules(MetricsService& service, const http::HttpRequest& request) {
  DescribeAlarmsFilter filter;
  filter.types = {AlarmType::kMetric};
  PromQLOptions options;
  options.scrape_interval_s = std::max<int64_t>(
      1,
      std::chrono::duration_cast<std::chrono::seconds>(service.options().scrape_interval).count());
  options.scraped_type = [&service](std::string_view metric_namespace, std::string_view name) {
    return service.ScrapedType(metric_namespace, name);
  };
  std::vector<PrometheusAlarmRule> rules;
  for (const AlarmRecord& record : service.alarms().DescribeAlarms(filter)) {
    rules.push_back({record.metric, AlarmPromQL(record.metric, options)});
  }
  auto yaml = PrometheusRuleFile(kRuleGroup, rules);
  if (!yaml.ok()) {
    return RestError(request, http::HttpStatus::internal_server_error, yaml.status().message());
  }
  return http::MakeResponse(http::HttpStatus::ok, "text/yaml; charset=utf-8", std::move(*yaml),
                            request.version());
}

http::HttpResponse PrometheusExposition(MetricsService& service, const http::HttpRequest& request) {
  // Percentiles that alarms watch are exported too, so their rules find them.
  ExportedPercentiles percentiles;
  DescribeAlarmsFilter filter;
  filter.types = {AlarmType::kMetric};
  for (const AlarmRecord& record : service.alarms().DescribeAlarms(filter)) {
    if (record.metric.statistic) continue;
    std::vector<std::string>& wanted = percentiles[AlarmSeriesKey(record.metric)];
    if (std::find(wanted.begin(), wanted.end(), record.metric.extended_statistic) == wanted.end()) {
      wanted.push_back(record.metric.extended_statistic);
    }
  }
  auto body = RenderCloudWatchMetrics(service.store(), service.NowMs(), percentiles);
  if (!body.ok()) {
    return RestError(request, http::HttpStatus::internal_server_error, body.status().message());
  }
  return http::MakeResponse(http::HttpStatus::ok, telemetry::kMetricsContentType, std::move(*body),
                            request.version());
}

}  // namespace

bool MetricsApi::Accepts(const http::HttpRequest& request) {
  const std::string_view target = http::HeaderValue(request, "X-Amz-Target");
  if (target.substr(0, kTargetPrefix.size()) == kTargetPrefix) return true;
  const std::string_view path = PathOf(request);
  return path == kRulesPath || path == kExpositionPath;
}

http::HttpResponse MetricsApi::Handle(const http::HttpRequest& request) {
  const std::string_view target = http::HeaderValue(request, "X-Amz-Target");
  if (target.substr(0, kTargetPrefix.size()) != kTargetPrefix) {
    const std::string_view path = PathOf(request);
    if (request.method() != http::Verb::get) {
      http::HttpResponse response = RestError(request, http::HttpStatus::method_not_allowed,
                                              std::string(path) + " answers GET only");
      response.set(http::Field::allow, "GET");
      return response;
    }
    if (path == kRulesPath) return PrometheusRules(service_, request);
    if (path == kExpositionPath) return PrometheusExposition(service_, request);
    return RestError(request, http::HttpStatus::not_found, "Unknown path " + std::string(path));
  }
  if (request.method() != http::Verb::post) {
    return Respond(request, MetricsReply::Error("UnknownOperationException",
                                                "CloudWatch operations use POST", 405));
  }
  // The SDKs gzip PutMetricData bodies of 10 KiB and more (the operation's requestCompression
  // trait).
  std::string inflated;
  std::string_view text = request.body();
  const std::string_view coding = http::HeaderValue(request, "Content-Encoding");
  if (boost::beast::iequals(coding, "gzip")) {
    auto plain = otlp::Gunzip(text, kMaxInflatedBodyBytes);
    if (!plain.ok()) {
      if (plain.status().code() == StatusCode::kResourceExhausted) {
        return Respond(request, MetricsReply::Error("RequestEntityTooLarge",
                                                    "Request size exceeded " +
                                                        std::to_string(kMaxInflatedBodyBytes) +
                                                        " bytes once decompressed",
                                                    413));
      }
      return Respond(request, MetricsReply::Error(
                                  "SerializationException",
                                  "The gzip request body is corrupt: " + plain.status().message()));
    }
    inflated = std::move(*plain);
    text = inflated;
  } else if (!coding.empty() && !boost::beast::iequals(coding, "identity")) {
    return Respond(request, MetricsReply::Error("SerializationException",
                                                "Unsupported Content-Encoding " +
                                                    std::string(coding.substr(0, 64)) +
                                                    "; use gzip or identity"));
  }
  auto body = ParseAlarmJson(text.empty() ? std::string_view("{}") : text);
  if (!body.ok() || !body->is_object()) {
    return Respond(request, MetricsReply::Error("SerializationException",
                                                "The request body is not a valid JSON object"));
  }
  Operations operations(service_);
  return Respond(request, operations.Dispatch(target.substr(kTargetPrefix.size()), *body));
}

}  // namespace ck::collector
