// Realistic Cuddle Kube traces as Spans, for the query tests and the filter expression fuzzer.
//
//   RegistrationWithTlsFault(): client -> public-site -> register-api -> DynamoDB, where the
//       datastore call fails with a TLS error (the live-debug story's trace).
//   ListResidents(): a healthy GET / through list-api with a DynamoDB Scan and annotations.
//   ThrottledOrder(): order-api is throttled by DynamoDB and answers 429.
//
// Thread-safety: pure functions returning fresh values.
#pragma once

#include <string>
#include <vector>

#include "collector/model/span.h"

namespace ck::collector::test_traces {

inline Span MakeSegment(std::string trace_id, std::string service, std::string id,
                        std::string parent_id, double start, double end) {
  Span span;
  span.kind = SpanKind::kSegment;
  span.trace_id = std::move(trace_id);
  span.segment_id = id;
  span.id = std::move(id);
  span.parent_id = std::move(parent_id);
  span.name = service;
  span.service = std::move(service);
  span.origin = "AWS::ECS::Container";
  span.start_time = start;
  span.end_time = end;
  return span;
}

// A subsegment recorded under `parent` (a segment or another subsegment).
inline Span MakeSubsegment(const Span& parent, std::string name, std::string namespace_name,
                           std::string id, double start, double end) {
  Span span;
  span.kind = SpanKind::kSubsegment;
  span.trace_id = parent.trace_id;
  span.id = std::move(id);
  span.parent_id = parent.id;
  span.segment_id = parent.segment_id;
  span.service = parent.service;
  span.name = std::move(name);
  span.namespace_name = std::move(namespace_name);
  span.start_time = start;
  span.end_time = end;
  return span;
}

inline void SetHttp(Span& span, std::string method, std::string url, int status) {
  span.http_method = std::move(method);
  span.http_url = std::move(url);
  span.http_status = status;
  span.error = status >= 400 && status < 500;
  span.throttle = status == 429;
  span.fault = status >= 500;
}

inline constexpr const char* kRegistrationTraceId = "1-5f84c7a1-0123456789abcdef01234567";
inline constexpr const char* kListTraceId = "1-5f84c7b0-89abcdef0123456789abcdef";
inline constexpr const char* kOrderTraceId = "1-5f84c7c2-fedcba9876543210fedcba98";

inline std::vector<Span> RegistrationWithTlsFault() {
  Span site =
      MakeSegment(kRegistrationTraceId, "public-site", "1000000000000001", "", 1000.0, 1000.25);
  SetHttp(site, "POST", "http://localhost:8080/register", 500);
  site.user_agent = "Mozilla/5.0 (X11; Linux x86_64)";
  site.client_ip = "203.0.113.7";
  site.annotations["route"] = std::string("/register");

  Span call = MakeSubsegment(site, "register-api", "remote", "2000000000000001", 1000.01, 1000.24);
  SetHttp(call, "POST", "http://register-api.cuddle-kube.local/register", 500);
  call.traced = true;

  Span api = MakeSegment(kRegistrationTraceId, "register-api", "1000000000000002", call.id, 1000.02,
                         1000.23);
  SetHttp(api, "POST", "http://register-api.cuddle-kube.local/register", 500);
  api.client_ip = "127.0.0.1";
  api.annotations["version"] = std::string("v2");
  api.annotations["attempt"] = int64_t{1};

  Span db = MakeSubsegment(api, "DynamoDB", "aws", "2000000000000002", 1000.03, 1000.22);
  db.fault = true;
  db.aws_operation = "PutItem";
  db.aws_table_name = "residents";
  db.causes.push_back(
      {"TLSError", "certificate verify failed: unable to get local issuer certificate", true});
  db.annotations["table"] = std::string("residents");

  return {site, call, api, db};
}

inline std::vector<Span> ListResidents() {
  Span site = MakeSegment(kListTraceId, "public-site", "3000000000000001", "", 2000.0, 2000.08);
  SetHttp(site, "GET", "http://localhost:8080/", 200);
  site.user_agent = "curl/7.88.1";
  site.client_ip = "127.0.0.1";
  site.annotations["route"] = std::string("/");

  Span call = MakeSubsegment(site, "list-api", "remote", "4000000000000001", 2000.01, 2000.07);
  SetHttp(call, "GET", "http://list-api.cuddle-kube.local/list", 200);
  call.traced = true;

  Span api = MakeSegment(kListTraceId, "list-api", "3000000000000002", call.id, 2000.02, 2000.065);
  SetHttp(api, "GET", "http://list-api.cuddle-kube.local/list", 200);
  api.annotations["resident_count"] = int64_t{12};
  api.annotations["cache_hit"] = false;
  api.annotations["version"] = std::string("v1");

  Span render = MakeSubsegment(api, "render", "", "4000000000000002", 2000.022, 2000.025);
  Span db = MakeSubsegment(api, "DynamoDB", "aws", "4000000000000003", 2000.03, 2000.06);
  db.http_status = 200;
  db.aws_operation = "Scan";
  db.aws_table_name = "residents";
  db.annotations["load"] = 0.75;

  return {site, call, api, render, db};
}

inline std::vector<Span> ThrottledOrder() {
  Span site = MakeSegment(kOrderTraceId, "public-site", "5000000000000001", "", 3000.0, 3000.5);
  SetHttp(site, "POST", "http://localhost:8080/order", 429);
  site.user_agent = "Mozilla/5.0 (Macintosh)";
  site.client_ip = "198.51.100.20";

  Span call = MakeSubsegment(site, "order-api", "remote", "6000000000000001", 3000.01, 3000.49);
  SetHttp(call, "POST", "http://order-api.cuddle-kube.local/orders", 429);
  call.traced = true;

  Span api = MakeSegment(kOrderTraceId, "order-api", "5000000000000002", call.id, 3000.02, 3000.48);
  SetHttp(api, "POST", "http://order-api.cuddle-kube.local/orders", 429);

  Span db = MakeSubsegment(api, "DynamoDB", "aws", "6000000000000002", 3000.03, 3000.47);
  SetHttp(db, "", "", 400);
  db.http_method.clear();
  db.throttle = true;
  db.aws_operation = "PutItem";
  db.causes.push_back({"ProvisionedThroughputExceededException",
                       "Rate of requests exceeds the "
                       "allowed throughput.",
                       true});

  return {site, call, api, db};
}

}  // namespace ck::collector::test_traces
