// A small blocking WebSocket client over libwebsockets, for the live tests and stagecraft-play
// only (inside Unreal the plugin uses IWebSocket). One connection per client; not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

struct lws;
struct lws_context;

namespace stagecraft::net {

class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  /// Connects to ws://host:port/path and waits up to `timeout_ms` for the upgrade.
  bool connect(const std::string& host, int port, const std::string& path, int timeout_ms, std::string& error);
  void send(std::vector<uint8_t> message);
  /// Services the socket for up to `timeout_ms` (returning early once a message is in) and moves
  /// every whole message received to `out`.
  void poll(int timeout_ms, std::vector<std::vector<uint8_t>>& out);
  bool open() const { return open_; }
  /// The close code the server sent (0 when none was sent, e.g. a dropped socket).
  int close_code() const { return close_code_; }
  /// Cuts the TCP connection without a close handshake, as a network failure would.
  void drop();
  void close();

  // For the libwebsockets callback.
  int on_event(lws* wsi, int reason, void* in, size_t len);

 private:
  void reset();
  lws_context* ctx_ = nullptr;
  lws* wsi_ = nullptr;
  bool open_ = false;
  bool failed_ = false;
  std::string error_;
  int close_code_ = 0;
  std::vector<uint8_t> partial_;
  std::deque<std::vector<uint8_t>> inbox_;
  std::deque<std::vector<uint8_t>> outbox_;
};

/// A minimal HTTP/1.1 POST over loopback TCP; returns the status and fills `body`.
int http_post(const std::string& host, int port, const std::string& path, const std::string& json,
              std::string& body, std::string& error);

}  // namespace stagecraft::net
