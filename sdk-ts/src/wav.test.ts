import { describe, expect, it } from '@jest/globals';
import { AudioChunkSchema, create } from '@stagecraft/protocol';
import { chunksDurationMs, chunksToWav } from './wav.js';

const chunk = (seq: number, samples: number[]) =>
  create(AudioChunkSchema, { seq, sampleRate: 16000, pcm: new Uint8Array(new Int16Array(samples).buffer) });

describe('WAV from audio chunks', () => {
  it('writes a PCM16 mono RIFF header and the samples in sequence order', () => {
    const wav = chunksToWav([chunk(1, [3, 4]), chunk(0, [1, -2])]);
    const view = new DataView(wav.buffer);
    expect(new TextDecoder().decode(wav.subarray(0, 4))).toBe('RIFF');
    expect(view.getUint32(24, true)).toBe(16000);
    expect(view.getUint16(34, true)).toBe(16);
    expect(view.getUint32(40, true)).toBe(8);
    expect(Array.from(new Int16Array(wav.slice(44).buffer))).toEqual([1, -2, 3, 4]);
  });

  it('refuses chunks of different sample rates', () => {
    const odd = create(AudioChunkSchema, { seq: 1, sampleRate: 22050, pcm: new Uint8Array(2) });
    expect(() => chunksToWav([chunk(0, [1]), odd])).toThrow(/22050 Hz/);
  });

  it('measures duration from samples', () => {
    expect(chunksDurationMs([chunk(0, new Array(320).fill(0)), chunk(1, new Array(160).fill(0))])).toBe(30);
  });
});
