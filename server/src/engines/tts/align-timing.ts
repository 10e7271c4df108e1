import type { Timed } from '../../media/timed.js';
import { PAUSE } from './tts.js';

const FRAME_MS = 10;
/** Silence shorter than this is a closure inside speech, not a pause. */
const MIN_PAUSE_MS = 70;

/** Speech runs [startMs, endMs) of a signal, split at pauses found by frame energy. */
export function speechRuns(samples: Float32Array, sampleRate: number): [number, number][] {
  const hop = Math.max(1, Math.round((sampleRate * FRAME_MS) / 1000));
  const energy: number[] = [];
  for (let i = 0; i < samples.length; i += hop) {
    let sum = 0;
    const end = Math.min(samples.length, i + hop);
    for (let j = i; j < end; j++) sum += (samples[j] ?? 0) ** 2;
    energy.push(Math.sqrt(sum / Math.max(1, end - i)));
  }
  const sorted = [...energy].sort((a, b) => a - b);
  const loud = sorted[Math.floor(sorted.length * 0.9)] ?? 0;
  const threshold = Math.max(0.003, loud * 0.06);
  const runs: [number, number][] = [];
  let start = -1;
  let quiet = 0;
  energy.forEach((e, i) => {
    if (e >= threshold) {
      if (start < 0) start = i;
      quiet = 0;
    } else if (start >= 0 && ++quiet * FRAME_MS >= MIN_PAUSE_MS) {
      runs.push([start * FRAME_MS, (i - quiet + 1) * FRAME_MS]);
      start = -1;
      quiet = 0;
    }
  });
  if (start >= 0) runs.push([start * FRAME_MS, (energy.length - quiet) * FRAME_MS]);
  const durationMs = (samples.length * 1000) / sampleRate;
  return runs.map(([a, b]) => [Math.min(a, durationMs), Math.min(b, durationMs)]);
}

/** Piecewise-linear map through anchor pairs [from, to], sorted by `from`. */
function mapper(anchors: [number, number][]): (t: number) => number {
  return (t) => {
    const first = anchors[0];
    if (!first) return t;
    if (t <= first[0]) return first[1];
    for (let i = 1; i < anchors.length; i++) {
      const [a0, b0] = anchors[i - 1] as [number, number];
      const [a1, b1] = anchors[i] as [number, number];
      if (t <= a1) return a1 === a0 ? b1 : b0 + ((t - a0) * (b1 - b0)) / (a1 - a0);
    }
    return (anchors[anchors.length - 1] as [number, number])[1];
  };
}

/**
 * Moves a reference phoneme timeline (another engine's timing of the same text) onto audio that
 * has no timing: speech runs of the reference are matched to speech runs of the audio, split at
 * pauses, and scaled linearly inside each run. When the run counts differ, the whole speech span is
 * scaled. The result covers the audio from 0 to its end.
 */
export function alignPhonemes(
  reference: readonly Timed<string>[],
  referenceRuns: readonly [number, number][],
  samples: Float32Array,
  sampleRate: number,
): Timed<string>[] {
  const durationMs = (samples.length * 1000) / sampleRate;
  const spoken = reference.filter((p) => p.value !== PAUSE);
  if (spoken.length === 0 || durationMs === 0)
    return durationMs > 0 ? [{ startMs: 0, endMs: durationMs, value: PAUSE }] : [];
  const targetRuns = speechRuns(samples, sampleRate);
  let from = [...referenceRuns];
  let to = targetRuns;
  const span = (runs: readonly [number, number][]): [number, number][] => {
    const a = runs[0];
    const b = runs[runs.length - 1];
    return a && b ? [[a[0], b[1]]] : [];
  };
  if (from.length !== to.length || from.length === 0) {
    from =
      from.length > 0
        ? span(from)
        : [[(spoken[0] as Timed<string>).startMs, (spoken[spoken.length - 1] as Timed<string>).endMs]];
    to = to.length > 0 ? span(to) : [[0, durationMs]];
  }
  const anchors: [number, number][] = [];
  from.forEach((run, i) => {
    const target = to[i] as [number, number];
    anchors.push([run[0], target[0]], [run[1], target[1]]);
  });
  const map = mapper(anchors);
  const out: Timed<string>[] = [];
  for (const p of reference) {
    const startMs = Math.max(out[out.length - 1]?.endMs ?? 0, Math.min(durationMs, map(p.startMs)));
    const endMs = Math.max(startMs, Math.min(durationMs, map(p.endMs)));
    if (endMs - startMs < 0.5) continue;
    out.push({ startMs, endMs, value: p.value });
  }
  const first = out[0];
  if (first && first.startMs > 0) {
    if (first.value === PAUSE) first.startMs = 0;
    else out.unshift({ startMs: 0, endMs: first.startMs, value: PAUSE });
  }
  const last = out[out.length - 1];
  if (last && last.endMs < durationMs) {
    if (last.value === PAUSE) last.endMs = durationMs;
    else out.push({ startMs: last.endMs, endMs: durationMs, value: PAUSE });
  }
  return out;
}
