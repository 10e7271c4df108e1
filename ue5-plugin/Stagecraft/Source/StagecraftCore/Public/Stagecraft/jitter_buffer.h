// A jitter buffer for one performance's 20 ms PCM16 chunks. One producer (the thread that
// decodes frames) pushes chunks in any order; one consumer (the audio render callback) pulls
// samples. Chunks are released in seq order; playback starts at the target depth; an underrun
// plays silence and waits for the target depth again. The pull path does not allocate or lock.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace stagecraft {

struct JitterStats {
  uint32_t chunks = 0;        ///< chunks released to playback
  uint32_t late = 0;          ///< arrived after their seq was played or skipped (dropped)
  uint32_t lost = 0;          ///< seqs never received, filled with silence
  uint32_t overflowed = 0;    ///< chunks dropped because the buffer was full
  double jitter_ms = 0;       ///< RFC 3550 interarrival jitter of chunk arrivals
  double max_lateness_ms = 0; ///< worst arrival after the pace set by the first chunk
  // Consumer side:
  uint32_t underruns = 0;         ///< times playback ran dry before the final chunk
  uint64_t silence_samples = 0;   ///< silence played for underruns
  double min_depth_ms = -1;       ///< least audio buffered at a pull once playing (-1: not yet)
};

class JitterBuffer {
 public:
  /// `target_ms` of audio is buffered before playback starts; `capacity_ms` bounds the buffer.
  JitterBuffer(uint32_t sample_rate, uint32_t target_ms = 120, uint32_t capacity_ms = 8000);

  enum class Push { Played, Held, Late, Overflow };
  /// Producer. `pcm` is PCM16 little-endian (`bytes` long); `arrival_ms` is any monotonic clock.
  Push push(uint32_t seq, uint32_t start_ms, const uint8_t* pcm, size_t bytes, bool final, double arrival_ms);
  /// Producer: the performance ended; nothing more will come (an INTERRUPTED end, a failure).
  /// Samples past `end_sample` are discarded and the last `fade_ms` before it fade out.
  void end_at(uint64_t end_sample, uint32_t fade_ms = 5);

  /// Consumer: writes `n` samples to `out` (silence where there is no audio) and returns how many
  /// of them were the performance's own samples (what the audio clock advances by).
  size_t pull(int16_t* out, size_t n);

  /// True once every sample of the performance has been pulled.
  bool finished() const { return finished_.load(std::memory_order_acquire); }
  bool playing() const { return playing_.load(std::memory_order_acquire); }
  /// Samples released to playback and not yet pulled.
  size_t buffered() const;
  uint32_t sample_rate() const { return rate_; }
  /// Producer-side figures are exact on the producer's thread; consumer-side ones are copied
  /// from atomics and may trail by one pull.
  JitterStats stats() const;

 private:
  struct Held {
    uint32_t start_ms;
    std::vector<int16_t> samples;
    bool final;
  };
  void release(const int16_t* s, size_t n);
  void release_silence(size_t n);
  void flush_held(bool force);
  void note_arrival(uint32_t start_ms, double arrival_ms);

  const uint32_t rate_;
  const size_t target_;
  std::vector<int16_t> ring_;
  const size_t mask_;
  std::atomic<uint64_t> write_{0};
  std::atomic<uint64_t> read_{0};
  std::atomic<uint64_t> end_{UINT64_MAX};  ///< total samples of the performance, once known
  std::atomic<uint64_t> fade_from_{UINT64_MAX};
  std::atomic<bool> playing_{false};
  std::atomic<bool> finished_{false};

  // Producer only.
  uint32_t next_seq_ = 0;
  std::map<uint32_t, Held> held_;
  size_t held_samples_ = 0;
  bool final_seen_ = false;
  bool first_arrival_ = true;
  double first_arrival_ms_ = 0;
  uint32_t first_start_ms_ = 0;
  double last_transit_ = 0;
  JitterStats producer_;

  // Consumer only, published through atomics.
  bool dry_ = false;
  std::atomic<uint32_t> underruns_{0};
  std::atomic<uint64_t> silence_{0};
  std::atomic<int64_t> min_depth_samples_{-1};
};

}  // namespace stagecraft
