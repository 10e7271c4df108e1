#include "play_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

namespace play {

Spread Spread::of(std::vector<double> v) {
  Spread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, size_t(std::ceil(q * double(v.size())) - 1))]; };
  s.p50 = at(0.5);
  s.p95 = at(0.95);
  s.max = v.back();
  return s;
}

std::string machine() {
  std::string cpu = "unknown CPU";
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  std::string load = "?";
  std::ifstream avg("/proc/loadavg");
  std::getline(avg, load);
  load = load.substr(0, load.find(' ', load.find(' ', load.find(' ') + 1) + 1));
  return cpu + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores, load average " + load;
}

void print(const Report& r) {
  const double frame_ms = r.face_fps ? 1000.0 / r.face_fps : 0;
  std::printf("\nstagecraft-play: %s said \"%s\"\n", r.npc.c_str(), r.text.c_str());
  std::printf("%.0f ms of audio at %u Hz, face %u fps, audio callback %u samples (%.1f ms), jitter buffer %u ms\n",
              r.audio_ms, r.sample_rate, r.face_fps, r.callback_samples,
              r.sample_rate ? 1000.0 * r.callback_samples / r.sample_rate : 0.0, r.target_ms);
  std::printf("machine: %s\n\n", machine().c_str());
  std::printf("| face–audio skew over %zu game frames | p50 ms | p95 ms | max ms | budget |\n", r.game_frames);
  std::printf("| --- | --- | --- | --- | --- |\n");
  std::printf("| clock from samples rendered, interpolated (the core's) | %.2f | %.2f | %.2f | ≤ %.1f (one face frame) |\n",
              r.skew_rendered.p50, r.skew_rendered.p95, r.skew_rendered.max, frame_ms);
  std::printf("| samples rendered, stepping at callbacks | %.2f | %.2f | %.2f | |\n", r.skew_blocks.p50,
              r.skew_blocks.p95, r.skew_blocks.max);
  std::printf("| samples queued (received), for comparison | %.2f | %.2f | %.2f | |\n\n", r.skew_queued.p50,
              r.skew_queued.p95, r.skew_queued.max);
  const auto& j = r.jitter;
  std::printf("| audio delivery | value | budget |\n| --- | --- | --- |\n");
  std::printf("| say → first chunk | %.1f ms | |\n", r.first_audio_ms);
  std::printf("| chunk arrival jitter, p50 / p95 / max | %.2f / %.2f / %.2f ms | p95 ≤ 10 ms |\n", r.arrival.p50,
              r.arrival.p95, r.arrival.max);
  std::printf("| worst arrival gap at | %u ms of the line | |\n", r.worst_gap_at_ms);
  std::printf("| device callback wake-up lateness, p50 / p95 / max | %.2f / %.2f / %.2f ms | |\n",
              r.callback_lateness.p50, r.callback_lateness.p95, r.callback_lateness.max);
  std::printf("| RFC 3550 interarrival jitter | %.2f ms | |\n", j.jitter_ms);
  std::printf("| worst lateness against the first chunk's pace | %.2f ms | |\n", j.max_lateness_ms);
  std::printf("| least audio buffered while playing | %.1f ms | > 0 |\n", j.min_depth_ms);
  std::printf("| underruns | %u | 0 |\n", j.underruns);
  std::printf("| chunks played / lost / late | %u / %u / %u | lost 0 |\n", j.chunks, j.lost, j.late);
}

}  // namespace play
