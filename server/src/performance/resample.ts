import { createRequire } from 'node:module';
import type { SpeechItem, StageContext } from '../media/frames.js';

/**
 * Sample-rate policy: a performance has one output rate, fixed at its start (22,050 Hz by default:
 * the native rate of espeak-ng and most Piper voices, so the default path never resamples). A clause
 * at another rate (Kokoro 24 kHz, a fallback voice, a voice-over file) is converted with
 * libsamplerate's band-limited sinc converter. Each clause is converted on its own; clauses start
 * and end near silence, so the filter's edges are inaudible.
 */
export const DEFAULT_SAMPLE_RATE = 22_050;

type Converter = { simple(data: Float32Array): Float32Array };
// The package is CommonJS without named ESM exports; 1 = SRC_SINC_MEDIUM_QUALITY.
const { create } = createRequire(import.meta.url)('@alexanderolsen/libsamplerate-js') as {
  create(channels: number, from: number, to: number, options: { converterType: number }): Promise<Converter>;
};
const SINC_MEDIUM = 1;
const converters = new Map<string, Promise<Converter>>();

function converter(from: number, to: number): Promise<Converter> {
  const key = `${from}:${to}`;
  let found = converters.get(key);
  if (!found) {
    found = create(1, from, to, { converterType: SINC_MEDIUM });
    converters.set(key, found);
  }
  return found;
}

/** Converts mono float samples between rates. */
export async function resampleSamples(samples: Float32Array, from: number, to: number): Promise<Float32Array> {
  if (from === to || samples.length === 0) return samples;
  return (await converter(from, to)).simple(samples);
}

export interface ResampleContext extends StageContext {
  sampleRate: number;
}

/** Clauses at any rate → clauses at the performance's rate. Phoneme times (ms) do not change. */
export async function* resample(input: AsyncIterable<SpeechItem>, ctx: ResampleContext): AsyncIterable<SpeechItem> {
  for await (const item of input) {
    if (item.kind !== 'clause' || item.sampleRate === ctx.sampleRate) {
      yield item;
      continue;
    }
    const samples = await resampleSamples(item.samples, item.sampleRate, ctx.sampleRate);
    yield { ...item, samples, sampleRate: ctx.sampleRate };
  }
}
