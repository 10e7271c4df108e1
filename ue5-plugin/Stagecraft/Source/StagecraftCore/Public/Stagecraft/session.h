// One client's connection to a scene, without the socket: feed it every WebSocket message the
// server sends and send what it puts in the outbox. It acknowledges the handshake, keeps the
// reconnection token, keeps the scene view (asking for a snapshot after a version gap), correlates
// answers with requests, and routes each performance's media to its Performance, dropping
// anything of a performance that arrives after its end.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "Stagecraft/colyseus.h"
#include "Stagecraft/gen/wire.h"
#include "Stagecraft/performance.h"
#include "Stagecraft/requests.h"
#include "Stagecraft/scene_view.h"

namespace stagecraft {

/// Every method has an empty default; override what the game needs.
class SessionListener {
 public:
  virtual ~SessionListener() = default;
  virtual void on_joined(bool /*reconnected*/) {}
  virtual void on_scene(const SceneView& /*scene*/) {}
  virtual void on_answer(const Answer& /*answer*/, const wire::ServerMessage& /*message*/) {}
  virtual void on_verdict(const wire::Verdict& /*verdict*/) {}
  virtual void on_directive(const wire::Directive& /*directive*/) {}
  virtual void on_player_line(const wire::PlayerLine& /*line*/) {}
  virtual void on_performance_start(Performance& /*performance*/) {}
  virtual void on_performance_end(Performance& /*performance*/, const wire::PerformanceEnd& /*end*/) {}
  virtual void on_control(const wire::Control& /*control*/) {}
  virtual void on_error(const wire::Error& /*error*/) {}
  /// A frame that could not be decoded; the session goes on.
  virtual void on_bad_frame(const std::string& /*why*/) {}
};

struct SessionStats {
  uint32_t frames = 0;
  uint32_t bad_frames = 0;
  uint32_t media_after_end = 0;   ///< messages of a performance received after its end (dropped)
  uint32_t unknown_performance = 0;
  uint32_t snapshot_requests = 0;
  uint32_t pings_answered = 0;    ///< PINGs the server answered (never echoed back)
  uint32_t joins = 0;
  uint32_t snapshots = 0;
};

class Session {
 public:
  explicit Session(SessionListener* listener = nullptr, PerformanceOptions options = {});

  /// A new socket opened (first join or a reconnection): the next frame must be JOIN_ROOM.
  void on_open();
  /// One WebSocket message from the server. False when it could not be used (see on_bad_frame).
  bool on_frame(const uint8_t* data, size_t size, double now_ms);
  /// Frames to send, oldest first; the caller sends each as one binary WebSocket message.
  std::vector<std::vector<uint8_t>> take_outbox();

  /// Queues a ClientMessage with a fresh request id and returns the id.
  std::string send(wire::ClientMessage message, double now_ms, double timeout_ms = 10000);
  /// Queues a ClientMessage as it is (no request id, no answer expected).
  void send_untracked(const wire::ClientMessage& message);
  void ping();
  void leave();

  bool joined() const { return joined_; }
  const std::string& reconnection_token() const { return token_; }
  const SceneView& scene() const { return scene_; }
  Requests& requests() { return requests_; }
  const SessionStats& stats() const { return stats_; }
  Performance* performance(const std::string& id);
  /// Lets go of performances that are done at `now_ms`.
  void collect(double now_ms);
  const std::map<std::string, std::shared_ptr<Performance>>& performances() const { return live_; }
  /// A reference the audio thread can hold while the session lets go of the performance.
  std::shared_ptr<Performance> share(const std::string& id) const;

 private:
  void dispatch(const wire::ServerMessage& m, double now_ms);
  Performance* media_target(const std::string& performance_id);

  SessionListener* listener_;
  SessionListener none_;
  PerformanceOptions options_;
  bool expecting_join_ = true;
  bool joined_ = false;
  std::string token_;
  SceneView scene_;
  Requests requests_;
  SessionStats stats_;
  std::vector<std::vector<uint8_t>> outbox_;
  std::map<std::string, std::shared_ptr<Performance>> live_;
  std::vector<std::string> ended_;  ///< recent ended ids, oldest first (bounded)
};

}  // namespace stagecraft
