import fc from 'fast-check';

// Arbitrary constraint packs built from every rule kind, for property tests: a small cast, the
// pack's own verbs, rules with conditions on phases, time and resolution, participation and an
// afterResolution section. Packs are written as JSON (which is YAML) and compiled like any file.

export const CAST = [
  { id: 'boss', role: 'boss', faction: 'raiders', stance: 'hostile', health: 300 },
  { id: 'grunt-1', role: 'grunt', faction: 'raiders', stance: 'hostile', health: 60 },
  { id: 'grunt-2', role: 'grunt', faction: 'raiders', stance: 'hostile', health: 60 },
  { id: 'guard', role: 'guard', faction: 'watch', stance: 'wary', health: 100 },
  { id: 'merchant', role: 'merchant', faction: 'town', stance: 'friendly', health: 80 },
];

/** The pack's own verbs, one of each category that can do something. */
export const OWN_VERBS = {
  restrain: 'harm',
  shove: 'harm',
  pickpocket: 'item',
  bow: 'social',
  sneak: 'move',
  vanish: 'exit',
};

export const ACTION_NAMES = [
  'attack',
  'kill',
  'flee',
  'leave',
  'surrender',
  'move',
  'use_item',
  'heal',
  'taunt',
  'say',
  'restrain',
  'shove',
  'pickpocket',
  'sneak',
  'vanish',
  'harm',
  'exit',
  'item',
  'social',
  'kill_player',
  'attack_player',
];

const who = fc.oneof(
  fc.constant(undefined),
  fc.record({ npc: fc.constantFrom(...CAST.map((m) => m.id)) }),
  fc.record({ role: fc.constantFrom('boss', 'grunt', 'guard', 'merchant') }),
  fc.record({ faction: fc.constantFrom('raiders', 'watch', 'town') }),
);

const condition = fc.oneof(
  fc.record({ after: fc.constantFrom('5s', '30s', '2m') }),
  fc.record({ resolved: fc.boolean() }),
  fc.record({ phase: fc.constantFrom('calm', 'fight') }),
  fc.record({ npc: fc.constantFrom('boss', 'guard'), healthBelow: fc.constantFrom(0.3, 0.6) }),
  fc.record({ playerDown: fc.boolean() }),
);

const amount = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom('10%', '25%', '50%'));

const base = (kind: string) =>
  fc.record(
    {
      kind: fc.constant(kind),
      who,
      priority: fc.integer({ min: 0, max: 200 }),
      when: condition,
    },
    { requiredKeys: ['kind'] },
  );

const rule = fc.oneof(
  fc
    .tuple(
      base('forbid'),
      fc.uniqueArray(fc.constantFrom(...ACTION_NAMES), { minLength: 1, maxLength: 3 }),
      fc.option(fc.constantFrom('hold', 'veto'), { nil: undefined }),
    )
    .map(([b, actions, instead]) => ({ ...b, actions, ...(instead ? { instead } : {}) })),
  fc
    .tuple(
      base('only'),
      fc.uniqueArray(fc.constantFrom('say', 'move', 'restrain', 'social', 'bow'), { minLength: 1, maxLength: 2 }),
    )
    .map(([b, actions]) => ({ ...b, actions })),
  fc
    .tuple(
      base('damage_cap'),
      fc.constantFrom<unknown>('player', 'anyone', { npc: 'guard' }),
      amount,
      fc.option(amount, { nil: undefined }),
    )
    .map(([b, target, perHit, window]) => ({
      ...b,
      target,
      perHit,
      ...(window === undefined ? {} : { perWindow: { amount: window, window: '10s' } }),
    })),
  base('spare_downed').map((b) => ({ ...b, target: 'anyone' })),
  base('stay_in_area').map((b) => ({ ...b, area: 'camp' })),
);

const participation = fc.record(
  {
    npc: fc.constantFrom('boss', 'guard', 'merchant'),
    mustSurvive: fc.constant(true),
    mayLeave: fc.boolean(),
  },
  { requiredKeys: ['npc', 'mustSurvive'] },
);

/** A pack source: compile it with `compilePack(JSON.stringify(source), …)`. */
export const randomPackSource = fc
  .record({
    rules: fc.array(rule, { maxLength: 7 }),
    participation: fc.uniqueArray(participation, { maxLength: 2, selector: (p) => p.npc }),
    outcome: fc.option(fc.constantFrom('win', 'lose', 'draw', 'survive'), { nil: undefined }),
    mayDie: fc.boolean(),
    minDuration: fc.option(fc.constantFrom('10s', '45s'), { nil: undefined }),
    afterResolution: fc.option(
      fc.uniqueArray(fc.constantFrom(...ACTION_NAMES.slice(0, 16)), { minLength: 1, maxLength: 3 }),
      {
        nil: undefined,
      },
    ),
    unknownVerbs: fc.constantFrom('veto', 'allow', 'warn'),
  })
  .map((r) => ({
    pack: 'random',
    cast: CAST,
    verbs: OWN_VERBS,
    unknownVerbs: r.unknownVerbs,
    areas: { camp: { x: [-50, 50], y: [-20, 20] } },
    ...(r.outcome ? { outcome: { player: r.outcome, mayDie: r.mayDie, strict: false } } : {}),
    timing: {
      ...(r.minDuration ? { minDuration: r.minDuration } : {}),
      maxDuration: '4m',
      atMax: r.outcome && r.outcome !== 'survive' ? r.outcome : 'draw',
      phases: [{ id: 'calm' }, { id: 'fight', enter: { after: '20s' } }],
    },
    rules: r.rules.map((x, i) => ({ id: `r${i}`, ...x })),
    participation: r.participation,
    ...(r.afterResolution ? { afterResolution: { forbid: r.afterResolution } } : {}),
  }));
