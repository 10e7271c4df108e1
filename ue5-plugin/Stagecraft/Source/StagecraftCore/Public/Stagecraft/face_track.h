// One performance's face: decoded frames on the face clock, sampled at the audio clock with
// linear interpolation, cut at an interrupted end, and eased to neutral after the end so the
// face never freezes on its last frame.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "Stagecraft/face_codec.h"
#include "Stagecraft/gen/wire.h"

namespace stagecraft {

using FaceWeights = std::array<float, rigs::kBlendshapeCount>;

class FaceTrack {
 public:
  /// `ease_ms`: how long the face takes to settle to neutral after the end.
  explicit FaceTrack(uint32_t fps = 30, double ease_ms = 200) : fps_(fps), ease_ms_(ease_ms) {}

  /// Decodes a FaceFrames batch; false with `error` set on a malformed batch (the track keeps
  /// what it had and waits for the next keyframe).
  bool add(const wire::FaceFrames& batch, std::string& error);
  /// The performance ended at `end_ms` (its last audio sample). Frames after it are dropped.
  void end(double end_ms);
  /// The 52 ARKit weights (0..1) at `t_ms` on the performance clock.
  FaceWeights at(double t_ms) const;
  /// True once `t_ms` is past the end and the ease to neutral is over.
  bool settled(double t_ms) const { return ended_ && t_ms >= end_ms_ + ease_ms_; }
  /// Drops frames more than one frame before `t_ms`.
  void prune_before(double t_ms);
  size_t frames() const { return frames_.size(); }
  uint32_t fps() const { return fps_; }
  /// Time of frame `index` in ms.
  double frame_ms(uint32_t index) const { return fps_ ? double(index) * 1000.0 / fps_ : 0; }

 private:
  FaceWeights sample(double t_ms) const;

  uint32_t fps_;
  double ease_ms_;
  FaceDecoder decoder_;
  std::vector<FaceFrame> frames_;
  bool ended_ = false;
  double end_ms_ = 0;
};

}  // namespace stagecraft
