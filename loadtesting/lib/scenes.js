'use strict';
// Scene files for a load run: `count` scenes `load-<cast>-<i>` of `cast` NPCs each, with mixed
// personalities (tiers, stances, personas, voices, face rigs, roles) and one constraint pack that
// binds them by role, so every proposal meets the constraint engine and every scene has a director.
const fs = require('node:fs');
const path = require('node:path');

// In a folder of its own: the server reads every YAML file of the scenes folder as a scene.
const PACK_FILE = 'packs/load-skirmish.yaml';

const PACK = `# A skirmish for load runs: binds NPCs by role, so it fits a cast of any size.
pack: load-skirmish
title: Load-test skirmish
roles: [boss, grunt, guard, merchant, bard]
factions: [bandits, watch, town]
speakLines: false # only the load generator's lines are spoken, so speech load is what the scenario says
outcome:
  player: win
timing:
  maxDuration: 5h # longer than the longest run (sustained, 4 h)
  atMax: win
  phases:
    - id: skirmish
    - id: rally
      enter: { after: 2m }
rules:
  - id: no-kills
    kind: forbid
    actions: [kill_player]
  - id: grunts-chip
    kind: damage_cap
    who: { role: grunt }
    target: player
    perHit: 8
    perWindow: { amount: 30, window: 10s }
  - id: town-keeps-the-peace
    kind: forbid
    who: { faction: town }
    actions: [attack]
  - id: no-potions-for-grunts
    kind: forbid
    who: { role: grunt }
    actions: [use_item]
instructions:
  - id: bosses
    who: { role: boss }
    stance: hostile
    aggression: 0.7
    targets: [player]
  - id: grunts
    who: { role: grunt }
    aggression: 0.4
    retreat: { below: 0.3 }
  - id: guards
    who: { role: guard }
    stance: wary
    aggression: 0.2
`;

/** Personalities, cycled through a cast: role, faction, tier, stance, persona, voice, face rig. */
const PEOPLE = [
  [
    'grunt',
    'bandits',
    'bronze',
    'hostile',
    'A bandit who talks big and runs first.',
    { id: 'espeak-ng:en-us', pitch: 0.8 },
    'arkit',
  ],
  [
    'guard',
    'watch',
    'silver',
    'wary',
    'A town guard counting the days to his pension.',
    { id: 'espeak-ng:en-gb', speed: 0.9 },
    'metahuman',
  ],
  [
    'merchant',
    'town',
    'silver',
    'friendly',
    'A spice trader who haggles over everything.',
    { id: 'espeak-ng:en-us', pitch: 1.2 },
    'arkit',
  ],
  [
    'grunt',
    'bandits',
    'bronze',
    'defensive',
    'A young bandit who wants out.',
    { id: 'espeak-ng:en-gb', pitch: 1.1 },
    'arkit',
  ],
  [
    'bard',
    'town',
    'bronze',
    'friendly',
    'A bard who sings for coin and gossip.',
    { id: 'espeak-ng:en-us', speed: 1.1 },
    'metahuman',
  ],
  [
    'boss',
    'bandits',
    'gold',
    'hostile',
    'The bandit chief: cold, patient, proud.',
    { id: 'espeak-ng:en-gb', pitch: 0.7 },
    'metahuman',
  ],
  ['guard', 'watch', 'silver', 'neutral', 'A sergeant who has seen every trick.', { id: 'espeak-ng:en-us' }, 'arkit'],
];

const sceneId = (cast, i) => `load-${cast}-${i}`;

function castOf(size) {
  return Array.from({ length: size }, (_, i) => {
    const [role, faction, tier, stance, persona, voice, faceRig] = PEOPLE[i % PEOPLE.length];
    return { id: `npc-${i}`, name: `${role} ${i}`, role, faction, tier, stance, persona, voice, faceRig };
  });
}

/** The YAML of one scene (JSON is YAML: no YAML library needed to write it). */
function sceneFile(cast, i) {
  const lines = castOf(cast).map((m) => `  - ${JSON.stringify(m)}`);
  return [
    `# Generated for load runs (loadtesting/lib/scenes.js): ${cast} NPCs.`,
    `id: ${sceneId(cast, i)}`,
    `title: Load scene ${i} (${cast} NPCs)`,
    'phase: skirmish',
    `constraints: ${PACK_FILE}`,
    'cast:',
    ...lines,
    '',
  ].join('\n');
}

/** Writes `count` scenes of `cast` NPCs into `dir`, and their pack into `dir/packs/`; returns their ids. */
function writeScenes(dir, { count, cast }) {
  if (!(Number.isInteger(count) && count > 0))
    throw new Error(`config.stagecraft.scenes: ${count} must be a whole number > 0`);
  if (!(Number.isInteger(cast) && cast > 0 && cast <= 10_000)) {
    throw new Error(`config.stagecraft.cast: ${cast} must be a whole number from 1 to 10,000 (a scene's cast limit)`);
  }
  fs.mkdirSync(path.join(dir, path.dirname(PACK_FILE)), { recursive: true });
  fs.writeFileSync(path.join(dir, PACK_FILE), PACK);
  const ids = [];
  for (let i = 0; i < count; i++) {
    fs.writeFileSync(path.join(dir, `${sceneId(cast, i)}.yaml`), sceneFile(cast, i));
    ids.push(sceneId(cast, i));
  }
  return ids;
}

module.exports = { writeScenes, sceneId, castOf };
