import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getLlama } from 'node-llama-cpp';
import pino from 'pino';
import { LlamaEngine } from '../engines/dialogue/llama-engine.js';
import { storiesModel } from '../engines/dialogue/test-support/stories-model.js';
import type { Database } from '../persistence/database.js';
import { openDatabase } from '../persistence/open-database.js';
import { BarkEngine } from './bark-engine.js';
import { BarkLibrary } from './barks.js';
import { buildPrompt } from './build-prompt.js';
import { DialogueGuard } from './dialogue-guard.js';
import { DialogueService, type ServiceReply } from './dialogue-service.js';
import { directorBounds } from './director-bounds.js';
import { MemoryStore } from './memory-store.js';
import { Moderator } from './moderation.js';
import { toPersona } from './persona.js';

if (!storiesModel.ok) console.warn(`[skip] long conversation test: ${storiesModel.reason}`);
const suite = storiesModel.ok ? describe : describe.skip;

const mira = toPersona(
  'innkeeper',
  {
    name: 'Mira',
    background: 'Runs the Rusty Flagon at the crossroads; has heard every rumour twice.',
    style: 'Warm, tired and short of words.',
    knowledge: ['A room is five coppers a night.', 'The duke rides north at dawn.'],
    relationships: { player: 'A paying stranger.' },
    rules: ['Never promise a free room.'],
  },
  'Mira',
);
const LINES = ['Evening! Any news?', 'Any rooms left tonight?', 'Tell me about the duke.', 'How much for stew?'];

suite('a long conversation with the tiny real model', () => {
  let db: Database;
  let dir: string;
  let engine: LlamaEngine;
  let service: DialogueService;
  let personaTokens = 0;
  const base = {
    sceneId: 'tavern',
    npcId: 'innkeeper',
    persona: mira,
    scene: { title: 'The Rusty Flagon', phase: 'evening' },
    bounds: directorBounds({ persona: mira, phase: { phase: 'evening', order: ['evening'] } }),
    tier: 'silver' as const,
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'stagecraft-long-'));
    db = await openDatabase({ dataDir: path.join(dir, 'db') });
    if (!storiesModel.ok) return;
    engine = await LlamaEngine.load({ modelPath: storiesModel.path, threads: 1 });
    const barks = new BarkLibrary();
    service = new DialogueService({
      tiers: { silver: engine, bronze: new BarkEngine(barks) },
      // Not what this test is about: generous, so that every reply is the model's.
      firstWordsMs: 120_000,
      guard: new DialogueGuard({ moderator: Moderator.fromDefaultTerms(), barks }),
      memory: new MemoryStore(db),
      log: pino({ level: 'silent' }),
    });
    // The persona's tokens, as the model reads them first: the prompt's system part.
    const llama = await getLlama({ gpu: false, build: 'never' });
    const model = await llama.loadModel({ modelPath: storiesModel.path });
    const { system } = buildPrompt({ ...base, memory: { summary: '', turns: [] }, playerLine: '' }).prompt;
    personaTokens = model.tokenize(system).length;
    await model.dispose();
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('never reads the persona again while the player waits, over 100 lines', async () => {
    await service.prime(base);
    const replies: ServiceReply[] = [];
    for (let i = 0; i < 100; i++) {
      const stream = service.respond({
        ...base,
        playerId: 'ada',
        playerLine: LINES[i % LINES.length] as string,
        guard: { sceneId: 'tavern', npcId: 'innkeeper' },
      });
      for await (const _ of stream.text) {
        // spoken
      }
      replies.push(await stream.reply);
      // The NPC speaks its line; the player answers once it has ended.
      await service.settled();
    }
    expect(personaTokens).toBeGreaterThan(50);
    // The tiny model now and then writes nothing usable (an authored line follows its words);
    // it read its prompt all the same, and every reply it wrote says what that read was.
    const read = replies.flatMap((r, i) => (r.prompt ? [{ i, from: r.prompt.from }] : []));
    expect(read.length).toBeGreaterThanOrEqual(95);
    expect(replies.filter((r) => r.fallback === 'deadline')).toEqual([]);
    // What the player waited for started after the persona: only the end of the prompt was read.
    expect(read.filter((r) => r.from < personaTokens)).toEqual([]);
    // Older turns folded into the summary meanwhile, so the prompt's middle changed many times.
    const recall = await new MemoryStore(db).recall({ sceneId: 'tavern', npcId: 'innkeeper', playerId: 'ada' });
    expect(recall.summary.length).toBeGreaterThan(0);
  }, 900_000);
});
