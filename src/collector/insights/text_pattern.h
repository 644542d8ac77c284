// User patterns of the Logs Insights language compiled to RE2 (linear time, no backtracking):
// regular expressions of like /re/, =~ /re/ and parse /re/, and the glob patterns of
// parse "user=* action=*".
//
//   CK_ASSIGN_OR_RETURN(auto regex, CompileRegex("(?<user>\\w+) logged in"));
//   CK_ASSIGN_OR_RETURN(auto glob, CompileGlob("user=* action=*"));  // 2 capture groups
//
// Named groups may be written (?<name>...) as in Insights (Java syntax) or (?P<name>...). A glob's
// `*` matches as little as possible, except a trailing `*`, which takes the rest of the text; the
// glob may match anywhere in the text and `.` spans lines.
//
// Failure: InvalidArgument "invalid regular expression ...: <RE2's reason>" (no position; the
// parser adds it). Thread-safety: the returned RE2 objects are immutable and thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace re2 {
class RE2;
}

namespace ck::collector::insights {

Result<std::shared_ptr<const re2::RE2>> CompileRegex(std::string_view pattern);
Result<std::shared_ptr<const re2::RE2>> CompileGlob(std::string_view glob);

// (?<name> -> (?P<name>, leaving escaped parentheses and character classes alone.
std::string TranslateNamedGroups(std::string_view pattern);

}  // namespace ck::collector::insights
