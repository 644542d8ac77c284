#include "cli/verbs/verbs.h"

namespace ck::cli {

int& ExitCode() {
  static int code = 0;
  return code;
}

}  // namespace ck::cli
