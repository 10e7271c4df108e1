import type { DialogueErrorCode, DialogueEvent, DialogueRequest, PromptRead } from './dialogue.js';
import type { LlamaEngineOptions } from './llama-engine.js';

// IPC between LlamaChildEngine and the model host it forks (llama-host.ts). One host loads one
// model once; generations are numbered by the parent and may run at once (one per sequence).

/** Parent → host. */
export type ToHost =
  /** Load the model; answered by `loaded` or `load-failed`. Sent once, first. */
  | { type: 'load'; options: LlamaEngineOptions }
  /** Start generation `id`; answered by `event`s, then `end` or `error`. */
  | { type: 'generate'; id: number; request: DialogueRequest }
  /** Read the prompt of `request` ahead, writing nothing, as job `id`; answered by `end` or `error`. */
  | { type: 'read'; id: number; request: DialogueRequest }
  /** Stop generation `id`; the host answers with its `error` (`aborted`) or nothing if it had ended. */
  | { type: 'abort'; id: number }
  /** Free the model and exit. */
  | { type: 'dispose' };

/** Host → parent. */
export type FromHost =
  | { type: 'loaded'; sequences: number }
  | { type: 'load-failed'; message: string }
  | { type: 'event'; id: number; event: DialogueEvent }
  /** What prompt read `id` read; sent before its `end`. */
  | { type: 'read'; id: number; read: PromptRead }
  | { type: 'end'; id: number }
  | { type: 'error'; id: number; code: DialogueErrorCode; message: string; retryable: boolean };
