import type { Tier } from '../../performance/frames.js';

/** Emotions a line can carry; the face and the voice read them. */
export const EMOTIONS = ['neutral', 'joy', 'sadness', 'anger', 'fear', 'surprise', 'disgust'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** Gestures a line can ask the engine to play. */
export const GESTURES = ['none', 'nod', 'head_shake', 'shrug', 'lean_in', 'point', 'wave'] as const;
export type Gesture = (typeof GESTURES)[number];

/** What a line is meant to do. */
export const INTENTS = ['inform', 'greet', 'ask', 'refuse', 'agree', 'threaten', 'comfort', 'farewell'] as const;
export type Intent = (typeof INTENTS)[number];

/** The structured reply every dialogue engine produces (the grammar's shape). */
export interface DialogueReply {
  line: string;
  emotion: Emotion;
  /** 0..1. */
  intensity: number;
  gesture: Gesture;
  intent: Intent;
}

/** One turn of a conversation, oldest first in a history. */
export interface DialogueTurn {
  speaker: 'player' | 'npc';
  text: string;
}

/** Everything the prompt is built from; engines format it (own format or the model's chat template). */
export interface DialoguePrompt {
  /** Persona and rules as prose: who the NPC is, how it speaks, what it must not say. */
  system: string;
  /** Recalled memory: rolling summary and recent turns. */
  history: DialogueTurn[];
  /** What the player just said. */
  playerLine: string;
}

export interface DialogueRequest {
  sceneId: string;
  npcId: string;
  prompt: DialoguePrompt;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
  /** Sampling seed for this request (replays, tests); the engine's own when absent. */
  seed?: number;
  /**
   * Read the prompt into the model and write nothing (no events): the NPC's next reply then
   * reads only what is new. Engines without a model cache ignore such requests.
   */
  prime?: boolean;
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
    };

/**
 * A dialogue engine: writes an NPC's reply. Providers implement this directly; the deadline
 * guard and the tier router implement it around other engines.
 */
export interface DialogueEngine {
  readonly name: string;
  readonly tier: Tier;
  /** Streams one reply. Throws {@link DialogueError}; an aborted signal ends it promptly. */
  generate(request: DialogueRequest, signal?: AbortSignal): AsyncIterable<DialogueEvent>;
  /** Frees the model and any child process. */
  close(): Promise<void>;
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
