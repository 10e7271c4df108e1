// The performance clock as the listener hears it: advanced by the samples the audio render
// callback actually rendered (not the samples queued to a sound wave), and read between callbacks
// by interpolating from the last one, less the output latency. Written by one thread (the render
// callback), read by any; the pair is published through a sequence lock.
#pragma once

#include <atomic>
#include <cstdint>

namespace stagecraft {

class AudioClock {
 public:
  /// `output_latency_ms`: how long a rendered sample takes to reach the speaker (the mixer's
  /// buffer), subtracted from every reading.
  explicit AudioClock(uint32_t sample_rate, double output_latency_ms = 0);

  /// Render thread: the callback at `now_ms` rendered `samples` of the performance (what
  /// JitterBuffer::pull returned). Callbacks with 0 samples (before playback, underruns) keep the
  /// clock still.
  void rendered(uint64_t samples, double now_ms);

  /// Render thread: the line's audio is over; from now on the clock runs with the wall clock
  /// (so the face can ease to neutral and late cues fall due).
  void run_free() { free_.store(true, std::memory_order_release); }

  /// Any thread: the performance position in ms at `now_ms`; never runs past the samples rendered
  /// and never goes back from one reading to the next on the same reader (pass the reader's last).
  double position_ms(double now_ms) const;
  double position_ms(double now_ms, double& last_reading) const;
  /// Samples rendered so far.
  uint64_t samples() const;
  uint32_t sample_rate() const { return rate_; }

 private:
  const uint32_t rate_;
  const double latency_ms_;
  std::atomic<uint32_t> seq_{0};
  std::atomic<uint64_t> before_{0};     ///< samples rendered before the last callback
  std::atomic<uint64_t> after_{0};      ///< samples rendered after it
  std::atomic<double> at_ms_{0};        ///< when the last callback ran
  std::atomic<bool> free_{false};
};

}  // namespace stagecraft
