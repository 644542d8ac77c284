// X-Ray segment documents <-> collector Spans.
//
// The X-Ray daemon protocol sends one document per UDP datagram, preceded by the header line
// `{"format":"json","version":1}\n`. A document is a segment with its subsegments nested, or an
// independent subsegment (`"type": "subsegment"` with trace_id and parent_id). DecodeDatagram
// checks the header and DecodeSegmentDocument flattens the document into one Span per
// (sub)segment; nested subsegments inherit the trace id and the enclosing segment as their
// service, so every Span can be attributed without the rest of the trace.
//
// Validation follows PutTraceSegments: name, a 16-hex id, a valid trace id (segments and
// independent subsegments), numeric start_time, and end_time or in_progress = true. Documents
// nested deeper than kMaxSubsegmentDepth are rejected. Errors are InvalidArgument with the
// reason; nothing is partially accepted from a rejected document. A key that appears twice in
// one object counts once, with its last value.
//
// Documents are parsed with simdjson (valid UTF-8 required; JSON nested deeper than 1024 levels
// or with integers beyond 64 bits is rejected as not valid JSON); only SpanDetail::kFull builds
// the nlohmann::json trees (`original`, `metadata`), which cost more than the rest of a decode.
//
// StoredSpanJson/SpanFromStoredJson are the trace store's row format (flat, lossless for every
// Span field). AssembleSegmentDocuments rebuilds X-Ray segment documents (subsegments nested under
// their parents) for BatchGetTraces.
//
//   CK_ASSIGN_OR_RETURN(std::vector<Span> spans, DecodeDatagram(datagram));
//
// Thread-safety: free functions over values (each thread parses with its own simdjson parser).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "collector/model/span.h"
#include "core/status.h"

namespace ck::collector {

inline constexpr std::string_view kDaemonHeader = R"({"format":"json","version":1})";
inline constexpr size_t kMaxDatagramBytes = 64 * 1024;
inline constexpr int kMaxSubsegmentDepth = 64;

// `document`, when given, is set to the document's text within `datagram`.
Result<std::vector<Span>> DecodeDatagram(std::string_view datagram,
                                         std::string_view* document = nullptr,
                                         SpanDetail detail = SpanDetail::kFull);
Result<std::vector<Span>> DecodeSegmentDocument(std::string_view document,
                                                SpanDetail detail = SpanDetail::kFull);
// The same for a document held as JSON (tests, assembled documents).
Result<std::vector<Span>> DecodeSegmentJson(const nlohmann::json& document,
                                            SpanDetail detail = SpanDetail::kFull);

nlohmann::json StoredSpanJson(const Span& span);
Result<Span> SpanFromStoredJson(const nlohmann::json& stored);
Result<Span> SpanFromStoredText(std::string_view stored);  // StoredSpanJson's text

// One X-Ray document per segment of `spans` (one trace), subsegments nested by parent id.
// Subsegments whose segment is missing become independent "subsegment" documents.
std::vector<nlohmann::json> AssembleSegmentDocuments(const std::vector<Span>& spans);

}  // namespace ck::collector
