// A thin RAII layer over one SQLite connection with a prepared-statement cache.
//
// SqliteDatabase owns the sqlite3 handle; Prepare() returns a cached, reset statement for a SQL
// text, so each distinct statement is compiled once per connection. A StatementLease resets the
// statement when it goes out of scope, which ends its implicit read transaction promptly.
//
//   CK_ASSIGN_OR_RETURN(auto statement, database.Prepare("SELECT item FROM items WHERE ..."));
//   statement->BindInt(1, table_id);
//   CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
//
// Failure: every SQLite error becomes kInternal with SQLite's message (kUnavailable for
// SQLITE_BUSY/LOCKED, kResourceExhausted for SQLITE_FULL). Thread-safety: none; one thread owns a
// connection and its statements.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ck {

class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, columns 0-based (SQLite's convention). Blobs and texts are copied.
  void BindInt(int index, int64_t value);
  void BindBlob(int index, std::string_view bytes);
  void BindText(int index, std::string_view text);
  void BindNull(int index);

  // True when a row is available, false when done.
  Result<bool> Step();
  // Steps a statement that returns no rows.
  Status Run();

  int64_t ColumnInt(int column) const;
  bool ColumnIsNull(int column) const;
  // Valid until the next Step/Reset.
  std::string_view ColumnBlob(int column) const;
  std::string_view ColumnText(int column) const;

  void Reset();
  sqlite3_stmt* handle() const { return statement_; }

 private:
  sqlite3_stmt* statement_;
};

// Resets the leased statement on destruction.
class StatementLease {
 public:
  explicit StatementLease(Statement* statement) : statement_(statement) {}
  ~StatementLease() {
    if (statement_ != nullptr) statement_->Reset();
  }
  StatementLease(StatementLease&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease& operator=(StatementLease&&) = delete;

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

class SqliteDatabase {
 public:
  // Opens (creating if needed) the database file at `path` read-write.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs one or more SQL statements without results.
  Status Exec(const std::string& sql);
  // A cached statement for `sql`, reset and with cleared bindings.
  Result<StatementLease> Prepare(const std::string& sql);

  int64_t Changes() const;
  sqlite3* handle() const { return database_; }

 private:
  explicit SqliteDatabase(sqlite3* database) : database_(database) {}

  sqlite3* database_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> statements_;
};

// Maps a SQLite result code to a Status (`context` prefixes the message).
Status SqliteStatus(sqlite3* database, int code, std::string_view context);

}  // namespace ck
