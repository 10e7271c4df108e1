import { describe, expect, it } from '@jest/globals';
import { loadExamplePack } from '../direction/test-support/packs.js';
import { checkLine, directorBounds, forbiddenActions, type PhaseState, phaseReached } from './director-bounds.js';
import { type Persona, toPersona } from './persona.js';

const order = ['phase1', 'phase2', 'phase3'];
const at = (phase: string): PhaseState => ({ phase, order });

const spy: Persona = toPersona(
  'spy',
  {
    name: 'Ilse',
    rules: [
      'Never promise the player a reward.',
      { text: 'Never offer to open the gate.', keywords: ['open the gate'] },
    ],
    secrets: [
      { text: 'the traitor is Mara', keywords: ['mara', 'traitor'], untilPhase: 'phase3' },
      { text: 'the abbot keeps a ledger of bribes', keywords: ['abbot', 'ledger'], match: 'all' },
      { text: 'the key is under the third stone', patterns: ['\\bthird\\s+stone\\b'] },
    ],
  },
  'Ilse',
);

describe('directorBounds', () => {
  it('tells the NPC not to reveal a secret before its phase, and blocks lines that do', () => {
    const bounds = directorBounds({ persona: spy, phase: at('phase1') });
    expect(bounds.instructions).toContain('Do not reveal, hint at or confirm this secret: the traitor is Mara');
    expect(bounds.revealable).toEqual([]);
    expect(checkLine(bounds, 'The traitor is Mara.')).toEqual({ allowed: false, kind: 'secret', id: 'secret[0]' });
    expect(checkLine(bounds, "Ask M4ra's brother.")).toMatchObject({ allowed: false, id: 'secret[0]' });
    expect(checkLine(bounds, 'Marathon runners pass by here.')).toEqual({ allowed: true });
  });

  it('lets the secret out once its phase has come', () => {
    for (const phase of ['phase3']) {
      const bounds = directorBounds({ persona: spy, phase: at(phase) });
      expect(bounds.revealable).toEqual(['the traitor is Mara']);
      expect(bounds.instructions.join('\n')).not.toMatch(/traitor is Mara/);
      expect(checkLine(bounds, 'The traitor is Mara.')).toEqual({ allowed: true });
    }
    expect(phaseReached(at('phase2'), 'phase3')).toBe(false);
  });

  it('keeps a secret whose phase the scene does not have, and one with no phase at all', () => {
    const bounds = directorBounds({ persona: spy, phase: { phase: 'elsewhere', order: [] } });
    expect(checkLine(bounds, 'Mara did it.')).toMatchObject({ allowed: false, id: 'secret[0]' });
    expect(checkLine(bounds, 'Look under the third  stone.')).toEqual({
      allowed: false,
      kind: 'secret',
      id: 'secret[2]',
    });
  });

  it('with match: all, blocks only a line that has every keyword', () => {
    const bounds = directorBounds({ persona: spy, phase: at('phase3') });
    expect(checkLine(bounds, 'I keep a ledger of my own.')).toEqual({ allowed: true });
    expect(checkLine(bounds, "The abbot's ledgers are full of lies.")).toMatchObject({
      allowed: false,
      id: 'secret[1]',
    });
  });

  it('checks persona rules that carry keywords, and tells the NPC every rule', () => {
    const bounds = directorBounds({ persona: spy, phase: at('phase1') });
    expect(bounds.instructions).toEqual(
      expect.arrayContaining(['Never promise the player a reward.', 'Never offer to open the gate.']),
    );
    expect(checkLine(bounds, "Fine, I'll open the gate for you.")).toEqual({
      allowed: false,
      kind: 'rule',
      id: 'rule[1]',
    });
  });

  it('binds every NPC by the scene-wide secrets', () => {
    const bounds = directorBounds({
      persona: toPersona('x', {}, 'X'),
      sceneSecrets: [{ text: 'the bridge is rigged', keywords: ['rigged'] }],
      phase: at('phase1'),
    });
    expect(checkLine(bounds, 'Careful, the bridge is rigged!')).toEqual({
      allowed: false,
      kind: 'secret',
      id: 'scene.secret[0]',
    });
  });

  it("turns the director's stance, aggression and target into directions", () => {
    const bounds = directorBounds({
      persona: toPersona('x', {}, 'X'),
      phase: at('phase1'),
      directive: { stance: 'hostile', aggression: 0.7, targetId: 'escort' },
      names: { escort: 'Brother Aldo' },
    });
    expect(bounds.instructions).toEqual([
      'You are hostile toward the player: curt and menacing.',
      'You are aggressive: you may taunt and threaten, in words only.',
      'Your attention is on Brother Aldo.',
    ]);
    const calm = directorBounds({
      persona: toPersona('x', {}, 'X'),
      phase: at('phase1'),
      directive: { aggression: 0, targetId: 'player' },
    });
    expect(calm.instructions).toEqual(['Keep your temper: no threats.', 'Your attention is on the player.']);
  });
});

describe('forbiddenActions', () => {
  it('reads what the tavern pack forbids the guard, and says it as promises not to make', () => {
    const pack = loadExamplePack('tavern-no-violence');
    const forbidden = forbiddenActions(pack, { id: 'guard', role: 'guard', faction: 'watch' });
    expect(forbidden.map((f) => f.verb)).toEqual(['attack', 'kill', 'taunt', 'use_item']);
    expect(forbidden.find((f) => f.verb === 'use_item')).toEqual({
      verb: 'use_item',
      items: ['dagger', 'crossbow', 'poison'],
      ruleId: 'no-weapons-or-poisons',
    });
    const bounds = directorBounds({ persona: toPersona('guard', {}, 'Holt'), phase: at('phase1'), forbidden });
    expect(bounds.instructions).toEqual([
      'Do not promise or threaten to attack anyone.',
      'Do not promise or threaten to kill anyone.',
      'Do not promise or threaten to taunt anyone.',
      'Do not promise or threaten to use dagger, crossbow or poison.',
    ]);
  });

  it('applies a forbid only to the NPCs it names, including those participation implies', () => {
    const pack = loadExamplePack('escort-must-survive');
    // Aldo is forbidden to harm or use items, and (presentUntil: end) to flee, leave or surrender.
    expect(forbiddenActions(pack, { id: 'escort' }).map((f) => f.verb)).toEqual([
      'flee',
      'leave',
      'surrender',
      'attack',
      'kill',
      'use_item',
    ]);
    expect(forbiddenActions(pack, { id: 'bandit-1', role: 'grunt', faction: 'bandits' })).toEqual([]);
  });
});
