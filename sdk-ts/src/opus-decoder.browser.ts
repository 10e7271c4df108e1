// The browser's Opus decoder: WebCodecs' AudioDecoder (Chromium, Edge, Firefox, Safari 17+).
// Same shape as opus-decoder.ts, which the package's `browser` field replaces with this file.

/** Decodes one performance's Opus packets (20 ms each, mono) to PCM16. */
export class OpusDecoder {
  private readonly decoder: AudioDecoder;
  private decoded: Int16Array[] = [];
  private failure: Error | undefined;
  private timestamp = 0;

  constructor(readonly sampleRate: number) {
    this.decoder = new AudioDecoder({
      output: (data) => {
        const samples = new Float32Array(data.numberOfFrames);
        data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
        data.close();
        const pcm = new Int16Array(samples.length);
        for (let i = 0; i < samples.length; i++)
          pcm[i] = Math.max(-32768, Math.min(32767, Math.round((samples[i] ?? 0) * 32768)));
        this.decoded.push(pcm);
      },
      error: (e) => {
        this.failure = e instanceof Error ? e : new Error(String(e));
      },
    });
    this.decoder.configure({ codec: 'opus', sampleRate, numberOfChannels: 1 });
  }

  /** PCM16 little-endian bytes of the packets, one after another. */
  async decode(packets: readonly Uint8Array[]): Promise<Uint8Array> {
    for (const data of packets) {
      this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: this.timestamp, data }));
      this.timestamp += 20_000;
    }
    await this.decoder.flush();
    if (this.failure) throw this.failure;
    const parts = this.decoded;
    this.decoded = [];
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return new Uint8Array(out.buffer);
  }

  close(): void {
    if (this.decoder.state !== 'closed') this.decoder.close();
  }
}
