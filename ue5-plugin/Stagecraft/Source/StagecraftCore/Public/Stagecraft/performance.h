// One spoken line on the client: its audio through a jitter buffer into the render callback,
// the audio clock that callback drives, and the face, visemes and cues sampled at that clock.
// Threads: the on_* calls and every reading come from one thread (the game thread, or the
// thread that decodes frames); render() comes from the audio render thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "Stagecraft/audio_clock.h"
#include "Stagecraft/cue_timeline.h"
#include "Stagecraft/face_track.h"
#include "Stagecraft/gen/wire.h"
#include "Stagecraft/jitter_buffer.h"
#include "Stagecraft/viseme_track.h"

namespace stagecraft {

struct PerformanceOptions {
  uint32_t target_depth_ms = 120;   ///< jitter buffer depth before playback starts
  double output_latency_ms = 0;     ///< the mixer's buffer, subtracted from the audio clock
  double face_ease_ms = 200;        ///< face to neutral after the end
  double viseme_crossfade_ms = 40;
  uint32_t cut_fade_ms = 5;         ///< audio fade at an interrupted end
};

struct PerformanceStats {
  uint32_t audio_chunks = 0;
  uint64_t audio_samples = 0;  ///< PCM samples received
  uint32_t seq_gaps = 0;       ///< seqs missing between received chunks (e.g. across a reconnection)
  uint32_t out_of_order = 0;
  uint32_t face_batches = 0;
  uint32_t face_errors = 0;
  bool ended = false;
  wire::EndReason end_reason = wire::EndReason::Unspecified;
};

class Performance {
 public:
  Performance(const wire::PerformanceStart& start, const PerformanceOptions& options);

  void on_audio(const wire::AudioChunk& chunk, double now_ms);
  void on_face(const wire::FaceFrames& batch);
  void on_visemes(const wire::VisemeEvents& events) { visemes_.add(events); }
  void on_cue(const wire::Cue& cue) { timeline_.add(cue); }
  void on_subtitle(const wire::Subtitle& subtitle) { timeline_.add(subtitle); }
  void on_directive(const wire::Directive& d, double now_ms) { timeline_.add(d, position_ms(now_ms)); }
  /// An INTERRUPTED or FAILED end cuts audio, face, visemes and cues at its last sample.
  void on_end(const wire::PerformanceEnd& end);

  /// Audio render thread: fills `n` mono samples and advances the clock by the line's own samples.
  size_t render(int16_t* out, size_t n, double now_ms);

  double position_ms(double now_ms) { return clock_.position_ms(now_ms, last_position_); }
  FaceWeights face_at(double t_ms) const { return face_.at(t_ms); }
  std::array<float, kVisemeCount> visemes_at(double t_ms) const { return visemes_.at(t_ms); }
  /// Cues, subtitles and directives due at `t_ms`, in order.
  void release(double t_ms, std::vector<TimelineItem>& out) { timeline_.release(t_ms, out); }
  /// Drops face frames and visemes the clock has passed.
  void prune(double t_ms);

  /// Every sample played and the face settled: the performance can be let go.
  bool done(double now_ms);
  bool audio_finished() const { return jitter_.finished(); }

  const wire::PerformanceStart& start() const { return start_; }
  const std::string& id() const { return start_.performance_id; }
  const PerformanceStats& stats() const { return stats_; }
  JitterStats jitter() const { return jitter_.stats(); }
  const AudioClock& clock() const { return clock_; }
  /// End of the line in ms (the last sample), once known.
  double end_ms() const { return end_ms_; }

 private:
  wire::PerformanceStart start_;
  PerformanceOptions options_;
  JitterBuffer jitter_;
  AudioClock clock_;
  FaceTrack face_;
  VisemeTrack visemes_;
  CueTimeline timeline_;
  PerformanceStats stats_;
  uint32_t next_seq_ = 0;
  double last_position_ = 0;
  double end_ms_ = -1;
};

}  // namespace stagecraft
