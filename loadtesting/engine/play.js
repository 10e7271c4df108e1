'use strict';
const { EngineError } = require('./connection');
const { COUNTER } = require('./metrics');

/** What a game client does each second for the NPCs it drives, unless the scenario says otherwise. */
const DEFAULTS = Object.freeze({
  /** How long the client plays, s. */
  durationS: 60,
  /** NPCs of the scene this client drives (the first of the snapshot's cast); 0 means all. */
  npcs: 0,
  /** One world report for all its NPCs this often, ms (0: none). */
  reportEveryMs: 1000,
  /** Proposals per NPC per second (open loop: sent when due, whatever has come back). */
  proposalsPerNpcPerS: 0.2,
  /** One Say by one of its NPCs this often, s (0: none). */
  sayEveryS: 0,
  /** One player line to one of its NPCs this often, s (0: none). */
  playerLineEveryS: 0,
  /** Share of Says stopped `stopAfterMs` after their first audio. */
  stopShare: 0,
  stopAfterMs: 400,
  /** Join again after a lost connection (for failure recovery); otherwise the user fails. */
  reconnect: false,
  /** The server's per-client message limit (STAGECRAFT_MAX_MESSAGES_PER_SECOND); the mix must stay under 80 % of it. */
  maxMessagesPerSecond: 1000,
});

const TICK_MS = 100;
const VERBS = ['attack', 'attack', 'move', 'taunt', 'use_item', 'flee', 'hold'];
const LINES = [
  'You there, stop right where you are.',
  'The road east is closed until the bridge is mended.',
  'I have seen stranger things than you on this road.',
  'Keep your hands where I can see them.',
  'Ale is two coppers, and the stew is free if you tell a good story.',
];
const PLAYER_LINES = ['Have you heard any news?', 'Who runs this place?', 'I am looking for work.'];

/** Checks the `play` step's fields against DEFAULTS; throws naming the field. */
function settings(spec) {
  const s = { ...DEFAULTS };
  for (let [key, value] of Object.entries(spec ?? {})) {
    if (!(key in DEFAULTS)) {
      throw new EngineError(
        'stagecraft.config',
        `play.${key}: unknown field; known: ${Object.keys(DEFAULTS).join(', ')}`,
      );
    }
    if (typeof DEFAULTS[key] === 'number' && typeof value === 'string' && value.trim() !== '') value = Number(value);
    if (typeof value !== typeof DEFAULTS[key] || (typeof value === 'number' && !(value >= 0))) {
      throw new EngineError(
        'stagecraft.config',
        `play.${key}: ${JSON.stringify(value)} must be a ${typeof DEFAULTS[key]} ≥ 0`,
      );
    }
    s[key] = value;
  }
  return s;
}

/** Messages per second the mix sends for `npcs` NPCs (world reports hold at most 2,000 actors each). */
function messageRate(s, npcs) {
  const reports = s.reportEveryMs ? (1000 / s.reportEveryMs) * Math.ceil(npcs / 2000) : 0;
  const lines =
    (s.sayEveryS ? 1 / s.sayEveryS : 0) * (1 + s.stopShare) + (s.playerLineEveryS ? 1 / s.playerLineEveryS : 0);
  return npcs * s.proposalsPerNpcPerS + reports + lines;
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** Plays the interaction mix for `durationS`; resolves when done, rejects when the connection is lost for good. */
function play(session, spec) {
  const s = settings(spec);
  const npcs = s.npcs ? session.cast.slice(0, s.npcs) : session.cast;
  const rate = messageRate(s, npcs.length);
  if (rate > 0.8 * s.maxMessagesPerSecond) {
    throw new EngineError(
      'stagecraft.config',
      `play: ${Math.round(rate)} messages/s for ${npcs.length} NPCs is over 80 % of play.maxMessagesPerSecond ` +
        `(${s.maxMessagesPerSecond}, the server's STAGECRAFT_MAX_MESSAGES_PER_SECOND); drive fewer NPCs per client`,
    );
  }
  session.npcCount = npcs.length;
  session.count(COUNTER.npcsJoined, npcs.length);
  const health = new Map(npcs.map((id) => [id, 100]));
  const started = performance.now();
  const end = started + s.durationS * 1000;
  const due = { proposals: 0, report: 0, say: s.sayEveryS * 500 * Math.random(), line: 0 };
  due.line = s.playerLineEveryS * 1000 * Math.random();

  const tick = (dt, elapsed) => {
    if (!session.online) return;
    due.proposals += npcs.length * s.proposalsPerNpcPerS * (dt / 1000);
    for (; due.proposals >= 1; due.proposals--) {
      const verb = pick(VERBS);
      session.propose({
        actorId: pick(npcs),
        verb,
        targetId: 'player',
        amount: verb === 'attack' ? 5 + Math.random() * 25 : 0,
      });
    }
    if (s.reportEveryMs && elapsed >= due.report) {
      due.report = elapsed + s.reportEveryMs;
      for (let i = 0; i < npcs.length; i += 2000)
        session.report(npcs.slice(i, i + 2000).map((id) => actor(id, health)));
    }
    if (s.sayEveryS && elapsed >= due.say) {
      due.say = elapsed + s.sayEveryS * 1000;
      session.say(pick(npcs), pick(LINES), Math.random() < s.stopShare ? s.stopAfterMs : 0);
    }
    if (s.playerLineEveryS && elapsed >= due.line) {
      due.line = elapsed + s.playerLineEveryS * 1000;
      session.playerLine(pick(npcs), pick(PLAYER_LINES));
    }
  };

  return new Promise((resolve, reject) => {
    let last = started;
    let rejoining = false;
    const timer = setInterval(() => {
      const now = performance.now();
      if (now >= end) {
        clearInterval(timer);
        resolve();
        return;
      }
      tick(now - last, now - started);
      last = now;
    }, TICK_MS);
    session.onDrop = (code) => {
      if (!s.reconnect) {
        clearInterval(timer);
        reject(new EngineError(`stagecraft.disconnected_${code}`, `the scene connection closed (${code})`));
        return;
      }
      if (rejoining) return;
      rejoining = true;
      session.rejoin(end).then(() => {
        rejoining = false;
      });
    };
  });
}

/** One NPC's state as a game would report it: health drifting down and back, a position. */
function actor(id, health) {
  const h = Math.max(5, Math.min(100, (health.get(id) ?? 100) + (Math.random() * 10 - 6)));
  health.set(id, h);
  return { id, health: h, maxHealth: 100, present: true, x: Math.random() * 50, y: Math.random() * 30 };
}

module.exports = { play, settings, messageRate, DEFAULTS };
