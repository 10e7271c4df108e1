#include "live_client.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

namespace stagecraft::net {

double now_ms() {
  using namespace std::chrono;
  return double(duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count()) / 1000.0;
}

bool ServerProcess::start(const std::string& repo_root, std::string& error, int timeout_ms) {
  const std::string script = repo_root + "/ue5-plugin/tests/live/server.mjs";
  if (access((repo_root + "/server/dist/main.js").c_str(), R_OK) != 0) {
    error = "server/dist/main.js is missing (run npm run build)";
    return false;
  }
  int in[2], out[2];
  if (pipe(in) != 0 || pipe(out) != 0) {
    error = "pipe() failed";
    return false;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    execlp("node", "node", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  stdin_fd_ = in[1];
  std::string line;
  const double until = now_ms() + timeout_ms;
  while (line.find('\n') == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    const int left = int(until - now_ms());
    if (left <= 0 || poll(&p, 1, left) <= 0) {
      error = "the server did not print its address within " + std::to_string(timeout_ms) + " ms";
      close(out[0]);
      return false;
    }
    char buf[256];
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) {
      error = "the server exited before listening (is node on PATH?)";
      close(out[0]);
      return false;
    }
    line.append(buf, size_t(n));
  }
  close(out[0]);
  const size_t colon = line.rfind(':');
  if (line.compare(0, 10, "listening ") != 0 || colon == std::string::npos) {
    error = "unexpected first line from the server: " + line;
    return false;
  }
  port_ = std::atoi(line.c_str() + colon + 1);
  return port_ > 0;
}

ServerProcess::~ServerProcess() {
  if (stdin_fd_ >= 0) close(stdin_fd_);  // the server stops when its input closes
  if (pid_ > 0) {
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      usleep(50000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool LiveClient::join(int port, const std::string& scene_id, const std::string& role, std::string& error) {
  port_ = port;
  std::string body;
  const nlohmann::json req = {{"sceneId", scene_id}, {"name", "native"}, {"role", role}};
  const int status = http_post("127.0.0.1", port, "/matchmake/joinOrCreate/scene", req.dump(), body, error);
  if (status != 200) {
    if (status > 0) error = "matchmaking answered " + std::to_string(status) + ": " + body;
    return false;
  }
  const auto res = nlohmann::json::parse(body, nullptr, false);
  if (res.is_discarded() || !res.contains("sessionId")) {
    error = "matchmaking answer has no sessionId: " + body;
    return false;
  }
  process_id_ = res.value("processId", "");
  room_id_ = res.value("roomId", "");
  session_id_ = res.value("sessionId", "");
  return open_socket("", error);
}

bool LiveClient::reconnect(std::string& error) { return open_socket(session_.reconnection_token(), error); }

bool LiveClient::open_socket(const std::string& token, std::string& error) {
  const std::string url = colyseus::room_url("", process_id_, room_id_, session_id_, token);
  if (!ws_.connect("127.0.0.1", port_, url, 10000, error)) return false;
  session_.on_open();
  const uint32_t joins = session_.stats().joins;
  const uint32_t snapshots = session_.stats().snapshots;
  // After the acknowledgement the server sends a fresh snapshot.
  if (!pump_until([&] { return session_.stats().joins > joins && session_.stats().snapshots > snapshots; }, 10000)) {
    error = "no JOIN_ROOM and snapshot within 10 s (close code " + std::to_string(ws_.close_code()) + ")";
    return false;
  }
  return true;
}

void LiveClient::pump(int timeout_ms) {
  for (auto& f : session_.take_outbox()) ws_.send(std::move(f));
  std::vector<std::vector<uint8_t>> in;
  ws_.poll(timeout_ms, in);
  for (const auto& m : in) {
    const double at = now_ms();
    if (tap) tap(m.data(), m.size(), at);
    session_.on_frame(m.data(), m.size(), at);
  }
  for (auto& f : session_.take_outbox()) ws_.send(std::move(f));
}

bool LiveClient::pump_until(const std::function<bool()>& done, int timeout_ms) {
  const double until = now_ms() + timeout_ms;
  while (!done()) {
    if (now_ms() >= until) return false;
    pump(10);
  }
  return true;
}

}  // namespace stagecraft::net
