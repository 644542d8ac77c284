// Sampler: X-Ray-style sampling decisions from local rules.
//
// A rule matches a request by service name, host, HTTP method and URL path (glob patterns with
// '*' and '?', case-insensitive) and samples it with a reservoir (up to `reservoir_size`
// requests per second, always taken first) plus a fixed rate of the rest. Rules are tried in
// ascending priority (then name); the first match decides. The defaults mirror X-Ray's:
//
//   "HealthChecks"  priority 1      GET /health     reservoir 0, rate 0    (never sampled)
//   "Default"       priority 10000  * * * *         reservoir 1/s, rate 5%
//
// An upstream decision is honoured: Sampled=1 / Sampled=0 are followed as they are, and only a
// missing or '?' decision is made locally. Rules can be replaced at run time (SetRules), e.g. from
// the collector's GetSamplingRules answer (ParseSamplingRules); a rule that keeps its name keeps
// its reservoir state. With central rules X-Ray shares a reservoir across the fleet through
// SamplingTargets; locally each process applies the whole reservoir itself.
//
//   Sampler sampler(SystemClock::Instance(), SystemRandom::Instance());
//   bool sampled = sampler.Decide(incoming.sampled, {"list-api", host, "GET", "/list"});
//
// Thread-safety: all methods are thread-safe (one mutex; decisions are a few comparisons).
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "telemetry/random_source.h"
#include "telemetry/trace_context.h"

namespace ck::telemetry {

struct SamplingRule {
  std::string name;
  int priority = 10000;
  std::string service_name = "*";
  std::string host = "*";
  std::string http_method = "*";
  std::string url_path = "*";
  int64_t reservoir_size = 0;  // requests per second sampled before fixed_rate applies
  double fixed_rate = 0;       // 0..1
};

struct SamplingRequest {
  std::string service_name;
  std::string host;
  std::string http_method;
  std::string url_path;  // without the query string
};

class Sampler {
 public:
  Sampler(const Clock& clock, RandomSource& random,
          std::vector<SamplingRule> rules = DefaultRules());

  // The local decision for a request that arrived without one.
  bool ShouldSample(const SamplingRequest& request);
  // Honours Sampled=1/0; decides locally for kUnset and kRequested.
  bool Decide(Sampled incoming, const SamplingRequest& request);

  // Replaces the rules (sorted by priority, then name). Rules whose name survives keep their
  // reservoir usage for the current second.
  void SetRules(std::vector<SamplingRule> rules);
  std::vector<SamplingRule> rules() const;

  static std::vector<SamplingRule> DefaultRules();

 private:
  struct RuleState {
    SamplingRule rule;
    int64_t second = -1;  // the epoch second `used` counts
    int64_t used = 0;
  };

  const Clock& clock_;
  RandomSource& random_;
  mutable std::mutex mutex_;
  std::vector<RuleState> rules_;
};

// '*' matches any run of characters, '?' exactly one; case-insensitive. Linear-time.
bool GlobMatch(std::string_view pattern, std::string_view text);

// Rules from an X-Ray GetSamplingRules response ({"SamplingRuleRecords": [{"SamplingRule":
// {"RuleName", "Priority", "FixedRate", "ReservoirSize", "ServiceName", "Host", "HTTPMethod",
// "URLPath", ...}}]}). Records with an unsupported Version or missing fields are skipped;
// InvalidArgument when the document is not that shape at all.
Result<std::vector<SamplingRule>> ParseSamplingRules(const nlohmann::json& response);

}  // namespace ck::telemetry
