import type { AudioChunk } from '@stagecraft/protocol';

/**
 * A RIFF/WAVE file (PCM16 mono) from a performance's audio chunks, in sequence order. Its
 * duration equals the sum of the chunks' samples.
 */
export function chunksToWav(chunks: readonly AudioChunk[]): Uint8Array {
  const ordered = [...chunks].sort((a, b) => a.seq - b.seq);
  const sampleRate = ordered[0]?.sampleRate ?? 22050;
  for (const c of ordered) {
    if (c.sampleRate !== sampleRate) throw new Error(`chunk ${c.seq} is at ${c.sampleRate} Hz, not ${sampleRate} Hz`);
  }
  const dataBytes = ordered.reduce((n, c) => n + c.pcm.byteLength, 0);
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  let at = 44;
  for (const c of ordered) {
    out.set(c.pcm, at);
    at += c.pcm.byteLength;
  }
  return out;
}

/** Duration of PCM16 mono chunks, ms. */
export function chunksDurationMs(chunks: readonly AudioChunk[]): number {
  return chunks.reduce((ms, c) => ms + (c.pcm.byteLength / 2 / c.sampleRate) * 1000, 0);
}
