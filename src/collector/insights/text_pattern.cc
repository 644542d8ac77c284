#include "collector/insights/text_pattern.h"

#include <re2/re2.h>

namespace ck::collector::insights {
namespace {

RE2::Options PatternOptions() {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  return options;
}

Result<std::shared_ptr<const re2::RE2>> Compile(const std::string& pattern,
                                                const RE2::Options& options,
                                                std::string_view shown) {
  auto regex = std::make_shared<const RE2>(pattern, options);
  if (!regex->ok()) {
    return InvalidArgument("invalid regular expression " + std::string(shown) + ": " +
                           regex->error());
  }
  return std::shared_ptr<const re2::RE2>(std::move(regex));
}

}  // namespace

std::string TranslateNamedGroups(std::string_view pattern) {
  std::string out;
  out.reserve(pattern.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      out.push_back(c);
      out.push_back(pattern[++i]);
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out.push_back(c);
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' right after '[' or '[^' is a literal member of the class.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.push_back(pattern[++i]);
      continue;
    }
    if (c == '(' && pattern.substr(i, 3) == "(?<" && i + 3 < pattern.size() &&
        pattern[i + 3] != '=' && pattern[i + 3] != '!') {
      out.append("(?P<");
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

Result<std::shared_ptr<const re2::RE2>> CompileRegex(std::string_view pattern) {
  return Compile(TranslateNamedGroups(pattern), PatternOptions(), "/" + std::string(pattern) + "/");
}

Result<std::shared_ptr<const re2::RE2>> CompileGlob(std::string_view glob) {
  std::string pattern = "(?s)";
  for (size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] == '*') {
      pattern += i + 1 == glob.size() ? "(.*)" : "(.*?)";
      continue;
    }
    size_t end = glob.find('*', i);
    if (end == std::string_view::npos) end = glob.size();
    pattern += RE2::QuoteMeta(re2::StringPiece(glob.data() + i, end - i));
    i = end - 1;
  }
  return Compile(pattern, PatternOptions(), "\"" + std::string(glob) + "\"");
}

}  // namespace ck::collector::insights
