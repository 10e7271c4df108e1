// A simulated audio device for stagecraft-play: a thread that calls the performance's render
// callback every `block` samples on a steady schedule, and knows what the listener hears when.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "Stagecraft/performance.h"
#include "play_report.h"

namespace play {

class Device {
 public:
  Device(std::shared_ptr<stagecraft::Performance> perf, unsigned block);
  ~Device();
  void start(double now_ms);
  /// Stops the thread and returns the line's samples as rendered.
  std::vector<int16_t> stop();
  bool running() const { return thread_.joinable(); }
  bool playing() const { return playing_.load(); }

  struct Heard {
    double ms = 0;              ///< the performance time the listener hears at `now`
    double block_start_ms = 0;  ///< where the current callback's block started
  };
  Heard heard(double now_ms);
  Spread lateness();

 private:
  void run(double start_ms);

  std::shared_ptr<stagecraft::Performance> perf_;
  const unsigned block_;
  const double period_ms_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> playing_{false};
  std::mutex mu_;  // guards the fields below (the sample's bookkeeping, not the core's)
  uint64_t before_ = 0, own_ = 0;
  double block_at_ = 0;
  std::vector<int16_t> wav_;
  std::vector<double> late_;
};

}  // namespace play
