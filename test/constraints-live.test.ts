import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, Decision, type Directive, type Performance, type Scene } from '@stagecraft/sdk';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { startTestServer, type TestServer } from './support/server.js';

// The constraint pack of scenes/bridge-ambush.yaml (constraints/boss-must-lose.yaml), driven
// through the SDK as a game would drive it: one reproduction per defect the semantics fixed.
const espeak = espeakAvailability();
if (!espeak.ok)
  console.warn(`directive lines are not checked for voice: espeak-ng is not installed (${espeak.reason})`);

// Each describe has its own server, started and closed within it: Colyseus's matchmaker is one
// per process, so closing a server disposes every room in the process, the other server's too.
let server: TestServer;
let game: Scene;

function when<T>(scene: Scene, event: 'directive' | 'performance', test: (v: T) => boolean): Promise<T> {
  return new Promise<T>((resolve) => {
    const off = scene.on(event, ((v: T) => {
      if (!test(v)) return;
      off();
      resolve(v);
    }) as never);
  });
}

const propose = (actorId: string, verb: string, targetId = '', amount = 0) =>
  game.propose({ actorId, verb, targetId, amount });

describe('boss-must-lose, live through the SDK', () => {
  beforeAll(async () => {
    server = await startTestServer();
    game = await connect(server.url).joinScene('bridge-ambush', { role: 'game', name: 'engine' });
  });

  afterAll(async () => {
    await game?.leave().catch(() => undefined);
    await server?.close();
  });

  it('vetoes a verb the pack never declared, naming the vocabulary rule', async () => {
    const v = await propose('bandit-1', 'draw_weapon');
    expect(v).toMatchObject({ decision: Decision.VETO, ruleId: 'vocabulary.unknown-verb' });
    expect(v.reason).toMatch(/"draw_weapon" is not a verb of pack boss-must-lose/);
  });

  it('names the damage cap that clamped a hit, not the rule that left it alone', async () => {
    const v = await propose('bandit-chief', 'attack', 'player', 100);
    expect(v).toMatchObject({ decision: Decision.REWRITE, ruleId: 'vesna-hits-hard-not-too-hard' });
    expect(v.rewritten?.amount).toBe(18);
  });

  it('speaks a directive line with the NPC’s voice and tells a late joiner every current directive', async () => {
    const line = when<Directive>(game, 'directive', (d) => d.npcId === 'bandit-chief' && d.say !== undefined);
    const spoken = when<Performance>(game, 'performance', (p) => p.npcId === 'bandit-chief');
    game.report({ actors: [{ id: 'bandit-chief', health: 250, maxHealth: 400 }] });
    expect((await line).say).toBe('Enough games. Now you see what I am.');
    if (espeak.ok) {
      const performance = await spoken;
      expect(performance.text).toBe('Enough games. Now you see what I am.');
      const end = await performance.ended;
      expect(end.samples).toBeGreaterThan(0);
    }
    const late = await connect(server.url).joinScene('bridge-ambush', { role: 'observer' });
    try {
      // What the late joiner's snapshot says is what the game, present all along, was told.
      const vesna = late.state.cast.get('bandit-chief')?.directive;
      expect(vesna).toMatchObject({ npcId: 'bandit-chief', targetId: 'player' });
      expect(vesna?.stance).toBeDefined();
      expect(vesna?.aggression).toBeDefined();
      expect(vesna).toEqual(game.state.cast.get('bandit-chief')?.directive);
      expect(late.state.cast.get('bandit-1')?.directive?.targetId).toBe('player');
    } finally {
      await late.leave();
    }
  });

  it('keeps protecting the downed player and the boss after the scene resolves', async () => {
    game.report({ actors: [{ id: 'player', health: 0, downed: true }] });
    await game.ready();
    const deadline = Date.now() + 30_000;
    while (!game.state.director?.resolvedBy && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(game.state.director?.resolvedBy).not.toBe('');
    const kill = await propose('bandit-chief', 'kill', 'player', 500);
    expect(kill.decision).toBe(Decision.VETO);
    expect(kill.ruleId).toBe('outcome.player-alive');
    const onBoss = await propose('bandit-1', 'kill', 'bandit-chief', 500);
    expect(onBoss.decision).not.toBe(Decision.ALLOW);
    expect(onBoss.ruleId).toBe('participation.bandit-chief.must-survive');
    expect(await propose('bandit-chief', 'flee')).toMatchObject({ ruleId: 'outcome.enemies-stay' });
  });
});

const DUEL_SCENE = `id: duel
title: The warlord's last stand
constraints: packs/duel.yaml
cast:
  - { id: warlord, name: Orm, role: boss, faction: raiders, stance: hostile }
  - { id: raider, name: Raider, role: grunt, faction: raiders, stance: hostile }
`;
const DUEL_PACK = `pack: duel
scene: duel
cast:
  - { id: warlord, role: boss, faction: raiders, stance: hostile, health: 200 }
  - { id: raider, role: grunt, faction: raiders, stance: hostile, health: 50 }
outcome: { player: win }
timing: { maxDuration: 5m, atMax: win }
participation:
  - { npc: warlord, mustSurvive: true }
`;

describe('a pack where the player must win and the boss must survive, live', () => {
  let dir: string;
  let duelServer: TestServer;
  let duel: Scene;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'stagecraft-duel-'));
    mkdirSync(path.join(dir, 'packs'));
    writeFileSync(path.join(dir, 'duel.yaml'), DUEL_SCENE);
    writeFileSync(path.join(dir, 'packs', 'duel.yaml'), DUEL_PACK);
    duelServer = await startTestServer({ scenesDir: dir });
    duel = await connect(duelServer.url).joinScene('duel', { role: 'game' });
  });

  afterAll(async () => {
    await duel?.leave().catch(() => undefined);
    await duelServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the boss in the fight: leaving is not surviving; a grunt may still run', async () => {
    const flee = await duel.propose({ actorId: 'warlord', verb: 'flee' });
    expect(flee).toMatchObject({ decision: Decision.REWRITE, ruleId: 'participation.warlord.must-stay' });
    expect(flee.rewritten?.verb).toBe('hold');
    expect((await duel.propose({ actorId: 'raider', verb: 'flee' })).decision).toBe(Decision.ALLOW);
  });
});
