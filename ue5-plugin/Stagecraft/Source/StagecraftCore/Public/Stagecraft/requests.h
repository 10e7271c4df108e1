// Request-id correlation: every ClientMessage sent with a request id gets exactly one answer that
// carries it back (a verdict, a snapshot, an ack, an error, or the performance_start of the line
// it started). The tracker hands out ids, matches answers and reports the ones that never came.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "Stagecraft/gen/wire.h"

namespace stagecraft {

struct PendingRequest {
  std::string id;
  wire::ClientMessage::BodyCase kind = wire::ClientMessage::BodyCase::None;
  double sent_ms = 0;
  double deadline_ms = 0;
};

struct Answer {
  PendingRequest request;
  wire::ServerMessage::BodyCase body = wire::ServerMessage::BodyCase::None;
  double latency_ms = 0;
};

class Requests {
 public:
  /// Gives `message` a fresh id ("c1", "c2", …) and remembers it until answered or expired.
  const std::string& track(wire::ClientMessage& message, double now_ms, double timeout_ms = 10000);
  /// The request this server message answers; false when it answers none (a broadcast, or an
  /// answer for a request already settled).
  bool settle(const wire::ServerMessage& message, double now_ms, Answer& out);
  /// Removes and returns the requests whose deadline passed.
  std::vector<PendingRequest> expire(double now_ms);
  size_t pending() const { return pending_.size(); }

 private:
  uint64_t next_ = 1;
  std::vector<PendingRequest> pending_;
};

/// The request id a server message carries back, or "" (performance_start carries it in its body).
const std::string& answered_request_id(const wire::ServerMessage& message);

}  // namespace stagecraft
