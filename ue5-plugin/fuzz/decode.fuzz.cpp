// libFuzzer target: any bytes as a server frame, a ServerMessage, a ClientMessage and a face
// batch. Decoding must stay in bounds, and whatever decodes must re-encode to bytes that decode
// to the same JSON.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "Stagecraft/colyseus.h"
#include "Stagecraft/face_codec.h"
#include "Stagecraft/gen/wire.h"
#include "Stagecraft/session.h"

using namespace stagecraft;

namespace {

template <typename M>
void round_trip(const uint8_t* data, size_t size) {
  M m;
  pb::DecodeError err;
  if (!wire::decode(data, size, m, err)) {
    if (err.path.empty() || err.offset > size) std::abort();
    return;
  }
  const std::string json = wire::to_json(m);
  std::vector<uint8_t> again;
  wire::encode(m, again);
  M back;
  if (!wire::decode(again.data(), again.size(), back, err)) std::abort();
  if (wire::to_json(back) != json) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  colyseus::ServerFrame frame;
  std::string error;
  colyseus::parse_server_frame(data, size, frame, error);

  round_trip<wire::ServerMessage>(data, size);
  round_trip<wire::ClientMessage>(data, size);

  if (size > 2) {
    FaceDecoder face;
    std::vector<FaceFrame> frames;
    face.decode(data[0], data[1] % 64, (data[0] & 1) != 0, data + 2, size - 2, frames, error);
    if (frames.size() > 64) std::abort();
  }

  // A session fed the input as frames split at every 0x11 byte, after a join.
  Session session;
  const uint8_t join[] = {10, 1, 't', 4, 'n', 'o', 'n', 'e', 0};
  session.on_frame(join, sizeof join, 0);
  size_t start = 0;
  for (size_t i = 1; i <= size; ++i) {
    if (i == size || data[i] == 0x11) {
      session.on_frame(data + start, i - start, double(i));
      start = i;
    }
  }
  for (const auto& [id, p] : session.performances()) {
    int16_t out[256];
    p->render(out, 256, 0);
    p->face_at(10);
    p->visemes_at(10);
  }
  return 0;
}
