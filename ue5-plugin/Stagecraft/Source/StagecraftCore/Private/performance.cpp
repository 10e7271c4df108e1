#include "Stagecraft/performance.h"

#include <algorithm>

namespace stagecraft {

namespace {
constexpr uint32_t kDefaultRate = 22050;
}

Performance::Performance(const wire::PerformanceStart& start, const PerformanceOptions& options)
    : start_(start),
      options_(options),
      jitter_(start.sample_rate ? start.sample_rate : kDefaultRate, options.target_depth_ms),
      clock_(start.sample_rate ? start.sample_rate : kDefaultRate, options.output_latency_ms),
      face_(start.face_fps, options.face_ease_ms),
      visemes_(options.viseme_crossfade_ms) {}

void Performance::on_audio(const wire::AudioChunk& chunk, double now_ms) {
  stats_.audio_chunks++;
  stats_.audio_samples += chunk.pcm.size() / 2;
  if (chunk.seq > next_seq_) stats_.seq_gaps += chunk.seq - next_seq_;
  if (chunk.seq < next_seq_) stats_.out_of_order++;
  next_seq_ = std::max(next_seq_, chunk.seq + 1);
  jitter_.push(chunk.seq, chunk.start_ms, chunk.pcm.data(), chunk.pcm.size(), chunk.final, now_ms);
}

void Performance::on_face(const wire::FaceFrames& batch) {
  stats_.face_batches++;
  std::string error;
  if (!face_.add(batch, error)) stats_.face_errors++;
}

void Performance::on_end(const wire::PerformanceEnd& end) {
  stats_.ended = true;
  stats_.end_reason = end.reason;
  const uint32_t rate = jitter_.sample_rate();
  end_ms_ = end.samples ? double(end.samples) * 1000.0 / rate : double(end.duration_ms);
  face_.end(end_ms_);
  if (end.reason != wire::EndReason::Completed) {
    const uint64_t last = end.samples ? end.samples : uint64_t(end.duration_ms) * rate / 1000;
    jitter_.end_at(last, options_.cut_fade_ms);
    visemes_.clip(uint32_t(end_ms_));
    timeline_.clip(uint32_t(end_ms_));
  }
}

size_t Performance::render(int16_t* out, size_t n, double now_ms) {
  const size_t own = jitter_.pull(out, n);
  clock_.rendered(own, now_ms);
  if (jitter_.finished()) clock_.run_free();
  return own;
}

void Performance::prune(double t_ms) {
  face_.prune_before(t_ms);
  visemes_.prune_before(t_ms);
}

bool Performance::done(double now_ms) {
  return stats_.ended && jitter_.finished() && face_.settled(position_ms(now_ms)) && timeline_.pending() == 0;
}

}  // namespace stagecraft
