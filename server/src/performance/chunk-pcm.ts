import type { AudioFrame, PerformanceFrame, SpeechItem, StageContext } from '../media/frames.js';

export interface ChunkContext extends StageContext {
  sampleRate: number;
  /** Chunk length, ms. */
  chunkMs?: number;
}

/** Float samples → PCM16 with saturation. */
export function toPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i] ?? 0;
    out[i] = s >= 1 ? 32767 : s <= -1 ? -32768 : Math.round(s * 32767);
  }
  return out;
}

/**
 * Clauses → frames on the performance clock: per clause its text and phonemes, then its audio as
 * 20 ms PCM16 chunks. Samples left over at a clause's end join the next clause, so every chunk but
 * the last is exactly one chunk long. The last chunk is held until the input ends, to mark it final.
 */
export async function* chunkPcm(input: AsyncIterable<SpeechItem>, ctx: ChunkContext): AsyncIterable<PerformanceFrame> {
  const size = Math.max(1, Math.round((ctx.sampleRate * (ctx.chunkMs ?? 20)) / 1000));
  const msOf = (samples: number) => (samples * 1000) / ctx.sampleRate;
  let sent = 0;
  let carry = new Int16Array(0);
  let seq = 0;
  let held: AudioFrame | undefined;
  const frame = (pcm: Int16Array): AudioFrame => {
    const f: AudioFrame = {
      kind: 'audio',
      performanceId: ctx.performanceId,
      seq: seq++,
      startMs: msOf(sent),
      durationMs: msOf(pcm.length),
      sampleRate: ctx.sampleRate,
      pcm,
      final: false,
    };
    sent += pcm.length;
    return f;
  };
  for await (const item of input) {
    if (item.kind === 'failure') {
      yield {
        kind: 'error',
        performanceId: ctx.performanceId,
        atMs: msOf(sent),
        message: item.message,
        recoverable: true,
      };
      continue;
    }
    if (item.sampleRate !== ctx.sampleRate)
      throw new Error(`chunkPcm: clause at ${item.sampleRate} Hz, expected ${ctx.sampleRate} Hz`);
    const clauseStartMs = msOf(sent + carry.length);
    if (item.text.trim())
      yield {
        kind: 'text',
        performanceId: ctx.performanceId,
        startMs: clauseStartMs,
        endMs: clauseStartMs + msOf(item.samples.length),
        text: item.text.trim(),
      };
    if (item.phonemes.length > 0)
      yield {
        kind: 'phonemes',
        performanceId: ctx.performanceId,
        clause: item.text,
        phonemes: item.phonemes.map((p) => ({
          ...p,
          startMs: p.startMs + clauseStartMs,
          endMs: p.endMs + clauseStartMs,
        })),
      };
    const pcm = toPcm16(item.samples);
    const all = new Int16Array(carry.length + pcm.length);
    all.set(carry);
    all.set(pcm, carry.length);
    let at = 0;
    for (; at + size <= all.length; at += size) {
      if (held) yield held;
      held = frame(all.slice(at, at + size));
    }
    carry = all.slice(at);
  }
  if (carry.length > 0) {
    if (held) yield held;
    held = frame(carry);
  }
  if (held) yield { ...held, final: true };
}
