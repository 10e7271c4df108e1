import { describe, expect, it } from '@jest/globals';
import type { AudioFrame, ClauseAudio, PhonemesFrame } from '../media/frames.js';
import { chunkPcm } from './chunk-pcm.js';
import { collect, fromArray, stageContext } from './test-support/stage-harness.js';

const clause = (n: number, text: string): ClauseAudio => ({
  kind: 'clause',
  text,
  samples: new Float32Array(n).fill(0.5),
  sampleRate: 16_000,
  phonemes: [{ startMs: 0, endMs: (n * 1000) / 16_000, value: 'a' }],
  timing: 'engine',
  engine: 'test',
});

describe('chunkPcm', () => {
  it('cuts clauses into 20 ms PCM16 chunks on one clock, with seq and final', async () => {
    const frames = await collect(
      chunkPcm(fromArray([clause(1000, 'one'), clause(700, 'two')]), { ...stageContext(), sampleRate: 16_000 }),
    );
    const audio = frames.filter((f): f is AudioFrame => f.kind === 'audio');
    expect(audio.map((a) => a.seq)).toEqual(audio.map((_, i) => i));
    expect(audio.slice(0, -1).every((a) => a.pcm.length === 320 && a.durationMs === 20 && !a.final)).toBe(true);
    const last = audio[audio.length - 1] as AudioFrame;
    expect(last.final).toBe(true);
    expect(last.startMs + last.durationMs).toBeCloseTo((1700 * 1000) / 16_000);
    expect(audio[0]?.pcm[0]).toBe(Math.round(0.5 * 32767));
    const phonemes = frames.filter((f): f is PhonemesFrame => f.kind === 'phonemes');
    expect(phonemes[1]?.phonemes[0]?.startMs).toBeCloseTo(62.5);
    expect(frames.findIndex((f) => f.kind === 'phonemes' && f.phonemes[0]?.startMs === 62.5)).toBeLessThan(
      frames.findIndex((f) => f.kind === 'audio' && f.startMs >= 60),
    );
  });

  it('turns a clause nobody could speak into a recoverable error frame', async () => {
    const frames = await collect(
      chunkPcm(fromArray([{ kind: 'failure' as const, text: 'x', message: 'boom' }]), {
        ...stageContext(),
        sampleRate: 16_000,
      }),
    );
    expect(frames).toEqual([{ kind: 'error', performanceId: 'p1', atMs: 0, message: 'boom', recoverable: true }]);
  });
});
