// The generated codec and the protobuf primitives on inputs the golden vectors do not hold.
#include <gtest/gtest.h>

#include "Stagecraft/colyseus.h"
#include "Stagecraft/gen/wire.h"

using namespace stagecraft;

TEST(Wire, RoundTripsEveryFieldKind) {
  wire::ClientMessage m;
  m.request_id = "r9";
  m.body_case = wire::ClientMessage::BodyCase::WorldReport;
  auto& a = m.world_report.actors.emplace_back();
  a.id = "guard";
  a.health = 0.0;  // explicit presence: a zero is still sent
  a.downed = false;
  a.x = -12.5;
  m.world_report.counters = {{"rounds", 3}, {"gold", 0.25}};
  std::vector<uint8_t> bytes;
  wire::encode(m, bytes);
  wire::ClientMessage back;
  pb::DecodeError err;
  ASSERT_TRUE(wire::decode(bytes.data(), bytes.size(), back, err)) << err.describe();
  ASSERT_EQ(back.body_case, wire::ClientMessage::BodyCase::WorldReport);
  ASSERT_EQ(back.world_report.actors.size(), 1u);
  EXPECT_EQ(back.world_report.actors[0].health, 0.0);
  EXPECT_EQ(back.world_report.actors[0].downed, false);
  EXPECT_FALSE(back.world_report.actors[0].dead.has_value());
  EXPECT_EQ(back.world_report.actors[0].x, -12.5);
  EXPECT_EQ(back.world_report.counters, m.world_report.counters);
  EXPECT_EQ(wire::to_json(back), wire::to_json(m));
}

TEST(Wire, LongSubmessagesGetWideLengthPrefixes) {
  wire::ServerMessage m;
  m.body_case = wire::ServerMessage::BodyCase::Audio;
  m.audio.pcm.assign(70000, 7);
  m.audio.seq = 300;
  std::vector<uint8_t> bytes;
  wire::encode(m, bytes);
  wire::ServerMessage back;
  pb::DecodeError err;
  ASSERT_TRUE(wire::decode(bytes.data(), bytes.size(), back, err)) << err.describe();
  EXPECT_EQ(back.audio.pcm, m.audio.pcm);
  EXPECT_EQ(back.audio.seq, 300u);
}

TEST(Wire, UnknownFieldsAreSkipped) {
  // PlayerLine{npc_id: "a"} with an unknown field 99 (varint) and 100 (bytes) around it.
  const std::vector<uint8_t> bytes = {0x98, 0x06, 0x05, 0x0a, 0x01, 'a', 0xa2, 0x06, 0x02, 'x', 'y'};
  wire::PlayerLine m;
  pb::DecodeError err;
  ASSERT_TRUE(wire::decode(bytes.data(), bytes.size(), m, err)) << err.describe();
  EXPECT_EQ(m.npc_id, "a");
}

TEST(Wire, ErrorsNameTheMessageFieldAndByte) {
  // ServerMessage{face: FaceFrames{data: <length 300, 2 bytes present>}}
  const std::vector<uint8_t> bytes = {0x52, 0x05, 0x32, 0xac, 0x02, 0x00, 0x00};
  wire::ServerMessage m;
  pb::DecodeError err;
  ASSERT_FALSE(wire::decode(bytes.data(), bytes.size(), m, err));
  EXPECT_EQ(err.path, "ServerMessage.face.data");
  EXPECT_EQ(err.message, "length runs past the end");
  EXPECT_EQ(err.offset, 5u);
  EXPECT_EQ(err.describe(), "ServerMessage.face.data at byte 5: length runs past the end");
}

TEST(Wire, ErrorsInsideRepeatedMessagesNameTheIndex) {
  wire::SceneSnapshot s;
  s.cast.resize(2);
  s.cast[0].id = "a";
  s.cast[1].id = "b";
  std::vector<uint8_t> bytes;
  wire::encode(s, bytes);
  bytes[bytes.size() - 1] = 0xff;  // the second member's id becomes invalid UTF-8
  wire::SceneSnapshot back;
  pb::DecodeError err;
  ASSERT_FALSE(wire::decode(bytes.data(), bytes.size(), back, err));
  EXPECT_EQ(err.path, "SceneSnapshot.cast[1].id");
  EXPECT_EQ(err.message, "string is not valid UTF-8");
}

TEST(Wire, WrongWireTypeIsRefused) {
  const std::vector<uint8_t> bytes = {0x10, 0x01};  // AudioChunk field 2 (seq) is fine as varint
  wire::AudioChunk ok;
  pb::DecodeError err;
  EXPECT_TRUE(wire::decode(bytes.data(), bytes.size(), ok, err));
  const std::vector<uint8_t> bad = {0x0d, 1, 2, 3, 4};  // field 1 (a string) as fixed32
  EXPECT_FALSE(wire::decode(bad.data(), bad.size(), ok, err));
  EXPECT_EQ(err.path, "AudioChunk.performance_id");
  EXPECT_EQ(err.message, "wrong wire type for this field");
}

TEST(Wire, OverlongVarintsAndGroupsAreRefused) {
  std::vector<uint8_t> bytes = {0x10};
  bytes.insert(bytes.end(), 10, 0xff);
  bytes.push_back(0x01);
  wire::AudioChunk m;
  pb::DecodeError err;
  EXPECT_FALSE(wire::decode(bytes.data(), bytes.size(), m, err));
  EXPECT_EQ(err.message, "varint longer than 10 bytes");
  const std::vector<uint8_t> group = {0x0b};  // field 1, start group
  EXPECT_FALSE(wire::decode(group.data(), group.size(), m, err));
}

TEST(Wire, UnknownEnumValuesAreKeptAsNumbers) {
  const std::vector<uint8_t> bytes = {0x10, 0x2a};  // Verdict.decision = 42
  wire::Verdict v;
  pb::DecodeError err;
  ASSERT_TRUE(wire::decode(bytes.data(), bytes.size(), v, err));
  EXPECT_EQ(int32_t(v.decision), 42);
  EXPECT_EQ(wire::name_of(v.decision), nullptr);
  EXPECT_EQ(wire::to_json(v), "{\"decision\":42}");
}

TEST(Colyseus, ParsesErrorFramesWithWideNumbers) {
  // 0b, code 4210 as uint16 (cd 72 10), message "no" as fixstr (a2 6e 6f)
  const std::vector<uint8_t> f = {0x0b, 0xcd, 0x72, 0x10, 0xa2, 'n', 'o'};
  colyseus::ServerFrame out;
  std::string error;
  ASSERT_TRUE(colyseus::parse_server_frame(f.data(), f.size(), out, error)) << error;
  EXPECT_EQ(out.code, colyseus::Code::Error);
  EXPECT_EQ(out.error_code, 4210);
  EXPECT_EQ(out.error_message, "no");
}

TEST(Colyseus, RefusesTruncatedAndUnknownFrames) {
  colyseus::ServerFrame out;
  std::string error;
  const std::vector<uint8_t> join = {0x0a, 0x09, 'a', 'b'};
  EXPECT_FALSE(colyseus::parse_server_frame(join.data(), join.size(), out, error));
  EXPECT_EQ(error, "JOIN_ROOM frame at byte 2: reconnection token runs past the end");
  const std::vector<uint8_t> odd = {0x0e};
  EXPECT_FALSE(colyseus::parse_server_frame(odd.data(), odd.size(), out, error));
  EXPECT_NE(error.find("frame code 14"), std::string::npos);
  EXPECT_FALSE(colyseus::parse_server_frame(nullptr, 0, out, error));
}

TEST(Colyseus, CloseCodesSayWhetherToReconnect) {
  EXPECT_FALSE(colyseus::may_reconnect(4000));
  EXPECT_FALSE(colyseus::may_reconnect(4001));
  EXPECT_FALSE(colyseus::may_reconnect(4002));
  EXPECT_FALSE(colyseus::may_reconnect(1009));
  EXPECT_TRUE(colyseus::may_reconnect(4010));
  EXPECT_TRUE(colyseus::may_reconnect(1006));
  EXPECT_TRUE(colyseus::may_reconnect(1001));
}

TEST(Colyseus, RoomUrls) {
  EXPECT_EQ(colyseus::room_url("ws://127.0.0.1:2567/", "p", "r", "s"), "ws://127.0.0.1:2567/p/r?sessionId=s");
  EXPECT_EQ(colyseus::room_url("ws://h:1", "p", "r", "s", "tok"),
            "ws://h:1/p/r?sessionId=s&reconnectionToken=tok&skipHandshake=1");
}
