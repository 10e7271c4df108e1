// stagecraft-play: joins a scene, makes an NPC speak, plays the line through a simulated audio
// device (a render callback of a fixed size on a steady schedule) and a 60 Hz game loop, writes
// the audio to a WAV and the face curves to a CSV, and prints face–audio skew and jitter figures.
//
//   stagecraft-play [--port N] [--scene tavern] [--npc bard] [--text "…"] [--wav line.wav]
//                   [--csv face.csv] [--callback 256] [--target 120]
// Without --port it starts the server from this checkout on a loopback port.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "../net/live_client.h"
#include "Stagecraft/gen/rigs.h"
#include "play_device.h"
#include "play_report.h"

using namespace stagecraft;

namespace {

struct Args {
  int port = 0;
  std::string scene = "tavern", npc = "bard";
  std::string text = "Gather round, friends! Tonight I sing of the dragon of Kettle Hill, who slept on a hoard of "
                     "copper pots and woke only when the baker burned the bread.";
  std::string wav = "stagecraft-line.wav", csv = "stagecraft-face.csv";
  unsigned callback = 256, target = 120;
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") a.port = std::atoi(v.c_str());
    else if (k == "--scene") a.scene = v;
    else if (k == "--npc") a.npc = v;
    else if (k == "--text") a.text = v;
    else if (k == "--wav") a.wav = v;
    else if (k == "--csv") a.csv = v;
    else if (k == "--callback") a.callback = unsigned(std::atoi(v.c_str()));
    else if (k == "--target") a.target = unsigned(std::atoi(v.c_str()));
    else {
      std::fprintf(stderr, "stagecraft-play: unknown option %s\n", k.c_str());
      return false;
    }
  }
  if ((argc - 1) % 2 != 0) {
    std::fprintf(stderr, "stagecraft-play: option %s has no value\n", argv[argc - 1]);
    return false;
  }
  return a.callback > 0;
}

void write_wav(const std::string& path, const std::vector<int16_t>& s, uint32_t rate) {
  std::ofstream f(path, std::ios::binary);
  auto u32 = [&](uint32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](uint16_t v) { f.write(reinterpret_cast<const char*>(&v), 2); };
  const uint32_t bytes = uint32_t(s.size() * 2);
  f.write("RIFF", 4);
  u32(36 + bytes);
  f.write("WAVEfmt ", 8);
  u32(16);
  u16(1);
  u16(1);
  u32(rate);
  u32(rate * 2);
  u16(2);
  u16(16);
  f.write("data", 4);
  u32(bytes);
  f.write(reinterpret_cast<const char*>(s.data()), std::streamsize(bytes));
}

struct Listener : SessionListener {
  std::string request, performance;
  double first_audio_at = -1;
  void on_answer(const Answer& a, const wire::ServerMessage& m) override {
    if (a.request.id == request && m.body_case == wire::ServerMessage::BodyCase::PerformanceStart)
      performance = m.performance_start.performance_id;
  }
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse(argc, argv, args)) return 2;
  std::unique_ptr<net::ServerProcess> server;
  std::string error;
  if (args.port == 0) {
    server = std::make_unique<net::ServerProcess>();
    if (!server->start(STAGECRAFT_REPO_ROOT, error)) {
      std::fprintf(stderr, "stagecraft-play: could not start the server: %s\n", error.c_str());
      return 1;
    }
    args.port = server->port();
  }
  Listener listener;
  net::LiveClient client(&listener, PerformanceOptions{args.target});
  if (!client.join(args.port, args.scene, "game", error)) {
    std::fprintf(stderr, "stagecraft-play: join failed: %s\n", error.c_str());
    return 1;
  }

  // Chunk arrivals, for the jitter figures.
  std::vector<double> arrival_dev;
  double last_arrival = -1, last_start = 0, say_at = 0, first_chunk_at = -1, worst_gap = 0;
  uint32_t worst_gap_at = 0;
  client.tap = [&](const uint8_t* d, size_t n, double at) {
    colyseus::ServerFrame f;
    std::string e;
    wire::ServerMessage m;
    pb::DecodeError de;
    if (!colyseus::parse_server_frame(d, n, f, e) || f.code != colyseus::Code::RoomDataBytes) return;
    if (!wire::decode(f.payload, f.payload_size, m, de) || m.body_case != wire::ServerMessage::BodyCase::Audio) return;
    if (first_chunk_at < 0) first_chunk_at = at;
    if (last_arrival >= 0) {
      arrival_dev.push_back(std::fabs((at - last_arrival) - (m.audio.start_ms - last_start)));
      if (arrival_dev.back() > worst_gap) {
        worst_gap = arrival_dev.back();
        worst_gap_at = m.audio.start_ms;
      }
    }
    last_arrival = at;
    last_start = m.audio.start_ms;
  };

  wire::ClientMessage say;
  say.body_case = wire::ClientMessage::BodyCase::Say;
  say.say.npc_id = args.npc;
  say.say.text = args.text;
  say_at = net::now_ms();
  listener.request = client.session().send(say, say_at);
  if (!client.pump_until([&] { return !listener.performance.empty(); }, 30000)) {
    std::fprintf(stderr, "stagecraft-play: no performance started for %s\n", args.npc.c_str());
    return 1;
  }
  std::shared_ptr<Performance> perf = client.session().share(listener.performance);
  const uint32_t rate = perf->start().sample_rate;

  std::ofstream csv(args.csv);
  csv << "t_ms,position_ms";
  for (const char* name : rigs::kArkitNames) csv << ',' << name;
  csv << '\n';

  // The simulated audio device: its own thread, one render callback per period on a steady
  // schedule, as a mixer would call it. The clock is told when each callback actually ran; what
  // the listener hears follows the ideal schedule.
  play::Device device(perf, args.callback);
  std::vector<double> skew, skew_blocks, skew_queued, lateness;
  double next_frame = net::now_ms();
  size_t frames = 0;
  while (!perf->done(net::now_ms())) {
    client.pump(1);
    const double now = net::now_ms();
    if (!device.running() && perf->jitter().chunks > 0) device.start(now);
    if (now >= next_frame && device.playing() && !perf->audio_finished()) {
      next_frame += 1000.0 / 60;
      const double pos = perf->position_ms(now);
      const play::Device::Heard h = device.heard(now);
      skew.push_back(std::fabs(pos - h.ms));
      skew_blocks.push_back(std::fabs(h.block_start_ms - h.ms));
      skew_queued.push_back(std::fabs(double(perf->stats().audio_samples) * 1000.0 / rate - h.ms));
      const FaceWeights face = perf->face_at(pos);
      csv << h.ms << ',' << pos;
      for (float w : face) csv << ',' << w;
      csv << '\n';
      frames++;
    }
    std::vector<TimelineItem> due;
    perf->release(perf->position_ms(now), due);
    for (const auto& item : due)
      if (item.kind == TimelineItem::Kind::Subtitle) std::printf("  [%6u ms] %s\n", item.start_ms, item.subtitle.text.c_str());
    perf->prune(perf->position_ms(now));
    if (now - say_at > 120000) {
      std::fprintf(stderr, "stagecraft-play: the line did not finish within 120 s\n");
      return 1;
    }
  }
  const std::vector<int16_t> wav = device.stop();
  write_wav(args.wav, wav, rate);

  play::Report r;
  r.npc = args.npc;
  r.text = args.text;
  r.audio_ms = double(wav.size()) * 1000.0 / rate;
  r.sample_rate = rate;
  r.face_fps = perf->start().face_fps;
  r.callback_samples = args.callback;
  r.target_ms = args.target;
  r.game_frames = frames;
  r.skew_rendered = play::Spread::of(skew);
  r.skew_blocks = play::Spread::of(skew_blocks);
  r.skew_queued = play::Spread::of(skew_queued);
  r.arrival = play::Spread::of(arrival_dev);
  r.jitter = perf->jitter();
  r.first_audio_ms = first_chunk_at - say_at;
  r.worst_gap_at_ms = worst_gap_at;
  r.callback_lateness = device.lateness();
  play::print(r);
  std::printf("\nwrote %s (%zu samples) and %s (%zu frames)\n", args.wav.c_str(), wav.size(), args.csv.c_str(), frames);
  const bool ok = r.skew_rendered.max <= 1000.0 / std::max(1u, r.face_fps) && r.jitter.underruns == 0;
  std::printf("budgets (skew ≤ one face frame, no underruns): %s\n", ok ? "met" : "NOT met");
  return ok ? 0 : 3;
}
