// `ck metrics`, `ck alarms` and `ck export prometheus`: read and change the collector's metrics
// and alarms through its CloudWatch API (X-Amz-Target GraniteServiceVersion20100801.*), and
// write a Prometheus configuration for the running stack (docs/metrics-api.md).
//
// Each sends blocking requests to --collector (default $CK_COLLECTOR_URL, else
// http://127.0.0.1:2000); `ck export prometheus` also reads the control API (--control).
// Errors go to stderr with exit code 1.
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/verbs/collector_client.h"
#include "cli/verbs/log_render.h"
#include "cli/verbs/terminal_text.h"
#include "cli/verbs/verbs.h"
#include "http/client.h"

namespace ck::cli {
namespace {

using nlohmann::json;

constexpr const char* kMetricsTarget = "GraniteServiceVersion20100801.";

struct MetricFlags {
  std::string collector = kDefaultCollectorUrl;
  bool json_output = false;
  bool no_color = false;
};

void AddCommonOptions(CLI::App* command, MetricFlags& flags) {
  command
      ->add_option("--collector", flags.collector,
                   "the collector's API address; `ck up` prints it (port: the stack file's\n"
                   "telemetry.xray_port)")
      ->envname("CK_COLLECTOR_URL")
      ->capture_default_str();
  command->add_flag("--json", flags.json_output, "print the API's JSON instead of text");
  command->add_flag("--no-color", flags.no_color, "no colours");
}

Result<json> CallMetrics(const MetricFlags& flags, const std::string& operation, const json& body) {
  return CallCollector(flags.collector, "/", body, kMetricsTarget + operation);
}

// "Name=Value" arguments as CloudWatch Dimensions.
Result<json> Dimensions(const std::vector<std::string>& given) {
  json dimensions = json::array();
  for (const std::string& item : given) {
    const size_t equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      return InvalidArgument("dimension '" + item + "' is not Name=Value");
    }
    dimensions.push_back({{"Name", item.substr(0, equals)}, {"Value", item.substr(equals + 1)}});
  }
  return dimensions;
}

std::string FormatNumber(const json& value) {
  if (!value.is_number()) return "-";
  const double number = value.get<double>();
  if (std::fabs(number) >= 1e15 || number == std::floor(number)) {
    return fmt::format("{:.15g}", number);
  }
  return fmt::format("{:.4g}", number);
}

struct MetricsRequest {
  std::string metric_namespace;
  std::string name;
  std::vector<std::string> dimensions;
  std::string since = "1h";
  int period = 60;
  std::vector<std::string> statistics = {"SampleCount", "Average", "Maximum", "p99"};
};

Status ListMetrics(const MetricFlags& flags, const MetricsRequest& request) {
  json body = json::object();
  if (!request.metric_namespace.empty()) body["Namespace"] = request.metric_namespace;
  TextTable table({Align::kLeft, Align::kLeft, Align::kLeft});
  table.AddRow({{"NAMESPACE", "\x1b[1m"}, {"METRIC", "\x1b[1m"}, {"DIMENSIONS", "\x1b[1m"}});
  json all = json::array();
  for (int page = 0; page < 100; ++page) {
    CK_ASSIGN_OR_RETURN(json answer, CallMetrics(flags, "ListMetrics", body));
    for (const json& metric : answer.value("Metrics", json::array())) {
      all.push_back(metric);
      std::string dimensions;
      for (const json& dimension : metric.value("Dimensions", json::array())) {
        dimensions += (dimensions.empty() ? "" : " ") + dimension.value("Name", "") + "=" +
                      dimension.value("Value", "");
      }
      table.AddRow({{TerminalSafe(metric.value("Namespace", ""))},
                    {TerminalSafe(metric.value("MetricName", ""))},
                    {Truncate(TerminalSafe(dimensions), 100)}});
    }
    if (!answer.contains("NextToken")) break;
    body["NextToken"] = answer["NextToken"];
  }
  if (flags.json_output) {
    Print(all.dump(2) + "\n");
  } else {
    Print(table.Render(UseColor(flags.no_color)));
  }
  return Status::Ok();
}

Status Metrics(const MetricFlags& flags, const MetricsRequest& request) {
  if (request.name.empty()) return ListMetrics(flags, request);
  CK_ASSIGN_OR_RETURN(double since, ParseLookback(request.since));
  CK_ASSIGN_OR_RETURN(json dimensions, Dimensions(request.dimensions));
  json standard = json::array();
  json extended = json::array();
  for (const std::string& statistic : request.statistics) {
    (statistic.size() > 1 && statistic[0] == 'p' ? extended : standard).push_back(statistic);
  }
  const double now = NowSeconds();
  json body = {{"Namespace", request.metric_namespace},
               {"MetricName", request.name},
               {"Dimensions", dimensions},
               {"StartTime", std::floor(now - since)},
               {"EndTime", std::ceil(now)},
               {"Period", request.period}};
  if (!standard.empty()) body["Statistics"] = standard;
  if (!extended.empty()) body["ExtendedStatistics"] = extended;
  CK_ASSIGN_OR_RETURN(json answer, CallMetrics(flags, "GetMetricStatistics", body));
  if (flags.json_output) {
    Print(answer.dump(2) + "\n");
    return Status::Ok();
  }
  json points = answer.value("Datapoints", json::array());
  std::sort(points.begin(), points.end(), [](const json& a, const json& b) {
    return a.value("Timestamp", 0.0) < b.value("Timestamp", 0.0);
  });
  std::vector<Align> align(request.statistics.size() + 1, Align::kRight);
  align[0] = Align::kLeft;
  TextTable table(align);
  std::vector<Cell> header = {{"TIME", "\x1b[1m"}};
  for (const std::string& statistic : request.statistics) header.push_back({statistic, "\x1b[1m"});
  table.AddRow(std::move(header));
  for (const json& point : points) {
    std::vector<Cell> row = {{FormatClock(point.value("Timestamp", 0.0), false, false)}};
    for (const std::string& statistic : request.statistics) {
      const json& value =
          point.contains(statistic) ? point[statistic]
          : point.contains("ExtendedStatistics") && point["ExtendedStatistics"].contains(statistic)
              ? point["ExtendedStatistics"][statistic]
              : json();
      row.push_back({FormatNumber(value)});
    }
    table.AddRow(std::move(row));
  }
  if (points.empty()) {
    Print("no datapoints for " + TerminalSafe(request.metric_namespace + " " + request.name) +
          " in the last " + request.since + "\n");
  } else {
    Print(table.Render(UseColor(flags.no_color)));
  }
  return Status::Ok();
}

const char* StateColor(const std::string& state) {
  if (state == "ALARM") return "\x1b[31m";
  if (state == "OK") return "\x1b[32m";
  return "\x1b[33m";
}

Status ListAlarms(const MetricFlags& flags) {
  // DescribeAlarms answers in pages of at most 100 alarms (metric and composite together).
  json answer = {{"MetricAlarms", json::array()}, {"CompositeAlarms", json::array()}};
  json body = {{"AlarmTypes", {"MetricAlarm", "CompositeAlarm"}}, {"MaxRecords", 100}};
  for (int page = 0; page < 1000; ++page) {
    CK_ASSIGN_OR_RETURN(json reply, CallMetrics(flags, "DescribeAlarms", body));
    for (const char* kind : {"MetricAlarms", "CompositeAlarms"}) {
      for (json& alarm : reply.value(kind, json::array())) answer[kind].push_back(std::move(alarm));
    }
    if (!reply.contains("NextToken")) break;
    body["NextToken"] = reply["NextToken"];
  }
  if (flags.json_output) {
    Print(answer.dump(2) + "\n");
    return Status::Ok();
  }
  TextTable table({Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft});
  table.AddRow(
      {{"ALARM", "\x1b[1m"}, {"STATE", "\x1b[1m"}, {"SINCE", "\x1b[1m"}, {"REASON", "\x1b[1m"}});
  size_t count = 0;
  for (const char* kind : {"MetricAlarms", "CompositeAlarms"}) {
    for (const json& alarm : answer.value(kind, json::array())) {
      const std::string state = alarm.value("StateValue", "");
      const json& updated =
          alarm.contains("StateUpdatedTimestamp") ? alarm["StateUpdatedTimestamp"] : json();
      table.AddRow({{TerminalSafe(alarm.value("AlarmName", ""))},
                    {state, StateColor(state)},
                    {updated.is_number()   ? FormatClock(updated.get<double>(), false, false)
                     : updated.is_string() ? TerminalSafe(updated.get<std::string>())
                                           : "-"},
                    {Truncate(TerminalSafe(alarm.value("StateReason", "")), 120)}});
      ++count;
    }
  }
  if (count == 0) {
    Print("no alarms\n");
  } else {
    Print(table.Render(UseColor(flags.no_color)));
  }
  return Status::Ok();
}

struct AlarmRequest {
  std::string name;
  std::string description;
  std::string metric_namespace;
  std::string metric;
  std::vector<std::string> dimensions;
  std::string statistic = "Average";
  int period = 60;
  double threshold = 0;
  std::string comparison = "GreaterThanThreshold";
  int evaluation_periods = 1;
  int datapoints_to_alarm = 0;
  std::string treat_missing_data = "missing";
  std::vector<std::string> actions;
  std::string rule;
  std::string file;
};

Status PutAlarm(const MetricFlags& flags, const AlarmRequest& request) {
  if (!request.file.empty()) {
    std::ifstream in(request.file);
    if (!in) return NotFound("cannot read " + request.file);
    json body = json::parse(in, nullptr, false);
    if (!body.is_object()) return InvalidArgument(request.file + " is not a JSON object");
    const std::string operation =
        body.contains("AlarmRule") ? "PutCompositeAlarm" : "PutMetricAlarm";
    CK_ASSIGN_OR_RETURN(json answer, CallMetrics(flags, operation, body));
    Print("alarm " + TerminalSafe(body.value("AlarmName", "")) + " saved\n");
    return Status::Ok();
  }
  if (request.name.empty()) return InvalidArgument("--name (or --file) is required");
  json body = {{"AlarmName", request.name}, {"AlarmActions", request.actions}};
  if (!request.description.empty()) body["AlarmDescription"] = request.description;
  std::string operation = "PutCompositeAlarm";
  if (!request.rule.empty()) {
    body["AlarmRule"] = request.rule;
  } else {
    operation = "PutMetricAlarm";
    CK_ASSIGN_OR_RETURN(json dimensions, Dimensions(request.dimensions));
    body.update({{"Namespace", request.metric_namespace},
                 {"MetricName", request.metric},
                 {"Dimensions", dimensions},
                 {"Period", request.period},
                 {"EvaluationPeriods", request.evaluation_periods},
                 {"Threshold", request.threshold},
                 {"ComparisonOperator", request.comparison},
                 {"TreatMissingData", request.treat_missing_data}});
    const bool extended = request.statistic.size() > 1 && request.statistic[0] == 'p';
    body[extended ? "ExtendedStatistic" : "Statistic"] = request.statistic;
    if (request.datapoints_to_alarm > 0) body["DatapointsToAlarm"] = request.datapoints_to_alarm;
  }
  CK_ASSIGN_OR_RETURN(json answer, CallMetrics(flags, operation, body));
  Print("alarm " + TerminalSafe(request.name) + " saved\n");
  return Status::Ok();
}

Status AlarmHistory(const MetricFlags& flags, const std::string& name) {
  json body = {{"MaxRecords", 100}};
  if (!name.empty()) body["AlarmName"] = name;
  CK_ASSIGN_OR_RETURN(json answer, CallMetrics(flags, "DescribeAlarmHistory", body));
  if (flags.json_output) {
    Print(answer.dump(2) + "\n");
    return Status::Ok();
  }
  TextTable table({Align::kLeft, Align::kLeft, Align::kLeft, Align::kLeft});
  table.AddRow(
      {{"TIME", "\x1b[1m"}, {"ALARM", "\x1b[1m"}, {"TYPE", "\x1b[1m"}, {"SUMMARY", "\x1b[1m"}});
  for (const json& item : answer.value("AlarmHistoryItems", json::array())) {
    const json& when = item.contains("Timestamp") ? item["Timestamp"] : json();
    table.AddRow({{when.is_number()   ? FormatClock(when.get<double>(), false, true)
                   : when.is_string() ? TerminalSafe(when.get<std::string>())
                                      : "-"},
                  {TerminalSafe(item.value("AlarmName", ""))},
                  {TerminalSafe(item.value("HistoryItemType", ""))},
                  {Truncate(TerminalSafe(item.value("HistorySummary", "")), 120)}});
  }
  Print(table.Render(UseColor(flags.no_color)));
  return Status::Ok();
}

// ---- ck export prometheus ----

struct ExportRequest {
  std::string control = "http://127.0.0.1:9900";
  std::string out_dir = ".";
  std::string scrape_interval = "15s";
};

Result<std::string> GetText(const std::string& url_text) {
  auto url = http::ParseUrl(url_text);
  if (!url.ok()) return InvalidArgument("'" + url_text + "' is not a URL");
  http::HttpRequest request{http::Verb::get, url->target, 11};
  auto response = http::SendBlocking(*url, std::move(request), http::ClientOptions{});
  if (!response.ok())
    return Unavailable("cannot reach " + url_text + ": " + response.status().message());
  if (response->result_int() != 200) {
    return Unavailable(url_text + " answered " + std::to_string(response->result_int()) + ": " +
                       response->body());
  }
  return response->body();
}

Result<json> GetJson(const std::string& url_text) {
  CK_ASSIGN_OR_RETURN(std::string text, GetText(url_text));
  json body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return Internal(url_text + " sent invalid JSON");
  return body;
}

std::string YamlString(const std::string& text) { return json(text).dump(); }

Status ExportPrometheus(const MetricFlags& flags, const ExportRequest& request) {
  std::string control = request.control;
  while (!control.empty() && control.back() == '/') control.pop_back();
  CK_ASSIGN_OR_RETURN(json stack, GetJson(control + "/v1/stack"));
  CK_ASSIGN_OR_RETURN(json tasks, GetJson(control + "/v1/tasks"));
  std::string collector = flags.collector;
  while (!collector.empty() && collector.back() == '/') collector.pop_back();
  CK_ASSIGN_OR_RETURN(std::string rules, GetText(collector + "/v1/alarms/prometheus-rules"));

  const std::string stack_name = stack.value("name", "stack");
  const json& datastore = stack.value("datastore", json::object());
  const std::string datastore_name = datastore.value("name", "dynamodb");
  const bool datastore_tls = datastore.value("tls", false);
  std::filesystem::path data_dir = stack.value("data_dir", ".ck");
  const std::string ca_file = std::filesystem::absolute(data_dir / "tls" / "ca.pem").string();

  // One job per service: its running tasks' ports (the supervisor assigns them per start, so
  // re-export after a restart or scale).
  std::map<std::string, std::vector<std::string>> targets;
  for (const json& task : tasks.value("tasks", json::array())) {
    const std::string kind = task.value("kind", "");
    if ((kind != "service" && kind != "datastore") || task.value("port", 0) == 0) continue;
    if (task.value("state", "") != "healthy" && task.value("state", "") != "running") continue;
    targets[task.value("service", "")].push_back("127.0.0.1:" +
                                                 std::to_string(task.value("port", 0)));
  }
  std::string config = fmt::format(
      "# Prometheus configuration for the Cuddle Kube stack {} (written by `ck export "
      "prometheus`).\n"
      "global:\n  scrape_interval: {}\n  evaluation_interval: {}\n"
      "rule_files:\n  - ck-alarms.rules.yml\n"
      "scrape_configs:\n",
      stack_name, YamlString(request.scrape_interval), YamlString(request.scrape_interval));
  auto add_job = [&config](const std::string& job, const std::vector<std::string>& job_targets,
                           const std::string& path, const std::string& extra) {
    config += "  - job_name: " + YamlString(job) + "\n    metrics_path: " + YamlString(path) +
              "\n" + extra + "    static_configs:\n      - targets: [";
    for (size_t i = 0; i < job_targets.size(); ++i) {
      config += (i ? ", " : "") + YamlString(job_targets[i]);
    }
    config += "]\n";
  };
  for (const auto& [service, service_targets] : targets) {
    const bool tls = service == datastore_name && datastore_tls;
    add_job(service, service_targets, "/metrics",
            tls ? "    scheme: https\n    tls_config:\n      ca_file: " + YamlString(ca_file) + "\n"
                : "");
  }
  const std::string collector_host = collector.substr(collector.find("//") + 2);
  add_job("collector", {collector_host}, "/metrics", "");
  add_job("cloudwatch", {collector_host}, "/v1/metrics/prometheus", "");
  add_job("control", {control.substr(control.find("//") + 2)}, "/metrics", "");

  std::filesystem::create_directories(request.out_dir);
  const std::filesystem::path config_path =
      std::filesystem::path(request.out_dir) / "prometheus.yml";
  const std::filesystem::path rules_path =
      std::filesystem::path(request.out_dir) / "ck-alarms.rules.yml";
  for (const auto& [path, text] : {std::pair{config_path, config}, std::pair{rules_path, rules}}) {
    std::ofstream out(path);
    out << text;
    if (!out) return Internal("cannot write " + path.string());
  }
  Print("wrote " + config_path.string() + " (" + std::to_string(targets.size() + 3) +
        " jobs) and " + rules_path.string() +
        "\n  prometheus --config.file=" + config_path.string() + "\n");
  return Status::Ok();
}

}  // namespace

void RegisterMetricCommands(CLI::App& app) {
  auto metrics_flags = std::make_shared<MetricFlags>();
  auto metrics_request = std::make_shared<MetricsRequest>();
  CLI::App* metrics = app.add_subcommand(
      "metrics",
      "Print a metric's statistics per period, or list the stored metrics.\n"
      "Examples:\n"
      "  ck metrics                                  # every metric\n"
      "  ck metrics ECS/ContainerInsights            # the metrics of a namespace\n"
      "  ck metrics ECS/ContainerInsights CpuUtilized ClusterName=cuddle-kube "
      "ServiceName=list-api\n"
      "  ck metrics ck/list-api ck_http_server_request_duration_seconds --stat p50 --stat p99");
  metrics->add_option("namespace", metrics_request->metric_namespace, "the metric's namespace");
  metrics->add_option("name", metrics_request->name, "the metric's name");
  metrics->add_option("dimensions", metrics_request->dimensions,
                      "Name=Value pairs: the series' exact dimensions");
  metrics->add_option("--since", metrics_request->since, "how far back: 30m, 6h, 2d")
      ->capture_default_str();
  metrics
      ->add_option("--period", metrics_request->period,
                   "seconds per datapoint (1, 5, 10, 30 or a multiple of 60)")
      ->capture_default_str();
  metrics->add_option("--stat", metrics_request->statistics,
                      "SampleCount, Average, Sum, Minimum, Maximum or pNN (repeatable)");
  AddCommonOptions(metrics, *metrics_flags);
  metrics->callback([metrics_flags, metrics_request] {
    Finish(Metrics(*metrics_flags, *metrics_request), "metrics");
  });

  auto alarm_flags = std::make_shared<MetricFlags>();
  CLI::App* alarms = app.add_subcommand(
      "alarms",
      "List alarms with their states (default), or change them: put, delete, history.\n"
      "Alarms follow CloudWatch's rules (M out of N datapoints, treat-missing-data, composite\n"
      "rules); the stack file declares the default ones (docs/alarms.md).");
  AddCommonOptions(alarms, *alarm_flags);
  alarms->require_subcommand(0, 1);

  auto put = std::make_shared<AlarmRequest>();
  CLI::App* put_command = alarms->add_subcommand(
      "put",
      "Create or replace an alarm.\n"
      "Examples:\n"
      "  ck alarms put --name list-api-p99 --namespace ck/list-api \\\n"
      "    --metric ck_http_server_request_duration_seconds --statistic p99 --threshold 0.25 \\\n"
      "    --evaluation-periods 3 --datapoints-to-alarm 2 --action log\n"
      "  ck alarms put --name site-down --rule 'ALARM(\"list-api-p99\") OR ALARM(\"restarts\")'\n"
      "  ck alarms put --file alarm.json     # a PutMetricAlarm / PutCompositeAlarm body");
  put_command->add_option("--name", put->name, "alarm name");
  put_command->add_option("--description", put->description, "alarm description");
  put_command->add_option("--namespace", put->metric_namespace, "metric namespace");
  put_command->add_option("--metric", put->metric, "metric name");
  put_command->add_option("--dimension", put->dimensions, "Name=Value (repeatable)");
  put_command
      ->add_option("--statistic", put->statistic,
                   "Average, Sum, SampleCount, Minimum, Maximum or pNN")
      ->capture_default_str();
  put_command->add_option("--period", put->period, "seconds (10, 30 or a multiple of 60)")
      ->capture_default_str();
  put_command->add_option("--threshold", put->threshold, "threshold")->capture_default_str();
  put_command
      ->add_option("--comparison", put->comparison,
                   "GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold,\n"
                   "LessThanOrEqualToThreshold")
      ->capture_default_str();
  put_command->add_option("--evaluation-periods", put->evaluation_periods, "N")
      ->capture_default_str();
  put_command->add_option("--datapoints-to-alarm", put->datapoints_to_alarm, "M (default N)");
  put_command
      ->add_option("--treat-missing-data", put->treat_missing_data,
                   "missing, notBreaching, breaching or ignore")
      ->capture_default_str();
  put_command->add_option("--action", put->actions, "on ALARM: log, or webhook:<url> (repeatable)");
  put_command->add_option("--rule", put->rule, "a composite alarm rule (makes it composite)");
  put_command->add_option("--file", put->file, "a PutMetricAlarm/PutCompositeAlarm JSON body");
  AddCommonOptions(put_command, *alarm_flags);
  put_command->callback([alarm_flags, put] { Finish(PutAlarm(*alarm_flags, *put), "alarms put"); });

  auto delete_names = std::make_shared<std::vector<std::string>>();
  CLI::App* delete_command = alarms->add_subcommand("delete", "Delete alarms.");
  delete_command->add_option("names", *delete_names, "alarm names")->required();
  AddCommonOptions(delete_command, *alarm_flags);
  delete_command->callback([alarm_flags, delete_names] {
    auto answer = CallMetrics(*alarm_flags, "DeleteAlarms", {{"AlarmNames", *delete_names}});
    Finish(answer.status(), "alarms delete");
  });

  auto history_name = std::make_shared<std::string>();
  CLI::App* history = alarms->add_subcommand("history", "An alarm's (or every alarm's) history.");
  history->add_option("name", *history_name, "alarm name (default: all)");
  AddCommonOptions(history, *alarm_flags);
  history->callback([alarm_flags, history_name] {
    Finish(AlarmHistory(*alarm_flags, *history_name), "alarms history");
  });
  alarms->callback([alarms, alarm_flags] {
    if (alarms->get_subcommands().empty()) Finish(ListAlarms(*alarm_flags), "alarms");
  });

  auto export_flags = std::make_shared<MetricFlags>();
  auto export_request = std::make_shared<ExportRequest>();
  CLI::App* export_command =
      app.add_subcommand("export", "Export the running stack's configuration for other tools.");
  export_command->require_subcommand(1);
  CLI::App* prometheus = export_command->add_subcommand(
      "prometheus",
      "Write prometheus.yml (a scrape job per service, the datastore over HTTPS with the local\n"
      "CA, the collector, its CloudWatch-metrics endpoint and the control API) and\n"
      "ck-alarms.rules.yml (the stack's alarms as Prometheus alerting rules).\n"
      "Example: ck export prometheus --out-dir prom && prometheus "
      "--config.file=prom/prometheus.yml");
  prometheus->add_option("--out-dir", export_request->out_dir, "where to write the two files")
      ->capture_default_str();
  prometheus
      ->add_option("--scrape-interval", export_request->scrape_interval,
                   "Prometheus' scrape and rule evaluation interval (e.g. 5s, 1m)")
      ->capture_default_str();
  prometheus->add_option("--control", export_request->control, "control API of the running `ck up`")
      ->envname("CK_CONTROL_URL")
      ->capture_default_str();
  AddCommonOptions(prometheus, *export_flags);
  prometheus->callback([export_flags, export_request] {
    Finish(ExportPrometheus(*export_flags, *export_request), "export prometheus");
  });
}

}  // namespace ck::cli
