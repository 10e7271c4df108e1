import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { OPUS_PACKET_MS, OPUS_RATE, OpusAudio } from './opus-audio.js';
import { envelope } from './test-support/pcm-envelope.js';

const OpusScript = createRequire(import.meta.url)('opusscript') as new (
  rate: number,
  channels: number,
) => { decode(p: Uint8Array): Uint8Array; delete(): void };

const RATE = 22_050;
/** Half a second of a 220 Hz tone, half a second of silence, then a louder second: an envelope to follow. */
function signal(): Int16Array {
  const pcm = new Int16Array(RATE * 2);
  for (let i = 0; i < pcm.length; i++) {
    const t = i / RATE;
    const level = t < 0.5 ? 4000 : t < 1 ? 0 : 12_000;
    pcm[i] = Math.round(level * Math.sin(2 * Math.PI * 220 * t) + level * 0.3 * Math.sin(2 * Math.PI * 660 * t));
  }
  return pcm;
}

describe('Opus audio of a performance', () => {
  it('encodes chunks of any size into 20 ms packets that decode to the same duration and envelope', async () => {
    const pcm = signal();
    const opus = await OpusAudio.open(RATE, { bitrate: 24_000, complexity: 5 });
    const packets: Uint8Array[] = [];
    let expectedStart = 0;
    // Uneven chunk sizes, as clauses and the chunker make them.
    const sizes = [1000, 4410, 333, 8820];
    for (let at = 0, k = 0; at < pcm.length; k++) {
      const size = sizes[k % sizes.length] ?? 1000;
      const chunk = pcm.subarray(at, Math.min(pcm.length, at + size));
      at += chunk.length;
      const out = opus.push(chunk, at >= pcm.length);
      expect(out.startMs).toBe(expectedStart);
      expect(out.durationMs).toBe(out.packets.length * OPUS_PACKET_MS);
      expectedStart += out.durationMs;
      packets.push(...out.packets);
    }
    opus.close();
    // Two seconds at 24 kHz, the last packet padded: 100 packets of 20 ms.
    expect(packets.length).toBe(Math.ceil((2 * OPUS_RATE) / ((OPUS_RATE * OPUS_PACKET_MS) / 1000)));
    const bytesPerSecond = packets.reduce((n, p) => n + p.byteLength, 0) / 2;
    expect(bytesPerSecond * 8).toBeLessThanOrEqual(32_000);

    const decoder = new OpusScript(OPUS_RATE, 1);
    const parts = packets.map((p) => Uint8Array.from(decoder.decode(p)));
    decoder.delete();
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    const decoded = new Int16Array(bytes.buffer, 0, bytes.byteLength / 2);
    expect(decoded.length / OPUS_RATE).toBeCloseTo(2, 1);

    // The decoded envelope follows the original's, window for window, allowing the codec's delay.
    const a = envelope(pcm, RATE);
    const b = envelope(decoded, OPUS_RATE);
    for (const i of [1, 2, 3, 13, 14, 15, 16, 17, 18]) {
      expect(Math.abs((b[i] ?? 0) - (a[i] ?? 0))).toBeLessThan(0.25 * (a[i] ?? 1));
    }
    for (const i of [6, 7, 8]) expect(b[i] ?? 0).toBeLessThan(200); // the silence stays silent
  });
});
