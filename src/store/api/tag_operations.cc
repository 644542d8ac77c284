// Tags (TagResource, UntagResource, ListTagsOfResource, and CreateTable's Tags member) and
// DescribeLimits.
//
// A table's tags live in its catalog record, so they survive restarts and go with DeleteTable.
// The tag operations check, in DynamoDB's order: the members' JSON types; a missing ARN ("Invalid
// TableArn"); a string not shaped like an ARN at all (AccessDeniedException: IAM cannot evaluate
// it); a missing Tags/TagKeys; an ARN that does not name a DynamoDB table ("Invalid TableArn:
// Invalid ResourceArn provided as input ..."); an empty list; each tag (DynamoDB's own messages,
// "The Tag Key provided is invalid, Key: ..." and the like); then the table. A request with one bad
// tag changes nothing; more than 50 tags on a table is refused. The ARN messages, "ResourcArn" typo
// included, are DynamoDB's as dynalite records them; the tag messages are those the service
// returns.
#include <re2/re2.h>

#include <cctype>

#include "store/api/service_state.h"
#include "store/api/table_description.h"

namespace ck::store::api {

namespace {

constexpr size_t kMaxTagsPerTable = 50;
constexpr size_t kMaxTagKeyLength = 128;
constexpr size_t kMaxTagValueLength = 256;
constexpr std::string_view kTableArnPrefix = "arn:aws:dynamodb:";

// Length as DynamoDB's (Java) constraints count it: UTF-16 code units.
size_t Utf16Length(std::string_view text) {
  size_t length = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++length;  // a character starts here
    if (c >= 0xF0) ++length;           // outside the BMP: a surrogate pair
  }
  return length;
}

// Whether `text` has a line break, which `.` in the ARN patterns does not match.
bool HasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

// ^.+:.+:.+:.+:.+:.+/.+$ — six non-empty colon-separated parts, a '/' in the last one.
bool LooksLikeArn(std::string_view arn) {
  if (HasLineBreak(arn)) return false;
  size_t from = 1;
  for (int colon = 0; colon < 5; ++colon) {
    size_t at = arn.find(':', from);
    if (at == std::string_view::npos) return false;
    from = at + 2;
  }
  if (from >= arn.size()) return false;
  size_t slash = arn.find('/', from);
  return slash != std::string_view::npos && slash + 1 < arn.size();
}

// ^arn:aws:dynamodb:.+:\d+:table/[^/]{2}[^/]+$
bool IsTableArn(std::string_view arn) {
  if (arn.substr(0, kTableArnPrefix.size()) != kTableArnPrefix) return false;
  const size_t slash = arn.rfind('/');
  constexpr std::string_view kTable = ":table";
  if (slash == std::string_view::npos || arn.size() - slash - 1 < 3 || slash < kTable.size() ||
      arn.substr(slash - kTable.size(), kTable.size()) != kTable) {
    return false;
  }
  size_t digits_begin = slash - kTable.size();
  const size_t digits_end = digits_begin;
  while (digits_begin > 0 && arn[digits_begin - 1] >= '0' && arn[digits_begin - 1] <= '9') {
    --digits_begin;
  }
  if (digits_begin == digits_end || digits_begin == 0 || arn[digits_begin - 1] != ':') return false;
  // A non-empty region, and no line break before the table name (which may hold any but '/').
  return digits_begin - 1 > kTableArnPrefix.size() && !HasLineBreak(arn.substr(0, slash));
}

// The ARN checks that come before the members' constraints.
Status CheckArnPresentAndShaped(const std::optional<std::string>& arn, std::string_view operation) {
  if (!arn) return InvalidArgument("Invalid TableArn");
  if (!LooksLikeArn(*arn)) {
    return PermissionDenied("User: arn:aws:iam::000000000000:root is not authorized to perform: " +
                            std::string("dynamodb:") + std::string(operation) +
                            " on resource: " + (arn->empty() ? "*" : *arn));
  }
  return Status::Ok();
}

Status CheckTableArn(const std::string& arn) {
  if (IsTableArn(arn)) return Status::Ok();
  return InvalidArgument("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
}

// TagResource's and ListTagsOfResource's ResourceNotFoundException message ("ResourcArn" sic).
std::string ResourcArnNotFound(const std::string& arn) {
  return "Requested resource not found: ResourcArn: " + arn + " not found";
}

// The table an ARN names: this server's region and account, and a table that exists.
Result<TableEntry*> FindTableByArn(ServiceState& state, const std::string& arn,
                                   std::string not_found_message) {
  const std::string name = arn.substr(arn.rfind('/') + 1);
  auto it = state.tables.find(name);
  if (it == state.tables.end() || TableArn(state.options.region, name) != arn) {
    return NotFound(std::move(not_found_message));
  }
  return &it->second;
}

Status CheckTagCount(size_t count) {
  if (count <= kMaxTagsPerTable) return Status::Ok();
  return InvalidArgument("Number of Tags exceed the current limit for the provided ResourceArn");
}

// Letters, digits and white space of any script, and _ . : / = + - @ (AWS's tag pattern).
bool TagCharactersAllowed(std::string_view text) {
  static const RE2 kAllowed(R"(^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$)");
  return RE2::FullMatch(text, kAllowed);
}

Status CheckTagKey(const std::optional<std::string>& key) {
  if (!key || key->empty() || Utf16Length(*key) > kMaxTagKeyLength || !TagCharactersAllowed(*key)) {
    return InvalidArgument("The Tag Key provided is invalid, Key: " + key.value_or("null"));
  }
  return Status::Ok();
}

Status CheckTagValue(const std::optional<std::string>& value) {
  if (!value || Utf16Length(*value) > kMaxTagValueLength || !TagCharactersAllowed(*value)) {
    return InvalidArgument("The Tag Value provided is invalid, Value: " + value.value_or("null"));
  }
  return Status::Ok();
}

// "1 validation error detected: Value null at '<path>' ...".
Status MissingMember(std::string_view path) {
  ConstraintErrors errors;
  errors.CheckRequired(false, path);
  return errors.ToStatus();
}

// Gives `table` these tags, in the catalog first and then in memory.
Status ReplaceTags(ServiceState& state, TableEntry& table,
                   std::map<std::string, std::string> tags) {
  TableEntry updated = table;
  updated.tags = std::move(tags);
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&] { return state.PersistTable(updated); }));
  table.tags = std::move(updated.tags);
  return Status::Ok();
}

std::string TagsJson(const std::map<std::string, std::string>& tags) {
  json list = json::array();
  for (const auto& [key, value] : tags) list.push_back({{"Key", key}, {"Value", value}});
  return list.dump();
}

}  // namespace

Result<std::optional<std::vector<RawTag>>> ReadRawTags(const FieldReader& reader) {
  CK_ASSIGN_OR_RETURN(const json* list, reader.List("Tags"));
  if (list == nullptr) return std::optional<std::vector<RawTag>>();
  std::vector<RawTag> tags;
  for (const auto& element : *list) {
    CK_RETURN_IF_ERROR(ExpectStructure(element, "Tag"));
    FieldReader tag(element);
    RawTag raw;
    CK_ASSIGN_OR_RETURN(raw.key, tag.String("Key"));
    CK_ASSIGN_OR_RETURN(raw.value, tag.String("Value"));
    tags.push_back(std::move(raw));
  }
  return std::optional<std::vector<RawTag>>(std::move(tags));
}

// Each tag valid, no key twice, no reserved prefix.
Result<std::map<std::string, std::string>> CheckTags(const std::vector<RawTag>& raw) {
  std::map<std::string, std::string> tags;
  for (const RawTag& tag : raw) {
    CK_RETURN_IF_ERROR(CheckTagKey(tag.key));
    CK_RETURN_IF_ERROR(CheckTagValue(tag.value));
    std::string prefix = tag.key->substr(0, 4);
    for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (prefix == "aws:") {
      return InvalidArgument("Tag Key cannot be prefixed with aws:, Key: " + *tag.key);
    }
    if (!tags.emplace(*tag.key, *tag.value).second) {
      return InvalidArgument("Duplicate Tag Keys provided as input: Duplicate Tag Key found " +
                             *tag.key);
    }
  }
  CK_RETURN_IF_ERROR(CheckTagCount(tags.size()));
  return tags;
}

Result<std::string> TagResource(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto arn, reader.String("ResourceArn"));
  CK_ASSIGN_OR_RETURN(auto raw, ReadRawTags(reader));
  CK_RETURN_IF_ERROR(CheckArnPresentAndShaped(arn, "TagResource"));
  if (!raw) return MissingMember("tags");
  CK_RETURN_IF_ERROR(CheckTableArn(*arn));
  if (raw->empty()) return InvalidArgument("Atleast one Tag needs to be provided as Input.");
  CK_ASSIGN_OR_RETURN(auto tags, CheckTags(*raw));
  CK_ASSIGN_OR_RETURN(TableEntry * table, FindTableByArn(state, *arn, ResourcArnNotFound(*arn)));
  std::map<std::string, std::string> merged = table->tags;
  for (auto& [key, value] : tags) merged[key] = std::move(value);
  CK_RETURN_IF_ERROR(CheckTagCount(merged.size()));
  CK_RETURN_IF_ERROR(ReplaceTags(state, *table, std::move(merged)));
  return std::string("{}");
}

Result<std::string> UntagResource(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto arn, reader.String("ResourceArn"));
  CK_ASSIGN_OR_RETURN(auto keys, reader.StringList("TagKeys"));
  CK_RETURN_IF_ERROR(CheckArnPresentAndShaped(arn, "UntagResource"));
  if (!keys) return MissingMember("tagKeys");
  CK_RETURN_IF_ERROR(CheckTableArn(*arn));
  if (keys->empty()) return InvalidArgument("Atleast one Tag Key needs to be provided as Input.");
  for (const auto& key : *keys) CK_RETURN_IF_ERROR(CheckTagKey(key));
  CK_RETURN_IF_ERROR(CheckTagCount(keys->size()));
  CK_ASSIGN_OR_RETURN(TableEntry * table,
                      FindTableByArn(state, *arn, std::string(kResourceNotFoundMessage)));
  std::map<std::string, std::string> kept = table->tags;
  for (const auto& key : *keys) kept.erase(key);  // an absent key is not an error
  if (kept.size() != table->tags.size()) {
    CK_RETURN_IF_ERROR(ReplaceTags(state, *table, std::move(kept)));
  }
  return std::string("{}");
}

Result<std::string> ListTagsOfResource(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto arn, reader.String("ResourceArn"));
  CK_ASSIGN_OR_RETURN(auto next_token, reader.String("NextToken"));
  (void)next_token;  // every tag fits in one page (at most 50), so there is never a next one
  CK_RETURN_IF_ERROR(CheckArnPresentAndShaped(arn, "ListTagsOfResource"));
  CK_RETURN_IF_ERROR(CheckTableArn(*arn));
  CK_ASSIGN_OR_RETURN(TableEntry * table, FindTableByArn(state, *arn, ResourcArnNotFound(*arn)));
  return "{\"Tags\":" + TagsJson(table->tags) + "}";
}

Result<std::string> DescribeLimits(ServiceState&, const json&, OperationContext&) {
  // DynamoDB's default quotas for provisioned capacity in most regions (reported, not enforced).
  return std::string(
      "{\"AccountMaxReadCapacityUnits\":80000,\"AccountMaxWriteCapacityUnits\":80000,"
      "\"TableMaxReadCapacityUnits\":40000,\"TableMaxWriteCapacityUnits\":40000}");
}

}  // namespace ck::store::api
