// MetricsApi: the CloudWatch metrics and alarms API the collector serves on its TCP API port, as
// a pure handler over a MetricsService.
//
// CloudWatch's JSON 1.0 protocol: `POST /` with `X-Amz-Target:
// GraniteServiceVersion20100801.<Operation>` and an `application/x-amz-json-1.0` body, so the AWS
// SDKs and CLI (which speak this protocol to CloudWatch) work with an endpoint override.
// Operations, with CloudWatch's request and response shapes (AWS field names):
//   PutMetricData, GetMetricStatistics, ListMetrics,
//   PutMetricAlarm, PutCompositeAlarm, DescribeAlarms, DescribeAlarmHistory, DeleteAlarms,
//   SetAlarmState, EnableAlarmActions, DisableAlarmActions.
// DescribeAlarms and DescribeAlarmHistory page with MaxRecords (1-100, default 50) and an opaque
// NextToken (alarm_paging.h), as ListMetrics pages 500 metrics at a time.
// Timestamps in responses are epoch seconds (JSON numbers), as the JSON protocol sends them;
// requests may send epoch seconds or ISO 8601 strings. Bodies may come gzipped
// (Content-Encoding: gzip, as the SDKs send large PutMetricData requests). Alarm changes are
// saved (MetricsService::SaveAlarms) before they are acknowledged.
// Errors, as a query-compatible JSON service: CloudWatch's code in the x-amzn-query-error
// header ("<Code>;Sender"), which the SDKs for CloudWatch read first, and the model's shape in
// {"__type": "com.amazonaws.cloudwatch#<Shape>", "message": "..."} (ErrorShapeId). Codes:
// 400 InvalidParameterValue, MissingParameter, InvalidParameterCombination, LimitExceeded,
// ValidationError (alarm definitions, MaxRecords), InvalidNextToken (DescribeAlarms,
// DescribeAlarmHistory), InvalidFormat (StateReasonData), SerializationException
// (not a JSON object, a member of the wrong type, a corrupt gzip body),
// UnknownOperationException; 404 ResourceNotFound; 413 RequestEntityTooLarge (a gzip body
// past 4 MiB); 500 InternalServiceError.
//
// Two REST extensions, on GET:
//   /v1/alarms/prometheus-rules  every metric alarm as a Prometheus alerting rule (text/yaml)
//   /v1/metrics/prometheus       the non-scraped series as ck_cloudwatch_metric (text 0.0.4)
// (metrics_prometheus.h; docs/metrics-api.md).
//
//   MetricsApi api(*metrics_service);
//   if (MetricsApi::Accepts(request)) response = api.Handle(request);  // blocks: off-I/O
//
// Thread-safety: Handle() from any one thread at a time (the collector's query thread); it blocks
// on SQLite and on the alarms file.
#pragma once

#include "collector/metrics_service.h"
#include "http/message.h"

namespace ck::collector {

class MetricsApi {
 public:
  explicit MetricsApi(MetricsService& service) : service_(service) {}

  // True for a GraniteServiceVersion20100801 target, or one of the two REST paths.
  static bool Accepts(const http::HttpRequest& request);

  http::HttpResponse Handle(const http::HttpRequest& request);

 private:
  MetricsService& service_;
};

}  // namespace ck::collector
