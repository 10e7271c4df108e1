import type { PacingModeName } from '@stagecraft/protocol';
import type { CompiledPack } from './compiled-pack.js';
import { actorOf, type WorldState } from './world-state.js';

/**
 * Pacing in the manner of the Left 4 Dead AI Director: intensity rises with the harm the
 * player takes and decays while they are left alone; the director builds up to a peak,
 * sustains it briefly, fades, lets the player relax, and builds up again.
 */

export interface PacingState {
  mode: PacingModeName;
  modeSinceMs: number;
  /** 0..1. */
  intensity: number;
  lastTickMs: number;
  lastPlayerHealth: number;
  lastHurtAtMs: number;
}

export interface PacingSettings {
  peakIntensity: number;
  sustainMs: number;
  fadeToIntensity: number;
  relaxMs: number;
  /** Intensity per fraction of the player's health lost. */
  hurtGain: number;
  /** Intensity lost per second once the player has been unhurt for `calmAfterMs`. */
  decayPerS: number;
  calmAfterMs: number;
}

export const DEFAULT_PACING: PacingSettings = {
  peakIntensity: 0.7,
  sustainMs: 4000,
  fadeToIntensity: 0.25,
  relaxMs: 20_000,
  hurtGain: 2.5,
  decayPerS: 0.08,
  calmAfterMs: 2000,
};

export const MODE_AGGRESSION: Record<PacingModeName, number> = {
  buildUp: 1,
  sustainPeak: 1.15,
  peakFade: 0.5,
  relax: 0.25,
};

export function createPacing(s: WorldState): PacingState {
  const player = actorOf(s, s.playerId);
  return {
    mode: 'buildUp',
    modeSinceMs: s.nowMs,
    intensity: 0,
    lastTickMs: s.nowMs,
    lastPlayerHealth: player?.health ?? 0,
    lastHurtAtMs: -1e12,
  };
}

/** Updates intensity from the player's health since the last tick. */
export function measureIntensity(p: PacingState, s: WorldState, cfg: PacingSettings = DEFAULT_PACING): void {
  const player = actorOf(s, s.playerId);
  const dt = Math.max(0, s.nowMs - p.lastTickMs);
  if (player) {
    const lost = p.lastPlayerHealth - player.health;
    if (lost > 0) {
      p.intensity = Math.min(1, p.intensity + (lost / player.maxHealth) * cfg.hurtGain);
      p.lastHurtAtMs = s.nowMs;
    }
    p.lastPlayerHealth = player.health;
  }
  if (s.nowMs - p.lastHurtAtMs >= cfg.calmAfterMs) p.intensity = Math.max(0, p.intensity - (cfg.decayPerS * dt) / 1000);
  p.lastTickMs = s.nowMs;
}

/** How far along a `lose` battle should be: 0 at the start, 1 when the player should be down. */
function loseProgress(pack: CompiledPack, nowMs: number): number {
  const end = pack.timing.maxMs;
  if (end === null) return 0;
  return Math.min(1, nowMs / (end * 0.8));
}

/** Relax shortens as a battle the player must lose nears its end. */
export function relaxMs(pack: CompiledPack, nowMs: number, cfg: PacingSettings = DEFAULT_PACING): number {
  if (pack.outcome?.required !== 'lose') return cfg.relaxMs;
  return cfg.relaxMs * (1 - 0.8 * loseProgress(pack, nowMs));
}

/** Mode guards; they read only the pacing state, whose clock is the last tick's. */
export const pacingGuards = {
  atPeak: (p: PacingState, cfg: PacingSettings = DEFAULT_PACING) => p.intensity >= cfg.peakIntensity,
  peakHeld: (p: PacingState, cfg: PacingSettings = DEFAULT_PACING) => p.lastTickMs - p.modeSinceMs >= cfg.sustainMs,
  faded: (p: PacingState, cfg: PacingSettings = DEFAULT_PACING) => p.intensity <= cfg.fadeToIntensity,
  relaxed: (p: PacingState, pack: CompiledPack, cfg: PacingSettings = DEFAULT_PACING) =>
    p.lastTickMs - p.modeSinceMs >= relaxMs(pack, p.lastTickMs, cfg),
};

/** The next mode, or the same one; used by code that paces without the machine (simulate). */
export function nextMode(p: PacingState, pack: CompiledPack, cfg: PacingSettings = DEFAULT_PACING): PacingModeName {
  switch (p.mode) {
    case 'buildUp':
      return pacingGuards.atPeak(p, cfg) ? 'sustainPeak' : 'buildUp';
    case 'sustainPeak':
      return pacingGuards.peakHeld(p, cfg) ? 'peakFade' : 'sustainPeak';
    case 'peakFade':
      return pacingGuards.faded(p, cfg) ? 'relax' : 'peakFade';
    case 'relax':
      return pacingGuards.relaxed(p, pack, cfg) ? 'buildUp' : 'relax';
  }
}

export function enterMode(p: PacingState, mode: PacingModeName): void {
  if (p.mode === mode) return;
  p.mode = mode;
  p.modeSinceMs = p.lastTickMs;
}

/**
 * Scales aggression toward the outcome the pack requires: a battle the player must lose
 * wears them down on a schedule, so they are hurt harder while healthier than the schedule
 * and spared while below it; other outcomes ease off a badly hurt player.
 */
export function steerFactor(pack: CompiledPack, s: WorldState): number {
  const player = actorOf(s, s.playerId);
  if (!player || !pack.outcome) return 1;
  const h = player.health / player.maxHealth;
  if (pack.outcome.required === 'lose') {
    const wanted = Math.max(0.05, 1 - loseProgress(pack, s.nowMs));
    return Math.min(1.8, Math.max(0.05, 1 + 3 * (h - wanted)));
  }
  return Math.min(1, Math.max(0.2, h * 1.2));
}
