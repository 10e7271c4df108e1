#include "Stagecraft/opus_decoder.h"

#ifdef STAGECRAFT_WITH_OPUS

#include <opus.h>

namespace stagecraft {

OpusPacketDecoder::~OpusPacketDecoder() {
  if (dec_) opus_decoder_destroy(dec_);
}

bool OpusPacketDecoder::open(uint32_t sample_rate, std::string& error) {
  int err = 0;
  if (dec_) opus_decoder_destroy(dec_);
  dec_ = opus_decoder_create(opus_int32(sample_rate), 1, &err);
  if (err != OPUS_OK || !dec_) {
    dec_ = nullptr;
    error = "Opus decoder at " + std::to_string(sample_rate) + " Hz: " + opus_strerror(err);
    return false;
  }
  rate_ = sample_rate;
  return true;
}

int OpusPacketDecoder::decode(const uint8_t* packet, size_t size, int16_t* out, size_t max_samples,
                              std::string& error) {
  if (!dec_) {
    error = "Opus decoder is not open";
    return -1;
  }
  const int frame = size == 0 ? int(rate_ / 50) : int(max_samples);
  const int n = opus_decode(dec_, size == 0 ? nullptr : packet, opus_int32(size), out, frame, 0);
  if (n < 0) {
    error = std::string("Opus packet: ") + opus_strerror(n);
    return -1;
  }
  return n;
}

}  // namespace stagecraft

#endif
