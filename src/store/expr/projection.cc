// ProjectionExpression: parsing ("path (, path)*" with no two paths overlapping) and applying a
// projection to an item.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/expr/document_path.h"
#include "store/expr/expression.h"
#include "store/expr/parser_base.h"

namespace ck::store::expr {
namespace {

class ProjectionParser : public ParserBase {
 public:
  ProjectionParser(std::string_view text, ExpressionContext& context)
      : ParserBase(text, context, "ProjectionExpression",
                   {ErrorKind::kReservedWord, ErrorKind::kUndefinedName, ErrorKind::kPathOverlap,
                    ErrorKind::kPathConflict}) {}

  Result<std::vector<Path>> Run() {
    CK_RETURN_IF_ERROR(CheckText());
    std::vector<Path> paths;
    while (true) {
      CK_ASSIGN_OR_RETURN(Path path, ParsePath());
      CheckDisjoint(paths, path);
      paths.push_back(std::move(path));
      if (!At(TokenKind::kComma)) break;
      Advance();
    }
    if (!At(TokenKind::kEnd)) return SyntaxError();
    CK_RETURN_IF_ERROR(RecordedError());
    return paths;
  }

 private:
  void CheckDisjoint(const std::vector<Path>& earlier_paths, const Path& path) {
    for (const Path& earlier : earlier_paths) {
      PathRelation relation = RelatePaths(earlier, path);
      if (relation == PathRelation::kDisjoint) continue;
      bool overlap = relation == PathRelation::kOverlap;
      Record(overlap ? ErrorKind::kPathOverlap : ErrorKind::kPathConflict,
             std::string("Two document paths ") + (overlap ? "overlap" : "conflict") +
                 " with each other; must remove or rewrite one of these paths; path one: " +
                 PathForMessage(earlier) + ", path two: " + PathForMessage(path));
    }
  }
};

// The projected parts of one value: either the whole value, or some of its map entries or list
// elements (keyed by their index in the original list).
struct Projected {
  const AttributeValue* whole = nullptr;
  std::map<std::string, Projected, std::less<>> entries;
  std::map<int, Projected> elements;

  void Insert(const Path& path, size_t depth, const AttributeValue* value) {
    if (depth == path.size()) {
      whole = value;
      return;
    }
    const PathElement& element = path[depth];
    Projected& child = element.index >= 0 ? elements[element.index] : entries[element.name];
    child.Insert(path, depth + 1, value);
  }

  AttributeValue Build() const {
    if (whole != nullptr) return *whole;
    if (!elements.empty()) {
      // Projected list elements keep their relative order and close ranks.
      AttributeValue::List list;
      for (const auto& [index, element] : elements) list.push_back(element.Build());
      return AttributeValue::FromList(std::move(list));
    }
    AttributeValue::Map map;
    for (const auto& [name, entry] : entries) map.emplace(name, entry.Build());
    return AttributeValue::FromMap(std::move(map));
  }
};

}  // namespace

Result<ProjectionExpression> ProjectionExpression::Parse(std::string_view text,
                                                         ExpressionContext& context) {
  CK_ASSIGN_OR_RETURN(std::vector<Path> paths, ProjectionParser(text, context).Run());
  ProjectionExpression projection;
  projection.paths_ = std::move(paths);
  return projection;
}

Item ProjectionExpression::Apply(const Item& item) const {
  Projected root;
  for (const Path& path : paths_) {
    // Only paths that resolve contribute, so no empty containers appear in the result.
    if (const AttributeValue* value = FindPath(item, path)) root.Insert(path, 0, value);
  }
  Item out;
  for (const auto& [name, entry] : root.entries) out.emplace(name, entry.Build());
  return out;
}

}  // namespace ck::store::expr
