import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { DialogueEngine, DialogueReply, DialogueRequest } from '../engines/dialogue/dialogue.js';
import { DialogueError } from '../engines/dialogue/dialogue.js';
import { Channel } from '../performance/channel.js';
import type { Tier } from '../performance/frames.js';
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
  /**
   * The model tiers without their deadline, for reading NPCs' prompts ahead of their first reply
   * (a prompt read takes as long as it takes; it must not be cut off at the first-words deadline).
   */
  primers?: Partial<Record<Tier, DialogueEngine>>;
  guard: DialogueGuard;
  /** Conversation memory; without it NPCs remember nothing between lines. */
  memory?: MemoryStore;
  log: Logger;
  /** Counts a tier handing over to the next, by `tier` and error `code`. */
  fallbacks?: Counter<'tier' | 'code'>;
}

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
  tier: Tier;
  names?: Readonly<Record<string, string>>;
}

/** A reply as it is written: its text for the voice now, the whole structured reply when done. */
export interface ReplyStream {
  text: AsyncIterable<string>;
  reply: Promise<DialogueReply & { tier: Tier; engine: string }>;
}

const ORDER: Tier[] = ['gold', 'silver', 'bronze'];

/**
 * Answers player lines in character: screens the line, builds the prompt from persona, scene,
 * bounds and memory, and runs the tiers in order — a tier that fails or misses its deadline
 * before its first words hands over to the next, down to authored lines, so the NPC always
 * answers. Generated text is screened clause by clause before it is spoken; the exchange is
 * remembered once the reply is complete.
 */
export class DialogueService {
  constructor(private readonly options: DialogueServiceOptions) {}

  /** The tiers an NPC of `tier` tries, in order. */
  chain(tier: Tier): DialogueEngine[] {
    const { tiers } = this.options;
    return ORDER.slice(ORDER.indexOf(tier))
      .map((t) => tiers[t])
      .filter((e): e is DialogueEngine => e !== undefined);
  }

  /**
   * Reads an NPC's prompt (persona, scene, bounds; no memory, no player line) into the model it
   * will first try, so that its first reply reads only what is new. Failures are only logged.
   */
  async prime(request: Omit<ReplyRequest, 'playerId' | 'playerLine' | 'guard'>): Promise<void> {
    const tier = this.firstModel(request.tier);
    const engine = tier && this.options.primers?.[tier];
    if (!tier || !engine) return;
    const built = buildPrompt({ ...request, playerLine: '', memory: { summary: '', turns: [] } });
    const started = performance.now();
    const where = { sceneId: request.sceneId, npcId: request.npcId, tier };
    try {
      const reading = { sceneId: request.sceneId, npcId: request.npcId, prompt: built.prompt, prime: true };
      for await (const _ of engine.generate(reading)) {
        // A prime writes nothing.
      }
      this.options.log.debug({ ...where, ms: Math.round(performance.now() - started) }, 'dialogue prompt read ahead');
    } catch (err) {
      this.options.log.warn({ err, ...where }, 'dialogue prompt not read ahead');
    }
  }

  /** The first model tier (gold or silver) an NPC of `tier` tries; none when it only has authored lines. */
  firstModel(tier: Tier): Tier | undefined {
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
      return { ...screened.fallback, tier: 'bronze' as const, engine: 'barks' };
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
    const dialogueRequest: DialogueRequest = { sceneId: request.sceneId, npcId: request.npcId, prompt: built.prompt };
    const answer = await this.generate(this.chain(request.tier), dialogueRequest, request.guard, text, signal);
    // The line is complete: let the voice finish it now, and remember it meanwhile.
    text.close();
    if (memory && answer.line.trim())
      await memory
        .append(key, [
          { speaker: 'player', text: built.playerText },
          { speaker: 'npc', text: answer.line },
        ])
        .catch((err: unknown) => log.warn({ err, ...key }, 'dialogue memory not written'));
    return answer;
  }

  /** Runs the chain: the first engine to say something within its deadline speaks the line. */
  private async generate(
    chain: DialogueEngine[],
    request: DialogueRequest,
    ctx: GuardContext,
    text: Channel<string>,
    signal?: AbortSignal,
  ): Promise<DialogueReply & { tier: Tier; engine: string }> {
    let said = '';
    for (const engine of chain) {
      try {
        for await (const event of this.options.guard.screen(engine.generate(request, signal), ctx)) {
          if (event.kind === 'text') {
            said += event.text;
            text.push(event.text);
            // The line is complete: the voice may finish it while the model writes the delivery.
            if (event.last) text.close();
          } else return { ...event.reply, tier: engine.tier, engine: engine.name };
        }
        throw new DialogueError(engine.name, 'bad-output', 'the engine ended without a reply');
      } catch (err) {
        const code = err instanceof DialogueError ? err.code : 'engine-failed';
        this.options.fallbacks?.inc({ tier: engine.tier, code });
        this.options.log.warn(
          { event: 'dialogue.fallback', sceneId: request.sceneId, npcId: request.npcId, engine: engine.name, code },
          `dialogue ${engine.name} (${engine.tier}) failed: ${code}`,
        );
        if (signal?.aborted) break;
        // Words already spoken cannot be taken back: end the line there.
        if (said.trim())
          return { ...this.options.guard.fallback(ctx, 'unknown'), line: said, tier: engine.tier, engine: engine.name };
      }
    }
    const fallback = this.options.guard.fallback(ctx, 'unknown');
    if (!said.trim()) text.push(fallback.line);
    return { ...fallback, tier: 'bronze', engine: 'barks' };
  }
}
