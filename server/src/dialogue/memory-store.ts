import type { DialogueTurn } from '../engines/dialogue/dialogue.js';
import type { Database, Queryable } from '../persistence/database.js';
import { unstorableTextReason } from '../persistence/json-text.js';
import { cutAt } from './player-text.js';
import { foldIntoSummary, SUMMARY_MAX_CHARS } from './rolling-summary.js';

/** Whose memory: one NPC's conversation with one player in one scene. */
export interface ConversationKey {
  sceneId: string;
  npcId: string;
  playerId: string;
}

/** What an NPC remembers: the rolling summary of older turns and the recent turns, oldest first. */
export interface Recall {
  summary: string;
  turns: DialogueTurn[];
}

export interface MemoryOptions {
  /** Unsummarised turns allowed before the oldest are folded into the summary. Default 16. */
  window?: number;
  /** Unsummarised turns left after a fold. Default 8. */
  keep?: number;
  /** Longest summary, characters. Default SUMMARY_MAX_CHARS (1500). */
  summaryMaxChars?: number;
}

/** The longest turn stored, characters; longer text is cut. */
export const TURN_MAX_CHARS = 1000;

export class MemoryError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'MemoryError';
  }
}

const WHERE = 'scene_id = $1 and npc_id = $2 and player_id = $3';

/**
 * Conversation memory in the database (migration 0002): turns as they happen, and a rolling
 * summary that older turns fold into, so what a prompt recalls stays bounded however long the
 * conversation runs. It survives restarts: everything is in the database, nothing in memory.
 */
export class MemoryStore {
  private readonly window: number;
  private readonly keep: number;
  private readonly summaryMaxChars: number;

  constructor(
    private readonly db: Database,
    options: MemoryOptions = {},
  ) {
    this.window = options.window ?? 16;
    this.keep = Math.min(options.keep ?? 8, this.window);
    this.summaryMaxChars = options.summaryMaxChars ?? SUMMARY_MAX_CHARS;
    if (!(this.window >= 1 && this.keep >= 0)) throw new MemoryError('window must be at least 1 and keep at least 0');
  }

  /**
   * Appends turns (oldest first) in one transaction, folding the oldest into the summary when
   * more than `window` are unsummarised. Bad input throws MemoryError and stores nothing.
   */
  async append(key: ConversationKey, turns: readonly DialogueTurn[]): Promise<void> {
    const params = keyParams(key);
    const clean = turns.map((t, i) => checkTurn(t, i));
    if (clean.length === 0) return;
    await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ first: number; summary: string; folded: number }>(
        `insert into dialogue_conversations (scene_id, npc_id, player_id, next_seq) values ($1, $2, $3, 1 + $4::int)
         on conflict (scene_id, npc_id, player_id)
           do update set next_seq = dialogue_conversations.next_seq + $4::int, updated_at = now()
         returning next_seq - $4::int as first, summary, folded_through as folded`,
        [...params, clean.length],
      );
      const conv = rows[0];
      if (!conv) throw new MemoryError('the conversation row was written but none came back');
      const values = clean.map((_, i) => `($1, $2, $3, $${4 + i * 3}::int8, $${5 + i * 3}, $${6 + i * 3})`);
      await tx.query(
        `insert into dialogue_turns (scene_id, npc_id, player_id, seq, speaker, text) values ${values.join(', ')}`,
        [...params, ...clean.flatMap((t, i) => [conv.first + i, t.speaker, t.text])],
      );
      await this.fold(tx, params, conv.summary, conv.folded);
    });
  }

  /** The summary and the last `turns` unsummarised turns (default: all of them), oldest first. */
  async recall(key: ConversationKey, options: { turns?: number } = {}): Promise<Recall> {
    const limit = Math.max(0, Math.floor(options.turns ?? this.window + 1));
    const { rows } = await this.db.query<{ summary: string; seq: number | null; speaker: string; text: string }>(
      `select c.summary, t.seq, t.speaker, t.text
       from dialogue_conversations c
       left join lateral (
         select seq, speaker, text from dialogue_turns t
         where t.scene_id = c.scene_id and t.npc_id = c.npc_id and t.player_id = c.player_id
           and t.seq > c.folded_through
         order by seq desc limit $4
       ) t on true
       where c.scene_id = $1 and c.npc_id = $2 and c.player_id = $3
       order by t.seq`,
      [...keyParams(key), limit],
    );
    const summary = rows[0]?.summary ?? '';
    const turns = rows
      .filter((r) => r.seq !== null)
      .map((r) => ({ speaker: r.speaker as DialogueTurn['speaker'], text: r.text }));
    return { summary, turns };
  }

  /** Forgets one conversation. */
  async forget(key: ConversationKey): Promise<void> {
    await this.db.query(`delete from dialogue_conversations where ${WHERE}`, keyParams(key));
  }

  /** Forgets every conversation of a scene. */
  async forgetScene(sceneId: string): Promise<void> {
    await this.db.query('delete from dialogue_conversations where scene_id = $1', [checkId(sceneId, 'sceneId')]);
  }

  private async fold(tx: Queryable, params: string[], summary: string, folded: number): Promise<void> {
    const { rows } = await tx.query<{ seq: number; speaker: DialogueTurn['speaker']; text: string }>(
      `select seq, speaker, text from dialogue_turns where ${WHERE} and seq > $4::int8 order by seq`,
      [...params, folded],
    );
    if (rows.length <= this.window) return;
    const old = rows.slice(0, rows.length - this.keep);
    const next = foldIntoSummary(summary, old, this.summaryMaxChars);
    await tx.query(
      `update dialogue_conversations set summary = $4, folded_through = $5::int8, updated_at = now() where ${WHERE}`,
      [...params, next, (old.at(-1) as { seq: number }).seq],
    );
  }
}

function keyParams(key: ConversationKey): string[] {
  return [checkId(key?.sceneId, 'sceneId'), checkId(key?.npcId, 'npcId'), checkId(key?.playerId, 'playerId')];
}

function checkId(id: unknown, field: string): string {
  const reason = unstorableTextReason(id);
  if (reason) throw new MemoryError(`conversation ${field} ${reason}`);
  return id as string;
}

function checkTurn(turn: DialogueTurn, i: number): DialogueTurn {
  if (turn?.speaker !== 'player' && turn?.speaker !== 'npc') {
    throw new MemoryError(`turn ${i}: speaker must be "player" or "npc", not ${JSON.stringify(turn?.speaker)}`);
  }
  const reason = unstorableTextReason(turn.text, { allowEmpty: true });
  if (reason) throw new MemoryError(`turn ${i}: text ${reason}`);
  return { speaker: turn.speaker, text: cutAt(turn.text, TURN_MAX_CHARS) };
}
