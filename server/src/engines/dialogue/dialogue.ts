import type { EmotionName, GestureName, IntentName, TierName } from '@stagecraft/protocol';

/** The structured reply every dialogue engine produces (the grammar's shape). */
export interface DialogueReply {
  line: string;
  emotion: EmotionName;
  /** 0..1. */
  intensity: number;
  gesture: GestureName;
  intent: IntentName;
}

/** One turn of a conversation, oldest first in a history. */
export interface DialogueTurn {
  speaker: 'player' | 'npc';
  text: string;
}

/**
 * Everything the prompt is built from; engines format it (own format or the model's chat
 * template) in this order, from what changes least to what changes every line, so that a model
 * that keeps what it has read reads only the end again: `system`, `rules`, `memory`, `history`,
 * `note`, `playerLine`.
 */
export interface DialoguePrompt {
  /** Who the NPC is, how it speaks, how player words arrive: the same for a whole conversation. */
  system: string;
  /** Direction and rules of the moment (phase, stance); they change with the scene. */
  rules?: string;
  /**
   * The rolling summary of older turns; it changes when turns fold into it. A heading line, then
   * one line per fact, oldest first: an engine short of room leaves out the oldest facts.
   */
  memory?: string;
  /** Recent turns, oldest first: each line appends to them. */
  history: DialogueTurn[];
  /** About this line only (the scene's phase, a cut or suspicious player line). */
  note?: string;
  /** What the player just said. */
  playerLine: string;
}

export interface DialogueRequest {
  sceneId: string;
  npcId: string;
  prompt: DialoguePrompt;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
  /**
   * Ms from the request to the first words it is of use by; an engine that knows it cannot
   * start speaking in time fails at once with `timeout` instead of making the caller wait.
   */
  firstWordsMs?: number;
  /** Sampling seed for this request (replays, tests); the engine's own when absent. */
  seed?: number;
}

/**
 * What a generation streams: fragments of the `line` field as the model writes them (so the
 * voice can start on the first clause), then exactly one `reply` with the whole parsed output.
 */
export type DialogueEvent =
  | {
      kind: 'text';
      text: string;
      /** The line is complete with this fragment; the reply's other fields follow. */
      last?: boolean;
    }
  | {
      kind: 'reply';
      reply: DialogueReply;
      /** Generated tokens. */
      tokens: number;
      /** Request to first generated token, ms. */
      firstTokenMs: number;
      /** Request to reply, ms. */
      totalMs: number;
      /** The token limit cut the output: `line` is what was streamed, the other fields are defaults. */
      truncated?: boolean;
      /** Prompt tokens, and of them those read for this reply (not already held by the model). */
      prompt?: PromptRead;
      /** The model's reply was replaced by an authored line: its words were `blocked`, or it said nothing (`empty`). */
      replaced?: 'blocked' | 'empty';
    };

/** What reading one prompt took: its tokens, and those the model had not already read. */
export interface PromptRead {
  tokens: number;
  /** Tokens read now, from `from` on; the rest were kept from an earlier read. */
  read: number;
  /** Index of the first token read now; tokens before it were kept. */
  from: number;
}

/**
 * A dialogue engine: writes an NPC's reply. Providers implement this directly; the deadline
 * guard and the tier router implement it around other engines.
 */
export interface DialogueEngine {
  readonly name: string;
  readonly tier: TierName;
  /** Streams one reply. Throws {@link DialogueError}; an aborted signal ends it promptly. */
  generate(request: DialogueRequest, signal?: AbortSignal): AsyncIterable<DialogueEvent>;
  /** Frees the model and any child process. */
  close(): Promise<void>;
}

/**
 * An engine that keeps what it has read (a model's context cache) and can read a prompt ahead,
 * writing nothing, so that the NPC's next reply reads only what is new.
 */
export interface PromptReader {
  /**
   * Reads the request's prompt into the model; with an empty player line, the prompt of the
   * NPC's next reply up to the player's words. Says what it read. Throws {@link DialogueError}.
   */
  readPrompt(request: DialogueRequest, signal?: AbortSignal): Promise<PromptRead | undefined>;
}

export function readsPrompts<E extends DialogueEngine>(engine: E): engine is E & PromptReader {
  return typeof (engine as Partial<PromptReader>).readPrompt === 'function';
}

export type DialogueErrorCode = 'unavailable' | 'timeout' | 'aborted' | 'overloaded' | 'engine-failed' | 'bad-output';

/** A dialogue failure; `retryable` says whether the same request may succeed later. */
export class DialogueError extends Error {
  constructor(
    readonly engine: string,
    readonly code: DialogueErrorCode,
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(`${engine}: ${message}`, options);
    this.name = 'DialogueError';
  }
}
