import type { OutcomeName } from '@stagecraft/protocol';
import type { CompiledPack } from './compiled-pack.js';
import { evalGuard } from './guards.js';
import type { RequiredOutcome } from './vocabulary.js';
import { actorOf, isOut, type Resolution, type WorldState } from './world-state.js';

/** Something the timeline did; the director turns phase changes into cues. */
export type TimelineEvent =
  | { kind: 'phaseEntered'; phase: string; index: number; atMs: number; ruleId: string }
  | { kind: 'resolved'; resolution: Resolution };

/** Enters the phase at `index` now and arms its deadline (absolute scene-clock ms). */
export function enterPhase(pack: CompiledPack, s: WorldState, index: number): void {
  s.phaseIndex = index;
  s.phaseEnteredAtMs = s.nowMs;
  const deadline = pack.timing.phases[index]?.deadlineMs ?? null;
  s.phaseDeadlineAtMs = deadline === null ? null : s.nowMs + deadline;
}

/** The next deadline, absolute scene-clock ms, or null. */
export function nextDeadlineAtMs(s: WorldState): number | null {
  if (s.resolution) return null;
  const a = s.phaseDeadlineAtMs;
  const b = s.maxDeadlineAtMs;
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function resolve(
  pack: CompiledPack,
  s: WorldState,
  outcome: OutcomeName,
  by: Resolution['by'],
  ruleId: string,
  playerDied = false,
): TimelineEvent {
  const left = pack.enemies.filter((id) => {
    const e = actorOf(s, id);
    return e !== undefined && !e.present && !e.downed && !e.dead;
  });
  s.resolution = { outcome, by, atMs: s.nowMs, ruleId, playerDied, left };
  s.phaseDeadlineAtMs = null;
  return { kind: 'resolved', resolution: s.resolution };
}

/**
 * Moves the scene's timeline to `s.nowMs`: due deadlines, phase entries, and the end of the
 * battle. Changes `s` in place and returns what happened, in order.
 */
export function advanceTimeline(pack: CompiledPack, s: WorldState): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (s.resolution) return events;
  const ended = battleOver(pack, s);
  if (ended) return [ended];
  const phases = pack.timing.phases;
  for (let guard = 0; guard <= phases.length + 1; guard++) {
    if (
      s.maxDeadlineAtMs !== null &&
      s.nowMs >= s.maxDeadlineAtMs &&
      (s.phaseDeadlineAtMs === null || s.maxDeadlineAtMs <= s.phaseDeadlineAtMs)
    ) {
      events.push(resolve(pack, s, pack.timing.atMax ?? 'draw', 'max-duration', 'timing.maxDuration'));
      return events;
    }
    const phase = phases[s.phaseIndex];
    if (phase && s.phaseDeadlineAtMs !== null && s.nowMs >= s.phaseDeadlineAtMs) {
      const at = phase.atDeadline;
      if (at.kind === 'resolve') {
        events.push(resolve(pack, s, at.outcome, 'phase-deadline', `${phase.source}.deadline`));
        return events;
      }
      const to = at.kind === 'goto' ? at.index : s.phaseIndex + 1;
      const deadlineAt = s.phaseDeadlineAtMs;
      enterPhase(pack, s, to);
      // The new phase starts when the deadline fell, not when the clock was next seen.
      s.phaseEnteredAtMs = deadlineAt;
      if (s.phaseDeadlineAtMs !== null) s.phaseDeadlineAtMs = deadlineAt + (phases[to]?.deadlineMs ?? 0);
      events.push({
        kind: 'phaseEntered',
        phase: phases[to]?.id ?? '',
        index: to,
        atMs: deadlineAt,
        ruleId: `${phase.source}.deadline`,
      });
      continue;
    }
    // The furthest later phase whose condition holds wins; phases in between are skipped.
    let to = -1;
    for (let j = phases.length - 1; j > s.phaseIndex && to < 0; j--) {
      const enter = phases[j]?.enter;
      if (enter && evalGuard(enter, s, s.playerId)) to = j;
    }
    if (to < 0) break;
    enterPhase(pack, s, to);
    events.push({
      kind: 'phaseEntered',
      phase: phases[to]?.id ?? '',
      index: to,
      atMs: s.nowMs,
      ruleId: `${phases[to]?.source}.enter`,
    });
  }
  return events;
}

/** The battle ends early when the player goes down or every enemy is out. */
function battleOver(pack: CompiledPack, s: WorldState): TimelineEvent | null {
  const player = actorOf(s, s.playerId);
  if (player && (player.downed || player.dead)) return resolve(pack, s, 'lose', 'player-down', 'outcome', player.dead);
  if (!pack.outcome || pack.enemies.length === 0) return null;
  for (const id of pack.enemies) {
    const e = actorOf(s, id);
    if (e && !isOut(e)) return null;
  }
  return resolve(pack, s, 'win', 'enemies-down', 'outcome');
}

/** Whether a resolution satisfies what the pack requires. */
export function outcomeMet(required: RequiredOutcome, r: Resolution): boolean {
  if (required === 'survive') return !r.playerDied;
  return r.outcome === required;
}
