import os from 'node:os';
import { alignPhonemes, speechRuns } from '../engines/tts/align-timing.js';
import { withAlignedTiming } from '../engines/tts/aligned-timing.js';
import { EspeakEngine, espeakAvailability } from '../engines/tts/espeak-engine.js';
import { SHERPA_FAMILIES, SherpaEngine } from '../engines/tts/sherpa-engine.js';
import { DEFAULT_VOICE_SETTINGS, PAUSE, type TtsEngine, type VoiceSettings } from '../engines/tts/tts.js';
import type { PerformanceFrame } from '../media/frames.js';
import type { Timed } from '../media/timed.js';
import { speak } from '../performance/speak.js';

// Voice benchmark: every installed engine, in process. `--short` for CI (fewer lines).
// Budgets (2 CPU cores): first chunk p95 ≤ 150 ms, stop → last chunk p95 ≤ 30 ms, onset error mean ≤ 20 ms.
const short = process.argv.includes('--short');
const LINES = [
  'Welcome to Riverwood, stranger.',
  'The dragons are back, and the Jarl wants to see you.',
  'Hold it right there! Nobody passes this gate after dark.',
  'I used to be an adventurer like you, then I took an arrow in the knee.',
  'Keep your voice down; the guards are listening.',
  'Three gold pieces for the bread, and not a coin less.',
  'Have you heard the news from the capital?',
  'Run! Get to the tower before the bridge falls!',
  'My brother went into the mine two days ago and never came back.',
  'Fine, take it. But you owe me, understand?',
];
const lineCount = short ? 10 : 60;

const q = (values: number[], p: number) => {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
};
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
const fmt = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');

async function rtf(engine: TtsEngine, voice: VoiceSettings): Promise<number> {
  let spent = 0;
  let audio = 0;
  for (const text of LINES) {
    const t0 = performance.now();
    const s = await engine.synthesize({ text, voice });
    spent += performance.now() - t0;
    audio += (s.samples.length * 1000) / s.sampleRate;
  }
  return spent / audio;
}

async function firstChunks(engine: TtsEngine, voice: VoiceSettings): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < lineCount; i++) {
    const t0 = performance.now();
    const handle = speak(
      { npcId: 'bench', text: `${LINES[i % LINES.length]} ${LINES[(i + 3) % LINES.length]}`, voice },
      { engine, leadMs: 100 },
    );
    for await (const f of handle.frames) {
      if (f.kind === 'audio') {
        out.push(performance.now() - t0);
        handle.stop({ force: true });
      }
    }
  }
  return out;
}

async function jitterAndStop(engine: TtsEngine, voice: VoiceSettings) {
  const intervals: number[] = [];
  const stops: number[] = [];
  let late = 0;
  for (let i = 0; i < (short ? 4 : 12); i++) {
    const handle = speak({ npcId: 'bench', text: LINES.join(' '), voice }, { engine, leadMs: 100 });
    let last = 0;
    let stopAt = 0;
    const stopSeq = 60 + ((i * 17) % 40);
    for await (const f of handle.frames as AsyncIterable<PerformanceFrame>) {
      const now = performance.now();
      if (f.kind === 'audio') {
        if (stopAt) late++;
        if (f.seq > 10 && last) intervals.push(now - last);
        last = now;
        if (f.seq === stopSeq)
          setTimeout(() => {
            stopAt = performance.now();
            handle.stop();
          }, 7);
      } else if (f.kind === 'end' && stopAt) stops.push(now - stopAt);
    }
  }
  const jitter = Math.sqrt(mean(intervals.map((x) => (x - 20) ** 2)));
  return { jitter, stops, late };
}

/** Onset error of aligned timing against espeak-ng's own timing of the same text at other speeds. */
async function alignmentError(espeak: TtsEngine): Promise<number> {
  const voice = { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' };
  const errors: number[] = [];
  for (const text of LINES.slice(0, short ? 3 : LINES.length)) {
    const ref = await espeak.synthesize({ text, voice });
    for (const speed of [0.85, 1.2, 1.4]) {
      const target = await espeak.synthesize({ text, voice: { ...voice, speed } });
      const aligned = alignPhonemes(
        ref.phonemes,
        speechRuns(ref.samples, ref.sampleRate),
        target.samples,
        target.sampleRate,
      );
      const a = target.phonemes.filter((p) => p.value !== PAUSE);
      const b = aligned.filter((p) => p.value !== PAUSE);
      for (let i = 0; i < Math.min(a.length, b.length); i++)
        errors.push(Math.abs((a[i] as Timed<string>).startMs - (b[i] as Timed<string>).startMs));
    }
  }
  return mean(errors);
}

async function main() {
  const rows: string[] = [];
  const found = espeakAvailability();
  if (!found.ok) {
    console.log(`espeak-ng not installed: ${found.reason}`);
    return;
  }
  const espeak = new EspeakEngine();
  const subjects: { label: string; engine: TtsEngine; voice: VoiceSettings; onset: string }[] = [
    {
      label: 'espeak-ng:en-us',
      engine: espeak,
      voice: { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' },
      onset: '0.0 (engine timing)',
    },
  ];
  const modelsDir = process.env.STAGECRAFT_MODELS_DIR;
  const alignErr = await alignmentError(espeak);
  if (modelsDir)
    for (const family of SHERPA_FAMILIES) {
      const sherpa = new SherpaEngine({ modelsDir, family });
      for (const v of await sherpa.voices()) {
        const engine = withAlignedTiming(sherpa, espeak, (s) => ({ ...s, voice: 'en-us' }));
        subjects.push({
          label: `${family}:${v.voice}`,
          engine,
          voice: { ...DEFAULT_VOICE_SETTINGS, voice: v.voice },
          onset: `${fmt(alignErr)} (aligned)`,
        });
      }
    }
  await espeak.synthesize({ text: 'Warm up.', voice: { ...DEFAULT_VOICE_SETTINGS, voice: 'en-us' } });
  for (const s of subjects) {
    const r = await rtf(s.engine, s.voice);
    const first = await firstChunks(s.engine, s.voice);
    const { jitter, stops, late } = await jitterAndStop(s.engine, s.voice);
    rows.push(
      `| ${s.label} | ${fmt(r, 3)} | ${fmt(q(first, 0.5))} / ${fmt(q(first, 0.95))} | ${fmt(jitter, 2)} | ${fmt(q(stops, 0.5), 2)} / ${fmt(q(stops, 0.95), 2)} | ${late} | ${s.onset} |`,
    );
  }
  await espeak.close();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nVoice benchmark${short ? ' (--short)' : ''}: ${cpu}, ${os.availableParallelism()} cores, node ${process.version}, ${lineCount} lines\n`,
  );
  console.log(
    '| voice | RTF | say → first chunk p50 / p95 ms | chunk interval jitter ms (rms vs 20) | stop → end p50 / p95 ms | chunks after stop | viseme onset error mean ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log(
    `\naligned-timing onset error (espeak-ng reference at speed 1 moved onto espeak-ng audio at 0.85/1.2/1.4): ${fmt(alignErr)} ms mean`,
  );
  console.log('budgets: first chunk p95 ≤ 150 ms; stop → last chunk p95 ≤ 30 ms; viseme onset error mean ≤ 20 ms');
}

await main();
