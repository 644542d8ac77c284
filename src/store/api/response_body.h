// ResponseBody: builds a compact JSON object response body member by member, writing items
// straight from the in-memory model (no intermediate JSON document).
//
//   ResponseBody body;
//   body.AddItem("Attributes", item);
//   body.AddRaw(consumed_capacity_member);  // "ConsumedCapacity":{...} or empty
//   return body.Finish();                   // {"Attributes":{...},...}
//
// Thread-safety: a single-request value type.
#pragma once

#include <string>
#include <string_view>

#include "store/attribute_json.h"

namespace ck::store::api {

class ResponseBody {
 public:
  ResponseBody() { text_ = "{"; }

  // "name":<item JSON>
  void AddItem(std::string_view name, const Item& item) {
    Key(name);
    AppendItemJson(item, text_);
  }
  // "name":<json text as given>
  void AddRawMember(std::string_view name, std::string_view json_text) {
    Key(name);
    text_ += json_text;
  }
  // A complete member ("name":value); ignored when empty.
  void AddRaw(std::string_view member) {
    if (member.empty()) return;
    Separate();
    text_ += member;
  }
  void AddNumber(std::string_view name, int64_t value) {
    Key(name);
    text_ += std::to_string(value);
  }
  // Appends to the body directly after writing `"name":`; the caller writes the value.
  std::string& OpenMember(std::string_view name) {
    Key(name);
    return text_;
  }
  std::string Finish() {
    text_ += '}';
    return std::move(text_);
  }

 private:
  void Separate() {
    if (text_.size() > 1) text_ += ',';
  }
  void Key(std::string_view name) {
    Separate();
    AppendJsonString(name, text_);
    text_ += ':';
  }

  std::string text_;
};

}  // namespace ck::store::api
