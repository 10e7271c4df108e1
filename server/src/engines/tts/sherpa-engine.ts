import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TierName } from '@stagecraft/protocol';
import { abortError, type Synthesis, type SynthesisRequest, type TtsEngine, TtsError, type VoiceInfo } from './tts.js';

/** Model families sherpa-onnx-node can load from a voice folder. */
export const SHERPA_FAMILIES = ['piper', 'vits', 'kokoro', 'matcha'] as const;
export type SherpaFamily = (typeof SHERPA_FAMILIES)[number];

interface OfflineTts {
  sampleRate: number;
  numSpeakers: number;
  generateAsync(req: {
    text: string;
    sid: number;
    speed: number;
    onProgress?: (info: { samples: Float32Array; progress: number }) => number;
  }): Promise<{ samples: Float32Array; sampleRate: number }>;
}
interface SherpaModule {
  OfflineTts: { createAsync(config: unknown): Promise<OfflineTts> };
}

export interface SherpaEngineOptions {
  /** The models directory (`STAGECRAFT_MODELS_DIR`); voices live in `<modelsDir>/tts/<family>/<voice>/`. */
  modelsDir: string;
  family: SherpaFamily;
  tier?: TierName;
  /** espeak-ng data for voices whose folder has none; default `<modelsDir>/tts/espeak-ng-data`. */
  espeakDataDir?: string;
  numThreads?: number;
}

const file = (dir: string, ...names: string[]) => names.map((n) => path.join(dir, n)).find((p) => existsSync(p));

/**
 * Neural voices through sherpa-onnx-node. A voice folder holds `model.onnx` (with sherpa metadata),
 * `tokens.txt`, optionally `espeak-ng-data/`; Kokoro adds `voices.bin`, Matcha `vocoder.onnx`.
 * sherpa-onnx returns samples only, so results carry no phoneme timing (`timing: 'none'`);
 * wrap the engine with `withAlignedTiming`.
 */
export class SherpaEngine implements TtsEngine {
  readonly name: string;
  readonly tier: TierName;
  private readonly loaded = new Map<string, Promise<OfflineTts>>();

  constructor(private readonly options: SherpaEngineOptions) {
    this.name = options.family;
    this.tier = options.tier ?? 'silver';
  }

  private get root(): string {
    return path.join(this.options.modelsDir, 'tts', this.options.family);
  }

  async voices(): Promise<VoiceInfo[]> {
    if (!existsSync(this.root)) return [];
    return readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && file(path.join(this.root, d.name), 'model.onnx', `${d.name}.onnx`))
      .map((d) => ({ voice: d.name, language: d.name.split(/[-_]/)[0] ?? '', speakers: 1 }));
  }

  async synthesize(request: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis> {
    if (signal?.aborted) throw abortError(this.name);
    const tts = await this.load(request.voice.voice);
    const text = request.text.trim();
    if (text === '') return { samples: new Float32Array(0), sampleRate: tts.sampleRate, phonemes: [], timing: 'none' };
    const sid = Math.min(Math.max(0, request.voice.speakerId), Math.max(0, tts.numSpeakers - 1));
    let aborted = false;
    const onAbort = () => {
      aborted = true;
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const audio = await tts.generateAsync({
        text,
        sid,
        speed: Math.min(3, Math.max(0.25, request.voice.speed)),
        onProgress: () => (aborted ? 0 : 1),
      });
      if (aborted || signal?.aborted) throw abortError(this.name);
      return { samples: audio.samples, sampleRate: audio.sampleRate, phonemes: [], timing: 'none' };
    } catch (err) {
      if (err instanceof TtsError) throw err;
      throw new TtsError(this.name, 'engine-failed', `voice "${request.voice.voice}" failed: ${String(err)}`, true, {
        cause: err,
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private load(voice: string): Promise<OfflineTts> {
    let found = this.loaded.get(voice);
    if (!found) {
      found = this.create(voice);
      this.loaded.set(voice, found);
      found.catch(() => this.loaded.delete(voice));
    }
    return found;
  }

  private async create(voice: string): Promise<OfflineTts> {
    const dir = path.join(this.root, voice);
    if (!/^[\w.-]+$/.test(voice) || !existsSync(dir))
      throw new TtsError(this.name, 'unknown-voice', `unknown voice "${voice}": no folder ${dir}`);
    const model = file(dir, 'model.onnx', `${voice}.onnx`);
    const tokens = file(dir, 'tokens.txt');
    if (!model || !tokens)
      throw new TtsError(this.name, 'unknown-voice', `voice "${voice}": ${dir} needs model.onnx and tokens.txt`);
    const dataDir =
      file(dir, 'espeak-ng-data') ??
      this.options.espeakDataDir ??
      path.join(this.options.modelsDir, 'tts', 'espeak-ng-data');
    const common = { tokens, dataDir };
    const family = this.options.family;
    const spec =
      family === 'kokoro'
        ? { kokoro: { model, voices: file(dir, 'voices.bin') ?? '', ...common } }
        : family === 'matcha'
          ? { matcha: { acousticModel: model, vocoder: file(dir, 'vocoder.onnx') ?? '', ...common } }
          : { vits: { model, ...common } };
    const sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as SherpaModule;
    try {
      return await sherpa.OfflineTts.createAsync({
        model: { ...spec, numThreads: this.options.numThreads ?? 1, provider: 'cpu', debug: false },
        maxNumSentences: 1,
      });
    } catch (err) {
      throw new TtsError(this.name, 'unavailable', `cannot load voice "${voice}" from ${dir}: ${String(err)}`, false, {
        cause: err,
      });
    }
  }
}
