#include "telemetry/sampler.h"

#include <algorithm>
#include <chrono>

namespace ck::telemetry {
namespace {

char Fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool RuleMatches(const SamplingRule& rule, const SamplingRequest& request) {
  return GlobMatch(rule.service_name, request.service_name) && GlobMatch(rule.host, request.host) &&
         GlobMatch(rule.http_method, request.http_method) &&
         GlobMatch(rule.url_path, request.url_path);
}

void SortRules(std::vector<SamplingRule>& rules) {
  std::stable_sort(rules.begin(), rules.end(), [](const SamplingRule& a, const SamplingRule& b) {
    return a.priority != b.priority ? a.priority < b.priority : a.name < b.name;
  });
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Greedy matching with a single backtrack point: O(pattern * text) worst case, no recursion.
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || Fold(pattern[p]) == Fold(text[t]))) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Sampler::Sampler(const Clock& clock, RandomSource& random, std::vector<SamplingRule> rules)
    : clock_(clock), random_(random) {
  SetRules(std::move(rules));
}

std::vector<SamplingRule> Sampler::DefaultRules() {
  SamplingRule health;
  health.name = "HealthChecks";
  health.priority = 1;
  health.http_method = "GET";
  health.url_path = "/health";
  SamplingRule fallback;
  fallback.name = "Default";
  fallback.priority = 10000;
  fallback.reservoir_size = 1;
  fallback.fixed_rate = 0.05;
  return {health, fallback};
}

void Sampler::SetRules(std::vector<SamplingRule> rules) {
  SortRules(rules);
  std::lock_guard lock(mutex_);
  std::vector<RuleState> next;
  next.reserve(rules.size());
  for (SamplingRule& rule : rules) {
    RuleState state;
    for (const RuleState& old : rules_) {
      if (old.rule.name == rule.name) {
        state.second = old.second;
        state.used = old.used;
      }
    }
    state.rule = std::move(rule);
    next.push_back(std::move(state));
  }
  rules_ = std::move(next);
}

std::vector<SamplingRule> Sampler::rules() const {
  std::lock_guard lock(mutex_);
  std::vector<SamplingRule> out;
  for (const RuleState& state : rules_) out.push_back(state.rule);
  return out;
}

bool Sampler::ShouldSample(const SamplingRequest& request) {
  int64_t second =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  std::lock_guard lock(mutex_);
  for (RuleState& state : rules_) {
    if (!RuleMatches(state.rule, request)) continue;
    if (state.second != second) {
      state.second = second;
      state.used = 0;
    }
    if (state.used < state.rule.reservoir_size) {
      ++state.used;
      return true;
    }
    return state.rule.fixed_rate > 0 && random_.NextUnit() < state.rule.fixed_rate;
  }
  return false;
}

bool Sampler::Decide(Sampled incoming, const SamplingRequest& request) {
  if (incoming == Sampled::kYes) return true;
  if (incoming == Sampled::kNo) return false;
  return ShouldSample(request);
}

Result<std::vector<SamplingRule>> ParseSamplingRules(const nlohmann::json& response) {
  if (!response.is_object() || !response.contains("SamplingRuleRecords") ||
      !response["SamplingRuleRecords"].is_array()) {
    return InvalidArgument("GetSamplingRules response has no SamplingRuleRecords array");
  }
  std::vector<SamplingRule> rules;
  for (const nlohmann::json& record : response["SamplingRuleRecords"]) {
    if (!record.is_object() || !record.contains("SamplingRule")) continue;
    const nlohmann::json& raw = record["SamplingRule"];
    if (!raw.is_object()) continue;
    auto text = [&raw](const char* key, std::string fallback) {
      auto it = raw.find(key);
      return it != raw.end() && it->is_string() ? it->get<std::string>() : fallback;
    };
    auto number = [&raw](const char* key) -> std::optional<double> {
      auto it = raw.find(key);
      if (it == raw.end() || !it->is_number()) return std::nullopt;
      return it->get<double>();
    };
    auto version = number("Version");
    auto priority = number("Priority");
    auto rate = number("FixedRate");
    auto reservoir = number("ReservoirSize");
    if (version && *version != 1) continue;
    if (!priority || !rate || !reservoir || *rate < 0 || *rate > 1 || *reservoir < 0 ||
        *priority < 0 || *priority > 1e9 || *reservoir > 1e12) {
      continue;
    }
    SamplingRule rule;
    rule.name = text("RuleName", "");
    if (rule.name.empty()) continue;
    rule.priority = static_cast<int>(*priority);
    rule.fixed_rate = *rate;
    rule.reservoir_size = static_cast<int64_t>(*reservoir);
    rule.service_name = text("ServiceName", "*");
    rule.host = text("Host", "*");
    rule.http_method = text("HTTPMethod", "*");
    rule.url_path = text("URLPath", "*");
    rules.push_back(std::move(rule));
  }
  SortRules(rules);
  return rules;
}

}  // namespace ck::telemetry
