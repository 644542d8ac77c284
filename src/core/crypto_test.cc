#include "core/crypto.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sys/wait.h>
#include <unistd.h>
#include <set>
#include <string>

namespace ck {
namespace {

std::string Hex(std::string_view bytes) { return HexEncode(bytes); }

TEST(CryptoTest, Sha256MatchesTheFips180Examples) {
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(CryptoTest, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(Hex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test cases 6 and 7: a key longer than the 64-byte block is hashed first.
  const std::string long_key(131, '\xaa');
  EXPECT_EQ(Hex(HmacSha256(long_key, "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(Hex(HmacSha256(long_key,
                           "This is a test using a larger than block-size key and a larger than "
                           "block-size data. The key needs to be hashed before being used by the "
                           "HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(CryptoTest, HmacSha256AgreesWithOpenSslForEveryKeyLengthAroundTheBlock) {
  std::string data;
  for (int i = 0; i < 300; ++i) data.push_back(static_cast<char>(i * 7));
  for (size_t key_length = 0; key_length <= 130; ++key_length) {
    std::string key;
    for (size_t i = 0; i < key_length; ++i) key.push_back(static_cast<char>(i * 13 + 1));
    for (size_t data_length : {size_t{0}, size_t{1}, size_t{55}, size_t{64}, data.size()}) {
      std::string_view message(data.data(), data_length);
      unsigned char expected[EVP_MAX_MD_SIZE];
      unsigned int expected_length = 0;
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), expected,
           &expected_length);
      EXPECT_EQ(HmacSha256(key, message),
                std::string(reinterpret_cast<const char*>(expected), expected_length))
          << "key length " << key_length << ", data length " << data_length;
    }
  }
}

TEST(CryptoTest, Crc32IsZlibsCrc) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32("{}"), 2745614147u);  // DynamoDB's x-amz-crc32 of an empty JSON answer
}

TEST(CryptoTest, RandomHexHasTheLengthAndDoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string value = RandomHex(12);
    ASSERT_EQ(value.size(), 24u);
    EXPECT_EQ(value.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_TRUE(seen.insert(value).second);
  }
  EXPECT_EQ(RandomHex(300).size(), 600u);  // getrandom() returns at most 256 bytes per call
}

TEST(CryptoTest, AForkedChildDoesNotRepeatItsParentsRandomBytes) {
  RandomHex(8);  // the parent's per-thread pool now holds unused bytes
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string value = RandomHex(16);
    const ssize_t written = ::write(pipe_fds[1], value.data(), value.size());
    ::_exit(written == static_cast<ssize_t>(value.size()) ? 0 : 1);
  }
  ::close(pipe_fds[1]);
  std::string from_child(32, '\0');
  ASSERT_EQ(::read(pipe_fds[0], from_child.data(), from_child.size()), 32);
  ::close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_NE(from_child, RandomHex(16));
}

}  // namespace
}  // namespace ck
