#include "collector/insights/field_access.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "collector/insights/event_pointer.h"

namespace ck::collector::insights {

// The parsed @message of the current event, and the buffers reused across events.
struct EventFields::Json {
  simdjson::dom::parser parser;
  std::unique_ptr<char[]> buffer;  // the message plus simdjson's padding
  size_t capacity = 0;
  uint32_t generation = 0;  // the event it was parsed for (0: never)
  bool is_object = false;
  simdjson::dom::element root;

  void Parse(std::string_view message) {
    is_object = false;
    size_t start = 0;
    while (start < message.size() && (message[start] == ' ' || message[start] == '\t' ||
                                      message[start] == '\r' || message[start] == '\n')) {
      ++start;
    }
    if (start >= message.size() || message[start] != '{') return;
    if (capacity < message.size() + simdjson::SIMDJSON_PADDING) {
      capacity = (message.size() + simdjson::SIMDJSON_PADDING) * 2;
      buffer = std::make_unique<char[]>(capacity);
    }
    std::memcpy(buffer.get(), message.data(), message.size());
    std::memset(buffer.get() + message.size(), 0, simdjson::SIMDJSON_PADDING);
    if (parser.parse(buffer.get(), message.size(), false).get(root) != simdjson::SUCCESS) return;
    is_object = root.is_object();
  }
};

namespace {

Value FromElement(const simdjson::dom::element& element, Scratch& scratch) {
  switch (element.type()) {
    case simdjson::dom::element_type::STRING:
      return Value::String(element.get_string().value_unsafe());
    case simdjson::dom::element_type::INT64:
      return Value::Number(static_cast<double>(element.get_int64().value_unsafe()));
    case simdjson::dom::element_type::UINT64:
      return Value::Number(static_cast<double>(element.get_uint64().value_unsafe()));
    case simdjson::dom::element_type::DOUBLE:
      return Value::Number(element.get_double().value_unsafe());
    case simdjson::dom::element_type::BOOL:
      return Value::Bool(element.get_bool().value_unsafe());
    case simdjson::dom::element_type::NULL_VALUE:
      return Value::Absent();
    case simdjson::dom::element_type::OBJECT:
    case simdjson::dom::element_type::ARRAY:
      return Value::String(scratch.Keep(simdjson::minify(element)));
  }
  return Value::Absent();
}

}  // namespace

EventFields::EventFields(const std::vector<FieldSlot>& slots)
    : slots_(slots),
      assigned_generation_(slots.size(), 0),
      assigned_(slots.size()),
      member_generation_(slots.size(), 0),
      members_(slots.size()),
      json_(std::make_unique<Json>()) {}

EventFields::~EventFields() = default;

void EventFields::Reset(const LogEvent& event) {
  event_ = &event;
  if (++generation_ == 0) {
    // After 2^32 events the stamps wrap: forget them all so none looks current.
    std::fill(assigned_generation_.begin(), assigned_generation_.end(), 0);
    std::fill(member_generation_.begin(), member_generation_.end(), 0);
    json_->generation = 0;
    generation_ = 1;
  }
}

void EventFields::Assign(int slot, const Value& value) {
  assigned_generation_[slot] = generation_;
  assigned_[slot] = value;
}

Value EventFields::Get(int slot, Scratch& scratch) {
  if (assigned_generation_[slot] == generation_) return assigned_[slot];
  const FieldSlot& field = slots_[slot];
  if (field.system != SystemField::kNone) return System(field.system, scratch);
  if (member_generation_[slot] != generation_) {
    members_[slot] = Member(slot, scratch);
    member_generation_[slot] = generation_;
  }
  return members_[slot];
}

Value EventFields::System(SystemField field, Scratch& scratch) const {
  switch (field) {
    case SystemField::kTimestamp:
      return Value::Timestamp(event_->timestamp_ms);
    case SystemField::kMessage:
      return Value::String(event_->message);
    case SystemField::kLogStream:
      return Value::String(event_->log_stream);
    case SystemField::kLog:
      return Value::String(event_->log_group);
    case SystemField::kIngestionTime:
      return Value::Timestamp(event_->ingestion_time_ms);
    case SystemField::kPtr:
      return Value::String(scratch.Keep(EncodeEventPointer(event_->id)));
    case SystemField::kNone:
      break;
  }
  return Value::Absent();
}

Value EventFields::Member(int slot, Scratch& scratch) {
  if (json_->generation != generation_) {
    json_->Parse(event_->message);
    json_->generation = generation_;
  }
  if (!json_->is_object) return Value::Absent();
  const FieldSlot& field = slots_[slot];
  const std::string_view name = field.name;
  const size_t segments = field.segment_starts.size();
  auto segment_end = [&](size_t k) {
    return k + 1 < segments ? field.segment_starts[k + 1] - 1 : name.size();
  };
  simdjson::dom::element current = json_->root;
  size_t segment = 0;
  while (segment < segments) {
    const size_t begin = field.segment_starts[segment];
    if (current.is_object()) {
      simdjson::dom::object object = current.get_object().value_unsafe();
      bool found = false;
      // Shortest key first: {"a":{"b":1}} before {"a.b":1}.
      for (size_t last = segment; last < segments && !found; ++last) {
        simdjson::dom::element child;
        if (object.at_key(name.substr(begin, segment_end(last) - begin)).get(child) ==
            simdjson::SUCCESS) {
          current = child;
          segment = last + 1;
          found = true;
        }
      }
      if (!found) return Value::Absent();
    } else if (current.is_array()) {
      std::string_view digits = name.substr(begin, segment_end(segment) - begin);
      size_t index = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
        return Value::Absent();
      }
      simdjson::dom::element child;
      if (current.get_array().value_unsafe().at(index).get(child) != simdjson::SUCCESS) {
        return Value::Absent();
      }
      current = child;
      ++segment;
    } else {
      return Value::Absent();
    }
  }
  return FromElement(current, scratch);
}

}  // namespace ck::collector::insights
