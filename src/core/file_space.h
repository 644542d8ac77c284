// Freeing the disk space of part of a file that is still being appended to.
//
// Task log files are appended to by the tasks themselves (O_APPEND) and read by position. Both
// the collector (once it has stored the lines) and the supervisor (when nothing reads them) free
// the blocks of a file's old prefix by punching a hole: the file keeps its size, so positions
// stay valid and the writer keeps appending; the freed range reads as zero bytes.
//
//   uint64_t released = 0;  // per file, what has been freed so far
//   if (ReleaseDue(consumed, keep, released)) {
//     PrefixRelease done = KeepRecentPart(fd, consumed, keep, released);
//   }
//
// Failure modes: Unimplemented when the file system cannot punch holes (nothing is freed);
// Internal for other errors. Thread-safety: stateless.
#pragma once

#include <cstdint>

#include "core/status.h"

namespace ck {

// Frees the disk blocks of [from, end) rounded to whole 4 KiB blocks (end rounded down) of the
// open file `fd`; returns the new released position (>= from; == from when there was no whole
// block to free).
Result<uint64_t> ReleaseOldPrefix(int fd, uint64_t end, uint64_t from);

// The policy both callers share: keep the last keep..2*keep bytes before `consumed` (how far the
// file has been read or written) on disk, so that a file is punched once per `keep` bytes.
inline bool ReleaseDue(uint64_t consumed, uint64_t keep, uint64_t released) {
  return keep != 0 && consumed >= released + 2 * keep;
}

struct PrefixRelease {
  uint64_t freed = 0;        // bytes newly freed
  bool unsupported = false;  // the file system cannot punch holes
};

// Frees the prefix of `fd` up to consumed - keep and advances `released`. When the file system
// cannot punch holes, `released` moves out of reach so that ReleaseDue never asks again; other
// failures leave it unchanged (the next call retries).
PrefixRelease KeepRecentPart(int fd, uint64_t consumed, uint64_t keep, uint64_t& released);

}  // namespace ck
