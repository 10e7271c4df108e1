import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Performance } from '@stagecraft/sdk';
import { loadConfig } from '../config/config.js';
import { startServer } from '../main.js';
import { DATABASE, type Database, EventLog } from '../persistence/index.js';

// Player line → first NPC audio at an SDK client: the real server on loopback with the repo's
// scenes and personas, the player talking to the tavern's innkeeper (a silver NPC). Runs once with authored lines
// only, once with the shared tiny model (stories260K) as the silver tier, and once per GGUF in
// $STAGECRAFT_MODELS_DIR/llm. `--short` for CI. Budget (small local LLM, 2 CPU cores): p50 ≤ 700 ms.
const short = process.argv.includes('--short');
const LINES = short ? 8 : 40;
const SETTLE_MS = 10_000;
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const testModels = process.env.STAGECRAFT_TEST_MODELS_DIR ?? path.join(repo, '../shared/models');
const PLAYER_LINES = [
  'Good evening! Any news from the road?',
  'Any rooms left tonight?',
  'Have you seen a man in a red cloak?',
  'How much for a bowl of stew?',
  'Is the bard any good?',
  'Tell me about the duke.',
];

const q = (v: number[], p: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(p * v.length))] ?? Number.NaN;
const f = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');

interface Setup {
  label: string;
  env: Record<string, string>;
}

function setups(): Setup[] {
  const out: Setup[] = [{ label: 'authored lines (bronze)', env: {} }];
  const tiny = path.join(testModels, 'llm-stories260k/stories260K.gguf');
  out.push({
    label: 'stories260K (silver, 1 thread)',
    env: { STAGECRAFT_DIALOGUE_SILVER: tiny, STAGECRAFT_DIALOGUE_THREADS: '1' },
  });
  const dir = process.env.STAGECRAFT_MODELS_DIR && path.join(process.env.STAGECRAFT_MODELS_DIR, 'llm');
  let found: string[] = [];
  try {
    found = dir ? readdirSync(dir).filter((n) => n.endsWith('.gguf')) : [];
  } catch {
    found = [];
  }
  for (const name of found)
    out.push({ label: `${name} (silver)`, env: { STAGECRAFT_DIALOGUE_SILVER: path.join(dir as string, name) } });
  return out;
}

async function measure(setup: Setup) {
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    STAGECRAFT_DATA_DIR: 'memory',
  };
  const config = loadConfig({
    ...env,
    STAGECRAFT_SCENES_DIR: path.join(repo, 'scenes'),
    STAGECRAFT_PERSONAS_DIR: path.join(repo, 'personas'),
    STAGECRAFT_CACHE_DIR: 'off',
    ...setup.env,
  });
  const server = await startServer(config);
  const firstAudio: number[] = [];
  const words: number[] = [];
  const tiers: Record<string, number> = {};
  try {
    const scene = await connect(server.url).joinScene('tavern', { role: 'player', name: 'bench' });
    // When the scene opens the model host starts and reads each NPC's prompt in; a player talks
    // some seconds later. The bench waits that long, then sends one warm-up line.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    for (let i = -1; i < LINES; i++) {
      const sent = performance.now();
      const started = new Promise<Performance>((resolve) => {
        const off = scene.on('performance', (p) => {
          off();
          resolve(p);
        });
      });
      scene.sayTo('innkeeper', PLAYER_LINES[(i + PLAYER_LINES.length) % PLAYER_LINES.length] as string);
      const p = await started;
      for await (const _ of p.audio) break;
      const at = performance.now() - sent;
      const end = await p.ended;
      if (i >= 0) {
        firstAudio.push(at);
        words.push(end.text.split(/\s+/).filter(Boolean).length);
      }
    }
    await server.app.get(EventLog).flush();
    const db = server.app.get<Database>(DATABASE);
    const { rows } = await db.query<{ tier: string; n: number }>(
      "select payload->>'tier' as tier, count(*) as n from scene_events where kind = 'dialogue.reply' group by 1",
    );
    for (const row of rows) tiers[row.tier] = Number(row.n);
    await scene.leave();
  } finally {
    await server.close();
  }
  return { firstAudio, words, tiers };
}

async function main() {
  const rows: string[] = [];
  for (const setup of setups()) {
    const r = await measure(setup);
    const meanWords = r.words.reduce((a, b) => a + b, 0) / Math.max(1, r.words.length);
    const answered = Object.entries(r.tiers)
      .map(([tier, n]) => `${tier} ${n}`)
      .join(', ');
    rows.push(
      `| ${setup.label} | ${LINES} | ${f(q(r.firstAudio, 0.5))} / ${f(q(r.firstAudio, 0.95))} | ${meanWords.toFixed(1)} | ${answered} |`,
    );
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nPlayer line → first NPC audio at an SDK client (loopback): ${cpu}, ${os.cpus().length} cores, node ${process.version}\n`,
  );
  console.log(
    '| dialogue | lines | player line → first audio chunk p50 / p95 ms | words per reply | answered by (incl. warm-up) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log('\nbudget: p50 ≤ 700 ms with a small local model on 2 CPU cores');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
