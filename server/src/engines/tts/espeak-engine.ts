import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TierName } from '@stagecraft/protocol';
import type { Timed } from '../../media/timed.js';
import { ESPEAK_WORKER_SOURCE } from './espeak-worker-source.js';
import {
  abortError,
  PAUSE,
  type Synthesis,
  type SynthesisRequest,
  type TtsEngine,
  TtsError,
  type VoiceInfo,
} from './tts.js';

const PACKAGE = '@echogarden/espeak-ng-emscripten';
/** espeak-ng's own default rate, words per minute, used for speed 1. */
const NORMAL_WPM = 175;

interface Reply {
  id: number;
  ok: boolean;
  code?: 'unknown-voice' | 'aborted' | 'engine-failed';
  message?: string;
  pcm?: Int16Array;
  sampleRate?: number;
  events?: [number, string][];
  voices?: { name: string; identifier: string; languages: { name: string }[] }[];
}

/** Whether the optional espeak-ng package is installed; the reason when it is not. */
export function espeakAvailability(): { ok: true; moduleUrl: string } | { ok: false; reason: string } {
  try {
    const path = createRequire(import.meta.url).resolve(PACKAGE);
    return { ok: true, moduleUrl: pathToFileURL(path).href };
  } catch (err) {
    return { ok: false, reason: `${PACKAGE} is not installed (optional dependency, GPL-3): ${String(err)}` };
  }
}

/**
 * espeak-ng compiled to JS (GPL-3, optional dependency). Gives phoneme events with audio
 * positions. The module is loaded lazily, once, in a worker thread; requests run one at a time.
 */
export class EspeakEngine implements TtsEngine {
  readonly name = 'espeak-ng';
  private worker: Worker | undefined;
  private readonly cancel = new Int32Array(new SharedArrayBuffer(4));
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private nextId = 1;

  constructor(readonly tier: TierName = 'bronze') {}

  async synthesize(request: SynthesisRequest, signal?: AbortSignal): Promise<Synthesis> {
    if (signal?.aborted) throw abortError(this.name);
    const { voice } = request;
    const job = {
      type: 'synth',
      text: request.text,
      voice: voice.voice,
      rate: Math.round(Math.min(450, Math.max(80, NORMAL_WPM * voice.speed))),
      pitch: Math.round(Math.min(99, Math.max(0, 50 * voice.pitch))),
    };
    const reply = await this.call(job, signal);
    if (!reply.ok) throw new TtsError(this.name, reply.code ?? 'engine-failed', reply.message ?? 'failed');
    const pcm = reply.pcm ?? new Int16Array(0);
    const sampleRate = reply.sampleRate ?? 22050;
    const samples = new Float32Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) samples[i] = (pcm[i] ?? 0) / 32768;
    return {
      samples,
      sampleRate,
      phonemes: toTimeline(reply.events ?? [], (pcm.length * 1000) / sampleRate),
      timing: 'engine',
    };
  }

  async voices(): Promise<VoiceInfo[]> {
    const reply = await this.call({ type: 'voices' });
    if (!reply.ok) throw new TtsError(this.name, reply.code ?? 'engine-failed', reply.message ?? 'failed');
    return (reply.voices ?? []).flatMap((v) =>
      v.languages.map((l) => ({ voice: l.name, language: l.name, speakers: 1 })),
    );
  }

  /** Stops the worker thread; a later call starts a new one. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const found = espeakAvailability();
    if (!found.ok) throw new TtsError(this.name, 'unavailable', found.reason);
    const worker = new Worker(ESPEAK_WORKER_SOURCE, {
      eval: true,
      workerData: { moduleUrl: found.moduleUrl, cancel: this.cancel.buffer },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply);
    });
    const fail = (err: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, resolve] of this.pending) resolve({ id, ok: false, code: 'engine-failed', message: String(err) });
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(`worker exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private call(job: Record<string, unknown>, signal?: AbortSignal): Promise<Reply> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const onAbort = () => {
        Atomics.store(this.cancel, 0, id);
        this.pending.delete(id);
        reject(abortError(this.name));
      };
      this.pending.set(id, (reply) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(reply);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...job, id });
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }
}

/** Phoneme onsets → a gap-free timeline that ends with the audio. */
export function toTimeline(events: [number, string][], durationMs: number): Timed<string>[] {
  const out: Timed<string>[] = [];
  for (let i = 0; i < events.length; i++) {
    const [at, id] = events[i] as [number, string];
    const next = i + 1 < events.length ? (events[i + 1] as [number, string])[0] : durationMs;
    const startMs = Math.min(at, durationMs);
    const endMs = Math.min(Math.max(next, startMs), durationMs);
    if (endMs <= startMs) continue;
    const value = id === '' ? PAUSE : id;
    const last = out[out.length - 1];
    if (value === PAUSE && last?.value === PAUSE) last.endMs = endMs;
    else out.push({ startMs, endMs, value });
  }
  const first = out[0];
  if (first && first.startMs > 0) out.unshift({ startMs: 0, endMs: first.startMs, value: PAUSE });
  const last = out[out.length - 1];
  if (last && last.endMs < durationMs) out.push({ startMs: last.endMs, endMs: durationMs, value: PAUSE });
  return out;
}
