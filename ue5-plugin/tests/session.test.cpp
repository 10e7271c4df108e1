// The scene view, request correlation and the session's routing, fed frames as a server sends them.
#include <gtest/gtest.h>

#include <cstring>

#include "Stagecraft/gen/rigs.h"
#include "Stagecraft/session.h"

using namespace stagecraft;
using Body = wire::ServerMessage::BodyCase;

namespace {

std::vector<uint8_t> frame(const wire::ServerMessage& m) {
  std::vector<uint8_t> f = {17, 1};
  wire::encode(m, f);
  return f;
}

std::vector<uint8_t> join_room(const std::string& token) {
  std::vector<uint8_t> f = {10, uint8_t(token.size())};
  f.insert(f.end(), token.begin(), token.end());
  f.insert(f.end(), {4, 'n', 'o', 'n', 'e', 0});
  return f;
}

wire::SceneDelta delta(uint32_t base) {
  wire::SceneDelta d;
  d.base_version = base;
  d.version = base + 1;
  return d;
}

struct Recorder : SessionListener {
  std::vector<Answer> answers;
  std::vector<std::string> bad;
  int starts = 0, ends = 0, directives = 0;
  void on_answer(const Answer& a, const wire::ServerMessage&) override { answers.push_back(a); }
  void on_bad_frame(const std::string& why) override { bad.push_back(why); }
  void on_performance_start(Performance&) override { starts++; }
  void on_performance_end(Performance&, const wire::PerformanceEnd&) override { ends++; }
  void on_directive(const wire::Directive&) override { directives++; }
};

void feed(Session& s, const wire::ServerMessage& m, double now = 0) {
  const auto f = frame(m);
  s.on_frame(f.data(), f.size(), now);
}

}  // namespace

TEST(SceneView, AppliesDeltasInOrderAndAsksForASnapshotOncePerGap) {
  SceneView v;
  wire::SceneSnapshot s;
  s.version = 4;
  s.cast.push_back({});
  s.cast[0].id = "guard";
  EXPECT_EQ(v.apply(delta(0)), SceneView::Apply::Ignored);  // nothing before the snapshot
  v.apply(s);
  auto d = delta(4);
  d.phase = "night";
  d.cast_upserts.push_back({});
  d.cast_upserts[0].id = "bard";
  d.cast_upserts[0].speaking = true;
  EXPECT_EQ(v.apply(d), SceneView::Apply::Applied);
  EXPECT_EQ(v.version(), 5u);
  EXPECT_EQ(v.phase(), "night");
  ASSERT_NE(v.member("bard"), nullptr);
  EXPECT_TRUE(v.member("bard")->speaking);
  EXPECT_EQ(v.apply(delta(7)), SceneView::Apply::NeedSnapshot);
  EXPECT_EQ(v.apply(delta(5)), SceneView::Apply::Ignored);  // waits for the snapshot
  EXPECT_FALSE(v.ready());
  s.version = 9;
  v.apply(s);
  EXPECT_TRUE(v.ready());
  EXPECT_EQ(v.member("bard"), nullptr);
  auto removal = delta(9);
  removal.cast_removed.push_back("guard");
  EXPECT_EQ(v.apply(removal), SceneView::Apply::Applied);
  EXPECT_TRUE(v.cast().empty());
}

TEST(Requests, MatchesAnswersByIdAndExpiresTheRest) {
  Requests r;
  wire::ClientMessage say;
  say.body_case = wire::ClientMessage::BodyCase::Say;
  const std::string a = r.track(say, 0, 100);
  wire::ClientMessage prop;
  prop.body_case = wire::ClientMessage::BodyCase::Proposal;
  const std::string b = r.track(prop, 10, 100);
  EXPECT_NE(a, b);
  wire::ServerMessage start;
  start.body_case = Body::PerformanceStart;
  start.performance_start.request_id = a;
  Answer ans;
  ASSERT_TRUE(r.settle(start, 40, ans));
  EXPECT_EQ(ans.request.kind, wire::ClientMessage::BodyCase::Say);
  EXPECT_DOUBLE_EQ(ans.latency_ms, 40);
  EXPECT_FALSE(r.settle(start, 41, ans));  // exactly one answer
  const auto gone = r.expire(200);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].id, b);
}

TEST(Session, AcknowledgesTheHandshakeAndNeverEchoesPings) {
  Recorder rec;
  Session s(&rec);
  const auto j = join_room("tok1");
  ASSERT_TRUE(s.on_frame(j.data(), j.size(), 0));
  EXPECT_EQ(s.reconnection_token(), "tok1");
  auto out = s.take_outbox();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], std::vector<uint8_t>{10});
  const uint8_t ping[] = {18};
  s.on_frame(ping, 1, 0);
  EXPECT_TRUE(s.take_outbox().empty());
  EXPECT_EQ(s.stats().pings_answered, 1u);
  s.on_open();  // reconnection: a new token replaces the old one
  const auto j2 = join_room("tok2");
  s.on_frame(j2.data(), j2.size(), 0);
  EXPECT_EQ(s.reconnection_token(), "tok2");
  EXPECT_EQ(s.stats().joins, 2u);
}

TEST(Session, AGapSendsOneSnapshotRequest) {
  Session s;
  const auto j = join_room("t");
  s.on_frame(j.data(), j.size(), 0);
  wire::ServerMessage snap;
  snap.body_case = Body::Snapshot;
  snap.snapshot.version = 1;
  feed(s, snap);
  s.take_outbox();
  wire::ServerMessage d;
  d.body_case = Body::Delta;
  d.delta = delta(3);
  feed(s, d);
  feed(s, d);
  auto out = s.take_outbox();
  ASSERT_EQ(out.size(), 1u);
  wire::ClientMessage req;
  pb::DecodeError err;
  ASSERT_TRUE(wire::decode(out[0].data() + 2, out[0].size() - 2, req, err));
  EXPECT_EQ(req.body_case, wire::ClientMessage::BodyCase::SnapshotRequest);
  EXPECT_FALSE(req.request_id.empty());
}

TEST(Session, RoutesAPerformanceAndDropsMediaAfterItsEnd) {
  Recorder rec;
  Session s(&rec, PerformanceOptions{40});
  const auto j = join_room("t");
  s.on_frame(j.data(), j.size(), 0);
  wire::ServerMessage m;
  m.body_case = Body::PerformanceStart;
  m.performance_start.performance_id = "p1";
  m.performance_start.npc_id = "bard";
  m.performance_start.sample_rate = 1000;
  m.performance_start.face_fps = 30;
  feed(s, m);
  ASSERT_EQ(rec.starts, 1);
  wire::ServerMessage a;
  a.body_case = Body::Audio;
  a.audio.performance_id = "p1";
  a.audio.pcm.assign(40, 1);
  for (uint32_t seq : {0u, 1u, 3u}) {
    a.audio.seq = seq;
    a.audio.start_ms = seq * 20;
    feed(s, a);
  }
  Performance* p = s.performance("p1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->stats().seq_gaps, 1u);
  wire::ServerMessage dir;
  dir.body_case = Body::Directive;
  dir.directive.npc_id = "bard";
  feed(s, dir);
  EXPECT_EQ(rec.directives, 0);  // timed on the bard's performance, not handed out at once
  wire::ServerMessage end;
  end.body_case = Body::PerformanceEnd;
  end.performance_end.performance_id = "p1";
  end.performance_end.reason = wire::EndReason::Interrupted;
  end.performance_end.samples = 30;
  feed(s, end);
  EXPECT_EQ(rec.ends, 1);
  feed(s, a);
  EXPECT_EQ(s.stats().media_after_end, 1u);
  std::vector<int16_t> out(100);
  EXPECT_EQ(p->render(out.data(), out.size(), 0), 30u);  // cut at sample 30
  EXPECT_TRUE(p->audio_finished());
  std::vector<TimelineItem> items;
  p->release(p->position_ms(1000), items);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].kind, TimelineItem::Kind::Directive);
  s.collect(1000);
  EXPECT_EQ(s.performance("p1"), nullptr);
}

TEST(Session, BadFramesAreReportedAndTheSessionGoesOn) {
  Recorder rec;
  Session s(&rec);
  const std::vector<uint8_t> early = {17, 1, 0x0a, 0x00};
  EXPECT_FALSE(s.on_frame(early.data(), early.size(), 0));
  const auto j = join_room("t");
  s.on_frame(j.data(), j.size(), 0);
  const std::vector<uint8_t> junk = {17, 1, 0x52, 0x7f};
  EXPECT_FALSE(s.on_frame(junk.data(), junk.size(), 0));
  ASSERT_EQ(rec.bad.size(), 2u);
  EXPECT_EQ(rec.bad[0], "ROOM_DATA_BYTES before JOIN_ROOM");
  EXPECT_EQ(rec.bad[1], "ServerMessage.face at byte 2: length runs past the end");  // bytes of the message
  EXPECT_TRUE(s.joined());
}

TEST(Session, APerformanceAtAnImpossibleSampleRateIsIgnored) {
  Recorder rec;
  Session s(&rec);
  const auto j = join_room("t");
  s.on_frame(j.data(), j.size(), 0);
  wire::ServerMessage m;
  m.body_case = Body::PerformanceStart;
  m.performance_start.performance_id = "p1";
  m.performance_start.sample_rate = 1u << 31;
  feed(s, m);
  EXPECT_EQ(rec.starts, 0);
  EXPECT_EQ(s.performance("p1"), nullptr);
  ASSERT_EQ(rec.bad.size(), 1u);
  EXPECT_EQ(rec.bad[0], "PerformanceStart.sample_rate 2147483648 Hz is over 192000; the performance is ignored");
  wire::ServerMessage a;
  a.body_case = Body::Audio;
  a.audio.performance_id = "p1";
  feed(s, a);
  EXPECT_EQ(s.stats().unknown_performance, 1u);
}

TEST(Rigs, ArkitNamesAndTheMetaHumanMap) {
  EXPECT_STREQ(rigs::kArkitNames[0], "eyeBlinkLeft");
  EXPECT_STREQ(rigs::kArkitNames[17], "jawOpen");
  EXPECT_STREQ(rigs::kArkitNames[51], "tongueOut");
  const rigs::RigProfileData* mh = nullptr;
  for (const auto& p : rigs::kRigProfiles)
    if (std::strcmp(p.name, "metahuman") == 0) mh = &p;
  ASSERT_NE(mh, nullptr);
  bool covered[rigs::kBlendshapeCount] = {};
  bool jaw = false;
  for (size_t i = 0; i < mh->link_count; ++i) {
    covered[mh->links[i].blendshape] = true;
    if (mh->links[i].blendshape == 17 && std::strcmp(mh->links[i].curve, "CTRL_expressions_jawOpen") == 0) jaw = true;
  }
  for (bool c : covered) EXPECT_TRUE(c);
  EXPECT_TRUE(jaw);
}
