// The client's copy of a scene: a snapshot, then deltas applied in version order. A delta whose
// base_version is not the current version is a gap: the view asks for a snapshot once and
// ignores deltas until it arrives.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "Stagecraft/gen/wire.h"

namespace stagecraft {

class SceneView {
 public:
  enum class Apply { Applied, NeedSnapshot, Ignored };

  void apply(const wire::SceneSnapshot& snapshot);
  /// NeedSnapshot is returned once per gap: send a snapshot_request then.
  Apply apply(const wire::SceneDelta& delta);

  bool ready() const { return have_snapshot_ && !awaiting_; }
  uint32_t version() const { return version_; }
  const std::string& scene_id() const { return scene_id_; }
  const std::string& title() const { return title_; }
  const std::string& phase() const { return phase_; }
  bool paused() const { return paused_; }
  uint32_t clock_ms() const { return clock_ms_; }
  const wire::DirectorStatus& director() const { return director_; }
  const std::vector<wire::CastMember>& cast() const { return cast_; }
  /// nullptr when no cast member has this id.
  const wire::CastMember* member(const std::string& id) const;
  uint32_t gaps() const { return gaps_; }

 private:
  bool have_snapshot_ = false;
  bool awaiting_ = false;
  uint32_t gaps_ = 0;
  uint32_t version_ = 0;
  std::string scene_id_, title_, phase_;
  bool paused_ = false;
  uint32_t clock_ms_ = 0;
  wire::DirectorStatus director_;
  std::vector<wire::CastMember> cast_;
};

}  // namespace stagecraft
