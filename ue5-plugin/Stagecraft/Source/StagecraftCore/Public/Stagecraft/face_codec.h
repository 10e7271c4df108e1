// The face stream's frame packing (docs/protocol.md, "Face frames"): a keyframe of 52 bytes,
// then delta frames listing the blendshapes that changed. The decoder keeps the last frame
// across FaceFrames messages of one performance.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "Stagecraft/gen/rigs.h"

namespace stagecraft {

/// One decoded frame: its index on the face clock and 52 quantized weights (weight = byte / 255).
struct FaceFrame {
  uint32_t index = 0;
  std::array<uint8_t, rigs::kBlendshapeCount> bytes{};
};

class FaceDecoder {
 public:
  enum class Result { Ok, WaitingForKeyframe, Malformed };

  /// Appends the `count` frames packed in `data` to `out`. Before the first keyframe, frames are
  /// skipped (WaitingForKeyframe). On Malformed, `error` names the frame and byte and nothing is
  /// appended; the decoder then waits for the next keyframe.
  Result decode(uint32_t first_frame, uint32_t count, bool keyframe, const uint8_t* data, size_t size,
                std::vector<FaceFrame>& out, std::string& error);
  void reset() { have_key_ = false; }

 private:
  std::array<uint8_t, rigs::kBlendshapeCount> last_{};
  bool have_key_ = false;
};

}  // namespace stagecraft
