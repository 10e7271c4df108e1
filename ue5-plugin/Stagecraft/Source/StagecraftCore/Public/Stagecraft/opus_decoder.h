// Opus packets → PCM16, through libopus. Built only with the CMake option STAGECRAFT_WITH_OPUS
// (and, in Unreal, with the engine's libOpus): the server sends PCM16 today, so nothing in the
// core depends on it yet. One decoder per performance; not for the audio render thread (decode
// where frames are decoded, then push the PCM into the jitter buffer).
#pragma once

#ifdef STAGECRAFT_WITH_OPUS

#include <cstddef>
#include <cstdint>
#include <string>

struct OpusDecoder;

namespace stagecraft {

class OpusPacketDecoder {
 public:
  OpusPacketDecoder() = default;
  ~OpusPacketDecoder();
  OpusPacketDecoder(const OpusPacketDecoder&) = delete;
  OpusPacketDecoder& operator=(const OpusPacketDecoder&) = delete;

  /// `sample_rate`: 8000, 12000, 16000, 24000 or 48000; mono.
  bool open(uint32_t sample_rate, std::string& error);
  /// Decodes one packet into `out` (room for `max_samples`); returns the samples written, or -1
  /// with `error` set. An empty packet conceals one lost 20 ms frame.
  int decode(const uint8_t* packet, size_t size, int16_t* out, size_t max_samples, std::string& error);

 private:
  ::OpusDecoder* dec_ = nullptr;
  uint32_t rate_ = 0;
};

}  // namespace stagecraft

#endif
