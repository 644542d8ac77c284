// libFuzzer target for X-Ray filter expressions (src/collector/query/filter_expression.h).
//
// Each input is parsed as a filter expression; whatever parses is evaluated against fixed trace
// summaries (a faulted registration, a healthy list request, a throttled order, a partial trace
// and an empty one). Beyond "no crash, no sanitizer report", the target checks invariants: every
// error is kInvalidArgument with an "Invalid filter expression: ..." message, evaluation is
// deterministic, and "!(E)" matches exactly the traces E does not.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "collector/query/filter_expression.h"
#include "collector/query/test_traces.h"
#include "collector/query/trace_summary.h"
#include "fuzz_check.h"

using ck::fuzz::Check;

namespace {

using ck::StatusCode;
using ck::collector::FilterExpression;
using ck::collector::SummarizeTrace;
using ck::collector::TraceSummary;
namespace test_traces = ck::collector::test_traces;

void CheckError(const ck::Status& status) {
  Check(status.code() == StatusCode::kInvalidArgument);
  Check(std::string_view(status.message()).starts_with("Invalid filter expression: "));
}

const std::vector<TraceSummary>& Traces() {
  static const auto* traces = [] {
    auto* out = new std::vector<TraceSummary>;
    out->push_back(SummarizeTrace(test_traces::RegistrationWithTlsFault()));
    out->push_back(SummarizeTrace(test_traces::ListResidents()));
    out->push_back(SummarizeTrace(test_traces::ThrottledOrder()));
    std::vector<ck::collector::Span> partial = test_traces::RegistrationWithTlsFault();
    partial.erase(partial.begin());  // public-site's segment never arrived
    partial.back().in_progress = true;
    out->push_back(SummarizeTrace(partial));
    out->push_back(SummarizeTrace(std::vector<ck::collector::Span>{}));
    return out;
  }();
  return *traces;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto filter = FilterExpression::Parse(text);
  if (!filter.ok()) {
    CheckError(filter.status());
    return 0;
  }
  std::vector<bool> matches;
  for (const TraceSummary& trace : Traces()) {
    bool match = filter->Matches(trace);
    Check(filter->Matches(trace) == match);
    matches.push_back(match);
  }
  if (filter->empty()) {
    for (bool match : matches) Check(match);
    return 0;
  }
  auto negated = FilterExpression::Parse("!(" + std::string(text) + ")");
  if (!negated.ok()) {
    CheckError(negated.status());  // only the nesting or length limit can refuse it
    return 0;
  }
  for (size_t i = 0; i < Traces().size(); ++i) {
    Check(negated->Matches(Traces()[i]) == !matches[i]);
  }
  return 0;
}
