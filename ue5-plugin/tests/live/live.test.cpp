// Against the real server on loopback: join, propose and get a verdict, a whole performance, a
// line stopped mid-way, and a reconnection after a dropped socket. Skips with the reason when
// node or the built server is missing.
#include <gtest/gtest.h>

#include <memory>

#include "../../net/live_client.h"

using namespace stagecraft;
using Body = wire::ServerMessage::BodyCase;

namespace {

std::unique_ptr<net::ServerProcess> server;
std::string skip_reason;

class LiveEnv : public testing::Environment {
 public:
  void SetUp() override {
    server = std::make_unique<net::ServerProcess>();
    if (!server->start(STAGECRAFT_REPO_ROOT, skip_reason)) {
      std::printf("live tests skipped: %s\n", skip_reason.c_str());
      server.reset();
    }
  }
  void TearDown() override { server.reset(); }
};
const auto* const env = testing::AddGlobalTestEnvironment(new LiveEnv);

struct Seen : SessionListener {
  std::vector<wire::ServerMessage> answers;
  std::vector<wire::PerformanceEnd> ends;
  std::vector<std::string> bad;
  // Per performance: received samples, chunks and whether audio came after the end.
  void on_answer(const Answer&, const wire::ServerMessage& m) override { answers.push_back(m); }
  void on_performance_end(Performance&, const wire::PerformanceEnd& e) override { ends.push_back(e); }
  void on_bad_frame(const std::string& why) override { bad.push_back(why); }
  const wire::PerformanceEnd* end_of(const std::string& id) const {
    for (const auto& e : ends)
      if (e.performance_id == id) return &e;
    return nullptr;
  }
};

#define REQUIRE_SERVER() \
  if (!server) GTEST_SKIP() << "live tests skipped: " << skip_reason

wire::ClientMessage say(const std::string& npc, const std::string& text) {
  wire::ClientMessage m;
  m.body_case = wire::ClientMessage::BodyCase::Say;
  m.say.npc_id = npc;
  m.say.text = text;
  return m;
}

// Waits for the performance_start that answers `request` and returns its id.
std::string started(net::LiveClient& c, Seen& seen, const std::string& request) {
  std::string id;
  c.pump_until(
      [&] {
        for (const auto& a : seen.answers)
          if (a.body_case == Body::PerformanceStart && a.performance_start.request_id == request)
            id = a.performance_start.performance_id;
        return !id.empty();
      },
      20000);
  return id;
}

}  // namespace

TEST(Live, ProposalGetsItsVerdict) {
  REQUIRE_SERVER();
  Seen seen;
  net::LiveClient c(&seen);
  std::string error;
  ASSERT_TRUE(c.join(server->port(), "tavern", "game", error)) << error;
  EXPECT_EQ(c.session().scene().scene_id(), "tavern");
  ASSERT_NE(c.session().scene().member("guard"), nullptr);
  wire::ClientMessage m;
  m.body_case = wire::ClientMessage::BodyCase::Proposal;
  m.proposal.proposal_id = "p1";
  m.proposal.actor_id = "guard";
  m.proposal.verb = "attack";
  m.proposal.target_id = "player";
  m.proposal.amount = 5;
  const std::string id = c.session().send(m, net::now_ms());
  ASSERT_TRUE(c.pump_until([&] { return !seen.answers.empty(); }, 10000));
  const auto& a = seen.answers.back();
  ASSERT_EQ(a.body_case, Body::Verdict);
  EXPECT_EQ(a.request_id, id);
  EXPECT_EQ(a.verdict.proposal_id, "p1");
  EXPECT_EQ(a.verdict.decision, wire::Decision::Veto);
  EXPECT_EQ(a.verdict.rule_id, "no-violence");

  c.session().ping();
  c.pump_until([&] { return c.session().stats().pings_answered == 1; }, 5000);
  c.pump(300);
  EXPECT_EQ(c.session().stats().pings_answered, 1u);  // one answer, and no echo of it
  EXPECT_TRUE(seen.bad.empty()) << seen.bad.front();
}

TEST(Live, AWholePerformanceArrivesInOrderAndNothingAfterItsEnd) {
  REQUIRE_SERVER();
  Seen seen;
  net::LiveClient c(&seen, PerformanceOptions{120});
  std::string error;
  ASSERT_TRUE(c.join(server->port(), "tavern", "game", error)) << error;
  const std::string req = c.session().send(say("bard", "Pay the piper, or the music stops!"), net::now_ms());
  const std::string id = started(c, seen, req);
  ASSERT_FALSE(id.empty()) << "no performance_start answered the say";
  auto perf = c.session().share(id);
  ASSERT_TRUE(perf);
  ASSERT_TRUE(c.pump_until([&] { return seen.end_of(id) != nullptr; }, 30000));
  const wire::PerformanceEnd& end = *seen.end_of(id);
  EXPECT_EQ(end.reason, wire::EndReason::Completed);
  c.pump(500);  // anything late would show now
  EXPECT_EQ(c.session().stats().media_after_end, 0u);
  const auto& st = perf->stats();
  EXPECT_EQ(st.seq_gaps, 0u);
  EXPECT_EQ(st.out_of_order, 0u);
  EXPECT_GT(st.audio_chunks, 10u);
  EXPECT_EQ(st.audio_samples, end.samples);  // the end names the last sample sent
  EXPECT_GT(st.face_batches, 0u);
  EXPECT_EQ(st.face_errors, 0u);
  // Every sample received plays out, and exactly the line's samples.
  std::vector<int16_t> out(512);
  uint64_t played = 0;
  double t = 0;
  while (!perf->audio_finished() && played < 10000000) {
    played += perf->render(out.data(), out.size(), t);
    t += 512.0 * 1000.0 / perf->start().sample_rate;
  }
  EXPECT_EQ(played, end.samples);
  EXPECT_EQ(perf->jitter().lost, 0u);
  EXPECT_TRUE(seen.bad.empty());
}

TEST(Live, AStoppedLineEndsAtItsCutWithNoMediaAfter) {
  REQUIRE_SERVER();
  Seen seen;
  net::LiveClient c(&seen);
  std::string error;
  ASSERT_TRUE(c.join(server->port(), "tavern", "game", error)) << error;
  const std::string long_line =
      "Welcome, traveller, to the Rusty Flagon. Sit by the fire, warm your hands, and tell me where "
      "the road has taken you, for the night is long and the stew is hot and nobody here is in a hurry.";
  const std::string req = c.session().send(say("innkeeper", long_line), net::now_ms());
  const std::string id = started(c, seen, req);
  ASSERT_FALSE(id.empty());
  auto perf = c.session().share(id);
  ASSERT_TRUE(c.pump_until([&] { return perf->stats().audio_chunks >= 10; }, 20000));
  wire::ClientMessage stop;
  stop.body_case = wire::ClientMessage::BodyCase::Control;
  stop.control.action = wire::ControlAction::Stop;
  stop.control.performance_id = id;
  c.session().send(stop, net::now_ms());
  ASSERT_TRUE(c.pump_until([&] { return seen.end_of(id) != nullptr; }, 10000));
  const wire::PerformanceEnd end = *seen.end_of(id);
  EXPECT_EQ(end.reason, wire::EndReason::Interrupted);
  const uint32_t chunks_at_end = perf->stats().audio_chunks;
  c.pump(600);
  EXPECT_EQ(c.session().stats().media_after_end, 0u);
  EXPECT_EQ(perf->stats().audio_chunks, chunks_at_end);
  EXPECT_EQ(perf->stats().seq_gaps, 0u);
  EXPECT_EQ(perf->stats().audio_samples, end.samples);  // no audio past the cut was sent
  EXPECT_LT(end.samples, 22050u * 5);                    // well short of the whole line
  // Playback stops at the cut, and the face is neutral once eased out.
  std::vector<int16_t> out(512);
  uint64_t played = 0;
  for (int i = 0; i < 100000 && !perf->audio_finished(); ++i) played += perf->render(out.data(), out.size(), i);
  EXPECT_EQ(played, end.samples);
  const double end_ms = perf->end_ms();
  for (float w : perf->face_at(end_ms + 1000)) EXPECT_EQ(w, 0.0f);
  // The stop was acknowledged: its request got an ack.
  bool acked = false;
  for (const auto& a : seen.answers) acked |= a.body_case == Body::Ack;
  EXPECT_TRUE(acked);
}

TEST(Live, ReconnectsWithTheTokenAfterADroppedSocket) {
  REQUIRE_SERVER();
  Seen seen;
  net::LiveClient c(&seen);
  std::string error;
  ASSERT_TRUE(c.join(server->port(), "tavern", "player", error)) << error;
  const std::string first = c.session().reconnection_token();
  c.socket().drop();
  EXPECT_FALSE(c.socket().open());
  ASSERT_TRUE(c.reconnect(error)) << error;
  EXPECT_NE(c.session().reconnection_token(), first);
  EXPECT_EQ(c.session().stats().joins, 2u);
  EXPECT_TRUE(c.session().scene().ready());
  wire::ClientMessage snap;
  snap.body_case = wire::ClientMessage::BodyCase::SnapshotRequest;
  const std::string id = c.session().send(snap, net::now_ms());
  ASSERT_TRUE(c.pump_until(
      [&] {
        for (const auto& a : seen.answers)
          if (a.request_id == id) return true;
        return false;
      },
      10000));
  c.session().leave();
  c.pump_until([&] { return !c.socket().open(); }, 5000);
  EXPECT_EQ(c.socket().close_code(), 4000);
}
