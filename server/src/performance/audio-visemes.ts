import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { VisemeName } from '@stagecraft/protocol';
import type { Timed } from '../media/timed.js';
import { resampleSamples } from './resample.js';

// Audio → visemes with HeadAudio (npm `@met4citizen/headaudio`, MIT): 12 MFCCs of 512-sample
// frames at 16 kHz every 256 samples, classified against 39 Gaussian viseme prototypes by
// Mahalanobis distance. It times recordings that come without text.

interface Mfcc {
  compute(block: Float32Array, out: Float32Array): { le: number };
}
interface Classifier {
  import(data: { model: Prototype[]; reset: boolean }): void;
  predict(vector: Float32Array): { viseme?: number };
}
interface Prototype {
  group: number;
  viseme: number;
  mu: Float32Array;
  sigmaInvLower: Float32Array;
}
interface HeadAudio {
  Mfcc: new () => Mfcc;
  Classifier: new () => Classifier;
  model: Prototype[];
  p: Record<string, number>;
}

/** HeadAudio's viseme ids 0..14, as our viseme names. */
const HEADAUDIO_VISEMES: VisemeName[] = [
  'aa',
  'E',
  'ih',
  'oh',
  'ou',
  'PP',
  'SS',
  'TH',
  'DD',
  'FF',
  'kk',
  'nn',
  'RR',
  'CH',
  'sil',
];
/** Frames quieter than this (10·log10 of the frame's energy) are silence. */
const SILENCE_DB = -50;

let loaded: Promise<HeadAudio> | undefined;

/** Loads the classifier code and the model that ship in the package, once. */
function headAudio(): Promise<HeadAudio> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const modelPath = require.resolve('@met4citizen/headaudio/dist/model-en-mixed.bin');
    const modules = (name: string) =>
      pathToFileURL(modelPath.replace(/dist\/model-en-mixed\.bin$/, `modules/${name}`)).href;
    const [{ MFCC }, { Classifier }, p] = await Promise.all([
      import(modules('mfcc.mjs')),
      import(modules('classifier.mjs')),
      import(modules('parameters.mjs')),
    ]);
    const bytes = readFileSync(modelPath);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const model: Prototype[] = [];
    for (let at = 0; at + p.RECORD_OFFSET <= buffer.byteLength; at += p.RECORD_OFFSET) {
      const header = new DataView(buffer, at, 8);
      model.push({
        group: header.getUint8(5),
        viseme: header.getUint8(7),
        mu: new Float32Array(buffer, at + p.RECORD_MU_OFFSET, p.RECORD_MU_LEN),
        sigmaInvLower: new Float32Array(buffer, at + p.RECORD_SIGMAINVLOWER_OFFSET, p.RECORD_SIGMAINVLOWER_LEN),
      });
    }
    return { Mfcc: MFCC, Classifier, model, p };
  })();
  return loaded;
}

/**
 * A recording's visemes over time, ms from its first sample: each 16 ms step is classified from
 * the 32 ms around it; neighbouring steps with the same viseme merge. Steps below the silence
 * floor are `sil`.
 */
export async function audioVisemes(samples: Float32Array, sampleRate: number): Promise<Timed<VisemeName>[]> {
  const { Mfcc, Classifier, model, p } = await headAudio();
  const rate = p.AUDIO_SAMPLE_RATE as number;
  const size = p.MFCC_SAMPLES_N as number;
  const hop = p.MFCC_SAMPLES_HOP as number;
  const x = await resampleSamples(samples, sampleRate, rate);
  const emphasised = new Float32Array(x.length);
  const alpha = p.AUDIO_PREEMPHASIS_ALPHA as number;
  for (let i = 0; i < x.length; i++) emphasised[i] = (x[i] ?? 0) - alpha * (i > 0 ? (x[i - 1] ?? 0) : 0);
  const mfcc = new Mfcc();
  const classifier = new Classifier();
  classifier.import({ model, reset: true });
  const vector = new Float32Array(p.MFCC_COEFF_N_WITH_DELTAS as number);
  const out: Timed<VisemeName>[] = [];
  const stepMs = (hop * 1000) / rate;
  const durationMs = (samples.length * 1000) / sampleRate;
  for (let at = 0; at + size <= emphasised.length; at += hop) {
    const { le } = mfcc.compute(emphasised.subarray(at, at + size), vector);
    for (let j = 0; j < (p.MFCC_COEFF_N as number); j++) vector[j] = Math.tanh(vector[j] ?? 0);
    const id = 10 * le > SILENCE_DB ? (classifier.predict(vector).viseme ?? 14) : 14;
    const value = HEADAUDIO_VISEMES[id] ?? 'sil';
    const startMs = out.length === 0 ? 0 : ((at + size / 2 - hop / 2) * 1000) / rate;
    const last = out[out.length - 1];
    if (last && last.value === value) last.endMs = startMs + stepMs;
    else {
      if (last) last.endMs = startMs;
      out.push({ startMs, endMs: startMs + stepMs, value });
    }
  }
  const last = out[out.length - 1];
  if (last) last.endMs = durationMs;
  else if (durationMs > 0) out.push({ startMs: 0, endMs: durationMs, value: 'sil' });
  return out;
}

/** A phoneme the viseme table maps to each viseme, so audio visemes can travel as phonemes. */
export const VISEME_PHONEME: Record<VisemeName, string> = {
  sil: '_',
  PP: 'p',
  FF: 'f',
  TH: 'θ',
  DD: 'd',
  kk: 'k',
  CH: 'ʃ',
  SS: 's',
  nn: 'n',
  RR: 'ɹ',
  aa: 'a',
  E: 'e',
  ih: 'i',
  oh: 'o',
  ou: 'u',
};
