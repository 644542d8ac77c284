#include "collector/metrics/prometheus_text.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "collector/metrics/metric_types.h"

namespace ck::collector::metrics {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<double> ParsePrometheusFloat(std::string_view token) {
  if (token.empty()) return std::nullopt;
  bool negative = token[0] == '-';
  std::string_view body = token[0] == '+' || token[0] == '-' ? token.substr(1) : token;
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (EqualsIgnoreCase(body, "nan")) return std::numeric_limits<double>::quiet_NaN();
  if (body.empty() || !(body[0] == '.' || (body[0] >= '0' && body[0] <= '9'))) return std::nullopt;
  double value = 0;
  auto [end, error] =
      std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::general);
  if (error != std::errc() || end != body.data() + body.size()) return std::nullopt;
  return negative ? -value : value;
}

namespace {

std::optional<int64_t> ParseTimestamp(std::string_view token) {
  if (!token.empty() && token[0] == '+') token.remove_prefix(1);
  int64_t value = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (token.empty() || error != std::errc() || end != token.data() + token.size())
    return std::nullopt;
  return value;
}

class Parser {
 public:
  Result<PrometheusExposition> Run(std::string_view text) {
    size_t position = 0;
    while (position <= text.size()) {
      size_t newline = text.find('\n', position);
      if (newline == std::string_view::npos) newline = text.size();
      line_ = text.substr(position, newline - position);
      if (!line_.empty() && line_.back() == '\r') line_.remove_suffix(1);
      ++line_number_;
      cursor_ = 0;
      SkipBlanks();
      Status status = Status::Ok();
      if (AtEnd()) {
        // blank line
      } else if (line_[cursor_] == '#') {
        ++cursor_;
        status = ParseComment();
      } else {
        status = ParseSample();
      }
      if (!status.ok()) {
        return InvalidArgument("line " + std::to_string(line_number_) + ": " + status.message());
      }
      position = newline + 1;
    }
    return std::move(exposition_);
  }

 private:
  struct FamilyFlags {
    bool help_seen = false;
    bool type_seen = false;
  };

  bool AtEnd() const { return cursor_ >= line_.size(); }
  char Peek() const { return AtEnd() ? '\0' : line_[cursor_]; }
  void SkipBlanks() {
    while (!AtEnd() && IsBlank(line_[cursor_])) ++cursor_;
  }
  std::string_view ReadToken() {
    size_t start = cursor_;
    while (!AtEnd() && !IsBlank(line_[cursor_])) ++cursor_;
    return line_.substr(start, cursor_ - start);
  }
  std::string_view ReadMetricName() {
    size_t start = cursor_;
    if (AtEnd() || !(IsNameStart(line_[cursor_]) || line_[cursor_] == ':')) return {};
    while (!AtEnd() && (IsNameChar(line_[cursor_]) || line_[cursor_] == ':')) ++cursor_;
    return line_.substr(start, cursor_ - start);
  }

  size_t FamilyIndex(std::string_view name) {
    auto it = index_.find(std::string(name));
    if (it != index_.end()) return it->second;
    exposition_.families.push_back(PrometheusFamily{.name = std::string(name)});
    flags_.emplace_back();
    index_.emplace(std::string(name), exposition_.families.size() - 1);
    return exposition_.families.size() - 1;
  }

  Status ParseComment() {
    SkipBlanks();
    std::string_view keyword = ReadToken();
    if (keyword != "HELP" && keyword != "TYPE") return Status::Ok();  // an ordinary comment
    SkipBlanks();
    std::string_view name = ReadMetricName();
    if (name.empty() || !(AtEnd() || IsBlank(Peek()))) {
      return InvalidArgument("invalid metric name in # " + std::string(keyword) + " line");
    }
    size_t index = FamilyIndex(name);
    PrometheusFamily& family = exposition_.families[index];
    SkipBlanks();
    if (keyword == "HELP") {
      if (flags_[index].help_seen) {
        return InvalidArgument("second HELP line for metric name " + Quoted(name));
      }
      flags_[index].help_seen = true;
      return ReadHelp(&family.help);
    }
    if (flags_[index].type_seen || !family.samples.empty()) {
      return InvalidArgument("second TYPE line for metric name " + Quoted(name) +
                             ", or TYPE reported after samples");
    }
    flags_[index].type_seen = true;
    std::string_view type = ReadToken();
    SkipBlanks();
    if (!AtEnd()) return InvalidArgument("unexpected text after the type in # TYPE line");
    if (type == "counter") {
      family.type = PrometheusType::kCounter;
    } else if (type == "gauge") {
      family.type = PrometheusType::kGauge;
    } else if (type == "histogram") {
      family.type = PrometheusType::kHistogram;
    } else if (type == "summary") {
      family.type = PrometheusType::kSummary;
    } else if (type == "untyped") {
      family.type = PrometheusType::kUntyped;
    } else {
      return InvalidArgument("unknown metric type " + Quoted(type));
    }
    return Status::Ok();
  }

  Status ReadHelp(std::string* help) {
    for (; !AtEnd(); ++cursor_) {
      char c = line_[cursor_];
      if (c != '\\') {
        help->push_back(c);
        continue;
      }
      ++cursor_;
      if (Peek() == '\\') {
        help->push_back('\\');
      } else if (Peek() == 'n') {
        help->push_back('\n');
      } else {
        return InvalidArgument("invalid escape sequence in HELP text");
      }
    }
    if (!IsValidUtf8(*help)) return InvalidArgument("HELP text is not valid UTF-8");
    return Status::Ok();
  }

  Status ParseLabels(std::vector<PrometheusLabel>* labels) {
    ++cursor_;  // '{'
    SkipBlanks();
    while (Peek() != '}') {
      size_t start = cursor_;
      if (AtEnd() || !IsNameStart(line_[cursor_])) return InvalidArgument("invalid label name");
      while (!AtEnd() && IsNameChar(line_[cursor_])) ++cursor_;
      std::string name(line_.substr(start, cursor_ - start));
      SkipBlanks();
      if (Peek() != '=') return InvalidArgument("expected '=' after label name " + Quoted(name));
      ++cursor_;
      SkipBlanks();
      if (Peek() != '"') {
        return InvalidArgument("expected '\"' to open the value of label " + Quoted(name));
      }
      ++cursor_;
      std::string value;
      CK_RETURN_IF_ERROR(ReadLabelValue(name, &value));
      for (const PrometheusLabel& label : *labels) {
        if (label.name == name) return InvalidArgument("duplicate label " + Quoted(name));
      }
      labels->push_back(PrometheusLabel{std::move(name), std::move(value)});
      SkipBlanks();
      if (Peek() == ',') {
        ++cursor_;
        SkipBlanks();
      } else if (Peek() != '}') {
        return InvalidArgument("expected ',' or '}' after the value of label " +
                               Quoted(labels->back().name));
      }
    }
    ++cursor_;  // '}'
    return Status::Ok();
  }

  Status ReadLabelValue(const std::string& name, std::string* value) {
    while (true) {
      if (AtEnd()) return InvalidArgument("unterminated value of label " + Quoted(name));
      char c = line_[cursor_++];
      if (c == '"') break;
      if (c != '\\') {
        value->push_back(c);
        continue;
      }
      char escaped = Peek();
      ++cursor_;
      if (escaped == '\\' || escaped == '"') {
        value->push_back(escaped);
      } else if (escaped == 'n') {
        value->push_back('\n');
      } else {
        return InvalidArgument("invalid escape sequence in the value of label " + Quoted(name));
      }
    }
    if (!IsValidUtf8(*value)) {
      return InvalidArgument("the value of label " + Quoted(name) + " is not valid UTF-8");
    }
    return Status::Ok();
  }

  // The family a sample belongs to: the current one, a declared one, or a new untyped one.
  size_t FamilyOf(std::string_view name) {
    auto belongs = [&](size_t index) {
      const PrometheusFamily& family = exposition_.families[index];
      if (name == family.name) return true;
      if (family.type != PrometheusType::kHistogram && family.type != PrometheusType::kSummary) {
        return false;
      }
      if (!name.starts_with(family.name)) return false;
      std::string_view suffix = name.substr(family.name.size());
      return suffix == "_sum" || suffix == "_count" ||
             (suffix == "_bucket" && family.type == PrometheusType::kHistogram);
    };
    if (current_ < exposition_.families.size() && belongs(current_)) return current_;
    if (auto it = index_.find(std::string(name)); it != index_.end()) return it->second;
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (!name.ends_with(suffix)) continue;
      auto it = index_.find(std::string(name.substr(0, name.size() - suffix.size())));
      if (it != index_.end() && belongs(it->second)) return it->second;
    }
    return FamilyIndex(name);
  }

  static const PrometheusLabel* FindLabel(const PrometheusSample& sample, std::string_view name) {
    for (const PrometheusLabel& label : sample.labels) {
      if (label.name == name) return &label;
    }
    return nullptr;
  }

  Status CheckShape(const PrometheusFamily& family, const PrometheusSample& sample) {
    if (family.type == PrometheusType::kHistogram) {
      if (sample.name == family.name) {
        return InvalidArgument("histogram sample " + Quoted(sample.name) +
                               " needs a _bucket, _sum or _count suffix");
      }
      if (sample.name.ends_with("_bucket")) {
        const PrometheusLabel* le = FindLabel(sample, "le");
        if (le == nullptr || !ParsePrometheusFloat(le->value) ||
            std::isnan(*ParsePrometheusFloat(le->value))) {
          return InvalidArgument("histogram bucket " + Quoted(sample.name) +
                                 " needs a numeric \"le\" label");
        }
      }
    } else if (family.type == PrometheusType::kSummary && sample.name == family.name) {
      const PrometheusLabel* quantile = FindLabel(sample, "quantile");
      if (quantile == nullptr || !ParsePrometheusFloat(quantile->value)) {
        return InvalidArgument("summary sample " + Quoted(sample.name) +
                               " needs a numeric \"quantile\" label");
      }
    }
    return Status::Ok();
  }

  Status ParseSample() {
    PrometheusSample sample;
    std::string_view name = ReadMetricName();
    if (name.empty()) return InvalidArgument("invalid metric name");
    sample.name = std::string(name);
    size_t before_blanks = cursor_;
    SkipBlanks();
    bool separated = cursor_ > before_blanks;
    if (Peek() == '{') {
      CK_RETURN_IF_ERROR(ParseLabels(&sample.labels));
      SkipBlanks();
      separated = true;
    }
    if (AtEnd()) return InvalidArgument("missing value for " + Quoted(name));
    if (!separated)
      return InvalidArgument("unexpected character after metric name " + Quoted(name));
    std::string_view value_token = ReadToken();
    std::optional<double> value = ParsePrometheusFloat(value_token);
    if (!value) return InvalidArgument("invalid value " + Quoted(value_token));
    sample.value = *value;
    SkipBlanks();
    if (!AtEnd()) {
      std::string_view timestamp_token = ReadToken();
      std::optional<int64_t> timestamp = ParseTimestamp(timestamp_token);
      if (!timestamp) return InvalidArgument("invalid timestamp " + Quoted(timestamp_token));
      sample.timestamp_ms = *timestamp;
      SkipBlanks();
      if (!AtEnd()) return InvalidArgument("unexpected text after the timestamp");
    }
    if (++sample_count_ > kMaxPrometheusSamples) {
      return InvalidArgument("more than " + std::to_string(kMaxPrometheusSamples) + " samples");
    }
    current_ = FamilyOf(name);
    PrometheusFamily& family = exposition_.families[current_];
    CK_RETURN_IF_ERROR(CheckShape(family, sample));
    family.samples.push_back(std::move(sample));
    return Status::Ok();
  }

  PrometheusExposition exposition_;
  std::vector<FamilyFlags> flags_;
  std::unordered_map<std::string, size_t> index_;
  size_t current_ = std::numeric_limits<size_t>::max();
  size_t sample_count_ = 0;
  std::string_view line_;
  size_t line_number_ = 0;
  size_t cursor_ = 0;
};

}  // namespace

Result<PrometheusExposition> ParsePrometheusText(std::string_view text) {
  return Parser().Run(text);
}

std::string_view PrometheusTypeName(PrometheusType type) {
  switch (type) {
    case PrometheusType::kCounter:
      return "counter";
    case PrometheusType::kGauge:
      return "gauge";
    case PrometheusType::kHistogram:
      return "histogram";
    case PrometheusType::kSummary:
      return "summary";
    case PrometheusType::kUntyped:
      return "untyped";
  }
  return "untyped";
}

}  // namespace ck::collector::metrics
