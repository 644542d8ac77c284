// LogStore::Scan: visits the events of some groups in time order, reading only what the query
// needs.
//
// Events are stored in blocks (log_block.h) whose time ranges may overlap (streams write side by
// side, and one stream's timestamps need not be monotonic). A scan reads block headers in order
// of first_ms (ascending scans; last_ms descending for descending ones) from one cursor per
// group, or for a trace id from the blocks whose trace filter may hold it, and keeps the blocks it
// has opened in a heap keyed by each block's next event. An event is handed out once no block still
// unopened can hold an earlier one: when it comes before the next header's first_ms (ascending). A
// block holding events in range can begin before the scan's start by at most the group's
// max_span_ms, which bounds where the cursors start. Messages are read only when the query needs
// them.
#include <algorithm>
#include <climits>
#include <unordered_set>

#include "collector/logs/log_store.h"
#include "collector/logs/log_store_impl.h"

namespace ck::collector::logs {
namespace {

struct GroupRef {
  int64_t id = 0;
  std::string name;
  int64_t max_span_ms = 0;
};

// Columns of a header row.
constexpr int kBlockId = 0;
constexpr int kGroup = 1;
constexpr int kStream = 2;
constexpr int kFirst = 3;
constexpr int kLast = 4;
constexpr int kIngestion = 5;
constexpr int kCount = 6;
constexpr int kTimes = 7;
constexpr int kIndexes = 8;
constexpr int kLengths = 9;
constexpr int kTraces = 10;
constexpr int kIngestions = 11;

// The window a scan covers after the resume position: [low_ms, high_ms], and on the boundary
// timestamp only ids past resume_id.
struct Window {
  int64_t low_ms = 0;
  int64_t high_ms = 0;
  std::optional<int64_t> boundary_ms;
  uint64_t resume_id = 0;
};

Window WindowOf(const ScanRequest& request) {
  Window window{request.start_ms, request.end_ms, std::nullopt, 0};
  if (request.resume_after) {
    const int64_t at = request.resume_after->timestamp_ms;
    if (request.needs.ascending) {
      window.low_ms = std::max(window.low_ms, at);
    } else {
      window.high_ms = std::min(window.high_ms, at);
    }
    window.boundary_ms = at;
    window.resume_id = request.resume_after->id;
  }
  return window;
}

int64_t SaturatingAdd(int64_t value, int64_t delta) {
  if (delta > 0 && value > INT64_MAX - delta) return INT64_MAX;
  if (delta < 0 && value < INT64_MIN - delta) return INT64_MIN;
  return value + delta;
}

// A cursor over block headers in feed order; `key` is the current row's first_ms (ascending)
// or last_ms (descending).
struct Feed {
  RawStatement statement;
  int64_t key = 0;
  int64_t block_id = 0;
};

// An opened block: its events in the window, in scan order.
struct OpenBlock {
  int64_t block_id = 0;
  int64_t group_id = 0;
  int64_t stream_id = 0;
  int64_t ingestion_ms = 0;
  std::string traces;    // owned bytes the decoded views point into
  std::string messages;  // likewise
  DecodedLogBlock decoded;
  std::vector<uint32_t> order;  // positions
  size_t next = 0;

  int64_t timestamp() const { return decoded.timestamps[order[next]]; }
  uint64_t id() const { return EventIdOf(block_id, decoded.numbers[order[next]]); }
};

// Orders open blocks for a heap whose top holds the next event in scan order.
struct LaterFirst {
  bool ascending;
  bool operator()(const OpenBlock* a, const OpenBlock* b) const {
    const int64_t at = a->timestamp();
    const int64_t bt = b->timestamp();
    if (at != bt) return ascending ? at > bt : at < bt;
    return ascending ? a->id() > b->id() : a->id() < b->id();
  }
};

// Orders feeds for a heap whose top holds the next block to open.
struct LaterFeedFirst {
  bool ascending;
  bool operator()(const Feed* a, const Feed* b) const {
    if (a->key != b->key) return ascending ? a->key > b->key : a->key < b->key;
    return ascending ? a->block_id > b->block_id : a->block_id < b->block_id;
  }
};

class ScanRun {
 public:
  ScanRun(LogStore::Impl& impl, const ScanRequest& request,
          const std::function<bool(const insights::LogEvent&)>& visit)
      : impl_(impl),
        request_(request),
        visit_(visit),
        ascending_(request.needs.ascending),
        window_(WindowOf(request)) {}

  Status Run() {
    CK_RETURN_IF_ERROR(ResolveGroups());
    CK_RETURN_IF_ERROR(ResolveStreams());
    if (!request_.streams.empty() && stream_filter_.empty()) return Status::Ok();
    if (window_.low_ms > window_.high_ms) return Status::Ok();
    read_messages_ = request_.needs.message;
    if (read_messages_) {
      CK_ASSIGN_OR_RETURN(
          load_messages_,
          PrepareRaw(*impl_.database, "SELECT messages FROM block_messages WHERE block_id = ?1"));
    }
    if (!request_.trace_id.empty()) {
      trace_id_ = NormalizeTraceId(request_.trace_id);
      if (trace_id_.empty()) return Status::Ok();  // matches no stored event
      feeds_.resize(1);
      CK_RETURN_IF_ERROR(OpenTraceFeed(feeds_[0]));
    } else {
      feeds_.resize(groups_.size());
      for (size_t i = 0; i < groups_.size(); ++i) {
        CK_RETURN_IF_ERROR(OpenGroupFeed(feeds_[i], groups_[i]));
      }
    }
    return Merge();
  }

 private:
  std::string HeaderColumns(std::string_view table) const {
    const std::string t(table);
    std::string sql = t + "id, " + t + "group_id, " + t + "stream_id, " + t + "first_ms, " + t +
                      "last_ms, " + t + "ingestion_ms, " + t + "count, " + t + "times, " + t +
                      "indexes";
    sql += read_messages_ ? ", " + t + "lengths" : ", NULL";
    sql += trace_id_.empty() ? ", NULL" : ", " + t + "traces";
    sql += request_.needs.ingestion_time ? ", " + t + "ingestions" : ", NULL";
    return sql;
  }

  Status OpenGroupFeed(Feed& feed, const GroupRef& group) {
    // Ascending: blocks starting in [low - span, high]; descending: ending in [low, high + span].
    const std::string sql =
        "SELECT " + HeaderColumns("") + " FROM blocks WHERE group_id = ?1 AND " +
        (ascending_ ? "first_ms >= ?2 AND first_ms <= ?3 ORDER BY first_ms, id"
                    : "last_ms >= ?2 AND last_ms <= ?3 ORDER BY last_ms DESC, id DESC");
    CK_ASSIGN_OR_RETURN(feed.statement, PrepareRaw(*impl_.database, sql));
    sqlite3_stmt* statement = feed.statement.get();
    sqlite3_bind_int64(statement, 1, group.id);
    sqlite3_bind_int64(
        statement, 2,
        ascending_ ? SaturatingAdd(window_.low_ms, -group.max_span_ms) : window_.low_ms);
    sqlite3_bind_int64(
        statement, 3,
        ascending_ ? window_.high_ms : SaturatingAdd(window_.high_ms, group.max_span_ms));
    return Status::Ok();
  }

  Status OpenTraceFeed(Feed& feed) {
    // Every block's filter is read (CROSS JOIN keeps block_blooms the outer loop); the few
    // blocks that may hold the trace are sorted into feed order.
    const std::string sql =
        "SELECT " + HeaderColumns("b.") +
        " FROM block_blooms f CROSS JOIN blocks b ON b.id = f.block_id WHERE "
        "ck_trace_bloom_may_contain(f.bloom, ?1) AND b.last_ms >= ?2 AND b.first_ms <= ?3 "
        "ORDER BY " +
        (ascending_ ? "b.first_ms, b.id" : "b.last_ms DESC, b.id DESC");
    CK_ASSIGN_OR_RETURN(feed.statement, PrepareRaw(*impl_.database, sql));
    sqlite3_stmt* statement = feed.statement.get();
    sqlite3_bind_text(statement, 1, trace_id_.data(), static_cast<int>(trace_id_.size()),
                      SQLITE_STATIC);
    sqlite3_bind_int64(statement, 2, window_.low_ms);
    sqlite3_bind_int64(statement, 3, window_.high_ms);
    return Status::Ok();
  }

  // Steps a feed to its next block worth opening; false when it is exhausted.
  Result<bool> AdvanceFeed(Feed& feed) {
    sqlite3_stmt* statement = feed.statement.get();
    while (true) {
      CK_ASSIGN_OR_RETURN(bool row, StepRaw(statement));
      if (!row) return false;
      if (sqlite3_column_int64(statement, kLast) < window_.low_ms ||
          sqlite3_column_int64(statement, kFirst) > window_.high_ms) {
        continue;  // a block the span margin brought in that holds nothing in range
      }
      if (!stream_filter_.empty() &&
          !stream_filter_.contains(sqlite3_column_int64(statement, kStream))) {
        continue;
      }
      if (!group_names_.contains(sqlite3_column_int64(statement, kGroup))) {
        continue;  // the trace feed covers every group
      }
      feed.key = sqlite3_column_int64(statement, ascending_ ? kFirst : kLast);
      feed.block_id = sqlite3_column_int64(statement, kBlockId);
      return true;
    }
  }

  // Opens the feed's current block; null when none of its events is in the scan.
  Result<std::unique_ptr<OpenBlock>> OpenCurrent(Feed& feed) {
    sqlite3_stmt* statement = feed.statement.get();
    auto block = std::make_unique<OpenBlock>();
    block->block_id = sqlite3_column_int64(statement, kBlockId);
    block->group_id = sqlite3_column_int64(statement, kGroup);
    block->stream_id = sqlite3_column_int64(statement, kStream);
    block->ingestion_ms = sqlite3_column_int64(statement, kIngestion);
    if (!trace_id_.empty()) block->traces = ColumnBlob(statement, kTraces);
    if (read_messages_) {
      sqlite3_stmt* load = load_messages_.get();
      sqlite3_bind_int64(load, 1, block->block_id);
      Result<bool> row = StepRaw(load);
      if (row.ok() && *row) block->messages = ColumnBlob(load, 0);
      sqlite3_reset(load);
      if (!row.ok()) return row.status();
    }
    const LogBlockColumns columns{sqlite3_column_int64(statement, kFirst),
                                  static_cast<uint32_t>(sqlite3_column_int64(statement, kCount)),
                                  ColumnBlob(statement, kTimes),
                                  ColumnBlob(statement, kLengths),
                                  ColumnBlob(statement, kIndexes),
                                  block->traces,
                                  block->messages,
                                  block->ingestion_ms,
                                  ColumnBlob(statement, kIngestions)};
    CK_ASSIGN_OR_RETURN(block->decoded,
                        DecodeLogBlock(columns, read_messages_, !trace_id_.empty()));
    const DecodedLogBlock& decoded = block->decoded;
    for (uint32_t i = 0; i < columns.count; ++i) {
      const int64_t timestamp = decoded.timestamps[i];
      if (timestamp < window_.low_ms || timestamp > window_.high_ms) continue;
      if (window_.boundary_ms && timestamp == *window_.boundary_ms) {
        const uint64_t id = EventIdOf(block->block_id, decoded.numbers[i]);
        if (ascending_ ? id <= window_.resume_id : id >= window_.resume_id) continue;
      }
      if (!trace_id_.empty() && decoded.traces[i] != trace_id_) continue;
      block->order.push_back(i);
    }
    if (block->order.empty()) return std::unique_ptr<OpenBlock>();
    // Blocks are usually in time order already: check, sort only when not (on flat keys, not
    // through the indirection), and reverse for a descending scan.
    const auto in_order = [&](uint32_t a, uint32_t b) {
      const int64_t at = decoded.timestamps[a];
      const int64_t bt = decoded.timestamps[b];
      return at != bt ? at < bt : decoded.numbers[a] < decoded.numbers[b];
    };
    std::vector<uint32_t>& order = block->order;
    if (!std::is_sorted(order.begin(), order.end(), in_order)) {
      struct Key {
        int64_t timestamp;
        uint32_t number;
        uint32_t position;
      };
      std::vector<Key> keys;
      keys.reserve(order.size());
      for (uint32_t i : order) keys.push_back({decoded.timestamps[i], decoded.numbers[i], i});
      std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
        return a.timestamp != b.timestamp ? a.timestamp < b.timestamp : a.number < b.number;
      });
      for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].position;
    }
    if (!ascending_) std::reverse(order.begin(), order.end());
    return block;
  }

  Status ResolveGroups() {
    if (request_.groups.empty()) {
      CK_ASSIGN_OR_RETURN(auto select, impl_.database->Prepare("SELECT id, name, max_span_ms "
                                                               "FROM groups ORDER BY name"));
      while (true) {
        CK_ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) break;
        groups_.push_back(
            {select->ColumnInt(0), std::string(select->ColumnText(1)), select->ColumnInt(2)});
      }
    } else {
      CK_ASSIGN_OR_RETURN(auto select, impl_.database->Prepare("SELECT id, max_span_ms FROM "
                                                               "groups WHERE name = ?1"));
      for (const std::string& name : request_.groups) {
        select->Reset();
        select->BindText(1, name);
        CK_ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) return NotFound(std::string(kGroupNotFound));
        const int64_t id = select->ColumnInt(0);
        const bool seen = std::any_of(groups_.begin(), groups_.end(),
                                      [&](const GroupRef& group) { return group.id == id; });
        if (!seen) groups_.push_back({id, name, select->ColumnInt(1)});
      }
    }
    for (const GroupRef& group : groups_) group_names_[group.id] = &group.name;
    return Status::Ok();
  }

  // Streams named in the request, in any of the groups; a name no group has matches nothing.
  Status ResolveStreams() {
    for (const GroupRef& group : groups_) {
      for (const std::string& name : request_.streams) {
        CK_ASSIGN_OR_RETURN(auto id, impl_.FindStream(group.id, name));
        if (id) stream_filter_.insert(*id);
      }
    }
    return Status::Ok();
  }

  Result<std::string_view> StreamName(int64_t stream_id) {
    if (stream_id == last_stream_id_) return std::string_view(*last_stream_name_);
    auto it = stream_names_.find(stream_id);
    if (it == stream_names_.end()) {
      CK_ASSIGN_OR_RETURN(auto select,
                          impl_.database->Prepare("SELECT name FROM streams WHERE id = ?1"));
      select->BindInt(1, stream_id);
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      it = stream_names_.emplace(stream_id, row ? std::string(select->ColumnText(0)) : "").first;
    }
    last_stream_id_ = stream_id;
    last_stream_name_ = &it->second;
    return std::string_view(it->second);
  }

  // Hands the block's next event to the visitor; false when it wants no more.
  Result<bool> Visit(const OpenBlock& block) {
    const uint32_t position = block.order[block.next];
    insights::LogEvent event;
    event.id = EventIdOf(block.block_id, block.decoded.numbers[position]);
    event.timestamp_ms = block.decoded.timestamps[position];
    const insights::ScanNeeds& needs = request_.needs;
    if (needs.log_group) event.log_group = *group_names_.at(block.group_id);
    if (needs.ingestion_time) event.ingestion_time_ms = block.decoded.Ingestion(position);
    if (needs.log_stream) {
      CK_ASSIGN_OR_RETURN(event.log_stream, StreamName(block.stream_id));
    }
    if (read_messages_) event.message = block.decoded.Message(position);
    return visit_(event);
  }

  Status Merge() {
    const LaterFeedFirst later_feed{ascending_};
    std::vector<Feed*> feed_heap;
    for (Feed& feed : feeds_) {
      CK_ASSIGN_OR_RETURN(bool has_row, AdvanceFeed(feed));
      if (has_row) feed_heap.push_back(&feed);
    }
    std::make_heap(feed_heap.begin(), feed_heap.end(), later_feed);

    const LaterFirst later{ascending_};
    std::vector<std::unique_ptr<OpenBlock>> open;  // owns what `heap` points at
    std::vector<OpenBlock*> heap;
    while (!heap.empty() || !feed_heap.empty()) {
      if (!heap.empty()) {
        OpenBlock* top = heap.front();
        const int64_t timestamp = top->timestamp();
        // Strictly before the next unopened block's bound: that block may hold an event with
        // the same timestamp and a smaller id.
        const bool settled = feed_heap.empty() || (ascending_ ? timestamp < feed_heap.front()->key
                                                              : timestamp > feed_heap.front()->key);
        if (settled) {
          CK_ASSIGN_OR_RETURN(bool more, Visit(*top));
          if (!more) return Status::Ok();
          std::pop_heap(heap.begin(), heap.end(), later);
          if (++top->next < top->order.size()) {
            std::push_heap(heap.begin(), heap.end(), later);
          } else {
            heap.pop_back();
            std::erase_if(open, [top](const auto& block) { return block.get() == top; });
          }
          continue;
        }
      }
      std::pop_heap(feed_heap.begin(), feed_heap.end(), later_feed);
      Feed* feed = feed_heap.back();
      CK_ASSIGN_OR_RETURN(std::unique_ptr<OpenBlock> block, OpenCurrent(*feed));
      if (block) {
        heap.push_back(block.get());
        std::push_heap(heap.begin(), heap.end(), later);
        open.push_back(std::move(block));
      }
      CK_ASSIGN_OR_RETURN(bool has_row, AdvanceFeed(*feed));
      if (has_row) {
        std::push_heap(feed_heap.begin(), feed_heap.end(), later_feed);
      } else {
        feed_heap.pop_back();
      }
    }
    return Status::Ok();
  }

  LogStore::Impl& impl_;
  const ScanRequest& request_;
  const std::function<bool(const insights::LogEvent&)>& visit_;
  const bool ascending_;
  const Window window_;
  bool read_messages_ = false;
  std::string trace_id_;
  RawStatement load_messages_;
  std::vector<Feed> feeds_;
  std::vector<GroupRef> groups_;
  std::unordered_map<int64_t, const std::string*> group_names_;
  std::unordered_set<int64_t> stream_filter_;
  std::unordered_map<int64_t, std::string> stream_names_;
  int64_t last_stream_id_ = -1;
  const std::string* last_stream_name_ = nullptr;
};

}  // namespace

Status LogStore::Scan(const ScanRequest& request,
                      const std::function<bool(const insights::LogEvent&)>& visit) {
  // One read transaction: every cursor and name lookup sees the same snapshot.
  std::optional<Transaction> transaction;
  if (sqlite3_get_autocommit(impl_->database->handle()) != 0) {
    CK_ASSIGN_OR_RETURN(auto begun, Transaction::Begin(*impl_->database, /*write=*/false));
    transaction.emplace(std::move(begun));
  }
  ScanRun run(*impl_, request, visit);
  Status status = run.Run();
  if (!status.ok()) return status;
  return transaction ? transaction->Commit() : Status::Ok();
}

}  // namespace ck::collector::logs
