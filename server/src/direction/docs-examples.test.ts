import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { formatLintReport, lintReport } from '../cli/lint-report.js';
import { compilePack, loadPack } from './compile-pack.js';
import { createEngine } from './constraint-engine.js';
import { advanceTimeline } from './timeline.js';
import type { Proposal } from './vocabulary.js';
import { applyWorldReport, createWorldState } from './world-state.js';

// Every whole pack (a YAML block starting with `pack:`) in docs/constraints.md compiles without
// errors, and the verdicts the text promises for them are the engine's.
const doc = readFileSync(new URL('../../../docs/constraints.md', import.meta.url), 'utf8');
const packs = new Map(
  [...doc.matchAll(/```yaml\n(pack: ([\w-]+)[\s\S]*?)```/g)].map((m) => [m[2] as string, m[1] as string]),
);

function verdict(packId: string, actorId: string, verb: string, targetId = '', amount = 10) {
  const pack = loadPack(packs.get(packId) ?? '', `${packId}.yaml`);
  const p: Proposal = { proposalId: '1', actorId, verb, targetId, amount };
  return createEngine(pack).judge(createWorldState(pack, 60_000), p);
}

describe('docs/constraints.md', () => {
  it('has worked examples, and each compiles', () => {
    expect(packs.size).toBeGreaterThanOrEqual(7);
    for (const [id, text] of packs) {
      if (id === 'bad') continue;
      const errors = compilePack(text, `${id}.yaml`).problems.filter((p) => p.severity === 'error');
      expect({ id, errors }).toEqual({ id, errors: [] });
    }
  });

  it('shows the real lint output of its bad pack', () => {
    const shown = /```\n(constraints\/bad\.yaml:[\s\S]*?)```/.exec(doc)?.[1];
    const report = lintReport([
      { file: 'constraints/bad.yaml', problems: compilePack(packs.get('bad') ?? '', 'constraints/bad.yaml').problems },
    ]);
    const { lines, summary } = formatLintReport(report);
    expect(shown).toBe(lines + summary);
  });

  it('gives the verdicts its text describes', () => {
    expect(verdict('town-watch', 'sergeant', 'attack', 'player').ruleId).toBe('guards-only-restrain');
    expect(verdict('town-watch', 'sergeant', 'restrain', 'player').decision).toBe('allow');
    expect(verdict('cellar-job', 'guard', 'draw_weapon', 'fence').ruleId).toBe('no-bloodshed');
    expect(verdict('cellar-job', 'guard', 'dance')).toMatchObject({
      decision: 'veto',
      ruleId: 'vocabulary.unknown-verb',
    });
    expect(verdict('warlord', 'orm', 'flee')).toMatchObject({
      decision: 'rewrite',
      ruleId: 'participation.orm.must-stay',
      rewritten: { verb: 'hold' },
    });
    expect(verdict('warlord', 'raider', 'flee').decision).toBe('allow');
    expect(verdict('wolves', 'alpha', 'attack', 'player', 50)).toMatchObject({ rewritten: { amount: 15 } });
  });

  it('keeps its promise about what holds after the battle ends', () => {
    const pack = loadPack(packs.get('after-the-duel') ?? '', 'after-the-duel.yaml');
    const engine = createEngine(pack);
    const s = createWorldState(pack, 60_000);
    const judge = (actorId: string, verb: string, targetId = 'player') =>
      engine.judge(s, { proposalId: '1', actorId, verb, targetId, amount: 10 });
    expect(judge('bandit-1', 'use_item', '').decision).toBe('allow');
    applyWorldReport(s, { nowMs: 61_000, actors: [{ id: 'player', health: 0, downed: true }] });
    expect(advanceTimeline(pack, s)).toMatchObject([{ kind: 'resolved' }]);
    expect(judge('bandit-1', 'attack', 'vesna').ruleId).toBe('after-resolution');
    expect(judge('bandit-1', 'use_item', '').ruleId).toBe('no-looting');
    expect(judge('vesna', 'kill').ruleId).toBe('outcome.player-alive');
    expect(judge('vesna', 'say').decision).toBe('allow');
  });
});
