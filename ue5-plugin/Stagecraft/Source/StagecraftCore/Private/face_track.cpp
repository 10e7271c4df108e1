#include "Stagecraft/face_track.h"

#include <algorithm>

namespace stagecraft {

namespace {
FaceWeights weights_of(const FaceFrame& f) {
  FaceWeights w{};
  for (size_t i = 0; i < w.size(); ++i) w[i] = float(f.bytes[i]) / 255.0f;
  return w;
}
}  // namespace

bool FaceTrack::add(const wire::FaceFrames& batch, std::string& error) {
  if (batch.fps != 0) fps_ = batch.fps;
  std::vector<FaceFrame> decoded;
  const auto r = decoder_.decode(batch.first_frame, batch.count, batch.keyframe, batch.data.data(), batch.data.size(),
                                 decoded, error);
  if (r == FaceDecoder::Result::Malformed) return false;
  for (auto& f : decoded) {
    if (ended_ && frame_ms(f.index) > end_ms_) break;
    if (!frames_.empty() && f.index <= frames_.back().index) continue;  // a repeat or out of order
    frames_.push_back(f);
  }
  return true;
}

void FaceTrack::end(double end_ms) {
  ended_ = true;
  end_ms_ = end_ms;
  // Keep the first frame past the end so the cut itself is interpolated, and nothing later.
  auto past = std::find_if(frames_.begin(), frames_.end(), [&](const FaceFrame& f) { return frame_ms(f.index) > end_ms; });
  if (past != frames_.end()) frames_.erase(past + 1, frames_.end());
}

void FaceTrack::prune_before(double t_ms) {
  if (fps_ == 0) return;
  size_t keep = 0;
  while (keep + 1 < frames_.size() && frame_ms(frames_[keep + 1].index) <= t_ms) ++keep;
  frames_.erase(frames_.begin(), frames_.begin() + std::ptrdiff_t(keep));
}

FaceWeights FaceTrack::sample(double t_ms) const {
  if (frames_.empty() || fps_ == 0) return FaceWeights{};
  const double pos = t_ms * fps_ / 1000.0;
  auto hi = std::find_if(frames_.begin(), frames_.end(), [&](const FaceFrame& f) { return double(f.index) > pos; });
  if (hi == frames_.begin()) return weights_of(*hi);
  if (hi == frames_.end()) return weights_of(frames_.back());
  const FaceFrame& lo = *(hi - 1);
  const double k = (pos - lo.index) / double(hi->index - lo.index);
  FaceWeights w{};
  for (size_t i = 0; i < w.size(); ++i) w[i] = float((lo.bytes[i] + k * (double(hi->bytes[i]) - lo.bytes[i])) / 255.0);
  return w;
}

FaceWeights FaceTrack::at(double t_ms) const {
  if (!ended_ || t_ms <= end_ms_) return sample(t_ms);
  if (t_ms >= end_ms_ + ease_ms_) return FaceWeights{};
  // Smoothstep from the face at the end to neutral (every weight 0).
  const double x = (t_ms - end_ms_) / ease_ms_;
  const float g = float(1 - x * x * (3 - 2 * x));
  FaceWeights w = sample(end_ms_);
  for (auto& v : w) v *= g;
  return w;
}

}  // namespace stagecraft
