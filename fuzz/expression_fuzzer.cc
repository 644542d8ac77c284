// libFuzzer target for the DynamoDB expression language (src/store/expr) and number parsing.
//
// Each input is parsed as every expression kind (condition, update, projection, key condition)
// against a fixed set of placeholders; whatever parses is then evaluated or applied to a fixed
// item and to an empty one. Beyond "no crash, no sanitizer report", the target checks
// invariants: every error is kInvalidArgument with a message, a failed update leaves the item
// untouched, and normalised numbers are canonical.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "store/attribute_value.h"
#include "store/expr/expression.h"
#include "store/number.h"

using ck::fuzz::Check;

namespace {

using ck::Status;
using ck::StatusCode;
using ck::store::AttributeValue;
using ck::store::Item;
namespace expr = ck::store::expr;

void CheckError(const Status& status) {
  Check(status.code() == StatusCode::kInvalidArgument && !status.message().empty());
}

const std::map<std::string, std::string>& Names() {
  static const auto* names = new std::map<std::string, std::string>{
      {"#a", "a"},    {"#b", "b"},   {"#l", "l"},          {"#m", "m"},
      {"#n", "name"}, {"#u", "ünï"}, {"#d", "dotted.name"}};
  return *names;
}

const Item& Values() {
  static const auto* values = [] {
    auto* out = new Item;
    (*out)[":s"] = AttributeValue::String("abc");
    (*out)[":e"] = AttributeValue::String("");
    (*out)[":n"] = AttributeValue::Number("1");
    (*out)[":f"] = AttributeValue::Number("-2.5");
    (*out)[":big"] = AttributeValue::Number("99" + std::string(124, '0'));
    (*out)[":b"] = AttributeValue::Binary(std::string("\x00\xff", 2));
    (*out)[":t"] = AttributeValue::Bool(true);
    (*out)[":null"] = AttributeValue::Null();
    (*out)[":ss"] = AttributeValue::StringSet({"abc", "x"});
    (*out)[":ns"] = AttributeValue::NumberSet({"1", "2"});
    (*out)[":bs"] = AttributeValue::BinarySet({"\x01"});
    (*out)[":l"] = AttributeValue::FromList({AttributeValue::String("abc")});
    (*out)[":m"] = AttributeValue::FromMap({{"k", AttributeValue::Number("1")}});
    (*out)[":type"] = AttributeValue::String("N");
    return out;
  }();
  return *values;
}

const Item& FixedItem() {
  static const auto* item = [] {
    auto* out = new Item;
    (*out)["a"] = AttributeValue::String("abcdef");
    (*out)["b"] = AttributeValue::Number("10");
    (*out)["c"] = AttributeValue::Binary("\x01\x02");
    (*out)["name"] = AttributeValue::String("ck");
    (*out)["ss"] = AttributeValue::StringSet({"abc", "y"});
    (*out)["ns"] = AttributeValue::NumberSet({"1", "3"});
    (*out)["bs"] = AttributeValue::BinarySet({"\x01", "\x02"});
    (*out)["t"] = AttributeValue::Bool(false);
    (*out)["z"] = AttributeValue::Null();
    AttributeValue inner = AttributeValue::FromMap(
        {{"k", AttributeValue::Number("1")},
         {"l", AttributeValue::FromList(
                   {AttributeValue::Number("5"), AttributeValue::StringSet({"q"})})}});
    (*out)["m"] = AttributeValue::FromMap({{"m", inner}, {"s", AttributeValue::String("x")}});
    (*out)["l"] =
        AttributeValue::FromList({AttributeValue::String("abc"), inner,
                                  AttributeValue::FromList({}), AttributeValue::NumberSet({"7"})});
    (*out)["ünï"] = AttributeValue::Number("0.5");
    (*out)["dotted.name"] = AttributeValue::String("d");
    return out;
  }();
  return *item;
}

void FuzzCondition(std::string_view text) {
  expr::ExpressionContext context(&Names(), &Values());
  auto condition = expr::ConditionExpression::Parse(text, context, "FilterExpression");
  if (!condition.ok()) return CheckError(condition.status());
  Check(condition->Evaluate(FixedItem()).ok());
  Check(condition->Evaluate(Item{}).ok());
  Status unused = context.CheckAllUsed();
  if (!unused.ok()) CheckError(unused);
}

void ApplyChecked(const expr::UpdateExpression& update, const Item& original) {
  Item item = original;
  Status status = update.Apply(item);
  if (status.ok()) return;
  CheckError(status);
  Check(item.size() == original.size());
  for (const auto& [name, value] : original) {
    auto it = item.find(name);
    Check(it != item.end() && it->second == value);
  }
}

void FuzzUpdate(std::string_view text) {
  expr::ExpressionContext context(&Names(), &Values());
  auto update = expr::UpdateExpression::Parse(text, context);
  if (!update.ok()) return CheckError(update.status());
  ApplyChecked(*update, FixedItem());
  ApplyChecked(*update, Item{});
  Check(!update->TopLevelAttributes().empty());
  for (const auto& path : update->Paths()) Check(!expr::PathToString(path).empty());
}

void FuzzProjection(std::string_view text) {
  expr::ExpressionContext context(&Names(), &Values());
  auto projection = expr::ProjectionExpression::Parse(text, context);
  if (!projection.ok()) return CheckError(projection.status());
  Item projected = projection->Apply(FixedItem());
  Check(projected.size() <= projection->paths().size());
}

void FuzzKeyCondition(std::string_view text) {
  for (const std::optional<std::string>& range :
       {std::optional<std::string>("b"), std::optional<std::string>()}) {
    expr::ExpressionContext context(&Names(), &Values());
    auto key = expr::ParseKeyCondition(text, context, "a", range);
    if (!key.ok()) {
      CheckError(key.status());
      continue;
    }
    Check(key->hash_name == "a");
    Check(!key->range || (range && key->range->name == *range));
  }
}

void FuzzNumber(std::string_view text) {
  auto normalized = ck::store::NormalizeNumber(text);
  if (!normalized.ok()) return CheckError(normalized.status());
  auto again = ck::store::NormalizeNumber(*normalized);
  Check(again.ok() && *again == *normalized);
  Check(ck::store::CompareNumbers(*normalized, *normalized) == 0);
  Check(!ck::store::EncodeNumberForKey(*normalized).empty());
  auto sum = ck::store::AddNumbers(*normalized, *normalized);
  if (!sum.ok()) CheckError(sum.status());
  auto zero = ck::store::SubtractNumbers(*normalized, *normalized);
  Check(zero.ok() && *zero == "0");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  FuzzCondition(text);
  FuzzUpdate(text);
  FuzzProjection(text);
  FuzzKeyCondition(text);
  FuzzNumber(text);
  return 0;
}
