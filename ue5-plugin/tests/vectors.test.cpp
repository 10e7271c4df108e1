// Every golden frame in schemas/vectors decodes to its JSON and re-encodes to the same bytes.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "Stagecraft/colyseus.h"
#include "Stagecraft/face_codec.h"
#include "Stagecraft/gen/wire.h"

using nlohmann::json;
using namespace stagecraft;

namespace {

std::vector<std::string> vector_names() {
  std::vector<std::string> names;
  DIR* dir = opendir(STAGECRAFT_VECTORS_DIR);
  if (!dir) return names;
  while (dirent* e = readdir(dir)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0) names.push_back(n.substr(0, n.size() - 5));
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<uint8_t> read_bin(const std::string& name) {
  std::ifstream f(std::string(STAGECRAFT_VECTORS_DIR) + "/" + name + ".bin", std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

json read_json(const std::string& name) {
  std::ifstream f(std::string(STAGECRAFT_VECTORS_DIR) + "/" + name + ".json");
  return json::parse(f);
}

template <typename M>
void check_message(const std::string& name, const uint8_t* p, size_t n, const json& expected) {
  M m;
  pb::DecodeError err;
  ASSERT_TRUE(wire::decode(p, n, m, err)) << name << ": " << err.describe();
  EXPECT_EQ(json::parse(wire::to_json(m)), expected) << name;
  std::vector<uint8_t> again;
  wire::encode(m, again);
  EXPECT_EQ(again, std::vector<uint8_t>(p, p + n)) << name << ": re-encoding differs";
}

class Vector : public testing::TestWithParam<std::string> {};

TEST_P(Vector, DecodesToItsJsonAndEncodesBack) {
  const std::string name = GetParam();
  const json v = read_json(name);
  const std::vector<uint8_t> bin = read_bin(name);
  ASSERT_FALSE(bin.empty()) << name << ".bin is missing or empty";
  const int code = v["frame"]["code"];
  ASSERT_EQ(bin[0], code) << name;

  if (v["direction"] == "client-to-server") {
    std::vector<uint8_t> built;
    if (code == int(colyseus::Code::RoomDataBytes)) {
      ASSERT_EQ(bin[1], colyseus::kClientMessageType);
      check_message<wire::ClientMessage>(name, bin.data() + 2, bin.size() - 2, v["message"]);
      wire::ClientMessage m;
      pb::DecodeError err;
      ASSERT_TRUE(wire::decode(bin.data() + 2, bin.size() - 2, m, err));
      colyseus::append_room_data_header(built);
      wire::encode(m, built);
    } else if (code == int(colyseus::Code::JoinRoom)) {
      colyseus::append_join_ack(built);
    } else if (code == int(colyseus::Code::Ping)) {
      colyseus::append_ping(built);
    } else if (code == int(colyseus::Code::LeaveRoom)) {
      colyseus::append_leave(built);
    } else {
      FAIL() << name << ": unexpected client frame code " << code;
    }
    EXPECT_EQ(built, bin) << name;
    return;
  }

  colyseus::ServerFrame frame;
  std::string error;
  ASSERT_TRUE(colyseus::parse_server_frame(bin.data(), bin.size(), frame, error)) << name << ": " << error;
  if (code == int(colyseus::Code::JoinRoom)) {
    EXPECT_EQ(frame.token, v["handshake"]["token"]);
    EXPECT_EQ(frame.serializer, v["handshake"]["serializer"]);
    return;
  }
  if (code == int(colyseus::Code::Ping)) {
    EXPECT_EQ(frame.code, colyseus::Code::Ping);
    return;
  }
  ASSERT_EQ(frame.code, colyseus::Code::RoomDataBytes) << name;
  ASSERT_EQ(frame.type, v["frame"]["type"]) << name;
  check_message<wire::ServerMessage>(name, frame.payload, frame.payload_size, v["message"]);

  if (v.contains("decoded") && v["decoded"].contains("frames")) {
    wire::ServerMessage m;
    pb::DecodeError err;
    ASSERT_TRUE(wire::decode(frame.payload, frame.payload_size, m, err));
    FaceDecoder face;
    std::vector<FaceFrame> frames;
    const auto& f = m.face;
    ASSERT_EQ(face.decode(f.first_frame, f.count, f.keyframe, f.data.data(), f.data.size(), frames, error),
              FaceDecoder::Result::Ok)
        << error;
    const auto& want = v["decoded"]["frames"];
    ASSERT_EQ(frames.size(), want.size());
    for (size_t k = 0; k < frames.size(); ++k) {
      const std::vector<int> bytes(frames[k].bytes.begin(), frames[k].bytes.end());
      EXPECT_EQ(json(bytes), want[k]["bytes"]) << name << " frame " << k;
      EXPECT_NEAR(double(frames[k].index) * 1000.0 / f.fps, double(want[k]["tMs"]), 1e-9);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, Vector, testing::ValuesIn(vector_names()),
                         [](const testing::TestParamInfo<std::string>& p) {
                           std::string s = p.param;
                           std::replace(s.begin(), s.end(), '-', '_');
                           return s;
                         });

TEST(Vectors, EveryKindIsThere) {
  const auto names = vector_names();
  EXPECT_GE(names.size(), 28u) << "schemas/vectors at " << STAGECRAFT_VECTORS_DIR;
}

}  // namespace
