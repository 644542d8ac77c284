#include "telemetry/random_source.h"

#include <random>

namespace ck::telemetry {

uint64_t SystemRandom::NextU64() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  return generator();
}

SystemRandom& SystemRandom::Instance() {
  static SystemRandom random;
  return random;
}

}  // namespace ck::telemetry
