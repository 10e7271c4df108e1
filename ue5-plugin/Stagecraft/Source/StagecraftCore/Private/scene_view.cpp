#include "Stagecraft/scene_view.h"

#include <algorithm>

namespace stagecraft {

void SceneView::apply(const wire::SceneSnapshot& s) {
  have_snapshot_ = true;
  awaiting_ = false;
  version_ = s.version;
  scene_id_ = s.scene_id;
  title_ = s.title;
  phase_ = s.phase;
  paused_ = s.paused;
  clock_ms_ = s.clock_ms;
  director_ = s.director ? *s.director : wire::DirectorStatus{};
  cast_ = s.cast;
}

SceneView::Apply SceneView::apply(const wire::SceneDelta& d) {
  if (awaiting_ || !have_snapshot_) return Apply::Ignored;
  if (d.base_version != version_) {
    awaiting_ = true;
    gaps_++;
    return Apply::NeedSnapshot;
  }
  version_ = d.version;
  if (d.phase) phase_ = *d.phase;
  if (d.paused) paused_ = *d.paused;
  if (d.director) director_ = *d.director;
  clock_ms_ = d.clock_ms;
  for (const auto& id : d.cast_removed)
    cast_.erase(std::remove_if(cast_.begin(), cast_.end(), [&](const wire::CastMember& m) { return m.id == id; }),
                cast_.end());
  for (const auto& up : d.cast_upserts) {
    auto it = std::find_if(cast_.begin(), cast_.end(), [&](const wire::CastMember& m) { return m.id == up.id; });
    if (it == cast_.end()) {
      cast_.push_back(up);
    } else {
      *it = up;
    }
  }
  return Apply::Applied;
}

const wire::CastMember* SceneView::member(const std::string& id) const {
  for (const auto& m : cast_)
    if (m.id == id) return &m;
  return nullptr;
}

}  // namespace stagecraft
