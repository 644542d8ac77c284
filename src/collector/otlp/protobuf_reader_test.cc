#include "collector/otlp/protobuf_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "collector/otlp/protobuf_writer.h"

namespace ck::collector::otlp {
namespace {

std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out.push_back(static_cast<char>(v));
  return out;
}

TEST(DecodeVarintTest, DecodesSingleAndMultiByteValues) {
  auto one = DecodeVarint(Bytes({0x01}));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->first, 1u);
  EXPECT_EQ(one->second, 1u);
  auto three_hundred = DecodeVarint(Bytes({0xac, 0x02, 0x7f}));
  ASSERT_TRUE(three_hundred.ok());
  EXPECT_EQ(three_hundred->first, 300u);
  EXPECT_EQ(three_hundred->second, 2u);
}

TEST(DecodeVarintTest, DecodesTheLargestValueInTenBytes) {
  auto max = DecodeVarint(Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  ASSERT_TRUE(max.ok());
  EXPECT_EQ(max->first, UINT64_MAX);
  EXPECT_EQ(max->second, 10u);
}

TEST(DecodeVarintTest, RejectsOverLongAndOverflowingVarints) {
  // An 11th byte is never valid.
  auto eleven =
      DecodeVarint(Bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}));
  EXPECT_EQ(eleven.status().code(), StatusCode::kInvalidArgument);
  // A 10th byte above 1 would need bits past 64.
  auto overflow = DecodeVarint(Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}));
  EXPECT_EQ(overflow.status().code(), StatusCode::kInvalidArgument);
}

TEST(DecodeVarintTest, RejectsTruncatedVarints) {
  EXPECT_FALSE(DecodeVarint("").ok());
  EXPECT_FALSE(DecodeVarint(Bytes({0x80})).ok());
  EXPECT_FALSE(DecodeVarint(Bytes({0xff, 0xff})).ok());
}

TEST(ProtobufReaderTest, ReadsEveryWireTypeWrittenByTheWriter) {
  ProtobufWriter writer;
  writer.WriteVarint(1, 150);
  writer.WriteInt64(2, -2);
  writer.WriteFixed64(3, 0x0102030405060708ull);
  writer.WriteDouble(4, 2.5);
  writer.WriteFixed32(5, 0xdeadbeef);
  writer.WriteString(6, "hello");
  writer.WriteBool(536870911, true);  // the largest field number

  ProtobufReader reader(writer.data());
  auto f1 = reader.Next();
  ASSERT_TRUE(f1.ok());
  EXPECT_TRUE(f1->Is(1, WireType::kVarint));
  EXPECT_EQ(f1->value, 150u);
  auto f2 = reader.Next();
  ASSERT_TRUE(f2.ok());
  EXPECT_EQ(f2->AsInt64(), -2);
  EXPECT_EQ(f2->AsInt32(), -2);
  auto f3 = reader.Next();
  ASSERT_TRUE(f3.ok());
  EXPECT_TRUE(f3->Is(3, WireType::kFixed64));
  EXPECT_EQ(f3->value, 0x0102030405060708ull);
  auto f4 = reader.Next();
  ASSERT_TRUE(f4.ok());
  EXPECT_EQ(f4->AsDouble(), 2.5);
  auto f5 = reader.Next();
  ASSERT_TRUE(f5.ok());
  EXPECT_TRUE(f5->Is(5, WireType::kFixed32));
  EXPECT_EQ(f5->value, 0xdeadbeefu);
  auto f6 = reader.Next();
  ASSERT_TRUE(f6.ok());
  EXPECT_TRUE(f6->Is(6, WireType::kLengthDelimited));
  EXPECT_EQ(f6->bytes, "hello");
  auto f7 = reader.Next();
  ASSERT_TRUE(f7.ok());
  EXPECT_EQ(f7->number, 536870911u);
  EXPECT_TRUE(f7->AsBool());
  EXPECT_TRUE(reader.AtEnd());
  EXPECT_FALSE(reader.Next().ok());
}

TEST(ProtobufReaderTest, UnknownFieldsOfEveryWireTypeAreSkippedByIgnoringThem) {
  ProtobufWriter writer;
  writer.WriteVarint(90, 1);
  writer.WriteFixed64(91, 2);
  writer.WriteString(92, "skip me");
  writer.WriteFixed32(93, 3);
  writer.WriteString(1, "wanted");
  std::string wanted;
  ProtobufReader reader(writer.data());
  while (!reader.AtEnd()) {
    auto field = reader.Next();
    ASSERT_TRUE(field.ok()) << field.status().message();
    if (field->Is(1, WireType::kLengthDelimited)) wanted = std::string(field->bytes);
  }
  EXPECT_EQ(wanted, "wanted");
}

TEST(ProtobufReaderTest, RejectsTruncatedFields) {
  // Field 1, fixed64, only 3 of 8 bytes.
  std::string fixed64_input = Bytes({0x09, 0x01, 0x02, 0x03});
  ProtobufReader fixed64(fixed64_input);
  auto a = fixed64.Next();
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("truncated 64-bit field 1"), std::string::npos);
  // Field 1, fixed32, 2 of 4 bytes.
  std::string fixed32_input = Bytes({0x0d, 0x01, 0x02});
  ProtobufReader fixed32(fixed32_input);
  EXPECT_FALSE(fixed32.Next().ok());
  // Field 2, length 5, 2 bytes present.
  std::string bytes_input = Bytes({0x12, 0x05, 'a', 'b'});
  ProtobufReader bytes(bytes_input);
  auto c = bytes.Next();
  EXPECT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("runs past the end"), std::string::npos);
  EXPECT_NE(c.status().message().find("at byte 1"), std::string::npos);
  // A varint field whose value is cut off.
  std::string varint_input = Bytes({0x08, 0x80});
  ProtobufReader varint(varint_input);
  EXPECT_FALSE(varint.Next().ok());
  // A tag that is cut off.
  std::string tag_input = Bytes({0x80});
  ProtobufReader tag(tag_input);
  EXPECT_FALSE(tag.Next().ok());
  // A huge length cannot wrap around the bounds check.
  std::string huge_input =
      Bytes({0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01});
  ProtobufReader huge(huge_input);
  EXPECT_FALSE(huge.Next().ok());
}

TEST(ProtobufReaderTest, RejectsGroupsUndefinedWireTypesAndFieldZero) {
  for (int tag : {0x0b /*field 1 start group*/, 0x0c /*end group*/, 0x0e /*type 6*/,
                  0x0f /*type 7*/, 0x00 /*field 0 varint*/}) {
    std::string input = Bytes({tag, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00});
    ProtobufReader reader(input);
    auto field = reader.Next();
    EXPECT_EQ(field.status().code(), StatusCode::kInvalidArgument) << tag;
    EXPECT_TRUE(reader.AtEnd()) << "a failed reader stops";
  }
}

TEST(ProtobufReaderTest, RejectsTagsAboveThirtyTwoBits) {
  // Varint 2^32 as a tag.
  std::string input = Bytes({0x80, 0x80, 0x80, 0x80, 0x10, 0x00});
  ProtobufReader reader(input);
  EXPECT_FALSE(reader.Next().ok());
}

TEST(ProtobufReaderTest, EnterLimitsNestingDepth) {
  // Build 5 levels of field-1 messages.
  std::string message;
  for (int i = 0; i < 5; ++i) {
    ProtobufWriter outer;
    outer.WriteString(1, message);
    message = outer.data();
  }
  auto descend = [&](int max_depth) -> Status {
    ProtobufReader reader(message, max_depth);
    while (!reader.AtEnd()) {
      CK_ASSIGN_OR_RETURN(ProtobufField field, reader.Next());
      CK_ASSIGN_OR_RETURN(reader, reader.Enter(field.bytes));
    }
    return Status::Ok();
  };
  EXPECT_TRUE(descend(5).ok());
  Status too_deep = descend(4);
  EXPECT_EQ(too_deep.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_deep.message().find("nested deeper than 4"), std::string::npos);
}

TEST(ProtobufReaderTest, NestedReadersReportAbsoluteOffsets) {
  ProtobufWriter inner;
  inner.WriteVarint(1, 1);
  std::string inner_bytes = inner.data() + Bytes({0x0d, 0x00});  // truncated fixed32 at offset 2
  ProtobufWriter outer;
  outer.WriteVarint(7, 7);            // 2 bytes
  outer.WriteString(2, inner_bytes);  // tag + length = 2 bytes, payload starts at 4
  ProtobufReader reader(outer.data());
  ASSERT_TRUE(reader.Next().ok());
  auto field = reader.Next();
  ASSERT_TRUE(field.ok());
  auto nested = reader.Enter(field->bytes);
  ASSERT_TRUE(nested.ok());
  EXPECT_EQ(nested->depth(), 1);
  ASSERT_TRUE(nested->Next().ok());
  auto bad = nested->Next();
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("at byte 7"), std::string::npos) << bad.status().message();
}

TEST(ProtobufWriterTest, WritesTheSpecExamples) {
  // From the protobuf encoding guide: field 1 = 150 is 08 96 01; field 2 = "testing".
  ProtobufWriter writer;
  writer.WriteVarint(1, 150);
  EXPECT_EQ(writer.data(), Bytes({0x08, 0x96, 0x01}));
  ProtobufWriter text;
  text.WriteString(2, "testing");
  EXPECT_EQ(text.data(), Bytes({0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'}));
  ProtobufWriter negative;
  negative.WriteInt64(1, -1);
  EXPECT_EQ(negative.data().size(), 11u) << "negative int64 takes ten bytes after the tag";
}

}  // namespace
}  // namespace ck::collector::otlp
