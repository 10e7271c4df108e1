#include "ws_client.h"

#include <arpa/inet.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

namespace stagecraft::net {

namespace {

int callback(lws* wsi, lws_callback_reasons reason, void* user, void* in, size_t len) {
  (void)user;
  auto* self = static_cast<WsClient*>(lws_context_user(lws_get_context(wsi)));
  if (!self) return 0;
  return self->on_event(wsi, int(reason), in, len);
}

const lws_protocols kProtocols[] = {
    {"stagecraft", callback, 0, 65536, 0, nullptr, 0},
    {nullptr, nullptr, 0, 0, 0, nullptr, 0},
};

double now_ms() {
  using namespace std::chrono;
  return double(duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count()) / 1000.0;
}

}  // namespace

WsClient::WsClient() { lws_set_log_level(LLL_ERR, nullptr); }
WsClient::~WsClient() { reset(); }

void WsClient::reset() {
  if (ctx_) lws_context_destroy(ctx_);
  ctx_ = nullptr;
  wsi_ = nullptr;
  open_ = false;
  partial_.clear();
  outbox_.clear();
}

bool WsClient::connect(const std::string& host, int port, const std::string& path, int timeout_ms,
                       std::string& error) {
  reset();
  failed_ = false;
  close_code_ = 0;
  inbox_.clear();
  lws_context_creation_info info;
  std::memset(&info, 0, sizeof info);
  info.port = CONTEXT_PORT_NO_LISTEN;
  info.protocols = kProtocols;
  info.user = this;
  info.gid = -1;
  info.uid = -1;
  ctx_ = lws_create_context(&info);
  if (!ctx_) {
    error = "libwebsockets: could not create a context";
    return false;
  }
  lws_client_connect_info cc;
  std::memset(&cc, 0, sizeof cc);
  cc.context = ctx_;
  cc.address = host.c_str();
  cc.port = port;
  cc.path = path.c_str();
  cc.host = host.c_str();
  cc.origin = host.c_str();
  cc.local_protocol_name = "stagecraft";
  cc.pwsi = &wsi_;
  if (!lws_client_connect_via_info(&cc)) {
    error = "libwebsockets: connect to " + host + " failed at once";
    reset();
    return false;
  }
  const double until = now_ms() + timeout_ms;
  while (!open_ && !failed_ && now_ms() < until) lws_service(ctx_, 10);
  if (!open_) {
    error = failed_ ? "WebSocket connection failed: " + error_ : "WebSocket upgrade timed out";
    reset();
    return false;
  }
  return true;
}

int WsClient::on_event(lws* wsi, int reason, void* in, size_t len) {
  switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      open_ = true;
      if (!outbox_.empty()) lws_callback_on_writable(wsi);
      break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      failed_ = true;
      error_ = in ? std::string(static_cast<const char*>(in), len) : "no reason given";
      wsi_ = nullptr;
      break;
    case LWS_CALLBACK_CLIENT_RECEIVE: {
      const auto* p = static_cast<const uint8_t*>(in);
      partial_.insert(partial_.end(), p, p + len);
      if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
        inbox_.push_back(std::move(partial_));
        partial_.clear();
      }
      break;
    }
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
      if (outbox_.empty()) break;
      std::vector<uint8_t>& m = outbox_.front();
      std::vector<uint8_t> buf(LWS_PRE + m.size());
      std::memcpy(buf.data() + LWS_PRE, m.data(), m.size());
      if (lws_write(wsi, buf.data() + LWS_PRE, m.size(), LWS_WRITE_BINARY) < int(m.size())) return -1;
      outbox_.pop_front();
      if (!outbox_.empty()) lws_callback_on_writable(wsi);
      break;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
      if (len >= 2) {
        const auto* p = static_cast<const uint8_t*>(in);
        close_code_ = (p[0] << 8) | p[1];
      }
      break;
    case LWS_CALLBACK_CLIENT_CLOSED:
      open_ = false;
      wsi_ = nullptr;
      break;
    default:
      break;
  }
  return 0;
}

void WsClient::send(std::vector<uint8_t> message) {
  outbox_.push_back(std::move(message));
  if (wsi_ && open_) lws_callback_on_writable(wsi_);
}

void WsClient::poll(int timeout_ms, std::vector<std::vector<uint8_t>>& out) {
  const double until = now_ms() + timeout_ms;
  if (ctx_) {
    do {
      lws_service(ctx_, 0);
      if (!inbox_.empty()) break;
      if (!open_) break;
      lws_service(ctx_, 5);
    } while (inbox_.empty() && now_ms() < until);
  }
  while (!inbox_.empty()) {
    out.push_back(std::move(inbox_.front()));
    inbox_.pop_front();
  }
}

void WsClient::drop() {
  if (wsi_) shutdown(lws_get_socket_fd(wsi_), SHUT_RDWR);
  const double until = now_ms() + 2000;
  while (ctx_ && open_ && now_ms() < until) lws_service(ctx_, 10);
  reset();
}

void WsClient::close() { reset(); }

int http_post(const std::string& host, int port, const std::string& path, const std::string& json,
              std::string& body, std::string& error) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    error = "socket() failed";
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    error = "could not connect to " + host + ":" + std::to_string(port);
    return -1;
  }
  const std::string req = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                          "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                          std::to_string(json.size()) + "\r\n\r\n" + json;
  if (::send(fd, req.data(), req.size(), 0) != ssize_t(req.size())) {
    ::close(fd);
    error = "send failed";
    return -1;
  }
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) resp.append(buf, size_t(n));
  ::close(fd);
  const size_t head = resp.find("\r\n\r\n");
  if (resp.compare(0, 9, "HTTP/1.1 ") != 0 || head == std::string::npos) {
    error = "not an HTTP response";
    return -1;
  }
  body = resp.substr(head + 4);
  if (resp.find("Transfer-Encoding: chunked") != std::string::npos ||
      resp.find("transfer-encoding: chunked") != std::string::npos) {
    std::string plain;
    size_t i = 0;
    while (i < body.size()) {
      const size_t eol = body.find("\r\n", i);
      if (eol == std::string::npos) break;
      const size_t len = std::stoul(body.substr(i, eol - i), nullptr, 16);
      if (len == 0) break;
      plain += body.substr(eol + 2, len);
      i = eol + 2 + len + 2;
    }
    body = plain;
  }
  return std::atoi(resp.c_str() + 9);
}

}  // namespace stagecraft::net
