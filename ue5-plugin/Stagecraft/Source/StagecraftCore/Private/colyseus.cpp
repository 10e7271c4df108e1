#include "Stagecraft/colyseus.h"

namespace stagecraft::colyseus {

namespace {

// Colyseus's schema number and string encodings (msgpack-like, little-endian).
struct Cursor {
  const uint8_t* p;
  size_t n;
  size_t i;
  bool take(size_t k, const uint8_t*& at) {
    if (n - i < k) return false;
    at = p + i;
    i += k;
    return true;
  }
};

uint64_t le(const uint8_t* b, size_t k) {
  uint64_t v = 0;
  for (size_t j = k; j-- > 0;) v = (v << 8) | b[j];
  return v;
}

bool read_number(Cursor& c, int64_t& out) {
  const uint8_t* b;
  if (!c.take(1, b)) return false;
  const uint8_t t = *b;
  if (t < 0x80) {
    out = t;
    return true;
  }
  if (t >= 0xe0) {
    out = int64_t(t) - 0x100;
    return true;
  }
  size_t width = 0;
  bool is_signed = false;
  switch (t) {
    case 0xcc: width = 1; break;
    case 0xcd: width = 2; break;
    case 0xce: width = 4; break;
    case 0xcf: width = 8; break;
    case 0xd0: width = 1; is_signed = true; break;
    case 0xd1: width = 2; is_signed = true; break;
    case 0xd2: width = 4; is_signed = true; break;
    case 0xd3: width = 8; is_signed = true; break;
    default: return false;  // floats and strings are not numbers a frame code or type uses
  }
  if (!c.take(width, b)) return false;
  uint64_t v = le(b, width);
  if (is_signed && width < 8 && (v >> (8 * width - 1)) != 0) v |= ~uint64_t(0) << (8 * width);
  out = int64_t(v);
  return true;
}

bool read_string(Cursor& c, std::string& out) {
  const uint8_t* b;
  if (!c.take(1, b)) return false;
  size_t len;
  if ((*b & 0xe0) == 0xa0) {
    len = *b & 0x1f;
  } else {
    size_t width = *b == 0xd9 ? 1 : *b == 0xda ? 2 : *b == 0xdb ? 4 : 0;
    if (width == 0 || !c.take(width, b)) return false;
    len = size_t(le(b, width));
  }
  if (!c.take(len, b)) return false;
  out.assign(reinterpret_cast<const char*>(b), len);
  return true;
}

bool read_short_string(Cursor& c, std::string& out) {
  const uint8_t* b;
  if (!c.take(1, b)) return false;
  const size_t len = *b;
  if (!c.take(len, b)) return false;
  out.assign(reinterpret_cast<const char*>(b), len);
  return true;
}

bool refuse(std::string& error, const char* frame, size_t at, const char* why) {
  error = std::string(frame) + " frame at byte " + std::to_string(at) + ": " + why;
  return false;
}

}  // namespace

bool parse_server_frame(const uint8_t* data, size_t size, ServerFrame& out, std::string& error) {
  out = ServerFrame{};
  if (size == 0) return refuse(error, "empty", 0, "no frame code");
  Cursor c{data, size, 1};
  switch (data[0] & 0x1f) {
    case uint8_t(Code::JoinRoom):
      out.code = Code::JoinRoom;
      if (!read_short_string(c, out.token)) return refuse(error, "JOIN_ROOM", c.i, "reconnection token runs past the end");
      if (!read_short_string(c, out.serializer)) return refuse(error, "JOIN_ROOM", c.i, "serializer id runs past the end");
      return true;  // state reflection sections follow; the "none" serializer has nothing in them
    case uint8_t(Code::RoomDataBytes): {
      out.code = Code::RoomDataBytes;
      int64_t type = -1;
      const size_t at = c.i;
      if (!read_number(c, type)) {
        std::string name;
        c.i = at;
        if (!read_string(c, name)) return refuse(error, "ROOM_DATA_BYTES", at, "message type is neither a number nor a string");
        type = -1;
      }
      out.type = type;
      out.payload = data + c.i;
      out.payload_size = size - c.i;
      return true;
    }
    case uint8_t(Code::Ping):
      out.code = Code::Ping;
      return true;
    case uint8_t(Code::LeaveRoom):
      out.code = Code::LeaveRoom;
      return true;
    case uint8_t(Code::Error):
      out.code = Code::Error;
      if (!read_number(c, out.error_code)) return refuse(error, "ERROR", c.i, "error code is not a number");
      if (!read_string(c, out.error_message)) return refuse(error, "ERROR", c.i, "error message runs past the end");
      return true;
    default:
      return refuse(error, "unknown", 0, ("frame code " + std::to_string(data[0] & 0x1f) + " is not one a scene sends").c_str());
  }
}

void append_join_ack(std::vector<uint8_t>& out) { out.push_back(uint8_t(Code::JoinRoom)); }
void append_ping(std::vector<uint8_t>& out) { out.push_back(uint8_t(Code::Ping)); }
void append_leave(std::vector<uint8_t>& out) { out.push_back(uint8_t(Code::LeaveRoom)); }
void append_room_data_header(std::vector<uint8_t>& out) {
  out.push_back(uint8_t(Code::RoomDataBytes));
  out.push_back(kClientMessageType);
}

CloseKind classify_close(int code) {
  switch (code) {
    case 4000: return CloseKind::Left;
    case 4001: return CloseKind::ServerShutdown;
    case 4002: return CloseKind::Kicked;
    case 1009: return CloseKind::TooLarge;
    case 4010: return CloseKind::MayReconnect;
    case 1001:
    case 1005:
    case 1006: return CloseKind::Dropped;
    default: return CloseKind::Other;
  }
}

bool may_reconnect(int code) {
  const CloseKind k = classify_close(code);
  return k == CloseKind::MayReconnect || k == CloseKind::Dropped;
}

std::string room_url(const std::string& base_ws, const std::string& process_id, const std::string& room_id,
                     const std::string& session_id, const std::string& reconnection_token) {
  std::string url = base_ws;
  if (!url.empty() && url.back() == '/') url.pop_back();
  url += "/" + process_id + "/" + room_id + "?sessionId=" + session_id;
  if (!reconnection_token.empty()) url += "&reconnectionToken=" + reconnection_token + "&skipHandshake=1";
  return url;
}

}  // namespace stagecraft::colyseus
