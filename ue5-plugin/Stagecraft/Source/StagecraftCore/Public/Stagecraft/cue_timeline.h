// Cues, subtitles and directives released in audio-clock order. They arrive in bursts, often
// seconds ahead of the audio they go with; each is held until the performance clock reaches its
// start. A directive has no performance time: it is released at the position it arrived at, so it
// comes after everything already due and before what is still ahead.
#pragma once

#include <cstdint>
#include <vector>

#include "Stagecraft/gen/wire.h"

namespace stagecraft {

struct TimelineItem {
  enum class Kind : uint8_t { Cue, Subtitle, Directive };
  Kind kind = Kind::Cue;
  uint32_t start_ms = 0;
  wire::Cue cue;
  wire::Subtitle subtitle;
  wire::Directive directive;
};

class CueTimeline {
 public:
  void add(const wire::Cue& cue);
  void add(const wire::Subtitle& subtitle);
  /// `position_ms`: the performance clock when the directive arrived.
  void add(const wire::Directive& directive, double position_ms);
  /// Interrupted end: drops what starts after `end_ms` (a gesture_stop at the cut stays).
  void clip(uint32_t end_ms);
  /// Moves every item due at `position_ms` to `out`, in start order (arrival order on ties).
  void release(double position_ms, std::vector<TimelineItem>& out);
  size_t pending() const { return items_.size(); }

 private:
  void insert(TimelineItem item);
  std::vector<TimelineItem> items_;
};

}  // namespace stagecraft
