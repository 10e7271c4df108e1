import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DialogueEngine, DialogueRequest } from '../engines/dialogue/dialogue.js';
import { DialogueQueue } from '../engines/dialogue/dialogue-queue.js';
import { LlamaChildEngine } from '../engines/dialogue/llama-child-engine.js';
import { LlamaEngine } from '../engines/dialogue/llama-engine.js';

// Dialogue engine benchmark: time to first token and to first line text, decode tokens/s and
// whole-reply time, over `--n` generations (default 24, at least 20) for each engine and load.
// Model: `--model PATH`, else stories260K in the shared test models (STAGECRAFT_TEST_MODELS_DIR
// or ../shared/models beside the repository). `--threads N` (default: the engine's, half the cores).
// Budget it feeds: player text → first NPC audio at the client, p50 ≤ 700 ms (small local LLM, CPU).
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const n = Math.max(20, Number(arg('n') ?? 24));
const threadsArg = arg('threads');
const threads = threadsArg === undefined ? undefined : Number(threadsArg);
const modelsDir =
  process.env.STAGECRAFT_TEST_MODELS_DIR ?? fileURLToPath(new URL('../../../../shared/models/', import.meta.url));
const modelPath = arg('model') ?? `${modelsDir.replace(/\/$/, '')}/llm-stories260k/stories260K.gguf`;

const PLAYER_LINES = [
  'Any rooms left tonight?',
  'Have you seen a man in a red cloak?',
  'What is the news from the capital?',
  'How much for the bread?',
  'Is the road north safe?',
];

function request(i: number, sceneCount: number): DialogueRequest {
  return {
    sceneId: `scene-${i % sceneCount}`,
    npcId: `npc-${i}`,
    seed: i + 1,
    prompt: {
      system: 'You are Mira, the innkeeper of the Rusty Flagon. You are warm, tired and short of words.',
      history: [
        { speaker: 'player', text: 'Evening, Mira.' },
        { speaker: 'npc', text: 'Evening, traveller. Mind the mud.' },
      ],
      playerLine: PLAYER_LINES[i % PLAYER_LINES.length] ?? '',
    },
  };
}

interface Sample {
  tokens: number;
  firstTokenMs: number;
  firstTextMs: number;
  tokensPerS: number;
  totalMs: number;
}

async function one(engine: DialogueEngine, req: DialogueRequest): Promise<Sample> {
  const t0 = performance.now();
  let firstTextMs = Number.NaN;
  for await (const event of engine.generate(req)) {
    if (event.kind === 'text' && Number.isNaN(firstTextMs)) firstTextMs = performance.now() - t0;
    if (event.kind === 'reply') {
      const decodeS = (event.totalMs - event.firstTokenMs) / 1000;
      return {
        tokens: event.tokens,
        firstTokenMs: event.firstTokenMs,
        firstTextMs,
        tokensPerS: (event.tokens - 1) / decodeS,
        totalMs: performance.now() - t0,
      };
    }
  }
  throw new Error('no reply');
}

/** `n` generations, `parallel` at a time, through a queue as the server would run them. */
async function run(engine: DialogueEngine, parallel: number): Promise<{ samples: Sample[]; wallS: number }> {
  const queue = new DialogueQueue(engine, { concurrency: parallel, maxDepth: n });
  await one(engine, request(999, 1)); // warm-up, not counted
  const samples: Sample[] = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < n) samples.push(await one(queue, request(next++, 4)));
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { samples, wallS: (performance.now() - t0) / 1000 };
}

const q = (values: number[], p: number) => {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

async function main() {
  if (!existsSync(modelPath)) {
    console.log(`dialogue benchmark skipped: ${modelPath} not found (pass --model PATH)`);
    return;
  }
  const rows: string[] = [];
  const subjects: { label: string; make: () => Promise<DialogueEngine>; parallel: number }[] = [
    {
      label: 'in process, 1 sequence',
      make: () => LlamaEngine.load({ modelPath, threads, sequences: 1 }),
      parallel: 1,
    },
    {
      label: 'in process, 2 sequences',
      make: () => LlamaEngine.load({ modelPath, threads, sequences: 2 }),
      parallel: 2,
    },
    {
      label: 'child process, 2 sequences',
      make: async () => {
        const engine = new LlamaChildEngine({ modelPath, threads, sequences: 2 });
        await engine.load();
        return engine;
      },
      parallel: 2,
    },
  ];
  for (const s of subjects) {
    const engine = await s.make();
    const { samples, wallS } = await run(engine, s.parallel);
    const allTokens = samples.reduce((sum, x) => sum + x.tokens, 0);
    await engine.close();
    const col = (k: keyof Sample) => samples.map((x) => x[k]);
    const tps = col('tokensPerS');
    rows.push(
      `| ${s.label} | ${samples.length} | ${fmt(q(col('firstTokenMs'), 0.5))} / ${fmt(q(col('firstTokenMs'), 0.95))} | ${fmt(q(col('firstTextMs'), 0.5))} / ${fmt(q(col('firstTextMs'), 0.95))} | ${fmt(q(tps, 0.5), 0)} / ${fmt(q(tps, 0.05), 0)} | ${fmt(q(col('totalMs'), 0.5))} / ${fmt(q(col('totalMs'), 0.95))} | ${fmt(allTokens / wallS, 0)} |`,
    );
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nDialogue engine benchmark: ${modelPath.split('/').at(-1)}, ${cpu}, ${os.availableParallelism()} cores, node ${process.version}, threads ${threads ?? 'engine default'}\n`,
  );
  console.log(
    '| engine | generations | first token p50 / p95 ms | first line text p50 / p95 ms | tokens/s p50 / p5 | reply p50 / p95 ms | all tokens/s |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log(
    '\nTimes run from the request, queue wait included; tokens/s is per generation after its first token;',
    'all tokens/s is every generated token over the wall time of the run.',
  );
}

await main();
