import { describe, expect, it } from '@jest/globals';
import { createEngine } from './constraint-engine.js';
import { loadExamplePack } from './test-support/packs.js';
import { advanceTimeline } from './timeline.js';
import type { Proposal } from './vocabulary.js';
import { applyWorldReport, createWorldState } from './world-state.js';

const boss = loadExamplePack('boss-must-lose');
const p = (actorId: string, verb: string, targetId = '', amount = 0, params?: Record<string, string>): Proposal => ({
  proposalId: 'x',
  actorId,
  verb,
  targetId,
  amount,
  ...(params ? { params } : {}),
});

describe('constraint engine', () => {
  it('turns an enemy flee into hold, naming the outcome rule', () => {
    const s = createWorldState(boss);
    const v = createEngine(boss).judge(s, p('bandit-1', 'flee'));
    expect(v).toMatchObject({ decision: 'rewrite', ruleId: 'outcome.enemies-stay', rewritten: { verb: 'hold' } });
  });

  it('clamps damage per hit and per window', () => {
    const engine = createEngine(boss);
    const s = createWorldState(boss, 60_000);
    const first = engine.judge(s, p('bandit-chief', 'attack', 'player', 50));
    expect(first).toMatchObject({
      decision: 'rewrite',
      ruleId: 'vesna-hits-hard-not-too-hard',
      rewritten: { amount: 18 },
    });
    engine.record(s, first.rewritten as Proposal);
    engine.record(s, first.rewritten as Proposal);
    expect(engine.judge(s, p('bandit-chief', 'attack', 'player', 18)).rewritten?.amount).toBe(4);
    s.nowMs += 10_001;
    expect(engine.judge(s, p('bandit-chief', 'attack', 'player', 18)).decision).toBe('allow');
  });

  it('keeps the player from going down before minDuration, then lets them be downed but not killed', () => {
    const engine = createEngine(boss);
    const s = createWorldState(boss, 10_000);
    applyWorldReport(s, { nowMs: 10_000, actors: [{ id: 'player', health: 5 }] });
    expect(engine.judge(s, p('bandit-1', 'attack', 'player', 6))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'timing.min-duration',
      rewritten: { amount: 4 },
    });
    s.nowMs = 50_000;
    expect(engine.judge(s, p('bandit-1', 'attack', 'player', 6)).decision).toBe('allow');
    expect(engine.judge(s, p('bandit-chief', 'kill', 'player'))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'outcome.player-alive',
      rewritten: { verb: 'attack', amount: 5 },
    });
    applyWorldReport(s, { nowMs: 50_000, actors: [{ id: 'player', health: 0, downed: true }] });
    expect(engine.judge(s, p('bandit-1', 'attack', 'player', 3))).toMatchObject({
      decision: 'veto',
      ruleId: 'outcome.player-alive',
    });
  });

  it('protects an NPC that must survive from the player too', () => {
    const s = createWorldState(boss);
    applyWorldReport(s, { nowMs: 0, actors: [{ id: 'bandit-chief', health: 10 }] });
    const v = createEngine(boss).judge(s, p('player', 'attack', 'bandit-chief', 25));
    expect(v).toMatchObject({
      decision: 'rewrite',
      ruleId: 'participation.bandit-chief.must-survive',
      rewritten: { amount: 9 },
    });
  });

  it('lets an NPC leave once its leaveAt phase starts, and not fight any more', () => {
    const engine = createEngine(boss);
    const s = createWorldState(boss);
    expect(engine.judge(s, p('bandit-2', 'leave')).decision).toBe('rewrite');
    s.nowMs = 180_000;
    advanceTimeline(boss, s);
    expect(boss.timing.phases[s.phaseIndex]?.id).toBe('finale');
    expect(engine.judge(s, p('bandit-2', 'leave')).decision).toBe('allow');
    expect(engine.judge(s, p('bandit-2', 'attack', 'player', 3))).toMatchObject({
      decision: 'veto',
      ruleId: 'participation.bandit-2.leave-at',
    });
  });

  it('forbids only the listed items, and vetoes moves out of the area', () => {
    const tavern = loadExamplePack('tavern-no-violence');
    const engine = createEngine(tavern);
    const s = createWorldState(tavern);
    expect(engine.judge(s, p('bard', 'use_item', 'player', 0, { item: 'poison' })).ruleId).toBe(
      'no-weapons-or-poisons',
    );
    expect(engine.judge(s, p('bard', 'use_item', 'player', 0, { item: 'lute' })).decision).toBe('allow');
    expect(engine.judge(s, p('bard', 'move', '', 0, { x: '50', y: '3' }))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'stay-inside',
    });
    expect(engine.judge(s, p('bard', 'move', '', 0, { x: '5', y: '3' })).decision).toBe('allow');
  });

  it('vetoes actions by downed actors, and keeps its protections once the battle has ended', () => {
    const engine = createEngine(boss);
    const s = createWorldState(boss);
    applyWorldReport(s, { nowMs: 0, actors: [{ id: 'bandit-1', downed: true, health: 0 }] });
    expect(engine.judge(s, p('bandit-1', 'attack', 'player', 1)).ruleId).toBe('world.actor-out');
    s.nowMs = 240_000;
    advanceTimeline(boss, s);
    expect(s.resolution).toMatchObject({ outcome: 'lose', by: 'max-duration' });
    expect(engine.judge(s, p('bandit-chief', 'say')).decision).toBe('allow');
    applyWorldReport(s, { nowMs: 240_000, actors: [{ id: 'player', health: 0, downed: true }] });
    expect(engine.judge(s, p('bandit-chief', 'kill', 'player', 500))).toMatchObject({
      decision: 'veto',
      ruleId: 'outcome.player-alive',
    });
  });
});

describe('timeline', () => {
  it('follows deadlines from absolute scene time, with goto and resolve', () => {
    const ambush = loadExamplePack('timed-ambush');
    const s = createWorldState(ambush);
    expect(s.phaseDeadlineAtMs).toBe(40_000);
    s.nowMs = 200_000; // long gap: every due deadline fires in order
    const events = advanceTimeline(ambush, s);
    expect(events.map((e) => (e.kind === 'phaseEntered' ? e.phase : e.resolution.by))).toEqual([
      'chief-joins',
      'rout',
      'max-duration',
    ]);
    expect(s.resolution?.outcome).toBe('win');
  });
});
