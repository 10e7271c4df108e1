/** RMS level of each 100 ms window of PCM16 samples: a loudness outline two codecs' output can be compared by. */
export function envelope(pcm: Int16Array, rate: number): number[] {
  const n = Math.floor(rate / 10);
  const out: number[] = [];
  for (let at = 0; at + n <= pcm.length; at += n) {
    let sum = 0;
    for (let i = at; i < at + n; i++) sum += (pcm[i] ?? 0) ** 2;
    out.push(Math.sqrt(sum / n));
  }
  return out;
}
