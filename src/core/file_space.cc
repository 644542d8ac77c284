#include "core/file_space.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace ck {

Result<uint64_t> ReleaseOldPrefix(int fd, uint64_t end, uint64_t from) {
  constexpr uint64_t kBlock = 4096;
  end = end / kBlock * kBlock;
  if (end <= from) return from;
  if (::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(from),
                  static_cast<off_t>(end - from)) == 0) {
    return end;
  }
  const int error = errno;
  if (error == EOPNOTSUPP || error == ENOSYS) {
    return Unimplemented("the file system cannot free part of a file");
  }
  return Internal(std::string("freeing file blocks: ") + std::strerror(error));
}

PrefixRelease KeepRecentPart(int fd, uint64_t consumed, uint64_t keep, uint64_t& released) {
  PrefixRelease outcome;
  Result<uint64_t> done = ReleaseOldPrefix(fd, consumed - keep, released);
  if (done.ok()) {
    outcome.freed = *done - released;
    released = *done;
  } else if (done.status().code() == StatusCode::kUnimplemented) {
    outcome.unsupported = true;
    released = UINT64_MAX / 2;  // never due again
  }
  return outcome;
}

}  // namespace ck
