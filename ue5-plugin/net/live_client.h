// The live tests' and stagecraft-play's client: a Session over a WsClient, joined through HTTP
// matchmaking, plus the real server started as a child process on a loopback port.
#pragma once

#include <functional>
#include <string>
#include <sys/types.h>

#include "Stagecraft/session.h"
#include "ws_client.h"

namespace stagecraft::net {

double now_ms();

/// `node ue5-plugin/tests/live/server.mjs`: the real server on 127.0.0.1, stopped on destruction.
class ServerProcess {
 public:
  /// False with `error` when node or the built server is missing, or it did not start in time.
  bool start(const std::string& repo_root, std::string& error, int timeout_ms = 60000);
  ~ServerProcess();
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int port_ = 0;
};

class LiveClient {
 public:
  LiveClient(SessionListener* listener, PerformanceOptions options = {}) : session_(listener, options) {}

  /// POST /matchmake/joinOrCreate/scene, then the WebSocket, then waits for the first snapshot.
  bool join(int port, const std::string& scene_id, const std::string& role, std::string& error);
  /// Reconnects with the reconnection token after a drop and waits for the fresh snapshot.
  bool reconnect(std::string& error);
  /// Sends what the session queued, reads for up to `timeout_ms`, feeds every frame in.
  void pump(int timeout_ms);
  /// Pumps until `done()` or `timeout_ms`; true if done.
  bool pump_until(const std::function<bool()>& done, int timeout_ms);

  /// Called with every frame received, before the session sees it (for measurements).
  std::function<void(const uint8_t*, size_t, double)> tap;

  Session& session() { return session_; }
  WsClient& socket() { return ws_; }

 private:
  bool open_socket(const std::string& token, std::string& error);
  Session session_;
  WsClient ws_;
  int port_ = 0;
  std::string process_id_, room_id_, session_id_;
};

}  // namespace stagecraft::net
