#include "Stagecraft/cue_timeline.h"

#include <algorithm>
#include <cmath>

namespace stagecraft {

void CueTimeline::insert(TimelineItem item) {
  auto at = std::upper_bound(items_.begin(), items_.end(), item.start_ms,
                             [](uint32_t s, const TimelineItem& x) { return s < x.start_ms; });
  items_.insert(at, std::move(item));
}

void CueTimeline::add(const wire::Cue& cue) {
  TimelineItem it;
  it.kind = TimelineItem::Kind::Cue;
  it.start_ms = cue.start_ms;
  it.cue = cue;
  insert(std::move(it));
}

void CueTimeline::add(const wire::Subtitle& subtitle) {
  TimelineItem it;
  it.kind = TimelineItem::Kind::Subtitle;
  it.start_ms = subtitle.start_ms;
  it.subtitle = subtitle;
  insert(std::move(it));
}

void CueTimeline::add(const wire::Directive& directive, double position_ms) {
  TimelineItem it;
  it.kind = TimelineItem::Kind::Directive;
  it.start_ms = uint32_t(std::max(0.0, std::floor(position_ms)));
  it.directive = directive;
  insert(std::move(it));
}

void CueTimeline::clip(uint32_t end_ms) {
  items_.erase(std::remove_if(items_.begin(), items_.end(),
                              [&](const TimelineItem& x) {
                                return x.kind != TimelineItem::Kind::Directive && x.start_ms > end_ms;
                              }),
               items_.end());
}

void CueTimeline::release(double position_ms, std::vector<TimelineItem>& out) {
  size_t n = 0;
  while (n < items_.size() && double(items_[n].start_ms) <= position_ms) ++n;
  if (n == 0) return;
  std::move(items_.begin(), items_.begin() + std::ptrdiff_t(n), std::back_inserter(out));
  items_.erase(items_.begin(), items_.begin() + std::ptrdiff_t(n));
}

}  // namespace stagecraft
