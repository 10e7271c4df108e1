// OVR-15 viseme events → 15 weights at a performance time, cross-faded across each boundary so
// the mouth never snaps, and falling to silence after the last event (never frozen open).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "Stagecraft/gen/wire.h"

namespace stagecraft {

constexpr size_t kVisemeCount = 15;

class VisemeTrack {
 public:
  /// `crossfade_ms`: the width of the blend centred on each event's start and end.
  explicit VisemeTrack(double crossfade_ms = 40) : fade_ms_(crossfade_ms) {}

  /// Events arrive in bursts ahead of the audio; they are kept in start order.
  void add(const wire::VisemeEvents& events);
  /// Interrupted end: events after `end_ms` are dropped and those spanning it are cut there.
  void clip(uint32_t end_ms);
  /// Weights (0..1) of the 15 visemes at `t_ms`; `sil` gets what the others leave.
  std::array<float, kVisemeCount> at(double t_ms) const;
  /// Drops events that ended before `t_ms` (the face has moved past them).
  void prune_before(double t_ms);
  size_t size() const { return events_.size(); }

 private:
  struct Event {
    uint32_t start_ms;
    uint32_t end_ms;
    uint8_t viseme;
    float weight;
  };
  std::vector<Event> events_;
  double fade_ms_;
};

}  // namespace stagecraft
