// Freeing the disk space of part of a file that is still being appended to.
//
// Task log files are appended to by the tasks themselves (O_APPEND) and read by position. Both
// the collector (once it has stored the lines) and the supervisor (when nothing reads them) free
// the blocks of a file's old prefix by punching a hole: the file keeps its size, so positions
// stay valid and the writer keeps appending; the freed range reads as zero bytes.
//
//   uint64_t released = 0;  // per file, what has been freed so far
//   Result<uint64_t> done = ReleaseOldPrefix(fd, /*end=*/size - keep, released);
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

}  // namespace ck
