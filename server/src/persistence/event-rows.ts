import type { Transaction } from './database.js';
import { EventLogError } from './event-log-error.js';

/** An appended event waiting to be written; `json` is its payload already serialised. */
export interface BufferedEvent {
  sceneId: string;
  seq: number;
  at: Date;
  kind: string;
  json: string;
}

/** PostgreSQL allows 65,535 parameters per statement; each row takes 5. */
export const MAX_ROWS_PER_INSERT = 10_000;

/**
 * One multi-row INSERT. `on conflict do nothing` plus the check below makes a retry after a
 * commit whose reply was lost write nothing twice, while a different event already stored
 * under the same seq (a second writer) still fails loudly.
 */
export async function insertEvents(tx: Transaction, rows: BufferedEvent[]): Promise<void> {
  const params: unknown[] = [];
  const values = rows.map((row, i) => {
    params.push(row.sceneId, row.seq, row.at.toISOString(), row.kind, row.json);
    const p = i * 5;
    return `($${p + 1}, $${p + 2}, $${p + 3}::timestamptz, $${p + 4}, $${p + 5}::jsonb)`;
  });
  const result = await tx.query<{ scene_id: string; seq: number }>(
    `insert into scene_events (scene_id, seq, at, kind, payload) values ${values.join(', ')}
     on conflict (scene_id, seq) do nothing returning scene_id, seq`,
    params,
  );
  if (result.rowCount === rows.length) return;
  const written = new Set(result.rows.map((r) => `${r.seq}:${r.scene_id}`));
  for (const row of rows) {
    if (written.has(`${row.seq}:${row.sceneId}`)) continue;
    const same = await tx.query(
      'select 1 from scene_events where scene_id = $1 and seq = $2 and kind = $3 and payload = $4::jsonb',
      [row.sceneId, row.seq, row.kind, row.json],
    );
    if (same.rowCount === 0) {
      throw new EventLogError(
        `scene "${row.sceneId}" already has a different event stored as seq ${row.seq}; is another process writing this scene?`,
      );
    }
  }
}
