// RandomSource: the randomness seam for trace ids, span ids and sampling decisions.
//
// Production code uses SystemRandom (a per-thread std::mt19937_64 seeded from std::random_device);
// tests inject a SequenceRandom that returns scripted values, so sampling is deterministic.
// Ids need to be unique, not secret, so a seeded PRNG is enough and avoids a syscall per request.
//
// Thread-safety: SystemRandom is thread-safe (one generator per thread); SequenceRandom is for
// single-threaded tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ck::telemetry {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // 64 uniformly random bits.
  virtual uint64_t NextU64() = 0;
  // Uniform in [0, 1).
  double NextUnit() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
};

class SystemRandom final : public RandomSource {
 public:
  uint64_t NextU64() override;
  static SystemRandom& Instance();
};

// Returns the scripted values in order, cycling; for tests.
class SequenceRandom final : public RandomSource {
 public:
  explicit SequenceRandom(std::vector<uint64_t> values) : values_(std::move(values)) {}
  uint64_t NextU64() override {
    if (values_.empty()) return 0;
    return values_[next_++ % values_.size()];
  }
  // The 64-bit value whose NextUnit() is `unit` (for scripting sampling draws).
  static uint64_t ForUnit(double unit) { return static_cast<uint64_t>(unit * 0x1.0p53) << 11; }

 private:
  std::vector<uint64_t> values_;
  size_t next_ = 0;
};

}  // namespace ck::telemetry
