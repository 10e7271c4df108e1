#include "Stagecraft/session.h"

#include <algorithm>

namespace stagecraft {

namespace {
constexpr size_t kEndedKept = 256;
constexpr uint32_t kMaxSampleRate = 192000;  // the highest rate audio hardware plays
using Body = wire::ServerMessage::BodyCase;
}  // namespace

Session::Session(SessionListener* listener, PerformanceOptions options)
    : listener_(listener ? listener : &none_), options_(options) {}

void Session::on_open() {
  expecting_join_ = true;
  joined_ = false;
}

std::vector<std::vector<uint8_t>> Session::take_outbox() {
  std::vector<std::vector<uint8_t>> out;
  out.swap(outbox_);
  return out;
}

std::string Session::send(wire::ClientMessage message, double now_ms, double timeout_ms) {
  const std::string id = requests_.track(message, now_ms, timeout_ms);
  send_untracked(message);
  return id;
}

void Session::send_untracked(const wire::ClientMessage& message) {
  std::vector<uint8_t> frame;
  colyseus::append_room_data_header(frame);
  wire::encode(message, frame);
  outbox_.push_back(std::move(frame));
}

void Session::ping() {
  std::vector<uint8_t> f;
  colyseus::append_ping(f);
  outbox_.push_back(std::move(f));
}

void Session::leave() {
  std::vector<uint8_t> f;
  colyseus::append_leave(f);
  outbox_.push_back(std::move(f));
}

bool Session::on_frame(const uint8_t* data, size_t size, double now_ms) {
  stats_.frames++;
  colyseus::ServerFrame frame;
  std::string error;
  if (!colyseus::parse_server_frame(data, size, frame, error)) {
    stats_.bad_frames++;
    listener_->on_bad_frame(error);
    return false;
  }
  switch (frame.code) {
    case colyseus::Code::JoinRoom: {
      const bool reconnected = stats_.joins > 0;
      token_ = frame.token;
      expecting_join_ = false;
      joined_ = true;
      stats_.joins++;
      std::vector<uint8_t> ack;
      colyseus::append_join_ack(ack);
      outbox_.push_back(std::move(ack));
      listener_->on_joined(reconnected);
      return true;
    }
    case colyseus::Code::Ping:
      stats_.pings_answered++;  // the answer to our PING: never echo it
      return true;
    case colyseus::Code::Error:
      stats_.bad_frames++;
      listener_->on_bad_frame("ERROR frame " + std::to_string(frame.error_code) + ": " + frame.error_message);
      return false;
    case colyseus::Code::LeaveRoom:
      return true;
    case colyseus::Code::RoomDataBytes:
      break;
  }
  if (expecting_join_) {
    stats_.bad_frames++;
    listener_->on_bad_frame("ROOM_DATA_BYTES before JOIN_ROOM");
    return false;
  }
  if (frame.type != colyseus::kServerMessageType) {
    stats_.bad_frames++;
    listener_->on_bad_frame("ROOM_DATA_BYTES message type " + std::to_string(frame.type) + " is not ServerMessage (1)");
    return false;
  }
  wire::ServerMessage m;
  pb::DecodeError err;
  if (!wire::decode(frame.payload, frame.payload_size, m, err)) {
    stats_.bad_frames++;
    listener_->on_bad_frame(err.describe());
    return false;
  }
  dispatch(m, now_ms);
  return true;
}

Performance* Session::performance(const std::string& id) {
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : it->second.get();
}

Performance* Session::media_target(const std::string& id) {
  if (std::find(ended_.begin(), ended_.end(), id) != ended_.end()) {
    stats_.media_after_end++;
    return nullptr;
  }
  Performance* p = performance(id);
  if (!p) stats_.unknown_performance++;
  return p;
}

void Session::dispatch(const wire::ServerMessage& m, double now_ms) {
  Answer answer;
  if (requests_.settle(m, now_ms, answer)) listener_->on_answer(answer, m);
  switch (m.body_case) {
    case Body::Snapshot:
      stats_.snapshots++;
      scene_.apply(m.snapshot);
      listener_->on_scene(scene_);
      break;
    case Body::Delta:
      switch (scene_.apply(m.delta)) {
        case SceneView::Apply::Applied: listener_->on_scene(scene_); break;
        case SceneView::Apply::NeedSnapshot: {
          wire::ClientMessage req;
          req.body_case = wire::ClientMessage::BodyCase::SnapshotRequest;
          send(req, now_ms);
          stats_.snapshot_requests++;
          break;
        }
        case SceneView::Apply::Ignored: break;
      }
      break;
    case Body::Verdict: listener_->on_verdict(m.verdict); break;
    case Body::Directive: {
      bool timed = false;
      for (auto& [id, p] : live_) {
        if (p->start().npc_id == m.directive.npc_id && !p->stats().ended) {
          p->on_directive(m.directive, now_ms);
          timed = true;
        }
      }
      if (!timed) listener_->on_directive(m.directive);
      break;
    }
    case Body::PlayerLine: listener_->on_player_line(m.player_line); break;
    case Body::PerformanceStart: {
      // The jitter buffer is sized from the rate: a rate no audio has would allocate gigabytes.
      if (m.performance_start.sample_rate > kMaxSampleRate) {
        stats_.bad_frames++;
        listener_->on_bad_frame("PerformanceStart.sample_rate " + std::to_string(m.performance_start.sample_rate) +
                                " Hz is over " + std::to_string(kMaxSampleRate) + "; the performance is ignored");
        break;
      }
      auto p = std::make_shared<Performance>(m.performance_start, options_);
      Performance& ref = *p;
      live_[m.performance_start.performance_id] = std::move(p);
      listener_->on_performance_start(ref);
      break;
    }
    case Body::Audio:
      if (Performance* p = media_target(m.audio.performance_id)) p->on_audio(m.audio, now_ms);
      break;
    case Body::Face:
      if (Performance* p = media_target(m.face.performance_id)) p->on_face(m.face);
      break;
    case Body::Visemes:
      if (Performance* p = media_target(m.visemes.performance_id)) p->on_visemes(m.visemes);
      break;
    case Body::Phonemes: media_target(m.phonemes.performance_id); break;
    case Body::Cue:
      if (Performance* p = media_target(m.cue.performance_id)) p->on_cue(m.cue);
      break;
    case Body::Subtitle:
      if (Performance* p = media_target(m.subtitle.performance_id)) p->on_subtitle(m.subtitle);
      break;
    case Body::PerformanceEnd:
      if (Performance* p = media_target(m.performance_end.performance_id)) {
        p->on_end(m.performance_end);
        ended_.push_back(m.performance_end.performance_id);
        if (ended_.size() > kEndedKept) ended_.erase(ended_.begin());
        listener_->on_performance_end(*p, m.performance_end);
      }
      break;
    case Body::Control: listener_->on_control(m.control); break;
    case Body::Error: listener_->on_error(m.error); break;
    case Body::Ack:
    case Body::None: break;  // an ack is seen through on_answer; unknown bodies are skipped
  }
}

void Session::collect(double now_ms) {
  for (auto it = live_.begin(); it != live_.end();) {
    if (it->second->done(now_ms)) {
      it = live_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace stagecraft

namespace stagecraft {

std::shared_ptr<Performance> Session::share(const std::string& id) const {
  auto it = live_.find(id);
  return it == live_.end() ? nullptr : it->second;
}

}  // namespace stagecraft
