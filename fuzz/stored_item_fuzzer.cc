// libFuzzer target for the stored-item decoder (ItemFromStoredJson in
// src/store/attribute_json.h), which reads every row the storage engine returns. Any input must
// decode or fail cleanly; whatever decodes must encode to text that decodes to the same item and
// encodes to the same text again.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_check.h"
#include "store/attribute_json.h"

using ck::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ck::store;
  const auto item = ItemFromStoredJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!item.ok()) {
    Check(item.status().code() == ck::StatusCode::kInternal);
    return 0;
  }
  const std::string text = ItemToJsonText(*item);
  const auto again = ItemFromStoredJson(text);
  Check(again.ok() && *again == *item);
  Check(ItemToJsonText(*again) == text);
  return 0;
}
