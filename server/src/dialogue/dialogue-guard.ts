import type { Logger } from 'pino';
import { isSpeakable } from '../common/speakable.js';
import type { DialogueEvent, DialogueReply, PromptRead } from '../engines/dialogue/dialogue.js';
import type { BarkLibrary, Situation } from './barks.js';
import { checkLine, type DialogueBounds } from './director-bounds.js';
import { DEFAULT_RATING, type ModerationSide, type Moderator, type Rating } from './moderation.js';

/** Who is speaking, where, under which rating and bounds. */
export interface GuardContext {
  sceneId: string;
  npcId: string;
  /** Default PG-13. */
  rating?: Rating;
  /** Checks on generated lines from the director's bounds; none when absent. */
  bounds?: DialogueBounds;
}

/** Why a line was blocked: a moderation category, or a director bound (`secret` or `rule`). */
export interface Blocked {
  side: ModerationSide;
  /** A moderation category, or `secret` / `rule`. */
  category: string;
  /** The bound's id (`secret[0]`, `rule[2]`) when a bound blocked it. */
  boundId?: string;
}

export type Screened = { allowed: true } | { allowed: false; blocked: Blocked; fallback: DialogueReply };

export interface DialogueGuardOptions {
  moderator: Moderator;
  barks: BarkLibrary;
  /** Each block is logged at `warn` with side, category and rating, never the text itself. */
  logger?: Logger;
}

// Release streamed text up to the last clause end followed by a space.
const CLAUSE_END = /[.!?;:,…—](?=\s)/g;

/**
 * Screens player lines and generated lines: moderation by the scene's rating, and the director's
 * bounds on generated lines. A blocked line gets an in-character fallback (the NPC's `deflect`
 * bark), never silence.
 */
export class DialogueGuard {
  constructor(private readonly options: DialogueGuardOptions) {}

  /** Screens the player's line before it reaches the model or memory. */
  screenInput(ctx: GuardContext, text: string): Screened {
    const rating = ctx.rating ?? DEFAULT_RATING;
    const verdict = this.options.moderator.check(text, 'input', rating);
    if (verdict.allowed) return { allowed: true };
    return this.block(ctx, { side: 'input', category: verdict.category });
  }

  /** Screens a generated line (or the part written so far): moderation, then the bounds. */
  screenOutput(ctx: GuardContext, text: string): Screened {
    const rating = ctx.rating ?? DEFAULT_RATING;
    const verdict = this.options.moderator.check(text, 'output', rating);
    if (!verdict.allowed) return this.block(ctx, { side: 'output', category: verdict.category });
    if (ctx.bounds) {
      const bound = checkLine(ctx.bounds, text);
      if (!bound.allowed) return this.block(ctx, { side: 'output', category: bound.kind, boundId: bound.id });
    }
    return { allowed: true };
  }

  /** An authored line for a situation, e.g. when a model gave no usable line. */
  fallback(ctx: GuardContext, situation: Situation = 'deflect'): DialogueReply {
    return this.options.barks.pick(ctx.sceneId, ctx.npcId, situation);
  }

  /**
   * A stage over an engine's events: text is held until a clause ends, and each clause is
   * screened (with everything before it) before it is passed on. When one is blocked, generation
   * is stopped and the fallback line follows the clauses already passed; the reply then carries
   * those clauses and the fallback. A reply with nothing a voice can say (empty, or punctuation
   * only) becomes an `unknown` bark.
   */
  async *screen(events: AsyncIterable<DialogueEvent>, ctx: GuardContext): AsyncIterable<DialogueEvent> {
    const started = performance.now();
    let passed = '';
    let pending = '';
    let tokens = 0;
    const replace = (fallback: DialogueReply, replaced: 'blocked' | 'empty', prompt?: PromptRead): DialogueEvent[] => {
      const line = passed ? `${passed.trimEnd()} ${fallback.line}` : fallback.line;
      const totalMs = performance.now() - started;
      const reply = {
        kind: 'reply',
        reply: { ...fallback, line },
        tokens,
        firstTokenMs: totalMs,
        totalMs,
        replaced,
      } as const;
      return [
        { kind: 'text', text: passed ? ` ${fallback.line}` : fallback.line },
        prompt ? { ...reply, prompt } : reply,
      ];
    };
    let replied = false;
    for await (const event of events) {
      if (replied) continue;
      if (event.kind === 'text') {
        pending += event.text;
        const end = event.last ? pending.length : lastClauseEnd(pending);
        if (end === 0 && !event.last) continue;
        const release = pending.slice(0, end);
        const screened = this.screenOutput(ctx, passed + release);
        if (!screened.allowed) {
          yield* replace(screened.fallback, 'blocked');
          return;
        }
        passed += release;
        pending = pending.slice(end);
        // A line with nothing to say is not complete: an authored line will follow it.
        const last = event.last && isSpeakable(passed);
        yield last ? { kind: 'text', text: release, last: true } : { kind: 'text', text: release };
        continue;
      }
      tokens = event.tokens;
      const line = event.reply.line;
      const streamed = passed + pending;
      let screened = this.screenOutput(ctx, line);
      if (screened.allowed && streamed.trim() !== line.trim()) screened = this.screenOutput(ctx, streamed);
      if (!screened.allowed) {
        yield* replace(screened.fallback, 'blocked', event.prompt);
        return;
      }
      if (!isSpeakable(line) && !isSpeakable(passed)) {
        yield* replace(this.fallback(ctx, 'unknown'), 'empty', event.prompt);
        return;
      }
      if (pending) yield { kind: 'text', text: pending };
      yield event;
      // Let the engine finish on its own: it has nothing after its reply.
      replied = true;
    }
  }

  private block(ctx: GuardContext, blocked: Blocked): Screened {
    this.options.logger?.warn(
      {
        event: 'dialogue.blocked',
        sceneId: ctx.sceneId,
        npcId: ctx.npcId,
        side: blocked.side,
        category: blocked.category,
        rating: ctx.rating ?? DEFAULT_RATING,
        ...(blocked.boundId ? { bound: blocked.boundId } : {}),
      },
      `dialogue ${blocked.side} blocked: ${blocked.category}`,
    );
    return { allowed: false, blocked, fallback: this.fallback(ctx, 'deflect') };
  }
}

function lastClauseEnd(text: string): number {
  let end = 0;
  for (const m of text.matchAll(CLAUSE_END)) end = m.index + 1;
  return end;
}
