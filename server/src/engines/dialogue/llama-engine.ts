import os from 'node:os';
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
import type { Tier } from '../../performance/frames.js';
import { type DialogueEngine, DialogueError, type DialogueEvent, type DialogueRequest } from './dialogue.js';
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
  tier?: Tier;
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
export class LlamaEngine implements DialogueEngine {
  readonly name: string;
  readonly tier: Tier;
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
    const controller = new AbortController();
    const forward = () => controller.abort();
    signal?.addEventListener('abort', forward, { once: true });
    if (signal?.aborted) controller.abort();
    this.running.add(controller);
    try {
      if (this.closed) throw new DialogueError(this.name, 'unavailable', 'engine closed');
      const { request, tokens } = this.fit(asked);
      const completion = await this.acquire(controller.signal, tokens);
      if (request.prime) {
        await this.prime(completion, tokens).finally(() => this.release(completion));
        return;
      }
      const generation = new LlamaGeneration(this.name, controller.signal, startedMs);
      completion
        // The prompt as tokenized above, without the beginning token the completion adds itself.
        .generateCompletionWithMeta(this.beginningToken() === null ? tokens : tokens.slice(1), {
          grammar: this.grammar,
          maxTokens: request.maxTokens ?? this.options.maxTokens ?? 200,
          temperature: this.options.temperature ?? 0.7,
          seed: request.seed ?? this.options.seed,
          signal: controller.signal,
          onToken: (tokens) => generation.tokens(tokens.length),
          onTextChunk: (text) => generation.text(text),
        })
        .then(
          (result) => generation.finish(result.response, result.metadata.stopReason === 'maxTokens'),
          (err) => generation.fail(err),
        )
        .finally(() => this.release(completion));
      yield* generation.events();
    } finally {
      controller.abort();
      this.running.delete(controller);
      signal?.removeEventListener('abort', forward);
    }
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
   * The request with as many of its oldest history turns left out as it takes for the prompt and
   * the reply to fit one sequence: a prompt cut by llama.cpp loses its start, the persona.
   */
  private fit(request: DialogueRequest): { request: DialogueRequest; tokens: Token[] } {
    const room = this.context.contextSize - (request.maxTokens ?? this.options.maxTokens ?? 200);
    let fitted = request;
    let tokens = this.promptTokens(fitted);
    // Cut well below the limit, so the next few lines add turns without cutting again: every
    // cut moves the history's start, and the model must read all of it again.
    const target = tokens.length > room ? Math.floor(room * 0.7) : room;
    while (tokens.length > target && fitted.prompt.history.length > 0) {
      fitted = { ...fitted, prompt: { ...fitted.prompt, history: fitted.prompt.history.slice(2) } };
      tokens = this.promptTokens(fitted);
    }
    return { request: fitted, tokens };
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
  private async prime(completion: LlamaCompletion, tokens: Token[]): Promise<void> {
    const sequence = this.sequenceOf.get(completion);
    if (!sequence) return;
    await sequence.adaptStateToTokens(tokens, false);
    const rest = tokens.slice(sequence.nextTokenIndex);
    if (rest.length > 0) await sequence.evaluateWithoutGeneratingNewTokens(rest);
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
