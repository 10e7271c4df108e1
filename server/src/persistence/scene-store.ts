import type { Queryable } from './database.js';
import { toJsonText, unstorableTextReason } from './json-text.js';

export type SceneStatus = 'live' | 'closed';

const STATUSES: readonly SceneStatus[] = ['live', 'closed'];

/** What `upsert` stores for a scene. `definition` is any JSON value (the validated scene file). */
export interface SceneInput {
  id: string;
  title: string;
  definition: unknown;
  status: SceneStatus;
}

/** A stored scene. */
export interface SceneRecord extends SceneInput {
  createdAt: Date;
  updatedAt: Date;
}

interface SceneRow {
  id: string;
  title: string;
  definition: unknown;
  status: SceneStatus;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, title, definition, status, created_at, updated_at';

export class SceneStoreError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'SceneStoreError';
  }
}

/** Which scenes exist and whether each is live. */
export class SceneStore {
  constructor(private readonly db: Queryable) {}

  /** Creates the scene or replaces its title, definition and status; `createdAt` is kept. */
  async upsert(scene: SceneInput): Promise<SceneRecord> {
    const id = checkId(scene?.id);
    const what = `cannot store scene "${id}"`;
    const titleProblem = unstorableTextReason(scene.title, { allowEmpty: true });
    if (titleProblem) throw new SceneStoreError(`${what}: title ${titleProblem}`);
    checkStatus(scene.status, what);
    let definition: string;
    try {
      definition = toJsonText(scene.definition);
    } catch (e) {
      throw new SceneStoreError(`${what}: definition ${(e as Error).message}`, { cause: e });
    }
    const { rows } = await this.db.query<SceneRow>(
      `insert into scenes (id, title, definition, status) values ($1, $2, $3::jsonb, $4)
       on conflict (id) do update set title = excluded.title, definition = excluded.definition,
         status = excluded.status, updated_at = now()
       returning ${COLUMNS}`,
      [id, scene.title, definition, scene.status],
    );
    return toRecord(only(rows, id));
  }

  /** The scene, or undefined when none has that id. */
  async get(id: string): Promise<SceneRecord | undefined> {
    const { rows } = await this.db.query<SceneRow>(`select ${COLUMNS} from scenes where id = $1`, [checkId(id)]);
    return rows[0] && toRecord(rows[0]);
  }

  /** Every stored scene, by id. */
  async list(): Promise<SceneRecord[]> {
    const { rows } = await this.db.query<SceneRow>(`select ${COLUMNS} from scenes order by id`);
    return rows.map(toRecord);
  }

  /** Marks a stored scene live or closed; throws SceneStoreError when there is no such scene. */
  async setStatus(id: string, status: SceneStatus): Promise<SceneRecord> {
    checkId(id);
    checkStatus(status, `cannot set the status of scene "${id}"`);
    const { rows, rowCount } = await this.db.query<SceneRow>(
      `update scenes set status = $2, updated_at = now() where id = $1 returning ${COLUMNS}`,
      [id, status],
    );
    if (rowCount === 0) throw new SceneStoreError(`cannot set the status of scene "${id}": no such scene is stored`);
    return toRecord(only(rows, id));
  }
}

function checkId(id: unknown): string {
  const reason = unstorableTextReason(id);
  if (reason) throw new SceneStoreError(`scene id ${reason}`);
  return id as string;
}

function checkStatus(status: unknown, what: string): void {
  if (!STATUSES.includes(status as SceneStatus)) {
    throw new SceneStoreError(`${what}: status must be "live" or "closed", not ${JSON.stringify(status)}`);
  }
}

function only(rows: SceneRow[], id: string): SceneRow {
  const row = rows[0];
  if (!row) throw new SceneStoreError(`scene "${id}" was written but no row came back`);
  return row;
}

function toRecord(row: SceneRow): SceneRecord {
  return {
    id: row.id,
    title: row.title,
    definition: row.definition,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
