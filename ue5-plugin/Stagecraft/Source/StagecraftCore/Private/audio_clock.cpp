#include "Stagecraft/audio_clock.h"

#include <algorithm>

namespace stagecraft {

AudioClock::AudioClock(uint32_t sample_rate, double output_latency_ms)
    : rate_(sample_rate), latency_ms_(output_latency_ms) {}

void AudioClock::rendered(uint64_t samples, double now_ms) {
  if (samples == 0) return;
  const uint64_t prev = after_.load(std::memory_order_relaxed);
  seq_.fetch_add(1, std::memory_order_acq_rel);  // odd: writing
  before_.store(prev, std::memory_order_relaxed);
  after_.store(prev + samples, std::memory_order_relaxed);
  at_ms_.store(now_ms, std::memory_order_relaxed);
  seq_.fetch_add(1, std::memory_order_release);  // even: done
}

uint64_t AudioClock::samples() const { return after_.load(std::memory_order_acquire); }

double AudioClock::position_ms(double now_ms) const {
  uint64_t before, after;
  double at;
  uint32_t s0, s1;
  do {
    s0 = seq_.load(std::memory_order_acquire);
    before = before_.load(std::memory_order_relaxed);
    after = after_.load(std::memory_order_relaxed);
    at = at_ms_.load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    s1 = seq_.load(std::memory_order_relaxed);
  } while (s0 != s1 || (s0 & 1) != 0);
  if (after == 0) return 0;
  // The block rendered at `at` starts playing then and runs for its length; between callbacks the
  // position moves with the wall clock, capped at the block's end.
  const double start = double(before) * 1000.0 / rate_;
  const double end = double(after) * 1000.0 / rate_;
  const double moved = start + std::max(0.0, now_ms - at);
  const double pos = (free_.load(std::memory_order_acquire) ? moved : std::min(end, moved)) - latency_ms_;
  return std::max(0.0, pos);
}

double AudioClock::position_ms(double now_ms, double& last_reading) const {
  last_reading = std::max(last_reading, position_ms(now_ms));
  return last_reading;
}

}  // namespace stagecraft
