// Check: the property assertion of every fuzz target. A violated property aborts, which libFuzzer
// reports as a crash with the input that caused it, and the corpus replay (replay_main.cc) as a
// failed test.
#pragma once

#include <cstdlib>

namespace ck::fuzz {

inline void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace ck::fuzz
