#include "play_device.h"

#include <algorithm>
#include <chrono>

#include "../net/live_client.h"

namespace play {

Device::Device(std::shared_ptr<stagecraft::Performance> perf, unsigned block)
    : perf_(std::move(perf)), block_(block), period_ms_(1000.0 * block / perf_->start().sample_rate) {}

Device::~Device() { stop(); }

void Device::start(double now_ms) { thread_ = std::thread([this, now_ms] { run(now_ms); }); }

std::vector<int16_t> Device::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  return wav_;
}

void Device::run(double start_ms) {
  std::vector<int16_t> buf(block_);
  double due = start_ms;
  while (!stop_ && !perf_->audio_finished()) {
    // now_ms() counts steady_clock from its epoch, so `due` maps straight onto a time point.
    std::this_thread::sleep_until(std::chrono::steady_clock::time_point(std::chrono::microseconds(int64_t(due * 1000))));
    const double woke = stagecraft::net::now_ms();
    const size_t own = perf_->render(buf.data(), buf.size(), woke);
    {
      std::lock_guard<std::mutex> lock(mu_);
      late_.push_back(woke - due);
      if (own > 0) playing_ = true;
      before_ += own_;
      own_ = own;
      block_at_ = due;
      wav_.insert(wav_.end(), buf.begin(), buf.begin() + std::ptrdiff_t(own));
    }
    due += period_ms_;
  }
}

Device::Heard Device::heard(double now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  const double rate = perf_->start().sample_rate;
  // The block's own samples come first in it and play from the block's scheduled start.
  const double into = std::clamp((now_ms - block_at_) * rate / 1000.0, 0.0, double(own_));
  return Heard{(double(before_) + into) * 1000.0 / rate, double(before_) * 1000.0 / rate};
}

Spread Device::lateness() {
  std::lock_guard<std::mutex> lock(mu_);
  return Spread::of(late_);
}

}  // namespace play
