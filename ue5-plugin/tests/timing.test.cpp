// The audio clock, the viseme and face tracks and the cue timeline.
#include <gtest/gtest.h>

#include <numeric>

#include "Stagecraft/audio_clock.h"
#include "Stagecraft/cue_timeline.h"
#include "Stagecraft/face_track.h"
#include "Stagecraft/viseme_track.h"

using namespace stagecraft;

TEST(AudioClock, CountsRenderedSamplesAndInterpolatesBetweenCallbacks) {
  AudioClock c(1000);
  EXPECT_EQ(c.position_ms(5), 0);
  c.rendered(100, 1000);  // a 100 ms block rendered at t = 1000 ms
  EXPECT_DOUBLE_EQ(c.position_ms(1000), 0);
  EXPECT_DOUBLE_EQ(c.position_ms(1040), 40);
  EXPECT_DOUBLE_EQ(c.position_ms(1500), 100);  // never past what was rendered
  c.rendered(0, 1600);                          // an underrun: the clock stands still
  EXPECT_DOUBLE_EQ(c.position_ms(1700), 100);
  c.rendered(100, 1800);
  EXPECT_DOUBLE_EQ(c.position_ms(1850), 150);
}

TEST(AudioClock, SubtractsTheOutputLatencyAndNeverGoesBack) {
  AudioClock c(1000, 30);
  c.rendered(100, 0);
  EXPECT_DOUBLE_EQ(c.position_ms(50), 20);
  double last = 0;
  EXPECT_DOUBLE_EQ(c.position_ms(60, last), 30);
  EXPECT_DOUBLE_EQ(c.position_ms(10, last), 30);  // an earlier wall time reads no earlier
  c.run_free();
  EXPECT_DOUBLE_EQ(c.position_ms(500), 470);
}

TEST(VisemeTrack, CrossfadesAtBoundariesAndFallsSilentAfterTheEnd) {
  VisemeTrack t(40);
  wire::VisemeEvents ev;
  ev.visemes.push_back({0, 100, wire::Viseme::Aa, 1});
  ev.visemes.push_back({100, 200, wire::Viseme::Oh, 1});
  t.add(ev);
  auto mid = t.at(50);
  EXPECT_FLOAT_EQ(mid[size_t(wire::Viseme::Aa)], 1);
  auto edge = t.at(100);
  EXPECT_FLOAT_EQ(edge[size_t(wire::Viseme::Aa)], 0.5f);
  EXPECT_FLOAT_EQ(edge[size_t(wire::Viseme::Oh)], 0.5f);
  EXPECT_NEAR(std::accumulate(edge.begin(), edge.end(), 0.0f), 1.0f, 1e-6);
  auto after = t.at(260);
  EXPECT_FLOAT_EQ(after[0], 1);  // silence, not the last viseme held
  t.clip(150);
  EXPECT_FLOAT_EQ(t.at(200)[0], 1);
}

TEST(FaceTrack, InterpolatesAtTheClockAndEasesToNeutral) {
  FaceTrack track(10, 100);  // 10 fps: a frame every 100 ms
  wire::FaceFrames b;
  b.fps = 10;
  b.keyframe = true;
  b.count = 2;
  b.data.assign(52, 0);
  b.data[17] = 255;                                   // frame 0: jawOpen fully open
  b.data.insert(b.data.end(), {1, 17, 0});            // frame 1: jawOpen closed
  std::string error;
  ASSERT_TRUE(track.add(b, error)) << error;
  EXPECT_FLOAT_EQ(track.at(0)[17], 1);
  EXPECT_NEAR(track.at(50)[17], 0.5, 1e-6);
  track.end(50);                                      // interrupted half way
  EXPECT_NEAR(track.at(50)[17], 0.5, 1e-6);
  EXPECT_NEAR(track.at(100)[17], 0.25, 1e-6);         // smoothstep half way to neutral
  EXPECT_FLOAT_EQ(track.at(150)[17], 0);
  EXPECT_TRUE(track.settled(150));
}

TEST(FaceTrack, AMalformedBatchIsReportedAndTheTrackWaitsForAKeyframe) {
  FaceTrack track(30);
  wire::FaceFrames b;
  b.keyframe = true;
  b.count = 1;
  b.data.assign(10, 0);
  std::string error;
  EXPECT_FALSE(track.add(b, error));
  EXPECT_EQ(error, "FaceFrames.data frame 0 at byte 0: keyframe needs 52 bytes");
  wire::FaceFrames delta;
  delta.first_frame = 1;
  delta.count = 1;
  delta.data = {0};
  EXPECT_TRUE(track.add(delta, error));
  EXPECT_EQ(track.frames(), 0u);
}

TEST(CueTimeline, ReleasesInClockOrderAndClipsAtTheCut) {
  CueTimeline t;
  wire::Cue nod;
  nod.kind = wire::CueKind::Nod;
  nod.start_ms = 300;
  wire::Cue wave;
  wave.kind = wire::CueKind::Wave;
  wave.start_ms = 100;
  wire::Subtitle sub;
  sub.start_ms = 0;
  sub.text = "Hello";
  t.add(nod);
  t.add(wave);
  t.add(sub);
  wire::Directive d;
  d.npc_id = "guard";
  t.add(d, 150);
  std::vector<TimelineItem> out;
  t.release(120, out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, TimelineItem::Kind::Subtitle);
  EXPECT_EQ(out[1].cue.kind, wire::CueKind::Wave);
  t.clip(200);
  t.release(1000, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2].kind, TimelineItem::Kind::Directive);  // the nod at 300 was past the cut
}
