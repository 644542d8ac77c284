#include "core/sqlite_database.h"

#include <sqlite3.h>

namespace ck {

Status SqliteStatus(sqlite3* database, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  message += database != nullptr ? sqlite3_errmsg(database) : sqlite3_errstr(code);
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(std::move(message));
    case SQLITE_FULL:
      return ResourceExhausted(std::move(message));
    default:
      return Internal(std::move(message));
  }
}

Statement::~Statement() { sqlite3_finalize(statement_); }

void Statement::BindInt(int index, int64_t value) { sqlite3_bind_int64(statement_, index, value); }

void Statement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob (not NULL), so never pass a null pointer.
  static const char kEmpty = 0;
  sqlite3_bind_blob64(statement_, index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(),
                      SQLITE_TRANSIENT);
}

void Statement::BindText(int index, std::string_view text) {
  sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::BindNull(int index) { sqlite3_bind_null(statement_, index); }

Result<bool> Statement::Step() {
  int code = sqlite3_step(statement_);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return SqliteStatus(sqlite3_db_handle(statement_), code, "sqlite step");
}

Status Statement::Run() {
  CK_ASSIGN_OR_RETURN(bool has_row, Step());
  (void)has_row;
  return Status::Ok();
}

int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(statement_, column); }

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

std::string_view Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(statement_, column);
  int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr) return {};
  return {static_cast<const char*>(data), static_cast<size_t>(size)};
}

std::string_view Statement::ColumnText(int column) const {
  const unsigned char* data = sqlite3_column_text(statement_, column);
  int size = sqlite3_column_bytes(statement_, column);
  if (data == nullptr) return {};
  return {reinterpret_cast<const char*>(data), static_cast<size_t>(size)};
}

void Statement::Reset() {
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path) {
  sqlite3* handle = nullptr;
  int code =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    Status status = SqliteStatus(handle, code, "opening " + path);
    sqlite3_close(handle);
    return status;
  }
  sqlite3_extended_result_codes(handle, 1);
  // Several connections may share one file (a writer thread and a query thread); a writer
  // waits for another's transaction instead of failing with SQLITE_BUSY.
  sqlite3_busy_timeout(handle, 5000);
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(handle));
}

SqliteDatabase::~SqliteDatabase() {
  statements_.clear();  // finalize before closing
  sqlite3_close(database_);
}

Status SqliteDatabase::Exec(const std::string& sql) {
  char* error = nullptr;
  int code = sqlite3_exec(database_, sql.c_str(), nullptr, nullptr, &error);
  if (code == SQLITE_OK) return Status::Ok();
  std::string message = error != nullptr ? error : "unknown error";
  sqlite3_free(error);
  Status status = SqliteStatus(nullptr, code, "sqlite exec");
  return Status(status.code(), "sqlite exec: " + message);
}

Result<StatementLease> SqliteDatabase::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    int code = sqlite3_prepare_v3(database_, sql.c_str(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK) return SqliteStatus(database_, code, "sqlite prepare");
    it = statements_.emplace(sql, std::make_unique<Statement>(statement)).first;
  }
  return StatementLease(it->second.get());
}

int64_t SqliteDatabase::Changes() const { return sqlite3_changes64(database_); }

}  // namespace ck
