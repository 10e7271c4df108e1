#include "Stagecraft/face_codec.h"

namespace stagecraft {

namespace {
constexpr size_t kN = rigs::kBlendshapeCount;
constexpr uint8_t kBitmaskFrame = 255;
constexpr size_t kBitmaskBytes = 7;

FaceDecoder::Result bad(std::string& error, uint32_t frame, size_t at, const char* why) {
  error = "FaceFrames.data frame " + std::to_string(frame) + " at byte " + std::to_string(at) + ": " + why;
  return FaceDecoder::Result::Malformed;
}
}  // namespace

FaceDecoder::Result FaceDecoder::decode(uint32_t first_frame, uint32_t count, bool keyframe, const uint8_t* data,
                                        size_t size, std::vector<FaceFrame>& out, std::string& error) {
  if (!keyframe && !have_key_) return Result::WaitingForKeyframe;
  const size_t start = out.size();
  std::array<uint8_t, kN> cur = last_;
  size_t i = 0;
  auto fail = [&](uint32_t k, const char* why) {
    out.resize(start);
    have_key_ = false;
    return bad(error, first_frame + k, i, why);
  };
  for (uint32_t k = 0; k < count; ++k) {
    if (k == 0 && keyframe) {
      if (size - i < kN) return fail(k, "keyframe needs 52 bytes");
      for (size_t b = 0; b < kN; ++b) cur[b] = data[i + b];
      i += kN;
    } else {
      if (i >= size) return fail(k, "frame runs past the end");
      const uint8_t h = data[i++];
      if (h == kBitmaskFrame) {
        if (size - i < kBitmaskBytes) return fail(k, "bitmask runs past the end");
        uint64_t mask = 0;
        for (size_t b = kBitmaskBytes; b-- > 0;) mask = (mask << 8) | data[i + b];
        i += kBitmaskBytes;
        if (mask >> kN) return fail(k, "bitmask sets a bit past blendshape 51");
        for (size_t b = 0; b < kN; ++b) {
          if (!((mask >> b) & 1)) continue;
          if (i >= size) return fail(k, "weights run past the end");
          cur[b] = data[i++];
        }
      } else {
        if (h > kN) return fail(k, "change count is above 52 and not the bitmask marker 255");
        if (size - i < size_t(h) * 2) return fail(k, "changes run past the end");
        for (size_t c = 0; c < h; ++c) {
          const uint8_t idx = data[i + c];
          if (idx >= kN) return fail(k, "blendshape index above 51");
          cur[idx] = data[i + h + c];
        }
        i += size_t(h) * 2;
      }
    }
    FaceFrame f;
    f.index = first_frame + k;
    f.bytes = cur;
    out.push_back(f);
  }
  if (i != size) return fail(count, "bytes left after the last frame");
  last_ = cur;
  have_key_ = true;
  return Result::Ok;
}

}  // namespace stagecraft
