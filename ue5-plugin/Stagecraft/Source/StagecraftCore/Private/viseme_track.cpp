#include "Stagecraft/viseme_track.h"

#include <algorithm>

namespace stagecraft {

void VisemeTrack::add(const wire::VisemeEvents& events) {
  for (const auto& e : events.visemes) {
    const auto v = uint32_t(e.viseme);
    if (v >= kVisemeCount || e.end_ms < e.start_ms) continue;  // unknown values are unspecified
    const Event ev{e.start_ms, e.end_ms, uint8_t(v), std::clamp(e.weight, 0.0f, 1.0f)};
    auto at = std::upper_bound(events_.begin(), events_.end(), ev.start_ms,
                               [](uint32_t s, const Event& x) { return s < x.start_ms; });
    events_.insert(at, ev);
  }
}

void VisemeTrack::clip(uint32_t end_ms) {
  events_.erase(std::remove_if(events_.begin(), events_.end(), [&](const Event& e) { return e.start_ms >= end_ms; }),
                events_.end());
  for (auto& e : events_) e.end_ms = std::min(e.end_ms, end_ms);
}

void VisemeTrack::prune_before(double t_ms) {
  const double horizon = t_ms - fade_ms_;
  events_.erase(std::remove_if(events_.begin(), events_.end(), [&](const Event& e) { return e.end_ms < horizon; }),
                events_.end());
}

std::array<float, kVisemeCount> VisemeTrack::at(double t_ms) const {
  std::array<float, kVisemeCount> w{};
  const double half = fade_ms_ / 2;
  // A linear ramp up across [start - half, start + half] and down across [end - half, end + half]:
  // at a shared boundary the outgoing and incoming ramps add up to one.
  auto ramp = [&](double edge, double t) {
    if (half <= 0) return t >= edge ? 1.0 : 0.0;
    return std::clamp((t - (edge - half)) / fade_ms_, 0.0, 1.0);
  };
  for (const auto& e : events_) {
    if (e.start_ms > t_ms + half) break;
    if (e.end_ms + half < t_ms) continue;
    const double on = ramp(e.start_ms, t_ms) - ramp(e.end_ms, t_ms);
    if (on > 0 && e.viseme != 0) w[e.viseme] += float(on * e.weight);
  }
  float sum = 0;
  for (size_t i = 1; i < kVisemeCount; ++i) {
    w[i] = std::min(w[i], 1.0f);
    sum += w[i];
  }
  if (sum > 1) {
    for (size_t i = 1; i < kVisemeCount; ++i) w[i] /= sum;
    sum = 1;
  }
  w[0] = 1 - sum;
  return w;
}

}  // namespace stagecraft
