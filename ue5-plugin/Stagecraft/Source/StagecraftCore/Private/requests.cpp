#include "Stagecraft/requests.h"

#include <algorithm>

namespace stagecraft {

const std::string& answered_request_id(const wire::ServerMessage& m) {
  if (m.body_case == wire::ServerMessage::BodyCase::PerformanceStart && !m.performance_start.request_id.empty())
    return m.performance_start.request_id;
  if (m.body_case == wire::ServerMessage::BodyCase::Error && !m.error.request_id.empty()) return m.error.request_id;
  return m.request_id;
}

const std::string& Requests::track(wire::ClientMessage& message, double now_ms, double timeout_ms) {
  message.request_id = "c" + std::to_string(next_++);
  pending_.push_back(PendingRequest{message.request_id, message.body_case, now_ms, now_ms + timeout_ms});
  return pending_.back().id;
}

bool Requests::settle(const wire::ServerMessage& message, double now_ms, Answer& out) {
  const std::string& id = answered_request_id(message);
  if (id.empty()) return false;
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const PendingRequest& p) { return p.id == id; });
  if (it == pending_.end()) return false;
  out.request = *it;
  out.body = message.body_case;
  out.latency_ms = now_ms - it->sent_ms;
  pending_.erase(it);
  return true;
}

std::vector<PendingRequest> Requests::expire(double now_ms) {
  std::vector<PendingRequest> gone;
  auto keep = std::stable_partition(pending_.begin(), pending_.end(),
                                    [&](const PendingRequest& p) { return p.deadline_ms > now_ms; });
  gone.assign(keep, pending_.end());
  pending_.erase(keep, pending_.end());
  return gone;
}

}  // namespace stagecraft
