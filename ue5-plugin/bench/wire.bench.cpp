// Decodes and encodes golden frames many times with the core's codec and, when built with it,
// nanopb; prints a markdown table with the machine. `--short` runs a tenth of the iterations.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "Stagecraft/gen/wire.h"

#ifdef STAGECRAFT_BENCH_NANOPB
#include <pb_decode.h>
#include <pb_encode.h>

#include "stagecraft/v1/messages.pb.h"
#endif

using namespace stagecraft;

namespace {

std::vector<uint8_t> payload(const std::string& name) {
  std::ifstream f(std::string(STAGECRAFT_VECTORS_DIR) + "/" + name + ".bin", std::ios::binary);
  std::vector<uint8_t> b{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  return b.size() > 2 ? std::vector<uint8_t>(b.begin() + 2, b.end()) : std::vector<uint8_t>{};
}

template <typename F>
double ns_per_op(int n, F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) f();
  const auto t1 = std::chrono::steady_clock::now();
  return double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) / n;
}

std::string machine() {
  std::string cpu = "unknown CPU", load;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);)
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  std::ifstream avg("/proc/loadavg");
  std::getline(avg, load);
  return cpu + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores, load average " +
         load.substr(0, 14);
}

volatile size_t sink;

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--short") == 0;
  const int n = quick ? 20000 : 200000;
  const char* names[] = {"server-audio", "server-face", "server-snapshot", "server-verdict", "client-world-report"};
  std::printf("| frame | bytes | core decode ns | core encode ns |");
#ifdef STAGECRAFT_BENCH_NANOPB
  std::printf(" nanopb decode ns | nanopb encode ns |");
#endif
  std::printf("\n| --- | --- | --- | --- |");
#ifdef STAGECRAFT_BENCH_NANOPB
  std::printf(" --- | --- |");
#endif
  std::printf("\n");
  for (const char* name : names) {
    const std::vector<uint8_t> b = payload(name);
    const bool client = std::strncmp(name, "client", 6) == 0;
    pb::DecodeError err;
    std::vector<uint8_t> out;
    out.reserve(b.size() * 2);
    double dec, enc;
    if (client) {
      wire::ClientMessage m;
      dec = ns_per_op(n, [&] { sink = wire::decode(b.data(), b.size(), m, err); });
      enc = ns_per_op(n, [&] {
        out.clear();
        wire::encode(m, out);
        sink = out.size();
      });
    } else {
      wire::ServerMessage m;
      dec = ns_per_op(n, [&] { sink = wire::decode(b.data(), b.size(), m, err); });
      enc = ns_per_op(n, [&] {
        out.clear();
        wire::encode(m, out);
        sink = out.size();
      });
    }
    std::printf("| %s | %zu | %.0f | %.0f |", name, b.size(), dec, enc);
#ifdef STAGECRAFT_BENCH_NANOPB
    const pb_msgdesc_t* desc = client ? stagecraft_v1_ClientMessage_fields : stagecraft_v1_ServerMessage_fields;
    alignas(16) unsigned char msg[sizeof(stagecraft_v1_ServerMessage) > sizeof(stagecraft_v1_ClientMessage)
                                      ? sizeof(stagecraft_v1_ServerMessage)
                                      : sizeof(stagecraft_v1_ClientMessage)];
    const double ndec = ns_per_op(n, [&] {
      std::memset(msg, 0, sizeof msg);
      pb_istream_t s = pb_istream_from_buffer(b.data(), b.size());
      sink = pb_decode(&s, desc, msg);
      pb_release(desc, msg);
    });
    std::memset(msg, 0, sizeof msg);
    pb_istream_t s = pb_istream_from_buffer(b.data(), b.size());
    const bool ok = pb_decode(&s, desc, msg);
    std::vector<uint8_t> nout(b.size() * 2 + 64);
    const double nenc = ns_per_op(n, [&] {
      pb_ostream_t o = pb_ostream_from_buffer(nout.data(), nout.size());
      sink = pb_encode(&o, desc, msg);
    });
    pb_release(desc, msg);
    std::printf(ok ? " %.0f | %.0f |" : " failed | %.0f |", ndec, nenc);
#endif
    std::printf("\n");
  }
  std::printf("\n%d iterations each; machine: %s\n", n, machine().c_str());
  return 0;
}
