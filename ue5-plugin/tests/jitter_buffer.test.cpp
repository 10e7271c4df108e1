#include <gtest/gtest.h>

#include <thread>

#include "Stagecraft/jitter_buffer.h"

using namespace stagecraft;

namespace {
constexpr uint32_t kRate = 1000;  // 1 sample per ms keeps the arithmetic readable

std::vector<uint8_t> chunk(int16_t value, size_t samples) {
  std::vector<uint8_t> b;
  for (size_t i = 0; i < samples; ++i) {
    b.push_back(uint8_t(uint16_t(value) & 0xff));
    b.push_back(uint8_t(uint16_t(value) >> 8));
  }
  return b;
}

void push(JitterBuffer& j, uint32_t seq, int16_t value, bool final = false, double at = 0) {
  const auto b = chunk(value, 20);
  j.push(seq, seq * 20, b.data(), b.size(), final, at);
}
}  // namespace

TEST(JitterBuffer, WaitsForTheTargetDepthThenPlaysInSeqOrder) {
  JitterBuffer j(kRate, 60);
  std::vector<int16_t> out(20);
  push(j, 1, 2);
  push(j, 0, 1);
  EXPECT_EQ(j.pull(out.data(), out.size()), 0u);  // 40 ms < 60 ms target
  EXPECT_EQ(out[0], 0);
  push(j, 2, 3);
  EXPECT_EQ(j.pull(out.data(), 20), 20u);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(j.pull(out.data(), 20), 20u);
  EXPECT_EQ(out[19], 2);
  EXPECT_EQ(j.stats().chunks, 3u);
}

TEST(JitterBuffer, UnderrunPlaysSilenceAndCountsOnce) {
  JitterBuffer j(kRate, 20);
  std::vector<int16_t> out(30);
  push(j, 0, 5);
  EXPECT_EQ(j.pull(out.data(), 30), 20u);
  EXPECT_EQ(out[19], 5);
  EXPECT_EQ(out[20], 0);
  EXPECT_EQ(j.pull(out.data(), 30), 0u);
  const auto s = j.stats();
  EXPECT_EQ(s.underruns, 1u);
  EXPECT_EQ(s.silence_samples, 40u);
  push(j, 1, 6);  // buffers to the target again, then plays
  EXPECT_EQ(j.pull(out.data(), 20), 20u);
  EXPECT_EQ(out[0], 6);
}

TEST(JitterBuffer, TheFinalChunkPlaysOutWithoutAnUnderrun) {
  JitterBuffer j(kRate, 120);
  std::vector<int16_t> out(50);
  push(j, 0, 1);
  push(j, 1, 1, true);
  EXPECT_EQ(j.pull(out.data(), 50), 40u);  // below target, but the line is complete
  EXPECT_TRUE(j.finished());
  EXPECT_EQ(j.stats().underruns, 0u);
}

TEST(JitterBuffer, AMissingSeqIsGivenUpOnceTheTargetIsHeldBehindIt) {
  JitterBuffer j(kRate, 40);
  std::vector<int16_t> out(80);
  push(j, 0, 1);
  push(j, 2, 3);  // 1 is missing
  EXPECT_EQ(j.buffered(), 20u);
  push(j, 3, 4);  // 40 ms held behind the gap: seq 1 is lost, filled with its 20 ms of silence
  EXPECT_EQ(j.buffered(), 80u);
  EXPECT_EQ(j.stats().lost, 1u);
  EXPECT_EQ(j.pull(out.data(), 80), 80u);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[20], 0);
  EXPECT_EQ(out[40], 3);
  EXPECT_EQ(out[60], 4);
  push(j, 1, 2);
  EXPECT_EQ(j.stats().late, 1u);
}

TEST(JitterBuffer, AnInterruptedEndCutsAndFades) {
  JitterBuffer j(kRate, 20);
  for (uint32_t s = 0; s < 5; ++s) push(j, s, 1000);
  std::vector<int16_t> out(100);
  j.end_at(50, 10);  // the line stopped at sample 50, fade over the last 10
  EXPECT_EQ(j.pull(out.data(), 100), 50u);
  EXPECT_EQ(out[39], 1000);
  EXPECT_LT(out[45], 1000);
  EXPECT_GT(out[45], 0);
  EXPECT_LE(out[49], 100);
  EXPECT_EQ(out[50], 0);
  EXPECT_TRUE(j.finished());
  push(j, 5, 1);
  EXPECT_EQ(j.stats().late, 1u);  // nothing plays after the end
}

TEST(JitterBuffer, ArrivalJitterFollowsRfc3550) {
  JitterBuffer j(kRate, 20);
  push(j, 0, 1, false, 100);
  push(j, 1, 1, false, 120);  // on time
  EXPECT_DOUBLE_EQ(j.stats().jitter_ms, 0);
  push(j, 2, 1, false, 156);  // 16 ms late
  EXPECT_DOUBLE_EQ(j.stats().jitter_ms, 1.0);
  EXPECT_DOUBLE_EQ(j.stats().max_lateness_ms, 16.0);
}

TEST(JitterBuffer, MinDepthIsMeasuredWhilePlaying) {
  JitterBuffer j(kRate, 40);
  push(j, 0, 1);
  push(j, 1, 1);
  push(j, 2, 1);
  std::vector<int16_t> out(20);
  j.pull(out.data(), 20);
  j.pull(out.data(), 20);
  EXPECT_DOUBLE_EQ(j.stats().min_depth_ms, 40.0);
}

// One producer thread and one consumer thread, as the game thread and the audio render thread
// use it: every sample comes out once, in order.
TEST(JitterBuffer, OneProducerAndOneConsumerThreadKeepEverySampleInOrder) {
  constexpr uint32_t kChunks = 400, kPerChunk = 441;  // 20 ms at 22,050 Hz
  JitterBuffer j(22050, 60, 500);
  std::thread producer([&] {
    for (uint32_t seq = 0; seq < kChunks; ++seq) {
      std::vector<uint8_t> b;
      for (uint32_t i = 0; i < kPerChunk; ++i) {
        const auto v = uint16_t((seq * kPerChunk + i) & 0x7fff);
        b.push_back(uint8_t(v & 0xff));
        b.push_back(uint8_t(v >> 8));
      }
      while (j.push(seq, seq * 20, b.data(), b.size(), seq + 1 == kChunks, seq) == JitterBuffer::Push::Overflow)
        std::this_thread::yield();
    }
  });
  std::vector<int16_t> got;
  std::vector<int16_t> block(256);
  while (!j.finished()) {
    const size_t own = j.pull(block.data(), block.size());
    got.insert(got.end(), block.begin(), block.begin() + std::ptrdiff_t(own));
    if (own == 0) std::this_thread::yield();
  }
  producer.join();
  ASSERT_EQ(got.size(), size_t(kChunks) * kPerChunk);
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], int16_t(i & 0x7fff)) << "sample " << i;
  EXPECT_EQ(j.stats().lost, 0u);
}
