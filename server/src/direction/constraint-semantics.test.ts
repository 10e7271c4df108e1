import { describe, expect, it } from '@jest/globals';
import { compilePack, loadPack } from './compile-pack.js';
import { createEngine } from './constraint-engine.js';
import { advanceTimeline } from './timeline.js';
import type { Proposal } from './vocabulary.js';
import { applyWorldReport, createWorldState } from './world-state.js';

const p = (actorId: string, verb: string, targetId = '', amount = 0, params?: Record<string, string>): Proposal => ({
  proposalId: 'x',
  actorId,
  verb,
  targetId,
  amount,
  ...(params ? { params } : {}),
});

const CAST = `cast:
  - { id: boss, role: boss, faction: raiders, stance: hostile, health: 200 }
  - { id: grunt, role: grunt, faction: raiders, stance: hostile }
  - { id: guard, role: guard, faction: watch, stance: wary }
`;

function engineFor(body: string) {
  const pack = loadPack(`pack: t\n${CAST}${body}`, 't.yaml');
  return { pack, engine: createEngine(pack), state: createWorldState(pack, 10_000) };
}

describe('which rule a verdict names', () => {
  it('names the cap that produced the final amount, not the protection that clamped first', () => {
    const { engine, state } = engineFor(`
timing: { minDuration: 60s }
rules:
  - { id: cap, kind: damage_cap, target: player, perHit: 25 }
`);
    expect(engine.judge(state, p('boss', 'attack', 'player', 100))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'cap',
      rewritten: { amount: 25 },
    });
  });

  it('on a tie, names the higher priority, then the rule written first', () => {
    const byPriority = engineFor(`
rules:
  - { id: low, kind: damage_cap, target: player, perHit: 25, priority: 40 }
  - { id: high, kind: damage_cap, target: player, perHit: 25, priority: 60 }
`);
    expect(byPriority.engine.judge(byPriority.state, p('boss', 'attack', 'player', 90)).ruleId).toBe('high');
    const byOrder = engineFor(`
rules:
  - { id: first, kind: damage_cap, target: player, perHit: 25 }
  - { id: second, kind: damage_cap, target: player, perHit: 25 }
`);
    expect(byOrder.engine.judge(byOrder.state, p('boss', 'attack', 'player', 90)).ruleId).toBe('first');
  });

  it('names the highest-priority veto, whatever came before it', () => {
    const { engine, state } = engineFor(`
participation: [{ npc: guard, mustSurvive: true }]
rules:
  - { id: no-harm-on-guard, kind: forbid, actions: [attack], who: { npc: boss }, priority: 95 }
`);
    expect(engine.judge(state, p('boss', 'attack', 'guard', 500))).toMatchObject({
      decision: 'veto',
      ruleId: 'no-harm-on-guard',
    });
    expect(engine.judge(state, p('grunt', 'attack', 'guard', 500))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'participation.guard.must-survive',
      rewritten: { amount: 99 },
    });
  });

  it('names the rule of every kind that decides', () => {
    const { engine, state, pack } = engineFor(`
areas: { yard: { x: [0, 10], y: [0, 10] } }
rules:
  - { id: no-taunts, kind: forbid, actions: [taunt] }
  - { id: no-running, kind: forbid, actions: [flee], who: { role: grunt } }
  - { id: guards-restrain, kind: only, actions: [say, move, defend], who: { role: guard } }
  - { id: spare, kind: spare_downed }
  - { id: yard, kind: stay_in_area, area: yard, who: { npc: boss } }
`);
    expect(engine.judge(state, p('boss', 'taunt')).ruleId).toBe('no-taunts');
    expect(engine.judge(state, p('grunt', 'flee'))).toMatchObject({ decision: 'rewrite', ruleId: 'no-running' });
    expect(engine.judge(state, p('guard', 'attack', 'player', 5))).toMatchObject({
      decision: 'veto',
      ruleId: 'guards-restrain',
    });
    expect(engine.judge(state, p('boss', 'move', '', 0, { x: '50', y: '5' }))).toMatchObject({ ruleId: 'yard' });
    applyWorldReport(state, { nowMs: 10_000, actors: [{ id: 'player', downed: true, health: 0 }] });
    expect(pack.rules.map((r) => r.kind)).toContain('spare_downed');
    expect(engine.judge(state, p('grunt', 'attack', 'player', 5))).toMatchObject({ decision: 'veto', ruleId: 'spare' });
  });
});

describe('verbs of a pack', () => {
  const body = `
verbs: { restrain: harm, pickpocket: item, bow: social }
rules:
  - { id: gentle, kind: forbid, actions: [harm], who: { role: guard } }
  - { id: light, kind: damage_cap, target: player, perHit: 10 }
`;

  it('are covered by rules written for their category', () => {
    const { engine, state } = engineFor(body);
    expect(engine.judge(state, p('guard', 'restrain', 'player', 5)).ruleId).toBe('gentle');
    expect(engine.judge(state, p('grunt', 'restrain', 'player', 30))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'light',
      rewritten: { verb: 'restrain', amount: 10 },
    });
    expect(engine.judge(state, p('guard', 'bow')).decision).toBe('allow');
  });

  it('veto a verb nobody declared by default, naming the vocabulary rule; warn allows and names it', () => {
    const veto = engineFor(body);
    expect(veto.engine.judge(veto.state, p('boss', 'draw_weapon'))).toMatchObject({
      decision: 'veto',
      ruleId: 'vocabulary.unknown-verb',
    });
    const warn = engineFor(`${body}unknownVerbs: warn\n`);
    expect(warn.engine.judge(warn.state, p('boss', 'draw_weapon'))).toMatchObject({
      decision: 'allow',
      ruleId: 'vocabulary.unknown-verb',
    });
    const open = engineFor(`${body}unknownVerbs: allow\n`);
    expect(open.engine.judge(open.state, p('boss', 'draw_weapon'))).toMatchObject({ decision: 'allow', ruleId: '' });
  });

  it('still answer to only rules when the pack lets unknown verbs through', () => {
    const { engine, state } = engineFor(`${body}  - { id: talk-only, kind: only, who: { npc: boss }, actions: [say] }
unknownVerbs: allow
`);
    expect(engine.judge(state, p('boss', 'draw_weapon'))).toMatchObject({ decision: 'veto', ruleId: 'talk-only' });
    expect(engine.judge(state, p('grunt', 'draw_weapon')).decision).toBe('allow');
  });

  it('are checked by lint: an undeclared action, a built-in redeclared, a category used as a name', () => {
    const { problems } = compilePack(
      `pack: t\n${CAST}verbs: { attack: harm, harm: social }\nrules:\n  - { id: r, kind: forbid, actions: [restrian] }\n`,
      't.yaml',
    );
    const messages = problems.map((x) => `${x.field}: ${x.message}${x.suggestion ? ` (${x.suggestion})` : ''}`);
    expect(messages).toEqual([
      expect.stringMatching(/^verbs\.attack: "attack" is a built-in verb/),
      expect.stringMatching(/^verbs\.harm: "harm" names a category/),
      expect.stringMatching(/^rules\[0\]\.actions\[0\]: unknown action "restrian"/),
    ]);
  });
});

describe('a ban on killing the player', () => {
  it('covers finishing a downed player with any harmful verb, items and the pack’s own verbs included', () => {
    const { engine, state } = engineFor(`verbs: { shove: harm }
rules: [{ id: no-kill, kind: forbid, actions: [kill_player] }]
`);
    expect(engine.judge(state, p('boss', 'shove', 'player', 5)).decision).toBe('allow');
    applyWorldReport(state, { nowMs: 10_000, actors: [{ id: 'player', health: 0, downed: true }] });
    for (const verb of ['attack', 'shove', 'use_item'])
      expect(engine.judge(state, p('boss', verb, 'player', 5))).toMatchObject({ decision: 'veto', ruleId: 'no-kill' });
    expect(engine.judge(state, p('boss', 'say', 'player')).decision).toBe('allow');
  });
});

describe('amounts and participation', () => {
  it('caps a hit at a share of the target’s max health', () => {
    const { engine, state } = engineFor(`
rules: [{ id: quarter, kind: damage_cap, target: { npc: boss }, perHit: 25% }]
`);
    expect(engine.judge(state, p('grunt', 'attack', 'boss', 90))).toMatchObject({ rewritten: { amount: 50 } });
    applyWorldReport(state, { nowMs: 10_000, actors: [{ id: 'boss', maxHealth: 400 }] });
    expect(engine.judge(state, p('grunt', 'attack', 'boss', 90)).decision).toBe('allow');
    expect(engine.judge(state, p('grunt', 'attack', 'boss', 120))).toMatchObject({ rewritten: { amount: 100 } });
  });

  it('keeps an NPC that must survive on the stage, unless it may leave', () => {
    const stays = engineFor('participation: [{ npc: boss, mustSurvive: true }]\n');
    expect(stays.engine.judge(stays.state, p('boss', 'flee'))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'participation.boss.must-stay',
      rewritten: { verb: 'hold' },
    });
    const goes = engineFor('participation: [{ npc: boss, mustSurvive: true, mayLeave: true }]\n');
    expect(goes.engine.judge(goes.state, p('boss', 'flee')).decision).toBe('allow');
  });
});

describe('after the battle has ended', () => {
  const body = `
outcome: { player: win }
timing: { maxDuration: 5m, atMax: win }
participation: [{ npc: guard, mustSurvive: true }]
afterResolution: { forbid: [harm, exit] }
`;

  it('still protects, forbids what the pack says, and records who had left', () => {
    const { engine, state, pack } = engineFor(body);
    expect(engine.judge(state, p('grunt', 'attack', 'boss', 5)).decision).toBe('allow');
    applyWorldReport(state, {
      nowMs: 20_000,
      actors: [
        { id: 'boss', downed: true, health: 0 },
        { id: 'grunt', present: false },
      ],
    });
    advanceTimeline(pack, state);
    expect(state.resolution).toMatchObject({ outcome: 'win', by: 'enemies-down', left: ['grunt'] });
    expect(engine.judge(state, p('guard', 'attack', 'player', 5))).toMatchObject({
      decision: 'veto',
      ruleId: 'after-resolution',
    });
    // The player is not an NPC: afterResolution limits NPCs, the protections hold for everyone.
    expect(engine.judge(state, p('player', 'attack', 'guard', 500))).toMatchObject({
      decision: 'rewrite',
      ruleId: 'participation.guard.must-survive',
    });
    expect(engine.judge(state, p('guard', 'flee')).ruleId).toBe('after-resolution');
    expect(engine.judge(state, p('guard', 'say')).decision).toBe('allow');
  });

  it('keeps protections without an afterResolution section', () => {
    const { engine, state, pack } = engineFor(`
outcome: { player: lose }
timing: { maxDuration: 5m, atMax: lose }
participation: [{ npc: boss, mustSurvive: true }]
`);
    applyWorldReport(state, { nowMs: 20_000, actors: [{ id: 'player', downed: true, health: 0 }] });
    advanceTimeline(pack, state);
    expect(state.resolution?.outcome).toBe('lose');
    expect(engine.judge(state, p('boss', 'kill', 'player', 500))).toMatchObject({
      decision: 'veto',
      ruleId: 'outcome.player-alive',
    });
    expect(engine.judge(state, p('grunt', 'attack', 'boss', 500)).ruleId).toBe('participation.boss.must-survive');
  });
});
