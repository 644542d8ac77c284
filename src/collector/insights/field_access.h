// EventFields: the fields of the log event being evaluated — values the pipeline assigned to it
// (fields ... as, parse), the system fields (@timestamp, @message, @logStream, @log,
// @ingestionTime, @ptr) and, for a @message that is a JSON object, its members by dot path
// (`http.status`, `items.0.id`; a member whose own name contains dots is found too).
//
//   EventFields fields(query.slots);
//   fields.Reset(event);                       // per event: no allocation, nothing parsed yet
//   Value status = fields.Get(status_slot, scratch);  // parses @message once, on first use
//
// @message is parsed at most once per event (simdjson, into buffers reused across events), and
// only when a non-system field that nothing assigned is read. JSON strings, numbers, booleans
// and null become string, number, bool and absent values; an object or array member yields its
// compact JSON text.
//
// Lifetime: values returned borrow from the event, the parser or `scratch` and are valid until
// the next Reset. Failure modes: none; malformed JSON simply has no members.
// Thread-safety: one instance per QueryRun.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "collector/insights/log_event.h"
#include "collector/insights/query_syntax.h"
#include "collector/insights/value.h"

namespace ck::collector::insights {

class EventFields {
 public:
  explicit EventFields(const std::vector<FieldSlot>& slots);
  ~EventFields();
  EventFields(const EventFields&) = delete;
  EventFields& operator=(const EventFields&) = delete;

  void Reset(const LogEvent& event);
  Value Get(int slot, Scratch& scratch);
  // `value` must stay valid until the next Reset (borrow from the event or the scratch).
  void Assign(int slot, const Value& value);
  const LogEvent& event() const { return *event_; }

 private:
  struct Json;
  Value System(SystemField field, Scratch& scratch) const;
  Value Member(int slot, Scratch& scratch);

  const std::vector<FieldSlot>& slots_;
  const LogEvent* event_ = nullptr;
  uint32_t generation_ = 0;
  std::vector<uint32_t> assigned_generation_;
  std::vector<Value> assigned_;
  std::vector<uint32_t> member_generation_;
  std::vector<Value> members_;
  std::unique_ptr<Json> json_;
};

}  // namespace ck::collector::insights
