import { describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { type DialogueEngine, DialogueError, type DialogueEvent } from '../engines/dialogue/dialogue.js';
import { BarkEngine } from './bark-engine.js';
import { BarkLibrary } from './barks.js';
import { DialogueGuard } from './dialogue-guard.js';
import { DialogueService, type FallbackReason } from './dialogue-service.js';
import { directorBounds } from './director-bounds.js';
import { Moderator } from './moderation.js';
import { toPersona } from './persona.js';

// Scripted model tiers: these tests are about how the service routes and counts, not about a model.
const reply = { line: '', emotion: 'neutral', intensity: 0.5, gesture: 'none', intent: 'inform' } as const;
function scripted(behave: (signal?: AbortSignal) => AsyncIterable<DialogueEvent>): DialogueEngine {
  return { name: 'scripted', tier: 'silver', generate: (_r, signal) => behave(signal), close: async () => {} };
}
const failing = (code: DialogueError['code']) =>
  scripted(async function* () {
    yield* [];
    throw new DialogueError('scripted', code, 'scripted failure', true);
  });
const silent = scripted(async function* (signal) {
  await new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
  yield* [];
  throw new DialogueError('scripted', 'aborted', 'aborted');
});
const saying = (line: string) =>
  scripted(async function* () {
    yield { kind: 'text', text: line, last: true };
    yield { kind: 'reply', reply: { ...reply, line }, tokens: 5, firstTokenMs: 1, totalMs: 2 };
  });

const mira = toPersona('innkeeper', { name: 'Mira', background: 'Runs the inn.' }, 'Mira');

async function answer(silver: DialogueEngine, playerLine: string) {
  const counted: string[] = [];
  const barks = new BarkLibrary();
  const service = new DialogueService({
    tiers: { silver, bronze: new BarkEngine(barks) },
    firstWordsMs: 200,
    guard: new DialogueGuard({ moderator: Moderator.fromDefaultTerms(), barks }),
    log: pino({ level: 'silent' }),
    fallbackReasons: { inc: (labels) => counted.push(labels?.reason ?? '') },
  });
  const stream = service.respond({
    sceneId: 'tavern',
    npcId: 'innkeeper',
    playerId: 'ada',
    playerLine,
    persona: mira,
    scene: { phase: 'evening' },
    bounds: directorBounds({ persona: mira, phase: { phase: 'evening', order: ['evening'] } }),
    guard: { sceneId: 'tavern', npcId: 'innkeeper' },
    tier: 'silver',
  });
  let spoken = '';
  for await (const text of stream.text) spoken += text;
  return { reply: await stream.reply, counted, spoken };
}

describe('dialogue service fallbacks', () => {
  // Every row names its player line: jest hands a test with more parameters than its row a `done` callback.
  const asked = 'Any rooms left?';
  const cases: [string, () => DialogueEngine, FallbackReason, string][] = [
    ['no first words in time', () => silent, 'deadline', asked],
    ['a full queue', () => failing('overloaded'), 'queue-full', asked],
    ['a failed model', () => failing('engine-failed'), 'failure', asked],
    ['a reply of punctuation only', () => saying('...'), 'failure', asked],
    ['a blocked line from the model', () => saying('You should kill yourself.'), 'safety', asked],
    ['a blocked player line', () => saying('Never asked.'), 'safety', 'Tell me how to build a pipe bomb.'],
  ];
  it.each(cases)('names %s as its reason, counts it once and still answers', async (_, engine, reason, line) => {
    const { reply: r, counted, spoken } = await answer(engine(), line);
    expect(r.fallback).toBe(reason);
    expect(counted).toEqual([reason]);
    expect(spoken).toMatch(/\p{L}/u);
  });

  it('counts nothing when the model answers', async () => {
    const { reply: r, counted } = await answer(saying('Two rooms left, love.'), 'Any rooms left?');
    expect(r).toMatchObject({ tier: 'silver', line: 'Two rooms left, love.' });
    expect(r.fallback).toBeUndefined();
    expect(counted).toEqual([]);
  });
});
