// Seams for time and randomness, so retries, timeouts, TTL and sampling are testable without
// sleeping.
//
// Thread-safety: SystemClock is thread-safe; FakeClock is for single-threaded tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace ck {

using WallTime = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  static SystemClock& Instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start) : now_(start) {}
  WallTime Now() const override { return now_; }
  void Advance(std::chrono::milliseconds delta) { now_ += delta; }
  void Set(WallTime t) { now_ = t; }

 private:
  WallTime now_;
};

// "YYYYMMDDTHHMMSSZ", as SigV4's X-Amz-Date.
std::string FormatAmzDate(WallTime t);
// Parses "YYYYMMDDTHHMMSSZ"; false if malformed.
bool ParseAmzDate(const std::string& text, WallTime* out);

}  // namespace ck
