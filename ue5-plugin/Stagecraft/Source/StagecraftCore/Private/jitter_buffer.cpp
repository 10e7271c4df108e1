#include "Stagecraft/jitter_buffer.h"

#include <algorithm>
#include <cmath>

namespace stagecraft {

namespace {
size_t pow2_at_least(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}
}  // namespace

JitterBuffer::JitterBuffer(uint32_t sample_rate, uint32_t target_ms, uint32_t capacity_ms)
    : rate_(sample_rate),
      target_(size_t(uint64_t(sample_rate) * target_ms / 1000)),
      ring_(pow2_at_least(size_t(uint64_t(sample_rate) * std::max(capacity_ms, target_ms * 2) / 1000))),
      mask_(ring_.size() - 1) {}

void JitterBuffer::note_arrival(uint32_t start_ms, double arrival_ms) {
  const double transit = arrival_ms - double(start_ms);
  if (first_arrival_) {
    first_arrival_ = false;
    first_arrival_ms_ = arrival_ms;
    first_start_ms_ = start_ms;
  } else {
    const double d = std::fabs(transit - last_transit_);
    producer_.jitter_ms += (d - producer_.jitter_ms) / 16.0;
    // A chunk is late when it arrives after the pace set by the first one.
    const double due = first_arrival_ms_ + (double(start_ms) - double(first_start_ms_));
    producer_.max_lateness_ms = std::max(producer_.max_lateness_ms, arrival_ms - due);
  }
  last_transit_ = transit;
}

JitterBuffer::Push JitterBuffer::push(uint32_t seq, uint32_t start_ms, const uint8_t* pcm, size_t bytes, bool final,
                                      double arrival_ms) {
  if (final_seen_ || seq < next_seq_ || held_.count(seq) != 0) {
    producer_.late++;
    return Push::Late;
  }
  if (end_.load(std::memory_order_relaxed) != UINT64_MAX) {
    producer_.late++;  // after end_at: nothing more of this performance plays
    return Push::Late;
  }
  note_arrival(start_ms, arrival_ms);
  Held h{start_ms, std::vector<int16_t>(bytes / 2), final};
  for (size_t i = 0; i < h.samples.size(); ++i)
    h.samples[i] = int16_t(uint16_t(pcm[2 * i]) | uint16_t(pcm[2 * i + 1]) << 8);
  const size_t space = ring_.size() - (write_.load(std::memory_order_relaxed) - read_.load(std::memory_order_acquire));
  if (held_samples_ + h.samples.size() > space) {
    producer_.overflowed++;
    return Push::Overflow;
  }
  held_samples_ += h.samples.size();
  held_.emplace(seq, std::move(h));
  const bool in_order = seq == next_seq_;
  flush_held(false);
  return in_order ? Push::Played : Push::Held;
}

void JitterBuffer::flush_held(bool force) {
  while (!held_.empty()) {
    auto it = held_.begin();
    if (it->first != next_seq_) {
      // A missing seq is given up on once the audio held behind it reaches the target depth
      // (it would be too late to play anyway), or when forced.
      if (!force && held_samples_ < target_) return;
      const uint64_t at = uint64_t(it->second.start_ms) * rate_ / 1000;
      const uint64_t written = write_.load(std::memory_order_relaxed);
      if (at > written) release_silence(size_t(at - written));
      producer_.lost += it->first - next_seq_;
      next_seq_ = it->first;
    }
    Held& h = it->second;
    release(h.samples.data(), h.samples.size());
    held_samples_ -= h.samples.size();
    producer_.chunks++;
    next_seq_++;
    if (h.final) {
      final_seen_ = true;
      end_.store(write_.load(std::memory_order_relaxed), std::memory_order_release);
    }
    held_.erase(it);
  }
}

void JitterBuffer::release(const int16_t* s, size_t n) {
  uint64_t w = write_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < n; ++i) ring_[(w + i) & mask_] = s[i];
  write_.store(w + n, std::memory_order_release);
}

void JitterBuffer::release_silence(size_t n) {
  uint64_t w = write_.load(std::memory_order_relaxed);
  const size_t space = ring_.size() - size_t(w - read_.load(std::memory_order_acquire));
  n = std::min(n, space);
  for (size_t i = 0; i < n; ++i) ring_[(w + i) & mask_] = 0;
  write_.store(w + n, std::memory_order_release);
}

void JitterBuffer::end_at(uint64_t end_sample, uint32_t fade_ms) {
  if (!final_seen_) flush_held(true);
  const uint64_t written = write_.load(std::memory_order_relaxed);
  const uint64_t end = std::min(end_sample, written);
  const uint64_t fade = uint64_t(rate_) * fade_ms / 1000;
  // The consumer may already be past the cut: then the fade starts where it is.
  fade_from_.store(end > fade ? end - fade : 0, std::memory_order_relaxed);
  end_.store(end, std::memory_order_release);
  final_seen_ = true;
  held_.clear();
  held_samples_ = 0;
}

size_t JitterBuffer::buffered() const {
  const uint64_t w = write_.load(std::memory_order_acquire);
  const uint64_t r = read_.load(std::memory_order_acquire);
  const uint64_t end = end_.load(std::memory_order_acquire);
  return size_t(std::min(w, end) > r ? std::min(w, end) - r : 0);
}

size_t JitterBuffer::pull(int16_t* out, size_t n) {
  const uint64_t end = end_.load(std::memory_order_acquire);
  const uint64_t w = std::min(write_.load(std::memory_order_acquire), end);
  uint64_t r = read_.load(std::memory_order_relaxed);
  const size_t avail = size_t(w > r ? w - r : 0);
  const bool ended = end != UINT64_MAX;
  if (!playing_.load(std::memory_order_relaxed)) {
    if (avail < target_ && !ended) {
      std::fill(out, out + n, int16_t(0));
      if (dry_) silence_.fetch_add(n, std::memory_order_relaxed);  // still in an underrun
      return 0;
    }
    playing_.store(true, std::memory_order_release);
    dry_ = false;
  }
  const int64_t depth = int64_t(avail);
  const int64_t min_depth = min_depth_samples_.load(std::memory_order_relaxed);
  if (!ended && (min_depth < 0 || depth < min_depth)) min_depth_samples_.store(depth, std::memory_order_relaxed);
  const size_t take = std::min(avail, n);
  const uint64_t fade_from = fade_from_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < take; ++i) {
    const uint64_t at = r + i;
    int16_t s = ring_[at & mask_];
    if (at >= fade_from && end > fade_from) {
      const double g = double(end - at) / double(end - fade_from);
      s = int16_t(std::lround(double(s) * g));
    }
    out[i] = s;
  }
  std::fill(out + take, out + n, int16_t(0));
  read_.store(r + take, std::memory_order_release);
  if (ended && r + take >= end) {
    finished_.store(true, std::memory_order_release);
  } else if (take < n) {
    silence_.fetch_add(n - take, std::memory_order_relaxed);
    if (!dry_) underruns_.fetch_add(1, std::memory_order_relaxed);
    dry_ = true;
    playing_.store(false, std::memory_order_release);  // buffer up to the target again
  }
  return take;
}

JitterStats JitterBuffer::stats() const {
  JitterStats s = producer_;
  s.underruns = underruns_.load(std::memory_order_relaxed);
  s.silence_samples = silence_.load(std::memory_order_relaxed);
  const int64_t d = min_depth_samples_.load(std::memory_order_relaxed);
  s.min_depth_ms = d < 0 ? -1 : double(d) * 1000.0 / rate_;
  return s;
}

}  // namespace stagecraft
