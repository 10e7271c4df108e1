import os from 'node:os';
import type { TierName } from '@stagecraft/protocol';
import {
  getLlama,
  type Llama,
  LlamaCompletion,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  LlamaLogLevel,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import {
  type DialogueEngine,
  DialogueError,
  type DialogueEvent,
  type DialoguePrompt,
  type DialogueRequest,
  type PromptRead,
  type PromptReader,
} from './dialogue.js';
import { LlamaGeneration } from './llama-generation.js';
import { formatPrompt, type PromptFormat, promptFormatFor } from './prompt-format.js';
import { replySchema } from './reply-schema.js';

/** Settings of a node-llama-cpp dialogue engine; every field but `modelPath` has a default. */
export interface LlamaEngineOptions {
  /** The GGUF file. */
  modelPath: string;
  /** Engine name in errors and metrics. Default `llama`. */
  name?: string;
  /** Default `silver` (CPU); `gold` when it runs on a GPU. */
  tier?: TierName;
  /** `auto` uses a GPU backend when the prebuilt binaries find one; `false` stays on the CPU. Default false. */
  gpu?: 'auto' | false;
  /** Generations that run at once, each on its own context sequence of the one loaded model. Default 2. */
  sequences?: number;
  /** Tokens each sequence holds, prompt and reply together. Default 1024. */
  contextSize?: number;
  /**
   * CPU threads for evaluation. Default: half the cores, at least 1. Never more than the cores:
   * on 2 busy cores, node-llama-cpp's own choice (4, or 0 = "all") stalled a stories260K reply
   * for over a minute, and 2 threads took 700 ms where 1 took 150 ms.
   */
  threads?: number;
  /** Sampling temperature; 0 is greedy. Default 0.7. */
  temperature?: number;
  /** Sampling seed when the request names none. Default: random per generation. */
  seed?: number;
  /** Token limit of one reply when the request names none. Default 200. */
  maxTokens?: number;
  /** Longest `line` the grammar allows, characters. Default 160. */
  maxLineChars?: number;
}

const llamas = new Map<string, Promise<Llama>>();

/**
 * Tokens per sequence unless set: a persona prompt is up to ~3,000 tokens (PROMPT_MAX_CHARS) and
 * must fit whole with its reply, else llama.cpp cuts it from the front and the persona is lost.
 */
const DEFAULT_CONTEXT_SIZE = 4096;
/** Prompt tokens beyond which waiting for the sequence that holds them beats reading them again. */
const REREAD_TOKENS = 256;
/** Tokens kept free for the player's line when deciding where history starts (see fit()). */
const LINE_RESERVE_TOKENS = 160;
/** Reads shorter than this say little about the reading speed. */
const SPEED_SAMPLE_TOKENS = 32;

/** One llama.cpp binding per process and backend: loading the native backend takes ~0.4 s. */
function sharedLlama(gpu: 'auto' | false): Promise<Llama> {
  const key = String(gpu);
  let llama = llamas.get(key);
  if (!llama) {
    llama = getLlama({ gpu, build: 'never', logLevel: LlamaLogLevel.error });
    llama.catch(() => llamas.delete(key));
    llamas.set(key, llama);
  }
  return llama;
}

/**
 * Dialogue through node-llama-cpp, in this process: one model and one context whose sequences
 * let that many NPCs generate at once; further requests wait for a free sequence (put a
 * {@link DialogueQueue} in front for fairness and back-pressure). The output is held to the
 * reply's JSON shape by a grammar. Load only models the project ships here: a malformed GGUF
 * can abort the process that loads it, so user-installed models go through LlamaChildEngine.
 */
export class LlamaEngine implements DialogueEngine, PromptReader {
  readonly name: string;
  readonly tier: TierName;
  private readonly free: LlamaCompletion[];
  private readonly sequenceOf = new WeakMap<LlamaCompletion, LlamaContextSequence>();
  private readonly all: LlamaCompletion[];
  /** Requests waiting for a sequence; `want` waits for that one (it holds the request's prompt). */
  private readonly waiting: {
    resolve: (c: LlamaCompletion) => void;
    reject: (e: Error) => void;
    want?: LlamaCompletion;
  }[] = [];
  private readonly running = new Set<AbortController>();
  private closed = false;
  /** Measured prompt reading time, ms per token (a moving average); unknown until measured. */
  private readMsPerToken: number | undefined;

  private constructor(
    private readonly options: LlamaEngineOptions,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly grammar: LlamaGrammar,
    /** Chat template or plain completion, as read from the GGUF. */
    readonly format: PromptFormat,
  ) {
    this.name = options.name ?? 'llama';
    this.tier = options.tier ?? 'silver';
    this.all = Array.from({ length: context.totalSequences }, () => {
      const contextSequence = context.getSequence();
      const completion = new LlamaCompletion({ contextSequence, autoDisposeSequence: true });
      this.sequenceOf.set(completion, contextSequence);
      return completion;
    });
    this.free = [...this.all];
  }

  /** Loads the model; a file that cannot be loaded fails with `unavailable`, naming the file. */
  static async load(options: LlamaEngineOptions): Promise<LlamaEngine> {
    const name = options.name ?? 'llama';
    let model: LlamaModel | undefined;
    try {
      const llama = await sharedLlama(options.gpu ?? false);
      model = await llama.loadModel({ modelPath: options.modelPath });
      const context = await model.createContext({
        sequences: options.sequences ?? 2,
        contextSize: Math.min(options.contextSize ?? DEFAULT_CONTEXT_SIZE, model.trainContextSize),
        threads: options.threads ?? Math.max(1, Math.floor(os.availableParallelism() / 2)),
      });
      const grammar = await llama.createGrammarForJsonSchema(replySchema(options.maxLineChars ?? 160));
      return new LlamaEngine(options, model, context, grammar, promptFormatFor(model));
    } catch (err) {
      await model?.dispose().catch(() => {});
      const reason = err instanceof Error ? err.message : String(err);
      throw new DialogueError(name, 'unavailable', `cannot load model ${options.modelPath}: ${reason}`, false, {
        cause: err,
      });
    }
  }

  /** Sequences, i.e. generations that can run at once. */
  get sequences(): number {
    return this.context.totalSequences;
  }

  async *generate(asked: DialogueRequest, signal?: AbortSignal): AsyncIterable<DialogueEvent> {
    const startedMs = performance.now();
    const { controller, done } = this.track(signal);
    try {
      if (this.closed) throw new DialogueError(this.name, 'unavailable', 'engine closed');
      const { request, tokens } = this.fit(asked);
      const completion = await this.acquire(controller.signal, tokens);
      const read = this.toRead(completion, tokens);
      const late = this.lateBy(request, read, performance.now() - startedMs);
      if (late) {
        // It cannot speak in time: the caller falls back now, and the prompt is read anyway,
        // unheard, so that the NPC's next line finds it read.
        void this.readInto(completion, tokens)
          .catch(() => undefined)
          .finally(() => this.release(completion));
        throw new DialogueError(this.name, 'timeout', late, true);
      }
      const generation = new LlamaGeneration(this.name, controller.signal, startedMs, read);
      const readFrom = performance.now();
      completion
        // The prompt as tokenized above, without the beginning token the completion adds itself.
        .generateCompletionWithMeta(this.beginningToken() === null ? tokens : tokens.slice(1), {
          grammar: this.grammar,
          maxTokens: request.maxTokens ?? this.options.maxTokens ?? 200,
          temperature: this.options.temperature ?? 0.7,
          seed: request.seed ?? this.options.seed,
          signal: controller.signal,
          onToken: (tokens) => {
            if (generation.tokens(tokens.length)) this.measured(read.read, performance.now() - readFrom);
          },
          onTextChunk: (text) => generation.text(text),
        })
        .then(
          (result) => generation.finish(result.response, result.metadata.stopReason === 'maxTokens'),
          (err) => generation.fail(err),
        )
        .finally(() => this.release(completion));
      yield* generation.events();
    } finally {
      done();
    }
  }

  async readPrompt(request: DialogueRequest, signal?: AbortSignal): Promise<PromptRead> {
    const { controller, done } = this.track(signal);
    try {
      if (this.closed) throw new DialogueError(this.name, 'unavailable', 'engine closed');
      const { tokens } = this.fit(request);
      const completion = await this.acquire(controller.signal, tokens);
      return await this.readInto(completion, tokens).finally(() => this.release(completion));
    } finally {
      done();
    }
  }

  /** Tokens of `tokens` the completion's sequence holds already, and those it must read. */
  private toRead(completion: LlamaCompletion, tokens: Token[]): PromptRead {
    const held = this.sequenceOf.get(completion)?.compareContextTokens(tokens).firstDifferentIndex ?? 0;
    // The last prompt token is always evaluated again: the first reply token is sampled from it.
    const from = Math.min(held, Math.max(0, tokens.length - 1));
    return { tokens: tokens.length, read: tokens.length - from, from };
  }

  /**
   * Why a request cannot say its first words by its deadline, or undefined when it can (or the
   * reading speed is not known yet): `elapsedMs` spent already, plus the tokens to read.
   */
  private lateBy(request: DialogueRequest, read: PromptRead, elapsedMs: number): string | undefined {
    const budget = request.firstWordsMs;
    const speed = this.readMsPerToken;
    if (budget === undefined || speed === undefined || read.read < SPEED_SAMPLE_TOKENS) return undefined;
    const needMs = elapsedMs + read.read * speed;
    if (needMs <= budget) return undefined;
    return `the prompt needs ${read.read} tokens read (~${Math.round(needMs)} ms to first words), past the ${Math.round(budget)} ms deadline`;
  }

  /** Folds one measured read (tokens in ms) into the reading speed. */
  private measured(tokens: number, ms: number): void {
    if (tokens < SPEED_SAMPLE_TOKENS || !(ms > 0)) return;
    const sample = ms / tokens;
    this.readMsPerToken = this.readMsPerToken === undefined ? sample : 0.7 * this.readMsPerToken + 0.3 * sample;
  }

  /** A signal for one job that the caller's signal and close() abort; `done` aborts and forgets it. */
  private track(signal?: AbortSignal): { controller: AbortController; done: () => void } {
    const controller = new AbortController();
    const forward = () => controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    if (signal?.aborted) controller.abort();
    this.running.add(controller);
    const done = () => {
      controller.abort();
      this.running.delete(controller);
      signal?.removeEventListener('abort', forward);
    };
    return { controller, done };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.running) c.abort();
    for (const w of this.waiting.splice(0)) w.reject(new DialogueError(this.name, 'unavailable', 'engine closed'));
    await this.context.dispose();
    await this.model.dispose();
  }

  /**
   * The request cut to fit one sequence with its reply: a prompt cut by llama.cpp loses its start,
   * the persona. Memory and recent turns share the room the persona and rules leave, memory at
   * most half of it (its oldest lines go first); the oldest turns go when turns outgrow the rest,
   * a third of their room at a time, since every cut moves what follows it and the model must read
   * that again. Where the prompt is cut is decided without the player's line (a reserve stands for
   * it), so that a prompt read ahead with no line and the reply that follows it are cut alike.
   */
  private fit(request: DialogueRequest): { request: DialogueRequest; tokens: Token[] } {
    const room = this.context.contextSize - (request.maxTokens ?? this.options.maxTokens ?? 200);
    const tokens = this.promptTokens(request);
    const bare = (r: DialogueRequest) => ({ ...r, prompt: { ...r.prompt, playerLine: '', note: undefined } });
    const reserve = Math.max(LINE_RESERVE_TOKENS, tokens.length - this.promptTokens(bare(request)).length);
    const size = (r: DialogueRequest) => this.promptTokens(bare(r)).length + reserve;
    if (size(request) <= room) return { request, tokens };
    let fitted = request;
    const withPrompt = (prompt: Partial<DialoguePrompt>) => ({ ...fitted, prompt: { ...fitted.prompt, ...prompt } });
    const fixed = size(withPrompt({ history: [], memory: undefined }));
    const [heading, ...lines] = (fitted.prompt.memory ?? '').split('\n');
    const memorySize = () => size(withPrompt({ history: [] })) - fixed;
    while (lines.length > 0 && memorySize() > (room - fixed) / 2) {
      lines.splice(0, Math.max(1, Math.ceil(lines.length / 4)));
      fitted = withPrompt({ memory: lines.length > 0 ? [heading, ...lines].join('\n') : undefined });
    }
    const noHistory = size(withPrompt({ history: [] }));
    const target = room - Math.floor(Math.max(0, room - noHistory) / 3);
    while (fitted.prompt.history.length > 0 && size(fitted) > target)
      fitted = withPrompt({ history: fitted.prompt.history.slice(2) });
    return { request: fitted, tokens: this.promptTokens(fitted) };
  }

  /**
   * The tokens LlamaCompletion builds for this request's prompt (its BOS, then the text with the
   * leading space trimmed), to find the sequence that already holds most of them.
   */
  private promptTokens(request: DialogueRequest): Token[] {
    const text = formatPrompt(this.format, request.prompt);
    const bos = this.beginningToken();
    return bos === null
      ? text.tokenize(this.model.tokenizer)
      : [bos, ...text.tokenize(this.model.tokenizer, 'trimLeadingSpace')];
  }

  /** The token LlamaCompletion puts before every prompt of this model, if any. */
  private beginningToken(): Token | null {
    const { tokens: special, vocabularyType } = this.model;
    if (vocabularyType === 'rwkv' || vocabularyType === 'ugm') return null;
    return vocabularyType === 'wpm' || special.shouldPrependBosToken ? special.bos : null;
  }

  /** Reads prompt tokens into the completion's sequence, keeping what it already holds of them. */
  private async readInto(completion: LlamaCompletion, tokens: Token[]): Promise<PromptRead> {
    const sequence = this.sequenceOf.get(completion);
    if (!sequence) return { tokens: tokens.length, read: 0, from: tokens.length };
    await sequence.adaptStateToTokens(tokens, false);
    const from = sequence.nextTokenIndex;
    const rest = tokens.slice(from);
    const started = performance.now();
    if (rest.length > 0) await sequence.evaluateWithoutGeneratingNewTokens(rest);
    this.measured(rest.length, performance.now() - started);
    return { tokens: tokens.length, read: rest.length, from };
  }

  /**
   * A free sequence: the one that already holds the longest start of `tokens` (the same NPC's
   * persona prompt, read before), so that only the rest is read; else the first to come free.
   */
  private acquire(signal: AbortSignal, tokens: Token[]): Promise<LlamaCompletion> {
    if (this.closed) return Promise.reject(new DialogueError(this.name, 'unavailable', 'engine closed'));
    if (signal.aborted) return Promise.reject(new DialogueError(this.name, 'aborted', 'generation aborted'));
    const shared = (c: LlamaCompletion) =>
      this.sequenceOf.get(c)?.compareContextTokens(tokens).firstDifferentIndex ?? 0;
    const bestOf = (list: LlamaCompletion[]) =>
      list.reduce<LlamaCompletion | undefined>((a, c) => (a === undefined || shared(c) > shared(a) ? c : a), undefined);
    const free = bestOf(this.free);
    const held = bestOf(this.all);
    // A busy sequence that already holds far more of this prompt is worth waiting for: a
    // generation ends in about a second, reading ~1,000 tokens again takes longer on a CPU.
    const want =
      held && !this.free.includes(held) && shared(held) - (free ? shared(free) : 0) > REREAD_TOKENS ? held : undefined;
    if (free && !want) {
      this.free.splice(this.free.indexOf(free), 1);
      return Promise.resolve(free);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: (c: LlamaCompletion) => {
          signal.removeEventListener('abort', onAbort);
          resolve(c);
        },
        reject,
        want,
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(new DialogueError(this.name, 'aborted', 'generation aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private release(completion: LlamaCompletion): void {
    let i = this.waiting.findIndex((w) => w.want === completion);
    if (i < 0) i = this.waiting.findIndex((w) => w.want === undefined);
    const next = i >= 0 ? this.waiting.splice(i, 1)[0] : undefined;
    if (next) next.resolve(completion);
    else this.free.push(completion);
  }
}
