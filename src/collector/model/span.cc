#include "collector/model/span.h"

namespace ck::collector {

std::string NodeTypeFor(const Span& span) {
  if (span.kind == SpanKind::kSegment) {
    return span.origin.empty() ? "AWS::ECS::Container" : span.origin;
  }
  if (span.namespace_name == "aws") {
    if (span.name == "DynamoDB") return "AWS::DynamoDB::Table";
    return "AWS::" + span.name;
  }
  return "remote";
}

nlohmann::json AnnotationToJson(const AnnotationValue& value) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

}  // namespace ck::collector
