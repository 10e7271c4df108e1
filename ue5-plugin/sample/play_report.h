// What stagecraft-play measures and how it prints it: face–audio skew per clock, chunk arrival
// jitter, the jitter buffer's figures, and the machine it ran on.
#pragma once

#include <string>
#include <vector>

#include "Stagecraft/jitter_buffer.h"

namespace play {

struct Spread {
  double p50 = 0, p95 = 0, max = 0;
  static Spread of(std::vector<double> v);
};

struct Report {
  std::string npc, text;
  double audio_ms = 0;
  unsigned sample_rate = 0, face_fps = 0, callback_samples = 0, target_ms = 0;
  size_t game_frames = 0;
  Spread skew_rendered;   ///< |face clock − heard audio|, clock from rendered samples, interpolated
  Spread skew_blocks;     ///< the same clock without interpolation between callbacks
  Spread skew_queued;     ///< a clock counted from samples received (queued), for comparison
  Spread arrival;         ///< |interarrival − chunk spacing| per chunk
  stagecraft::JitterStats jitter;
  double first_audio_ms = 0;  ///< say sent → first chunk received
  uint32_t worst_gap_at_ms = 0;  ///< the chunk that arrived furthest off its spacing
  Spread callback_lateness;      ///< how late the device thread woke for its callbacks
};

void print(const Report& r);
std::string machine();

}  // namespace play
