import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type Performance } from '@stagecraft/sdk';
import { loadConfig } from '../config/config.js';
import { startServer } from '../main.js';
import { DATABASE, type Database, EventLog } from '../persistence/index.js';

// Player line → first NPC audio at an SDK client: the real server on loopback with the repo's
// scenes and personas, one player talking to the tavern's innkeeper (a silver NPC), each line
// sent when the NPC's last one has ended. Runs once with authored lines only, once with the shared
// tiny model (stories260K) as the silver tier, and once per GGUF in $STAGECRAFT_MODELS_DIR/llm.
// Rows per conversation length (its first 8, 40 and 100 lines): first audio p50/p95, the share
// the model answered, prompt tokens read while the player waited, fallbacks by reason.
// `--short` for CI (8 lines). Budget (small local LLM, 2 CPU cores): over 40 and 100 lines,
// ≥ 95 % model replies, p50 ≤ 700 ms, p95 ≤ 1,000 ms.
const short = process.argv.includes('--short');
const LINES = short ? 8 : 100;
const LENGTHS = [8, 40, 100].filter((n) => n <= LINES);
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
  /** Lines of its conversation; authored lines keep pace however long it runs, so 8 show it. */
  lines: number;
}

function setups(): Setup[] {
  const out: Setup[] = [{ label: 'authored lines (bronze)', env: {}, lines: Math.min(LINES, 8) }];
  const tiny = path.join(testModels, 'llm-stories260k/stories260K.gguf');
  out.push({
    label: 'stories260K (silver, 1 thread)',
    env: { STAGECRAFT_DIALOGUE_SILVER: tiny, STAGECRAFT_DIALOGUE_THREADS: '1' },
    lines: LINES,
  });
  const dir = process.env.STAGECRAFT_MODELS_DIR && path.join(process.env.STAGECRAFT_MODELS_DIR, 'llm');
  let found: string[] = [];
  try {
    found = dir ? readdirSync(dir).filter((n) => n.endsWith('.gguf')) : [];
  } catch {
    found = [];
  }
  for (const name of found)
    out.push({
      label: `${name} (silver)`,
      env: { STAGECRAFT_DIALOGUE_SILVER: path.join(dir as string, name) },
      lines: LINES,
    });
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
  const lines: Line[] = [];
  try {
    const scene = await connect(server.url).joinScene('tavern', { role: 'player', name: 'bench' });
    // When the scene opens the model host starts and reads each NPC's prompt in; a player talks
    // some seconds later. The bench waits that long, then sends one warm-up line.
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const sent: { id: string; firstAudioMs: number; words: number }[] = [];
    for (let i = -1; i < setup.lines; i++) {
      const at = performance.now();
      const started = new Promise<Performance>((resolve) => {
        const off = scene.on('performance', (p) => {
          off();
          resolve(p);
        });
      });
      scene.sayTo('innkeeper', PLAYER_LINES[(i + PLAYER_LINES.length) % PLAYER_LINES.length] as string);
      const p = await started;
      for await (const _ of p.audio) break;
      const firstAudioMs = performance.now() - at;
      const end = await p.ended;
      if (i >= 0) sent.push({ id: p.id, firstAudioMs, words: end.text.split(/\s+/).filter(Boolean).length });
    }
    await server.app.get(EventLog).flush();
    const db = server.app.get<Database>(DATABASE);
    const { rows } = await db.query<{ payload: ReplyPayload }>(
      "select payload from scene_events where kind = 'dialogue.reply' order by seq",
    );
    const byId = new Map(rows.map((r) => [r.payload.performanceId, r.payload]));
    for (const line of sent) {
      const reply = byId.get(line.id);
      lines.push({ ...line, tier: reply?.tier ?? '?', fallback: reply?.fallback, readTokens: reply?.readTokens });
    }
    await scene.leave();
  } finally {
    await server.close();
  }
  return lines;
}

interface ReplyPayload {
  performanceId: string;
  tier: string;
  fallback?: string;
  readTokens?: number;
}

interface Line {
  firstAudioMs: number;
  words: number;
  tier: string;
  fallback?: string;
  readTokens?: number;
}

/** One table row: the first `n` lines of a conversation. */
function row(label: string, all: Line[], n: number): string {
  const lines = all.slice(0, n);
  const audio = lines.map((l) => l.firstAudioMs);
  // A model-tier reply with a fallback reason was (at least partly) an authored line: not the model's.
  const model = lines.filter((l) => l.tier !== 'bronze' && !l.fallback).length;
  const read = lines.flatMap((l) => (l.readTokens === undefined ? [] : [l.readTokens]));
  const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN);
  const reasons = new Map<string, number>();
  for (const l of lines) if (l.fallback) reasons.set(l.fallback, (reasons.get(l.fallback) ?? 0) + 1);
  const fallbacks = [...reasons].map(([r, k]) => `${r} ${k}`).join(', ') || 'none';
  const share = `${((100 * model) / Math.max(1, lines.length)).toFixed(0)} %`;
  const readCell = read.length ? `${f(mean(read))} / ${f(Math.max(...read))}` : 'n/a';
  return `| ${label} | ${lines.length} | ${f(q(audio, 0.5))} / ${f(q(audio, 0.95))} | ${share} | ${readCell} | ${mean(lines.map((l) => l.words)).toFixed(1)} | ${fallbacks} |`;
}

async function main() {
  const rows: string[] = [];
  for (const setup of setups()) {
    const lines = await measure(setup);
    for (const n of LENGTHS.filter((k) => k <= setup.lines)) rows.push(row(setup.label, lines, n));
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const load = os.loadavg()[0]?.toFixed(1);
  console.log(
    `\nPlayer line → first NPC audio at an SDK client (loopback): ${cpu}, ${os.cpus().length} cores, load ${load}, node ${process.version}\n`,
  );
  console.log(
    '| dialogue | lines | first audio p50 / p95 ms | by the model | prompt tokens read while waiting, mean / max | words per reply | fallbacks |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
  console.log(
    '\nbudget over 40 and 100 lines (small local model, 2 CPU cores): ≥ 95 % by the model, p50 ≤ 700 ms, p95 ≤ 1,000 ms',
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
