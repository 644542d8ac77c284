// LogEvent: one stored log event as the Logs Insights engine sees it.
//
// The log store fills one per row it scans and passes it to QueryRun::Add; the string views
// borrow from the store's current row and are valid only for the duration of that call (the
// engine copies what it keeps). Fields a query does not need (see ScanNeeds in query.h) may be
// left empty by the store.
//
// Thread-safety: a plain value; no shared state.
#pragma once

#include <cstdint>
#include <string_view>

namespace ck::collector::insights {

struct LogEvent {
  uint64_t id = 0;                // the store's event id; rendered as @ptr (EncodeEventPointer)
  int64_t timestamp_ms = 0;       // @timestamp, milliseconds since the epoch (UTC)
  int64_t ingestion_time_ms = 0;  // @ingestionTime
  std::string_view message;       // @message (JSON messages also yield fields, see query.h)
  std::string_view log_group;     // @log
  std::string_view log_stream;    // @logStream
};

}  // namespace ck::collector::insights
