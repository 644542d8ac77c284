// libFuzzer target for the Prometheus text exposition parser and the scrape mapping
// (src/collector/metrics/prometheus_text.h, prometheus_scrape.h).
//
// Each input is one scrape body. Beyond "no crash, no sanitizer report", the target checks that
// every error is InvalidArgument starting "line N: " with N within the input; that a parsed
// exposition written back out in canonical form parses to the same families and samples; and
// that mapping it (twice, so counters and histograms produce increases) yields only datums the
// metric store accepts.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "collector/metrics/prometheus_scrape.h"
#include "collector/metrics/prometheus_text.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

namespace {

using ck::StatusCode;
using namespace ck::collector::metrics;

std::string Escape(std::string_view text, bool quotes) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string Write(const PrometheusExposition& exposition) {
  std::string out;
  for (const PrometheusFamily& family : exposition.families) {
    // Always a HELP line: a family declared by an empty HELP has no other trace.
    out += "# HELP " + family.name + " " + Escape(family.help, false) + "\n";
    if (family.type != PrometheusType::kUntyped) {
      out += "# TYPE " + family.name + " " + std::string(PrometheusTypeName(family.type)) + "\n";
    }
    for (const PrometheusSample& sample : family.samples) {
      out += sample.name + "{";
      for (const PrometheusLabel& label : sample.labels) {
        out += label.name + "=\"" + Escape(label.value, true) + "\",";
      }
      out += "} " + FormatValue(sample.value);
      if (sample.timestamp_ms) out += " " + std::to_string(*sample.timestamp_ms);
      out += "\n";
    }
  }
  return out;
}

bool SameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

void CheckSame(const PrometheusExposition& a, const PrometheusExposition& b) {
  Check(a.families.size() == b.families.size());
  for (size_t i = 0; i < a.families.size(); ++i) {
    const PrometheusFamily& x = a.families[i];
    const PrometheusFamily& y = b.families[i];
    Check(x.name == y.name && x.help == y.help && x.type == y.type);
    Check(x.samples.size() == y.samples.size());
    for (size_t k = 0; k < x.samples.size(); ++k) {
      Check(x.samples[k].name == y.samples[k].name && x.samples[k].labels == y.samples[k].labels);
      Check(SameValue(x.samples[k].value, y.samples[k].value));
      Check(x.samples[k].timestamp_ms == y.samples[k].timestamp_ms);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = ParsePrometheusText(text);
  if (!parsed.ok()) {
    Check(parsed.status().code() == StatusCode::kInvalidArgument);
    const std::string& message = parsed.status().message();
    Check(message.starts_with("line "));
    size_t line = std::strtoul(message.c_str() + 5, nullptr, 10);
    size_t lines = 1;
    for (char c : text) lines += c == '\n' ? 1 : 0;
    Check(line >= 1 && line <= lines);
    return 0;
  }
  std::string written = Write(*parsed);
  auto reparsed = ParsePrometheusText(written);
  Check(reparsed.ok());
  CheckSame(*parsed, *reparsed);

  ScrapeState state;
  ScrapeTarget target{.job = "fuzz", .instance = "127.0.0.1:1"};
  for (int64_t scrape_time : {1'700'000'000'000, 1'700'000'015'000}) {
    ScrapeMapping mapped = ScrapeToDatapoints(*parsed, target, scrape_time, state);
    for (const MetricDatum& datum : mapped.datums) {
      MetricDatum copy = datum;
      Check(NormalizeDatum(copy).ok());
      Check(datum.key.metric_namespace == "ck/fuzz");
    }
  }
  return 0;
}
