#include "collector/logs_api.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cinttypes>
#include <cstdio>

#include "collector/logs/filter_pattern.h"
#include "collector/logs_api_params.h"
#include "collector/logs_queries.h"
#include "core/crypto.h"

namespace ck::collector {

using nlohmann::json;

namespace {

constexpr std::string_view kTargetPrefix = "Logs_20140328.";
constexpr std::string_view kRestPrefix = "/v1/logs/";
constexpr int64_t kMaxResponseBytes = 1 << 20;
// Events FilterLogEvents examines per call before answering with a nextToken (CloudWatch also
// returns partial pages with a token when a search runs long).
constexpr uint64_t kMaxScannedPerFilterCall = 500'000;
// PutLogEvents: CloudWatch's limits.
constexpr size_t kMaxPutEvents = 10'000;
constexpr size_t kMaxPutBytes = 1'048'576;
constexpr size_t kPerEventOverheadBytes = 26;
constexpr int64_t kDayMs = 24 * 3600 * 1000LL;

int64_t NowMs(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch())
      .count();
}

json GroupJson(const logs::LogGroupInfo& group) {
  json out = {
      {"logGroupName", group.name},
      {"creationTime", group.creation_time_ms},
      {"metricFilterCount", 0},
      {"arn", LogGroupArn(group.name)},
      {"logGroupArn", LogGroupArn(group.name).substr(0, LogGroupArn(group.name).size() - 2)},
      {"storedBytes", group.stored_bytes},
      {"logGroupClass", "STANDARD"}};
  if (group.retention_days) out["retentionInDays"] = *group.retention_days;
  return out;
}

json StreamJson(std::string_view group, const logs::LogStreamInfo& stream) {
  json out = {{"logStreamName", stream.name},
              {"creationTime", stream.creation_time_ms},
              {"arn", LogGroupArn(group).substr(0, LogGroupArn(group).size() - 1) +
                          "log-stream:" + stream.name},
              {"storedBytes", stream.stored_bytes}};
  if (stream.first_event_timestamp_ms)
    out["firstEventTimestamp"] = *stream.first_event_timestamp_ms;
  if (stream.last_event_timestamp_ms) out["lastEventTimestamp"] = *stream.last_event_timestamp_ms;
  if (stream.last_ingestion_time_ms) out["lastIngestionTime"] = *stream.last_ingestion_time_ms;
  return out;
}

// GetLogEvents / FilterLogEvents tokens: "<direction>/<timestamp>/<id>", resuming strictly after
// that event in the token's direction.
std::string EncodeToken(char direction, const logs::ScanPosition& position) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%c/%" PRId64 "/%" PRIu64, direction, position.timestamp_ms,
                position.id);
  return buffer;
}

std::optional<std::pair<char, logs::ScanPosition>> DecodeToken(std::string_view token) {
  if (token.size() < 5 || (token[0] != 'f' && token[0] != 'b') || token[1] != '/') {
    return std::nullopt;
  }
  const char* begin = token.data() + 2;
  const char* end = token.data() + token.size();
  logs::ScanPosition position;
  auto first = std::from_chars(begin, end, position.timestamp_ms);
  if (first.ec != std::errc() || first.ptr == end || *first.ptr != '/') return std::nullopt;
  auto second = std::from_chars(first.ptr + 1, end, position.id);
  if (second.ec != std::errc() || second.ptr != end) return std::nullopt;
  return std::make_pair(token[0], position);
}

// The stream names a FilterLogEvents prefix selects (bounded by CloudWatch's 100).
Result<std::vector<std::string>> StreamsWithPrefix(logs::LogStore& store, std::string_view group,
                                                   std::string_view prefix) {
  std::vector<std::string> names;
  std::string token;
  do {
    CK_ASSIGN_OR_RETURN(auto page, store.DescribeStreams(group, prefix, false, false, 50, token));
    for (const auto& stream : page.items) names.push_back(stream.name);
    token = page.next_token.value_or("");
  } while (!token.empty() && names.size() < 100);
  if (names.empty()) return NotFound("The specified log stream does not exist.");
  return names;
}

Result<bool> StreamExists(logs::LogStore& store, std::string_view group, std::string_view stream) {
  std::string token;
  do {
    CK_ASSIGN_OR_RETURN(auto page, store.DescribeStreams(group, stream, false, false, 50, token));
    for (const auto& info : page.items) {
      if (info.name == stream) return true;
    }
    token = page.next_token.value_or("");
  } while (!token.empty());
  return false;
}

}  // namespace

LogsApi::LogsApi(logs::LogStore& store, const Clock& clock)
    : store_(store), clock_(clock), queries_(std::make_unique<InsightsQueries>(store, clock)) {}

LogsApi::~LogsApi() = default;

bool LogsApi::Accepts(const http::HttpRequest& request) {
  const std::string_view target = http::HeaderValue(request, "X-Amz-Target");
  if (target.substr(0, kTargetPrefix.size()) == kTargetPrefix) return true;
  const std::string_view path = request.target();
  return path.substr(0, kRestPrefix.size()) == kRestPrefix;
}

namespace {

class Operations {
 public:
  Operations(logs::LogStore& store, const Clock& clock, InsightsQueries& queries)
      : store_(store), clock_(clock), queries_(queries) {}

  LogsReply Dispatch(std::string_view operation, const json& body) {
    using Handler = LogsReply (Operations::*)(const json&);
    static constexpr std::array<std::pair<std::string_view, Handler>, 17> kOperations = {{
        {"CreateLogGroup", &Operations::CreateLogGroup},
        {"DeleteLogGroup", &Operations::DeleteLogGroup},
        {"DescribeLogGroups", &Operations::DescribeLogGroups},
        {"PutRetentionPolicy", &Operations::PutRetentionPolicy},
        {"DeleteRetentionPolicy", &Operations::DeleteRetentionPolicy},
        {"CreateLogStream", &Operations::CreateLogStream},
        {"DeleteLogStream", &Operations::DeleteLogStream},
        {"DescribeLogStreams", &Operations::DescribeLogStreams},
        {"PutLogEvents", &Operations::PutLogEvents},
        {"GetLogEvents", &Operations::GetLogEvents},
        {"FilterLogEvents", &Operations::FilterLogEvents},
        {"GetLogRecord", &Operations::GetLogRecord},
        {"StartQuery", &Operations::StartQuery},
        {"GetQueryResults", &Operations::GetQueryResults},
        {"StopQuery", &Operations::StopQuery},
        {"DescribeQueries", &Operations::DescribeQueries},
        {"ListLogGroups", &Operations::DescribeLogGroups},
    }};
    for (const auto& [name, handler] : kOperations) {
      if (name == operation) return (this->*handler)(body);
    }
    return LogsReply::Error("UnknownOperationException",
                            "Unknown operation " + std::string(operation));
  }

 private:
  // logGroupName, or the name in a logGroupIdentifier (a name or an ARN).
  std::string GroupOf(Params& params, const json& body, bool required) {
    if (body.contains("logGroupIdentifier")) {
      std::optional<std::string> identifier = params.String("logGroupIdentifier", 2048);
      std::string name = identifier.value_or("");
      constexpr std::string_view kArnMarker = ":log-group:";
      if (size_t at = name.find(kArnMarker); at != std::string::npos) {
        name = name.substr(at + kArnMarker.size());
        if (name.size() >= 2 && name.substr(name.size() - 2) == ":*") name.resize(name.size() - 2);
      }
      json wrapper = {{"logGroupIdentifier", name}};
      Params check(wrapper);
      check.GroupName("logGroupIdentifier", true);
      if (check.error()) params.Fail(check.error()->error_type, check.error()->message);
      return name;
    }
    return params.GroupName("logGroupName", required);
  }

  LogsReply CreateLogGroup(const json& body) {
    Params params(body);
    std::string group = params.GroupName("logGroupName", true);
    if (params.error()) return *params.error();
    Status status = store_.CreateGroup(group, std::nullopt);
    if (!status.ok()) return LogsReply::FromStatus(status);
    return LogsReply::Ok(json::object());
  }

  LogsReply DeleteLogGroup(const json& body) {
    Params params(body);
    std::string group = params.GroupName("logGroupName", true);
    if (params.error()) return *params.error();
    Status status = store_.DeleteGroup(group);
    return status.ok() ? LogsReply::Ok(json::object()) : LogsReply::FromStatus(status);
  }

  LogsReply DescribeLogGroups(const json& body) {
    Params params(body);
    std::string prefix = body.contains("logGroupNamePrefix")
                             ? params.GroupName("logGroupNamePrefix", false)
                             : params.String("logGroupNamePattern", 512).value_or("");
    const int64_t limit = params.Int("limit", 1, 50).value_or(50);
    const std::string token = params.String("nextToken", 1024).value_or("");
    if (params.error()) return *params.error();
    auto page = store_.DescribeGroups(prefix, static_cast<size_t>(limit), token);
    if (!page.ok()) return LogsReply::FromStatus(page.status());
    json groups = json::array();
    for (const auto& group : page->items) groups.push_back(GroupJson(group));
    json out = {{"logGroups", std::move(groups)}};
    if (page->next_token) out["nextToken"] = *page->next_token;
    return LogsReply::Ok(std::move(out));
  }

  LogsReply PutRetentionPolicy(const json& body) {
    Params params(body);
    std::string group = params.GroupName("logGroupName", true);
    std::optional<int64_t> days = params.Int("retentionInDays", 1, 3653);
    if (!params.error() && !days) {
      params.Fail("InvalidParameterException",
                  "1 validation error detected: Value null at 'retentionInDays' failed to satisfy "
                  "constraint: Member must not be null");
    }
    if (!params.error() && !IsValidRetentionDays(*days)) {
      params.Fail("InvalidParameterException",
                  "1 validation error detected: Value '" + std::to_string(*days) +
                      "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy "
                      "enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, "
                      "731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]");
    }
    if (params.error()) return *params.error();
    Status status = store_.SetRetention(group, static_cast<int>(*days));
    return status.ok() ? LogsReply::Ok(json::object()) : LogsReply::FromStatus(status);
  }

  LogsReply DeleteRetentionPolicy(const json& body) {
    Params params(body);
    std::string group = params.GroupName("logGroupName", true);
    if (params.error()) return *params.error();
    Status status = store_.SetRetention(group, std::nullopt);
    return status.ok() ? LogsReply::Ok(json::object()) : LogsReply::FromStatus(status);
  }

  LogsReply CreateLogStream(const json& body) {
    Params params(body);
    std::string group = params.GroupName("logGroupName", true);
    std::string stream = params.StreamName("logStreamName", true);
    if (params.error()) return *params.error();
    Status status = store_.CreateStream(group, stream);
    return status.ok() ? LogsReply::Ok(json::object()) : LogsReply::FromStatus(status);
  }

  LogsReply DeleteLogStream(const json& body) {
    Params params(body);
    std::string group = params.GroupName("logGroupName", true);
    std::string stream = params.StreamName("logStreamName", true);
    if (params.error()) return *params.error();
    Status status = store_.DeleteStream(group, stream);
    return status.ok() ? LogsReply::Ok(json::object()) : LogsReply::FromStatus(status);
  }

  LogsReply DescribeLogStreams(const json& body) {
    Params params(body);
    std::string group = GroupOf(params, body, true);
    std::string prefix = params.StreamName("logStreamNamePrefix", false);
    std::string order_by = params.String("orderBy", 32).value_or("LogStreamName");
    const bool descending = params.Bool("descending").value_or(false);
    const int64_t limit = params.Int("limit", 1, 50).value_or(50);
    const std::string token = params.String("nextToken", 1024).value_or("");
    if (!params.error() && order_by != "LogStreamName" && order_by != "LastEventTime") {
      params.Fail("InvalidParameterException",
                  "1 validation error detected: Value '" + order_by +
                      "' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value "
                      "set: [LogStreamName, LastEventTime]");
    }
    if (!params.error() && order_by == "LastEventTime" && !prefix.empty()) {
      params.Fail("InvalidParameterException",
                  "Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    if (params.error()) return *params.error();
    auto page = store_.DescribeStreams(group, prefix, order_by == "LastEventTime", descending,
                                       static_cast<size_t>(limit), token);
    if (!page.ok()) return LogsReply::FromStatus(page.status());
    json streams = json::array();
    for (const auto& stream : page->items) streams.push_back(StreamJson(group, stream));
    json out = {{"logStreams", std::move(streams)}};
    if (page->next_token) out["nextToken"] = *page->next_token;
    return LogsReply::Ok(std::move(out));
  }

  LogsReply PutLogEvents(const json& body) {
    Params params(body);
    std::string group = GroupOf(params, body, true);
    std::string stream = params.StreamName("logStreamName", true);
    if (params.error()) return *params.error();
    auto events = body.find("logEvents");
    if (events == body.end() || !events->is_array() || events->empty() ||
        events->size() > kMaxPutEvents) {
      return LogsReply::Error("InvalidParameterException",
                              "1 validation error detected: Value at 'logEvents' failed to "
                              "satisfy constraint: Member must have length between 1 and 10000");
    }
    auto exists = StreamExists(store_, group, stream);
    if (!exists.ok()) return LogsReply::FromStatus(exists.status());
    if (!*exists) {
      return LogsReply::Error("ResourceNotFoundException",
                              "The specified log stream does not exist.");
    }
    const int64_t now = NowMs(clock_);
    std::vector<logs::NewLogEvent> accepted;
    size_t batch_bytes = 0;
    std::optional<size_t> too_old_end, too_new_start;
    for (size_t index = 0; index < events->size(); ++index) {
      const json& event = (*events)[index];
      auto timestamp = event.find("timestamp");
      auto message = event.find("message");
      if (!event.is_object() || timestamp == event.end() || !timestamp->is_number_integer() ||
          message == event.end() || !message->is_string() ||
          message->get_ref<const std::string&>().empty()) {
        return LogsReply::Error("InvalidParameterException",
                                "Log event " + std::to_string(index) +
                                    " needs a timestamp (integer, ms) and a non-empty message");
      }
      const int64_t at = timestamp->get<int64_t>();
      const std::string& text = message->get_ref<const std::string&>();
      batch_bytes += text.size() + kPerEventOverheadBytes;
      if (batch_bytes > kMaxPutBytes) {
        return LogsReply::Error(
            "InvalidParameterException",
            "Upload too large: " + std::to_string(batch_bytes) + " bytes exceeds limit of 1048576");
      }
      if (at < now - 14 * kDayMs) {
        too_old_end = index + 1;
        continue;
      }
      if (at > now + 2 * 3600 * 1000LL) {
        if (!too_new_start) too_new_start = index;
        continue;
      }
      accepted.push_back(logs::NewLogEvent{group, stream, at, text, {}});
    }
    if (!accepted.empty()) {
      Status status = store_.Append(accepted);
      if (!status.ok()) return LogsReply::FromStatus(status);
    }
    json out = json::object();
    if (too_old_end || too_new_start) {
      json rejected = json::object();
      if (too_old_end) rejected["tooOldLogEventEndIndex"] = *too_old_end;
      if (too_new_start) rejected["tooNewLogEventStartIndex"] = *too_new_start;
      out["rejectedLogEventsInfo"] = std::move(rejected);
    }
    return LogsReply::Ok(std::move(out));
  }

  LogsReply GetLogEvents(const json& body) {
    Params params(body);
    std::string group = GroupOf(params, body, true);
    std::string stream = params.StreamName("logStreamName", true);
    const int64_t start = params.Int("startTime", 0, INT64_MAX).value_or(0);
    const int64_t end = params.Int("endTime", 0, INT64_MAX).value_or(INT64_MAX);
    const int64_t limit = params.Int("limit", 1, 10'000).value_or(10'000);
    const bool from_head = params.Bool("startFromHead").value_or(false);
    const std::optional<std::string> token = params.String("nextToken", 1024);
    std::optional<std::pair<char, logs::ScanPosition>> resume;
    if (!params.error() && token) {
      resume = DecodeToken(*token);
      if (!resume) params.Fail("InvalidParameterException", "The specified nextToken is invalid.");
    }
    if (params.error()) return *params.error();

    logs::ScanRequest request;
    request.groups = {group};
    request.streams = {stream};
    request.start_ms = start;
    request.end_ms = end == INT64_MAX ? INT64_MAX : end - 1;  // endTime is exclusive
    const bool forward = resume ? resume->first == 'f' : from_head;
    request.needs.ascending = forward;
    if (resume) request.resume_after = resume->second;
    std::vector<json> events;
    std::optional<logs::ScanPosition> first, last;
    int64_t bytes = 0;
    Status status = store_.Scan(request, [&](const insights::LogEvent& event) {
      events.push_back({{"timestamp", event.timestamp_ms},
                        {"message", std::string(event.message)},
                        {"ingestionTime", event.ingestion_time_ms}});
      const logs::ScanPosition position{event.timestamp_ms, event.id};
      if (!first) first = position;
      last = position;
      bytes += static_cast<int64_t>(event.message.size()) + kPerEventOverheadBytes;
      return static_cast<int64_t>(events.size()) < limit && bytes < kMaxResponseBytes;
    });
    if (!status.ok()) {
      if (status.code() == StatusCode::kNotFound) {
        return LogsReply::Error("ResourceNotFoundException", status.message());
      }
      return LogsReply::FromStatus(status);
    }
    if (!forward) std::reverse(events.begin(), events.end());
    // Oldest and newest event of the page, whatever order it was read in.
    std::optional<logs::ScanPosition> oldest = forward ? first : last;
    std::optional<logs::ScanPosition> newest = forward ? last : first;
    const logs::ScanPosition head{INT64_MIN, 0};
    const logs::ScanPosition tail{INT64_MAX, UINT64_MAX};
    json out = {{"events", std::move(events)}};
    if (newest) {
      out["nextForwardToken"] = EncodeToken('f', *newest);
      out["nextBackwardToken"] = EncodeToken('b', *oldest);
    } else if (token) {
      // Nothing further in that direction: CloudWatch hands back the same token.
      out["nextForwardToken"] = *token;
      out["nextBackwardToken"] = *token;
    } else {
      out["nextForwardToken"] = EncodeToken('f', forward ? head : tail);
      out["nextBackwardToken"] = EncodeToken('b', forward ? head : tail);
    }
    return LogsReply::Ok(std::move(out));
  }

  LogsReply FilterLogEvents(const json& body) {
    Params params(body);
    std::string group = GroupOf(params, body, false);
    std::vector<std::string> streams = params.StreamNames("logStreamNames", 100);
    std::string stream_prefix = params.StreamName("logStreamNamePrefix", false);
    const int64_t start = params.Int("startTime", 0, INT64_MAX).value_or(0);
    const int64_t end = params.Int("endTime", 0, INT64_MAX).value_or(INT64_MAX);
    const int64_t limit = params.Int("limit", 1, 10'000).value_or(10'000);
    const std::string pattern_text = params.String("filterPattern", 1024).value_or("");
    const std::optional<std::string> token = params.String("nextToken", 1024);
    if (!params.error() && !streams.empty() && !stream_prefix.empty()) {
      params.Fail("InvalidParameterException",
                  "logStreamNames and logStreamNamePrefix are mutually exclusive");
    }
    if (!params.error() && group.empty() && (!streams.empty() || !stream_prefix.empty())) {
      params.Fail("InvalidParameterException", "Streams can be named only with a log group");
    }
    std::optional<std::pair<char, logs::ScanPosition>> resume;
    if (!params.error() && token) {
      resume = DecodeToken(*token);
      if (!resume || resume->first != 'f') {
        params.Fail("InvalidParameterException", "The specified nextToken is invalid.");
      }
    }
    if (params.error()) return *params.error();
    auto pattern = logs::FilterPattern::Parse(pattern_text);
    if (!pattern.ok()) {
      return LogsReply::Error("InvalidParameterException", pattern.status().message());
    }
    if (!stream_prefix.empty()) {
      auto selected = StreamsWithPrefix(store_, group, stream_prefix);
      if (!selected.ok()) return LogsReply::FromStatus(selected.status());
      streams = std::move(*selected);
    }

    logs::ScanRequest request;
    if (!group.empty()) request.groups = {group};
    request.streams = streams;
    request.start_ms = start;
    request.end_ms = end;
    request.needs.ascending = true;
    if (resume) request.resume_after = resume->second;
    if (auto trace_id = pattern->TraceIdEquality()) request.trace_id = *trace_id;
    json events = json::array();
    uint64_t scanned = 0;
    int64_t bytes = 0;
    bool stopped_early = false;
    logs::ScanPosition position;
    Status status = store_.Scan(request, [&](const insights::LogEvent& event) {
      ++scanned;
      position = logs::ScanPosition{event.timestamp_ms, event.id};
      if (pattern->Matches(event.message)) {
        json item = {{"logStreamName", std::string(event.log_stream)},
                     {"timestamp", event.timestamp_ms},
                     {"message", std::string(event.message)},
                     {"ingestionTime", event.ingestion_time_ms},
                     {"eventId", std::to_string(event.id)}};
        if (group.empty()) item["logGroupName"] = std::string(event.log_group);
        events.push_back(std::move(item));
        bytes += static_cast<int64_t>(event.message.size()) + kPerEventOverheadBytes;
      }
      if (static_cast<int64_t>(events.size()) >= limit || bytes >= kMaxResponseBytes ||
          scanned >= kMaxScannedPerFilterCall) {
        stopped_early = true;
        return false;
      }
      return true;
    });
    if (!status.ok()) return LogsReply::FromStatus(status);
    json out = {{"events", std::move(events)}, {"searchedLogStreams", json::array()}};
    if (stopped_early) out["nextToken"] = EncodeToken('f', position);
    return LogsReply::Ok(std::move(out));
  }

  LogsReply GetLogRecord(const json& body) {
    Params params(body);
    std::optional<std::string> pointer = params.String("logRecordPointer", 1024);
    if (params.error()) return *params.error();
    std::optional<uint64_t> id =
        pointer ? insights::DecodeEventPointer(*pointer) : std::optional<uint64_t>();
    if (!id) {
      return LogsReply::Error("InvalidParameterException", "The log record pointer is not valid.");
    }
    auto event = store_.GetEvent(*id);
    if (!event.ok()) return LogsReply::FromStatus(event.status());
    if (!*event) {
      return LogsReply::Error("ResourceNotFoundException",
                              "The specified log record does not exist.");
    }
    const logs::StoredLogEvent& stored = **event;
    json record = {{"@timestamp", std::to_string(stored.timestamp_ms)},
                   {"@ingestionTime", std::to_string(stored.ingestion_time_ms)},
                   {"@log", "000000000000:" + stored.group},
                   {"@logStream", stored.stream},
                   {"@message", stored.message}};
    // Top-level members of a JSON message, as Insights discovers them.
    json parsed = json::parse(stored.message, nullptr, false);
    if (parsed.is_object()) {
      for (const auto& [key, value] : parsed.items()) {
        if (record.contains(key)) continue;
        record[key] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
    return LogsReply::Ok({{"logRecord", std::move(record)}});
  }

  LogsReply StartQuery(const json& body) { return queries_.Start(body); }
  LogsReply GetQueryResults(const json& body) { return queries_.Results(body); }
  LogsReply StopQuery(const json& body) { return queries_.Stop(body); }
  LogsReply DescribeQueries(const json& body) { return queries_.Describe(body); }

  logs::LogStore& store_;
  const Clock& clock_;
  InsightsQueries& queries_;
};

http::HttpResponse Respond(const http::HttpRequest& request, const LogsReply& reply,
                           std::string_view content_type) {
  json body = reply.body;
  if (!reply.error_type.empty()) {
    body = {{"__type", reply.error_type}, {"message", reply.message}};
  }
  http::HttpResponse response = http::MakeResponse(
      static_cast<http::HttpStatus>(reply.status), content_type,
      body.dump(-1, ' ', false, json::error_handler_t::replace), request.version());
  if (!reply.error_type.empty()) response.set("x-amzn-ErrorType", reply.error_type);
  std::string id = RandomHex(16);
  id.insert(20, "-").insert(16, "-").insert(12, "-").insert(8, "-");
  response.set("x-amzn-RequestId", id);
  return response;
}

}  // namespace

http::HttpResponse LogsApi::Handle(const http::HttpRequest& request) {
  constexpr std::string_view kJson11 = "application/x-amz-json-1.1";
  const std::string_view target = http::HeaderValue(request, "X-Amz-Target");
  const bool rest = target.empty();
  const std::string_view content_type = rest ? "application/json" : kJson11;
  if (request.method() != http::Verb::post) {
    return Respond(request,
                   LogsReply::Error("UnknownOperationException", "Logs operations use POST", 405),
                   content_type);
  }
  json body =
      json::parse(request.body().empty() ? std::string_view("{}") : request.body(), nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Respond(
        request,
        LogsReply::Error("SerializationException", "The request body is not a valid JSON object"),
        content_type);
  }
  if (rest) {
    const std::string_view path = request.target();
    if (path == "/v1/logs/query") return Respond(request, queries_->Paged(body), content_type);
    return Respond(request,
                   LogsReply::Error("ResourceNotFoundException",
                                    "Unknown path " + std::string(path) +
                                        "; the paged query endpoint is POST /v1/logs/query",
                                    404),
                   content_type);
  }
  Operations operations(store_, clock_, *queries_);
  return Respond(request, operations.Dispatch(target.substr(kTargetPrefix.size()), body),
                 content_type);
}

}  // namespace ck::collector
