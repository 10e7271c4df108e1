// Colyseus framing as a Stagecraft scene uses it (docs/protocol.md, section 2): the JOIN_ROOM
// handshake and its acknowledgement, ROOM_DATA_BYTES carrying protobuf, PING, LEAVE_ROOM, ERROR,
// and the close codes that say whether a client may reconnect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace stagecraft::colyseus {

enum class Code : uint8_t {
  JoinRoom = 10,
  Error = 11,
  LeaveRoom = 12,
  RoomDataBytes = 17,
  Ping = 18,
};

/// ROOM_DATA_BYTES message types.
constexpr uint8_t kServerMessageType = 1;
constexpr uint8_t kClientMessageType = 2;
/// The largest frame a client may send (LIMITS.frameBytes).
constexpr size_t kMaxClientFrameBytes = 1048576;

/// One frame from the server, pointing into the caller's buffer (valid while it is).
struct ServerFrame {
  Code code = Code::Ping;
  // JoinRoom
  std::string token;
  std::string serializer;
  // RoomDataBytes: `type` is -1 when the type is a string or another number format.
  int64_t type = -1;
  const uint8_t* payload = nullptr;
  size_t payload_size = 0;
  // Error
  int64_t error_code = 0;
  std::string error_message;
};

/// Parses one WebSocket message from the server. False with `error` naming the frame and
/// byte on a truncated or unknown frame.
bool parse_server_frame(const uint8_t* data, size_t size, ServerFrame& out, std::string& error);

/// Client frames, appended to `out`.
void append_join_ack(std::vector<uint8_t>& out);
void append_ping(std::vector<uint8_t>& out);
void append_leave(std::vector<uint8_t>& out);
/// `11 02` followed by the ClientMessage bytes the caller encodes after it.
void append_room_data_header(std::vector<uint8_t>& out);

/// What a WebSocket close code means for the client (protocol.md, section 4).
enum class CloseKind { Left, ServerShutdown, Kicked, TooLarge, MayReconnect, Dropped, Other };
CloseKind classify_close(int code);
/// True for codes after which the reconnection token is worth trying.
bool may_reconnect(int code);

/// `ws://host:port/processId/roomId?sessionId=…`, with the reconnection token when given.
std::string room_url(const std::string& base_ws, const std::string& process_id, const std::string& room_id,
                     const std::string& session_id, const std::string& reconnection_token = "");

}  // namespace stagecraft::colyseus
