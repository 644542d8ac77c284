// Lexer and reserved-word table.
#include "store/expr/lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/expr/reserved_words.h"

namespace ck::store::expr {
namespace {

std::vector<TokenKind> Kinds(std::string_view text) {
  std::vector<TokenKind> kinds;
  for (const Token& token : Tokenize(text)) kinds.push_back(token.kind);
  return kinds;
}

std::vector<std::string> Texts(std::string_view text) {
  std::vector<std::string> texts;
  for (const Token& token : Tokenize(text)) {
    texts.emplace_back(text.substr(token.begin, token.end - token.begin));
  }
  return texts;
}

TEST(LexerTest, TokenKinds) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("a.b[10] = :v_1 AND #n <> x"),
            (std::vector<K>{K::kIdentifier, K::kDot, K::kIdentifier, K::kLeftBracket, K::kNumber,
                            K::kRightBracket, K::kEqual, K::kValuePlaceholder, K::kIdentifier,
                            K::kNamePlaceholder, K::kNotEqual, K::kIdentifier, K::kEnd}));
  EXPECT_EQ(Kinds("<<=>>=<>=+-(),"),
            (std::vector<K>{K::kLess, K::kLessOrEqual, K::kGreater, K::kGreaterOrEqual,
                            K::kNotEqual, K::kEqual, K::kPlus, K::kMinus, K::kLeftParen,
                            K::kRightParen, K::kComma, K::kEnd}));
  EXPECT_EQ(Kinds(""), (std::vector<K>{K::kEnd}));
  EXPECT_EQ(Kinds(" \t\r\n"), (std::vector<K>{K::kEnd}));
  EXPECT_EQ(Kinds("# : !"), (std::vector<K>{K::kInvalid, K::kInvalid, K::kInvalid, K::kEnd}));
  EXPECT_EQ(Kinds("#1a :_"), (std::vector<K>{K::kNamePlaceholder, K::kValuePlaceholder, K::kEnd}));
}

TEST(LexerTest, OffsetsAndText) {
  EXPECT_EQ(Texts("  size(a)  >=:v "),
            (std::vector<std::string>{"size", "(", "a", ")", ">=", ":v", ""}));
  auto tokens = Tokenize("ab  c");
  EXPECT_EQ(tokens.back().begin, 5u);  // kEnd sits right after the last token
  EXPECT_EQ(Texts("1abc"), (std::vector<std::string>{"1", "abc", ""}));
}

TEST(LexerTest, InvalidTokensCoverWholeUtf8Characters) {
  EXPECT_EQ(Texts("é😀x"), (std::vector<std::string>{"é", "😀", "x", ""}));
  EXPECT_EQ(Texts("\xff\xc3"), (std::vector<std::string>{"\xff", "\xc3", ""}));
  EXPECT_EQ(Texts("\xe2\x82"), (std::vector<std::string>{"\xe2", "\x82", ""}));
}

TEST(ReservedWordsTest, TableAndCaseInsensitivity) {
  EXPECT_EQ(ReservedWordCount(), 573u);
  for (const char* word : {"name", "NAME", "Name", "size", "status", "date", "data", "key", "value",
                           "timestamp", "user", "ttl", "abort", "zone", "between", "and"}) {
    EXPECT_TRUE(IsReservedWord(word)) << word;
  }
  for (const char* word : {"", "ckid", "happiness", "names_", "a", "zones", "sizes", "nam"}) {
    EXPECT_FALSE(IsReservedWord(word)) << word;
  }
}

}  // namespace
}  // namespace ck::store::expr
