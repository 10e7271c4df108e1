import type { EmotionName, TierName } from '@stagecraft/protocol';
import {
  type DialogueEngine,
  DialogueError,
  type DialogueEvent,
  type DialogueRequest,
} from '../engines/dialogue/dialogue.js';
import type { BarkLibrary, Situation } from './barks.js';
import { PLAYER_CLOSE, PLAYER_OPEN } from './player-text.js';

export interface BarkEngineOptions {
  /** Which situation a request is; default {@link situationOf}. */
  situation?: (request: DialogueRequest) => Situation;
  /** The emotion to prefer, e.g. from the NPC's stance; default none. */
  emotion?: (request: DialogueRequest) => EmotionName | undefined;
}

const GREETING =
  /^(?:hello|hi|hiya|hey|greetings|good (?:morning|afternoon|evening|day)|well met|hail|howdy|ho there)\b/i;
const FAREWELL = /\b(?:bye|goodbye|farewell|see you|so long|good night|take care|i must go|i'll be going)\b/i;

/**
 * The situation a request is, from the player's line: a greeting opens a conversation, a farewell
 * ends one, silence is idle talk, anything else is a question the bronze tier cannot answer.
 */
export function situationOf(request: DialogueRequest): Situation {
  const line = request.prompt.playerLine.replace(PLAYER_OPEN, '').replace(PLAYER_CLOSE, '').trim();
  if (line === '') return 'idle';
  if (FAREWELL.test(line)) return 'farewell';
  if (GREETING.test(line)) return 'greet';
  return 'unknown';
}

/**
 * The bronze dialogue tier: authored lines, no model. It never fails for want of a line, so the
 * tier router can always fall back to it. Emits the whole line as one text event, then the reply.
 */
export class BarkEngine implements DialogueEngine {
  readonly name = 'barks';
  readonly tier: TierName = 'bronze';

  constructor(
    private readonly library: BarkLibrary,
    private readonly options: BarkEngineOptions = {},
  ) {}

  async *generate(request: DialogueRequest, signal?: AbortSignal): AsyncIterable<DialogueEvent> {
    const started = performance.now();
    if (signal?.aborted) throw new DialogueError(this.name, 'aborted', 'the request was aborted');
    const situation = (this.options.situation ?? situationOf)(request);
    const reply = this.library.pick(request.sceneId, request.npcId, situation, this.options.emotion?.(request));
    const firstTokenMs = performance.now() - started;
    yield { kind: 'text', text: reply.line };
    if (signal?.aborted) throw new DialogueError(this.name, 'aborted', 'the request was aborted');
    yield { kind: 'reply', reply, tokens: 0, firstTokenMs, totalMs: performance.now() - started };
  }

  async close(): Promise<void> {}
}
