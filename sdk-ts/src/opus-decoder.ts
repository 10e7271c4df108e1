interface OpusScript {
  decode(packet: Uint8Array): Uint8Array;
  delete(): void;
}

type OpusScriptClass = new (rate: number, channels: number) => OpusScript;

// A WebAssembly build of libopus that loads its module from disk: the Node.js decoder, loaded on
// first use. Browsers get opus-decoder.browser.js (WebCodecs) through the package's `browser` field.
const PACKAGE = 'opusscript';
let loading: Promise<OpusScriptClass> | undefined;

/** Decodes one performance's Opus packets (20 ms each, mono) to PCM16, keeping state between them. */
export class OpusDecoder {
  private decoder: OpusScript | undefined;
  private closed = false;

  constructor(readonly sampleRate: number) {}

  /** PCM16 little-endian bytes of the packets, one after another. */
  async decode(packets: readonly Uint8Array[]): Promise<Uint8Array> {
    if (!this.decoder) {
      loading ??= import(PACKAGE).then((m: { default: OpusScriptClass }) => m.default);
      const OpusScript = await loading;
      if (this.closed) return new Uint8Array(0);
      this.decoder = new OpusScript(this.sampleRate, 1);
    }
    const decoder = this.decoder;
    return joinBytes(packets.map((p) => Uint8Array.from(decoder.decode(p))));
  }

  close(): void {
    this.closed = true;
    this.decoder?.delete();
    this.decoder = undefined;
  }
}

export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
