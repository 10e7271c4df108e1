import { TIERS, type TierName } from '@stagecraft/protocol';
import type { Logger } from 'pino';
import {
  type DialogueEngine,
  DialogueError,
  type DialogueReply,
  type DialogueRequest,
  type PromptRead,
  readsPrompts,
} from '../engines/dialogue/dialogue.js';
import { dialogueSteps, firstToSpeak } from '../engines/dialogue/dialogue-tiers.js';
import type { FallbackCounter } from '../engines/tier-router.js';
import { Channel } from '../media/channel.js';
import type { Counter } from '../telemetry/metrics.js';
import type { BarkEngine } from './bark-engine.js';
import { buildPrompt } from './build-prompt.js';
import type { DialogueGuard, GuardContext } from './dialogue-guard.js';
import type { DialogueBounds } from './director-bounds.js';
import type { MemoryStore, Recall } from './memory-store.js';
import type { Persona } from './persona.js';

/** The engines of each tier: gold and silver are models (either may be absent), bronze is authored lines. */
export interface DialogueTiers {
  gold?: DialogueEngine;
  silver?: DialogueEngine;
  bronze: BarkEngine;
}

export interface DialogueServiceOptions {
  tiers: DialogueTiers;
  /** A tier that has said nothing this many ms after the request hands over to the next. Default 1500. */
  firstWordsMs?: number;
  guard: DialogueGuard;
  /** Conversation memory; without it NPCs remember nothing between lines. */
  memory?: MemoryStore;
  log: Logger;
  /** Counts a tier handing over to the next (service `dialogue`). */
  fallbacks?: FallbackCounter;
  /** Counts replies the first tier did not write, by {@link FallbackReason}. */
  fallbackReasons?: Counter<'reason'>;
}

/**
 * Why a reply is not the first tier's own: it could not say its first words in time
 * (`deadline`), its queue was full (`queue-full`), it failed or wrote nothing usable (`failure`),
 * or the player's line or the model's was blocked (`safety`).
 */
export type FallbackReason = 'deadline' | 'queue-full' | 'failure' | 'safety';

/** A whole reply: who wrote it, why not the first tier if not, and what its prompt read. */
export type ServiceReply = DialogueReply & {
  tier: TierName;
  engine: string;
  fallback?: FallbackReason;
  prompt?: PromptRead;
};

/** One player line to one NPC, with everything its reply is made from. */
export interface ReplyRequest {
  sceneId: string;
  npcId: string;
  playerId: string;
  playerLine: string;
  persona: Persona;
  scene: { title?: string; phase: string };
  bounds: DialogueBounds;
  guard: GuardContext;
  /** The NPC's importance: gold NPCs try gold, then silver, then bronze; silver starts at silver. */
  tier: TierName;
  names?: Readonly<Record<string, string>>;
}

/** A reply as it is written: its text for the voice now, the whole structured reply when done. */
export interface ReplyStream {
  text: AsyncIterable<string>;
  reply: Promise<ServiceReply>;
}

/**
 * Answers player lines in character: screens the line, builds the prompt from persona, scene,
 * bounds and memory, and runs the tiers in order — a tier that fails or misses its deadline
 * before its first words hands over to the next, down to authored lines, so the NPC always
 * answers. Generated text is screened clause by clause before it is spoken; the exchange is
 * remembered once the reply is complete.
 */
export class DialogueService {
  /** Prompts being read ahead after a reply. */
  private readonly reading = new Set<Promise<unknown>>();

  constructor(private readonly options: DialogueServiceOptions) {}

  /** Resolves once every prompt being read ahead now has been read (or has failed). */
  async settled(): Promise<void> {
    while (this.reading.size > 0) await Promise.all(this.reading);
  }

  /** The tiers an NPC of `tier` tries, in order. */
  chain(tier: TierName): DialogueEngine[] {
    const { tiers } = this.options;
    return TIERS.slice(TIERS.indexOf(tier))
      .map((t) => tiers[t])
      .filter((e): e is DialogueEngine => e !== undefined);
  }

  /**
   * Reads an NPC's next prompt (persona, scene, bounds, and the player's memory when `playerId`
   * is given; no player line) into the model it will first try, so that its next reply reads only
   * the player's words. Runs when no one waits: at scene start, when a player joins, after each
   * reply. No deadline: a prompt read takes as long as it takes. Failures are only logged.
   */
  async prime(
    request: Omit<ReplyRequest, 'playerId' | 'playerLine' | 'guard'> & { playerId?: string },
  ): Promise<PromptRead | undefined> {
    const engine = this.chain(request.tier)[0];
    if (!engine || engine.tier === 'bronze' || !readsPrompts(engine)) return undefined;
    const { memory, log } = this.options;
    const where = { sceneId: request.sceneId, npcId: request.npcId, tier: engine.tier };
    try {
      const key = request.playerId && { sceneId: request.sceneId, npcId: request.npcId, playerId: request.playerId };
      const recall = key && memory ? await memory.recall(key) : { summary: '', turns: [] };
      // A player with no memory of this NPC starts from the prompt read when the scene opened.
      if (key && recall.summary === '' && recall.turns.length === 0) return undefined;
      const built = buildPrompt({ ...request, playerLine: '', memory: recall });
      const started = performance.now();
      const read = await engine.readPrompt({ sceneId: request.sceneId, npcId: request.npcId, prompt: built.prompt });
      log.debug({ ...where, ms: Math.round(performance.now() - started), read }, 'dialogue prompt read ahead');
      return read;
    } catch (err) {
      log.warn({ err, ...where }, 'dialogue prompt not read ahead');
      return undefined;
    }
  }

  /** The first model tier (gold or silver) an NPC of `tier` tries; none when it only has authored lines. */
  firstModel(tier: TierName): TierName | undefined {
    const first = this.chain(tier)[0];
    return first && first.tier !== 'bronze' ? first.tier : undefined;
  }

  respond(request: ReplyRequest, signal?: AbortSignal): ReplyStream {
    const text = new Channel<string>();
    const reply = this.run(request, text, signal).finally(() => text.close());
    reply.catch(() => undefined);
    return { text, reply };
  }

  private async run(request: ReplyRequest, text: Channel<string>, signal?: AbortSignal) {
    const { guard, memory, log } = this.options;
    const key = { sceneId: request.sceneId, npcId: request.npcId, playerId: request.playerId };
    const screened = guard.screenInput(request.guard, request.playerLine);
    if (!screened.allowed) {
      text.push(screened.fallback.line);
      this.options.fallbackReasons?.inc({ reason: 'safety' });
      return { ...screened.fallback, tier: 'bronze' as const, engine: 'barks', fallback: 'safety' as const };
    }
    let recall: Recall = { summary: '', turns: [] };
    if (memory)
      recall = await memory.recall(key).catch((err: unknown) => {
        log.warn({ err, ...key }, 'dialogue memory unavailable; answering without it');
        return recall;
      });
    const built = buildPrompt({ ...request, memory: recall });
    if (built.injection.suspicious)
      log.info({ event: 'dialogue.injection', ...key, kinds: built.injection.kinds }, 'player line flagged');
    const dialogueRequest: DialogueRequest = {
      sceneId: request.sceneId,
      npcId: request.npcId,
      prompt: built.prompt,
      firstWordsMs: this.firstWordsMs,
    };
    const answer = await this.generate(this.chain(request.tier), dialogueRequest, request.guard, text, signal);
    if (answer.fallback) this.options.fallbackReasons?.inc({ reason: answer.fallback });
    // The line is complete: let the voice finish it now, and remember it meanwhile.
    text.close();
    if (memory && answer.line.trim()) {
      const written = await memory
        .append(key, [
          { speaker: 'player', text: built.playerText },
          { speaker: 'npc', text: answer.line },
        ])
        .then(
          () => true,
          (err: unknown) => {
            log.warn({ err, ...key }, 'dialogue memory not written');
            return false;
          },
        );
      // While the line is spoken, the model reads what the next reply will start with: this
      // exchange, and the summary when older turns folded into it.
      if (written && !signal?.aborted) {
        const read = this.prime(request).finally(() => this.reading.delete(read));
        this.reading.add(read);
      }
    }
    return answer;
  }

  private get firstWordsMs(): number {
    return this.options.firstWordsMs ?? 1500;
  }

  /**
   * Runs the tiers: the first to say something within its deadline speaks the line. A tier that
   * fails after its first event but before any words were spoken hands over to the next.
   */
  private async generate(
    chain: DialogueEngine[],
    request: DialogueRequest,
    ctx: GuardContext,
    text: Channel<string>,
    signal?: AbortSignal,
  ): Promise<ServiceReply> {
    const { log, guard } = this.options;
    let fallback: FallbackReason | undefined;
    const where = { event: 'dialogue.fallback', sceneId: request.sceneId, npcId: request.npcId };
    const options = {
      firstWordsMs: this.firstWordsMs,
      fallbacks: this.options.fallbacks,
      onFallback: (from: { name: string; tier: TierName }, _to: unknown, err: unknown) => {
        const code = codeOf(err);
        fallback ??= reasonOf(code);
        log.warn({ ...where, engine: from.name, code }, `dialogue ${from.name} (${from.tier}) failed: ${code}`);
      },
    };
    let steps = dialogueSteps(chain);
    let said = '';
    while (steps.length > 0) {
      let speaking: Awaited<ReturnType<typeof firstToSpeak>>;
      try {
        speaking = await firstToSpeak(steps, request, options, signal);
      } catch {
        break;
      }
      const { step } = speaking;
      try {
        for await (const event of guard.screen(speaking.events, ctx)) {
          if (event.kind === 'text') {
            said += event.text;
            text.push(event.text);
            // The line is complete: the voice may finish it while the model writes the delivery.
            if (event.last) text.close();
          } else {
            const replaced = event.replaced === 'blocked' ? 'safety' : event.replaced && 'failure';
            const why = fallback ?? replaced;
            return {
              ...event.reply,
              tier: step.tier,
              engine: step.name,
              ...(why ? { fallback: why } : {}),
              ...(event.prompt ? { prompt: event.prompt } : {}),
            };
          }
        }
        throw new DialogueError(step.name, 'bad-output', 'the engine ended without a reply');
      } catch (err) {
        const next = steps[steps.indexOf(step) + 1];
        if (next && !said.trim() && !signal?.aborted) {
          options.fallbacks?.inc({ service: 'dialogue', from: step.name, to: next.name, code: codeOf(err) });
        }
        options.onFallback(step, next, err);
        if (signal?.aborted) break;
        // Words already spoken cannot be taken back: end the line there.
        fallback ??= reasonOf(codeOf(err));
        if (said.trim())
          return { ...guard.fallback(ctx, 'unknown'), line: said, tier: step.tier, engine: step.name, fallback };
        steps = steps.slice(steps.indexOf(step) + 1);
      }
    }
    const bark = guard.fallback(ctx, 'unknown');
    if (!said.trim()) text.push(bark.line);
    const first = chain[0];
    const why = fallback ?? (first && first.tier !== 'bronze' ? 'failure' : undefined);
    return { ...bark, tier: 'bronze', engine: 'barks', ...(why ? { fallback: why } : {}) };
  }
}

function codeOf(err: unknown): string {
  return err instanceof DialogueError ? err.code : 'engine-failed';
}

function reasonOf(code: string): FallbackReason {
  if (code === 'timeout') return 'deadline';
  if (code === 'overloaded') return 'queue-full';
  return 'failure';
}
