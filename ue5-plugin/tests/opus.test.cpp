// Built with -DSTAGECRAFT_WITH_OPUS=ON: a tone encoded by libopus decodes back to a tone.
#include <gtest/gtest.h>

#include "Stagecraft/opus_decoder.h"

#ifdef STAGECRAFT_WITH_OPUS
#include <opus.h>

#include <cmath>
#include <vector>

using namespace stagecraft;

TEST(Opus, DecodesWhatLibopusEncodedAndRefusesGarbage) {
  constexpr int kRate = 24000, kFrame = kRate / 50;
  int err = 0;
  OpusEncoder* enc = opus_encoder_create(kRate, 1, OPUS_APPLICATION_VOIP, &err);
  ASSERT_EQ(err, OPUS_OK);
  opus_encoder_ctl(enc, OPUS_SET_BITRATE(32000));
  OpusPacketDecoder dec;
  std::string error;
  ASSERT_TRUE(dec.open(kRate, error)) << error;
  std::vector<int16_t> in(kFrame), out(kFrame * 3);
  double energy = 0;
  for (int f = 0; f < 20; ++f) {
    for (int i = 0; i < kFrame; ++i) in[i] = int16_t(8000 * std::sin(2 * M_PI * 440 * (f * kFrame + i) / kRate));
    unsigned char packet[1500];
    const int bytes = opus_encode(enc, in.data(), kFrame, packet, sizeof packet);
    ASSERT_GT(bytes, 0);
    const int n = dec.decode(packet, size_t(bytes), out.data(), out.size(), error);
    ASSERT_EQ(n, kFrame) << error;
    if (f > 5)
      for (int i = 0; i < n; ++i) energy += double(out[i]) * out[i];
  }
  const double rms = std::sqrt(energy / (14.0 * kFrame));
  EXPECT_GT(rms, 8000 / std::sqrt(2.0) * 0.7);
  EXPECT_EQ(dec.decode(nullptr, 0, out.data(), out.size(), error), kFrame);  // concealment
  const uint8_t junk[] = {0xff, 0xff, 0xff};
  EXPECT_EQ(dec.decode(junk, sizeof junk, out.data(), out.size(), error), -1);
  EXPECT_NE(error.find("Opus packet"), std::string::npos);
  OpusPacketDecoder bad;
  EXPECT_FALSE(bad.open(22050, error));
  opus_encoder_destroy(enc);
}
#else
TEST(Opus, IsLeftOutOfThisBuild) {
  GTEST_SKIP() << "Opus decoding skipped: configure with -DSTAGECRAFT_WITH_OPUS=ON (needs libopus-dev)";
}
#endif
