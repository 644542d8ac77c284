// Test fixture: 40 log events as Cuddle Kube's services write them — JSON request logs
// ({"ts","level","service","msg","trace_id","span_id","route","status","latency_ms",...}, some
// with nested objects and arrays) and a few plain text lines — for the Logs Insights tests and
// the query fuzzer, plus a helper that runs a query over them the way the log store does.
//
// Events are 20 s apart from 2024-05-01 12:00:00.000 UTC (event i at +i*20 s + (i*7 % 1000) ms),
// ids 1001..1040, all in log group /ck/cuddle-kube, one stream per service task.
//
// Thread-safety: immutable data; Run is reentrant.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collector/insights/log_event.h"
#include "collector/insights/query.h"
#include "core/status.h"

namespace ck::collector::insights::test_events {

inline constexpr std::string_view kGroup = "/ck/cuddle-kube";
inline constexpr int64_t kIngestionDelayMs = 250;

struct FixtureEvent {
  uint64_t id;
  int64_t timestamp_ms;
  const char* stream;
  const char* message;
};

// In ascending time order.
inline const std::vector<FixtureEvent>& Events() {
  static const std::vector<FixtureEvent>
      events =
          {
              {1001, 1714564800000, "public-site/task-1",
               R"json({"ts":"2024-05-01T12:00:00.000Z","level":"info","service":"public-site","msg":"request served","trace_id":"1-66322a80-000000000000000000000001","span_id":"0000000000001eef","route":"/","status":200,"latency_ms":12,"client_ip":"10.0.1.15"})json"},
              {1002, 1714564820007, "list-api/task-1",
               R"json({"ts":"2024-05-01T12:00:20.007Z","level":"info","service":"list-api","msg":"listed residents","trace_id":"1-66322a80-000000000000000000000001","span_id":"0000000000001eef","route":"/list","status":200,"latency_ms":35,"items":[{"id":"r1"},{"id":"r2"}],"count":2})json"},
              {1003, 1714564840014, "register-api/task-2",
               R"json({"ts":"2024-05-01T12:00:40.014Z","level":"info","service":"register-api","msg":"registration accepted","trace_id":"1-66322a80-000000000000000000000002","span_id":"0000000000003dde","route":"/register","status":201,"latency_ms":88,"http":{"method":"POST","status":201}})json"},
              {1004, 1714564860021, "register-api/task-2",
               R"json(register-api starting on port 8081)json"},
              {1005, 1714564880028, "validate-api/task-1",
               R"json({"ts":"2024-05-01T12:01:20.028Z","level":"warn","service":"validate-api","msg":"slow validation","trace_id":"1-66322a80-000000000000000000000003","span_id":"0000000000005ccd","route":"/validate","status":200,"latency_ms":450})json"},
              {1006, 1714564900035, "register-api/task-2",
               R"json({"ts":"2024-05-01T12:01:40.035Z","level":"error","service":"register-api","msg":"dynamodb PutItem failed: TLS handshake failed","trace_id":"1-66322a80-000000000000000000000004","span_id":"0000000000007bbc","route":"/register","status":500,"latency_ms":1203,"error":{"type":"TlsError","cause":"unable to get local issuer certificate"},"http":{"method":"POST","status":500}})json"},
              {1007, 1714564920042, "public-site/task-1",
               R"json({"ts":"2024-05-01T12:02:00.042Z","level":"info","service":"public-site","msg":"request served","trace_id":"1-66322a80-000000000000000000000005","span_id":"0000000000009aab","route":"/","status":200,"latency_ms":9,"client_ip":"10.0.2.7"})json"},
              {1008, 1714564940049, "order-api/task-1",
               R"json({"ts":"2024-05-01T12:02:20.049Z","level":"info","service":"order-api","msg":"order placed","trace_id":"1-66322a80-000000000000000000000006","span_id":"000000000000b99a","route":"/order","status":201,"latency_ms":140})json"},
              {1009, 1714564960056, "public-site/task-1", R"json(GET /healthz 200 1ms)json"},
              {1010, 1714564980063, "list-api/task-1",
               R"json({"ts":"2024-05-01T12:03:00.063Z","level":"info","service":"list-api","msg":"listed residents","trace_id":"1-66322a80-000000000000000000000007","span_id":"000000000000d889","route":"/list","status":200,"latency_ms":41,"items":[{"id":"r3"}],"count":1})json"},
              {1011, 1714565000070, "register-api/task-2",
               R"json({"ts":"2024-05-01T12:03:20.070Z","level":"error","service":"register-api","msg":"dynamodb PutItem failed: TLS handshake failed","trace_id":"1-66322a80-000000000000000000000008","span_id":"000000000000f778","route":"/register","status":500,"latency_ms":1188,"error":{"type":"TlsError","cause":"unable to get local issuer certificate"},"http":{"method":"POST","status":500}})json"},
              {1012, 1714565020077, "feed-api/task-1",
               R"json({"ts":"2024-05-01T12:03:40.077Z","level":"info","service":"feed-api","msg":"feed refreshed","trace_id":"1-66322a80-000000000000000000000009","span_id":"0000000000011667","route":"/feed","status":200,"latency_ms":22,"cached":true})json"},
              {1013, 1714565040084, "validate-api/task-1",
               R"json({"ts":"2024-05-01T12:04:00.084Z","level":"info","service":"validate-api","msg":"validation passed","trace_id":"1-66322a80-00000000000000000000000a","span_id":"0000000000013556","route":"/validate","status":200,"latency_ms":18})json"},
              {1014, 1714565060091, "public-site/task-1",
               R"json({"ts":"2024-05-01T12:04:20.091Z","level":"warn","service":"public-site","msg":"upstream retry","trace_id":"1-66322a80-00000000000000000000000b","span_id":"0000000000015445","route":"/register","status":502,"latency_ms":2301,"client_ip":"192.168.4.20"})json"},
              {1015, 1714565080098, "register-api/task-2",
               R"json(TLS handshake failed: x509: certificate signed by unknown authority)json"},
              {1016, 1714565100105, "order-api/task-1",
               R"json({"ts":"2024-05-01T12:05:00.105Z","level":"error","service":"order-api","msg":"payment declined","trace_id":"1-66322a80-00000000000000000000000c","span_id":"0000000000017334","route":"/order","status":402,"latency_ms":77,"user":"zoë","note":"Résident ajouté: Zoë 👵"})json"},
              {1017, 1714565120112, "list-api/task-1",
               R"json({"ts":"2024-05-01T12:05:20.112Z","level":"info","service":"list-api","msg":"listed residents","trace_id":"1-66322a80-00000000000000000000000d","span_id":"0000000000019223","route":"/list","status":200,"latency_ms":29,"items":[],"count":0})json"},
              {1018, 1714565140119,
               "register-api/task-2", R"json({"ts":"2024-05-01T12:05:40.119Z","level":"info","service":"register-api","msg":"registration accepted","trace_id":"1-66322a80-00000000000000000000000e","span_id":"000000000001b112","route":"/register","status":201,"latency_ms":95,"http":{"method":"POST","status":201}})json"},
              {1019, 1714565160126, "feed-api/task-1",
               R"json({"ts":"2024-05-01T12:06:00.126Z","level":"info","service":"feed-api","msg":"feed refreshed","trace_id":"1-66322a80-00000000000000000000000f","span_id":"000000000001d001","route":"/feed","status":200,"latency_ms":25,"cached":false})json"},
              {1020, 1714565180133, "public-site/task-1",
               R"json({"ts":"2024-05-01T12:06:20.133Z","level":"info","service":"public-site","msg":"request served","trace_id":"1-66322a80-000000000000000000000010","span_id":"000000000001eef0","route":"/","status":200,"latency_ms":11,"client_ip":"2001:db8::17"})json"},
              {1021, 1714565200140, "list-api/task-1",
               R"json(user=alice action=list result=ok)json"},
              {1022, 1714565220147, "validate-api/task-1",
               R"json({"ts":"2024-05-01T12:07:00.147Z","level":"error","service":"validate-api","msg":"validation rejected","trace_id":"1-66322a80-000000000000000000000011","span_id":"0000000000020ddf","route":"/validate","status":400,"latency_ms":15,"reason":"name too long"})json"},
              {1023, 1714565240154, "register-api/task-2",
               R"json({"ts":"2024-05-01T12:07:20.154Z","level":"error","service":"register-api","msg":"dynamodb PutItem failed: TLS handshake failed","trace_id":"1-66322a80-000000000000000000000012","span_id":"0000000000022cce","route":"/register","status":500,"latency_ms":1250,"error":{"type":"TlsError","cause":"unable to get local issuer certificate"},"http":{"method":"POST","status":500}})json"},
              {1024, 1714565260161, "order-api/task-1",
               R"json({"ts":"2024-05-01T12:07:40.161Z","level":"info","service":"order-api","msg":"order placed","trace_id":"1-66322a80-000000000000000000000013","span_id":"0000000000024bbd","route":"/order","status":201,"latency_ms":133})json"},
              {1025, 1714565280168, "list-api/task-1",
               R"json(user=bob action=register result=denied)json"},
              {1026, 1714565300175, "public-site/task-1",
               R"json({"ts":"2024-05-01T12:08:20.175Z","level":"info","service":"public-site","msg":"request served","trace_id":"1-66322a80-000000000000000000000014","span_id":"0000000000026aac","route":"/","status":200,"latency_ms":14,"client_ip":"10.0.1.99"})json"},
              {1027, 1714565320182, "list-api/task-1",
               R"json({"ts":"2024-05-01T12:08:40.182Z","level":"warn","service":"list-api","msg":"slow scan","trace_id":"1-66322a80-000000000000000000000015","span_id":"000000000002899b","route":"/list","status":200,"latency_ms":610,"items":[{"id":"r1"}],"count":1})json"},
              {1028,
               1714565340189, "feed-api/task-1", R"json({"ts":"2024-05-01T12:09:00.189Z","level":"info","service":"feed-api","msg":"feed refreshed","trace_id":"1-66322a80-000000000000000000000016","span_id":"000000000002a88a","route":"/feed","status":304,"latency_ms":3,"cached":true})json"},
              {1029, 1714565360196, "register-api/task-2",
               R"json({"ts":"2024-05-01T12:09:20.196Z","level":"info","service":"register-api","msg":"registration accepted","trace_id":"1-66322a80-000000000000000000000017","span_id":"000000000002c779","route":"/register","status":201,"latency_ms":102,"http":{"method":"POST","status":201}})json"},
              {1030, 1714565380203, "order-api/task-1", R"json(   )json"},
              {1031, 1714565400210, "public-site/task-1",
               R"json({"ts":"2024-05-01T12:10:00.210Z","level":"info","service":"public-site","msg":"request served","trace_id":"1-66322a80-000000000000000000000018","span_id":"000000000002e668","route":"/","status":200,"latency_ms":10,"client_ip":"10.0.2.8"})json"},
              {1032, 1714565420217, "validate-api/task-1",
               R"json({"ts":"2024-05-01T12:10:20.217Z","level":"info","service":"validate-api","msg":"validation passed","trace_id":"1-66322a80-000000000000000000000019","span_id":"0000000000030557","route":"/validate","status":200,"latency_ms":21})json"},
              {1033, 1714565440224, "order-api/task-1",
               R"json({"ts":"2024-05-01T12:10:40.224Z","level":"warn","service":"order-api","msg":"inventory low","trace_id":"1-66322a80-00000000000000000000001a","span_id":"0000000000032446","route":"/order","status":201,"latency_ms":160})json"},
              {1034, 1714565460231, "public-site/task-1", R"json(GET /healthz 200 2ms)json"},
              {1035, 1714565480238, "list-api/task-1",
               R"json({"ts":"2024-05-01T12:11:20.238Z","level":"info","service":"list-api","msg":"listed residents","trace_id":"1-66322a80-00000000000000000000001b","span_id":"0000000000034335","route":"/list","status":200,"latency_ms":33,"items":[{"id":"r2"},{"id":"r5"},{"id":"r9"}],"count":3})json"},
              {1036, 1714565500245, "register-api/task-2",
               R"json({"ts":"2024-05-01T12:11:40.245Z","level":"error","service":"register-api","msg":"dynamodb PutItem failed: TLS handshake failed","trace_id":"1-66322a80-00000000000000000000001c","span_id":"0000000000036224","route":"/register","status":503,"latency_ms":999,"error":{"type":"TlsError","cause":"unable to get local issuer certificate"},"http":{"method":"POST","status":503}})json"},
              {1037,
               1714565520252, "public-site/task-1", R"json({"ts":"2024-05-01T12:12:00.252Z","level":"info","service":"public-site","msg":"request served","trace_id":"1-66322a80-00000000000000000000001d","span_id":"0000000000038113","route":"/","status":200,"latency_ms":13,"client_ip":"10.0.3.1"})json"},
              {1038, 1714565540259, "feed-api/task-1",
               R"json({"level":"info","msg":"cache warm","service":"feed-api","status":"200","latency_ms":"7.5"})json"},
              {1039, 1714565560266, "order-api/task-1",
               R"json({"ts":"2024-05-01T12:12:40.266Z","level":"info","service":"order-api","msg":"order placed","trace_id":"1-66322a80-00000000000000000000001e","span_id":"000000000003a002","route":"/order","status":201,"latency_ms":121})json"},
              {1040, 1714565580273, "public-site/task-1",
               R"json({"ts":"2024-05-01T12:13:00.273Z","level":"error","service":"public-site","msg":"render failed","trace_id":"1-66322a80-00000000000000000000001f","span_id":"000000000003bef1","route":"/","status":500,"latency_ms":48,"client_ip":"10.0.9.9"})json"},
          };
  return events;
}

// Feeds `events` to a run like the store: newest first unless NeedsOf asks for ascending order,
// leaving out the columns NeedsOf does not ask for, and stopping when Add returns false.
inline QueryResult RunOver(const std::shared_ptr<const Query>& query,
                           const std::vector<FixtureEvent>& events, RunOptions options = {}) {
  const ScanNeeds needs = NeedsOf(*query);
  std::vector<FixtureEvent> ordered = events;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [&](const FixtureEvent& a, const FixtureEvent& b) {
                     if (a.timestamp_ms != b.timestamp_ms) {
                       return needs.ascending ? a.timestamp_ms < b.timestamp_ms
                                              : a.timestamp_ms > b.timestamp_ms;
                     }
                     return needs.ascending ? a.id < b.id : a.id > b.id;
                   });
  QueryRun run(query, options);
  for (const FixtureEvent& fixture : ordered) {
    LogEvent event;
    event.id = fixture.id;
    event.timestamp_ms = fixture.timestamp_ms;
    if (needs.ingestion_time) event.ingestion_time_ms = fixture.timestamp_ms + kIngestionDelayMs;
    if (needs.message) event.message = fixture.message;
    if (needs.log_stream) event.log_stream = fixture.stream;
    if (needs.log_group) event.log_group = kGroup;
    if (!run.Add(event)) break;
  }
  return run.Finish();
}

// Parses and runs `text` over the fixture.
inline Result<QueryResult> Run(std::string_view text, RunOptions options = {}) {
  CK_ASSIGN_OR_RETURN(std::shared_ptr<const Query> query, ParseQuery(text));
  return RunOver(query, Events(), options);
}

}  // namespace ck::collector::insights::test_events
