import path from 'node:path';
import { CLIENT_ROLES, type ClientRole } from '@stagecraft/protocol';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(2567),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  STAGECRAFT_EVENT_BUFFER: z.coerce.number().int().min(100).max(10_000_000).default(100_000),
  STAGECRAFT_DATA_DIR: z.string().min(1).default('.stagecraft/data'),
  STAGECRAFT_SCENES_DIR: z.string().min(1).default('scenes'),
  STAGECRAFT_CACHE_DIR: z.string().min(1).default('.stagecraft/cache'),
  STAGECRAFT_MODELS_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_PRETTY: z.enum(['0', '1', 'true', 'false']).default('false'),
  STAGECRAFT_RECONNECT_SECONDS: z.coerce.number().min(0).max(3600).default(20),
  STAGECRAFT_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  STAGECRAFT_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  STAGECRAFT_TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().min(60).max(31_536_000).default(86_400),
  STAGECRAFT_OPERATOR_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  STAGECRAFT_METRICS_AUTH: z.enum(['open', 'key'], 'must be "open" or "key"').default('open'),
  STAGECRAFT_CORS_ORIGINS: z
    .string()
    .refine(
      (v) => v.split(',').every((o) => /^https?:\/\/[^/\s]+$/.test(o.trim())),
      'must be a comma-separated list of origins such as https://game.example.com (scheme and host, no path)',
    )
    .optional(),
  STAGECRAFT_MAX_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(1000),
  STAGECRAFT_MAX_BYTES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  NODE_ENV: z.string().optional(),
  STAGECRAFT_INLINE_SCENES: z
    .string()
    .refine(
      (v) => v === 'off' || v.split(',').every((r) => CLIENT_ROLES.includes(r.trim() as ClientRole)),
      `must be "off" or a comma-separated list of roles (${CLIENT_ROLES.join(', ')})`,
    )
    .optional(),
  STAGECRAFT_INLINE_MAX_CAST: z.coerce.number().int().min(1).max(10_000).default(100),
  STAGECRAFT_INLINE_PER_CLIENT: z.coerce.number().int().min(0).default(2),
  STAGECRAFT_INLINE_PER_SERVER: z.coerce.number().int().min(0).default(20),
  STAGECRAFT_PERSONAS_DIR: z.string().min(1).default('personas'),
  STAGECRAFT_DIALOGUE_GOLD: z.string().min(1).optional(),
  STAGECRAFT_DIALOGUE_SILVER: z.string().min(1).optional(),
  STAGECRAFT_DIALOGUE_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(1500),
  STAGECRAFT_DIALOGUE_SEQUENCES: z.coerce.number().int().min(1).max(64).default(2),
  STAGECRAFT_DIALOGUE_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  STAGECRAFT_DIALOGUE_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  STAGECRAFT_WATCH_SCENES: z.enum(['0', '1'], 'must be 0 or 1').default('0'),
  STAGECRAFT_MEDIA_DROP_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(1024 * 1024),
  STAGECRAFT_CLIENT_CLOSE_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(8 * 1024 * 1024),
  STAGECRAFT_OPUS_BITRATE: z.coerce.number().int().min(6000).max(128_000).default(24_000),
  STAGECRAFT_OPUS_COMPLEXITY: z.coerce.number().int().min(0).max(10).default(10),
  STAGECRAFT_FACE_FPS: z.enum(['0', '30', '60'], 'must be 0 (no face stream), 30 or 60').default('30'),
  STAGECRAFT_METRICS_SINK: z.enum(['none', 'cloudwatch', 'emf']).default('none'),
  STAGECRAFT_METRICS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._/#:-]{1,255}$/, 'must be 1–255 letters, digits or . _ / # : -')
    .default('Stagecraft'),
  STAGECRAFT_METRICS_DIMENSIONS: z.string().default(''),
  STAGECRAFT_METRICS_FLUSH_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  STAGECRAFT_METRICS_EMF_FILE: z.string().min(1).optional(),
});

/** Validated server settings; see docs/configuration.md for each variable. */
export interface AppConfig {
  port: number;
  host: string;
  /** PostgreSQL URL; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema to keep Stagecraft's tables in (it must exist); default `public`. */
  databaseSchema: string | undefined;
  /** PostgreSQL statement and connection timeouts, ms. */
  databaseTimeouts: { statementMs: number; connectMs: number };
  /** Most scene events that may wait for the database (see docs/configuration.md, "Storage"). */
  eventBuffer: number;
  /** PGlite data folder, or undefined for an in-memory database (`STAGECRAFT_DATA_DIR=memory`). */
  dataDir: string | undefined;
  scenesDir: string;
  /** Reload scene files, their packs and personas when they change (STAGECRAFT_WATCH_SCENES=1). */
  watchScenes: boolean;
  /** TTS cache folder, or undefined for memory only (`STAGECRAFT_CACHE_DIR=off`). */
  cacheDir: string | undefined;
  modelsDir: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  logPretty: boolean;
  /** How long a dropped client may reconnect to its seat, seconds. */
  reconnectSeconds: number;
  shutdownTimeoutMs: number;
  /** HS256 secret; when set every join needs a valid token. */
  jwtSecret: string | undefined;
  /** Longest lifetime a join token may have, seconds. */
  tokenMaxTtlSeconds: number;
  /** Key for the operator API (`/api/*`, and `/metrics` when `metricsNeedKey`). */
  operatorKey: string | undefined;
  metricsNeedKey: boolean;
  /** Origins whose browser pages may call this server (CORS). */
  corsOrigins: string[];
  maxMessagesPerSecond: number;
  /** Bytes one client may send per second before it is disconnected. */
  maxBytesPerSecond: number;
  inlineScenes: InlineScenesConfig;
  /** Face frames per second of every performance; 0 sends no face stream. */
  faceFps: 0 | 30 | 60;
  media: MediaConfig;
  personasDir: string;
  dialogue: DialogueConfig;
  metrics: MetricsConfig;
}

/** How media reaches clients (docs/protocol.md, "Media"). */
export interface MediaConfig {
  /** Bytes waiting for one client past which its media for the current line is dropped. */
  dropBytes: number;
  /** Bytes waiting for one client past which it is closed (4002). */
  closeBytes: number;
  /** Opus bits per second, for clients that join with `audio: 'opus'`. */
  opusBitrate: number;
  /** Opus encoder complexity, 0–10: CPU for quality. */
  opusComplexity: number;
}

/** Where metrics go besides `/metrics` (docs/operations.md). */
export interface MetricsConfig {
  /** `none`: Prometheus text only; `cloudwatch`: PutMetricData; `emf`: EMF JSON lines. */
  sink: 'none' | 'cloudwatch' | 'emf';
  namespace: string;
  /** Dimensions put on every published datum, e.g. `{ service: 'scene-server' }`. */
  dimensions: Record<string, string>;
  /** How often a window of metrics is published, ms. */
  flushMs: number;
  /** File the EMF lines are appended to; stdout when undefined. */
  emfFile: string | undefined;
}

/** Who may create scenes from an inline definition, and how many and how large. */
export interface InlineScenesConfig {
  /** Roles that may create one; empty: inline scenes are off. */
  roles: ClientRole[];
  /** Most NPCs in one inline scene's cast. */
  maxCast: number;
  /** Most inline scenes live at once that one client (token subject, else address) created. */
  perClient: number;
  /** Most inline scenes live at once in this process. */
  perServer: number;
}

/** Dialogue models and limits; no model means authored lines (bronze) only. */
export interface DialogueConfig {
  /** GGUF files of the gold (GPU when there is one) and silver (CPU) tiers, resolved. */
  gold: string | undefined;
  silver: string | undefined;
  /** Longest wait for a model's first words before the next tier answers, ms. */
  deadlineMs: number;
  /** Replies one model writes at once (context sequences). */
  sequences: number;
  /** CPU threads per model; 0 means half the cores (llama.cpp's own default stalls small machines). */
  threads: number;
  /** Requests that may wait for a model before the next tier answers. */
  queue: number;
}

/** A model setting: a path to a .gguf file, or a name pulled into `<models>/llm/<name>.gguf`. */
function modelFile(value: string | undefined, modelsDir: string | undefined, cwd: string): string | undefined {
  if (!value) return undefined;
  if (value.endsWith('.gguf') || value.includes('/')) return path.resolve(cwd, value);
  return path.join(modelsDir ?? path.resolve(cwd, 'models'), 'llm', `${value}.gguf`);
}

function inlineRoles(value: string): ClientRole[] {
  if (value === 'off') return [];
  return value.split(',').map((r) => r.trim() as ClientRole);
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates settings from environment variables; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .map((k) => [k, env[k]])
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const variable = String(i.path[0] ?? '');
        return { variable, message: `${i.message} (got ${JSON.stringify(present[variable])})` };
      }),
    );
  }
  const e = parsed.data;
  const dimensions = parseDimensions(e.STAGECRAFT_METRICS_DIMENSIONS);
  if (typeof dimensions === 'string') {
    throw new ConfigError([
      {
        variable: 'STAGECRAFT_METRICS_DIMENSIONS',
        message: `${dimensions} (got ${JSON.stringify(e.STAGECRAFT_METRICS_DIMENSIONS)})`,
      },
    ]);
  }
  const modelsDir = e.STAGECRAFT_MODELS_DIR ? path.resolve(cwd, e.STAGECRAFT_MODELS_DIR) : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_URL ? e.DATABASE_SCHEMA : undefined,
    databaseTimeouts: { statementMs: e.DATABASE_STATEMENT_TIMEOUT_MS, connectMs: e.DATABASE_CONNECT_TIMEOUT_MS },
    eventBuffer: e.STAGECRAFT_EVENT_BUFFER,
    dataDir: e.STAGECRAFT_DATA_DIR === 'memory' ? undefined : path.resolve(cwd, e.STAGECRAFT_DATA_DIR),
    scenesDir: path.resolve(cwd, e.STAGECRAFT_SCENES_DIR),
    watchScenes: e.STAGECRAFT_WATCH_SCENES === '1',
    cacheDir: e.STAGECRAFT_CACHE_DIR === 'off' ? undefined : path.resolve(cwd, e.STAGECRAFT_CACHE_DIR, 'tts'),
    modelsDir,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY === '1' || e.LOG_PRETTY === 'true',
    reconnectSeconds: e.STAGECRAFT_RECONNECT_SECONDS,
    shutdownTimeoutMs: e.STAGECRAFT_SHUTDOWN_TIMEOUT_MS,
    jwtSecret: e.STAGECRAFT_JWT_SECRET,
    tokenMaxTtlSeconds: e.STAGECRAFT_TOKEN_MAX_TTL_SECONDS,
    operatorKey: e.STAGECRAFT_OPERATOR_KEY,
    metricsNeedKey: e.STAGECRAFT_METRICS_AUTH === 'key',
    corsOrigins: (e.STAGECRAFT_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    maxMessagesPerSecond: e.STAGECRAFT_MAX_MESSAGES_PER_SECOND,
    maxBytesPerSecond: e.STAGECRAFT_MAX_BYTES_PER_SECOND,
    inlineScenes: {
      roles: inlineRoles(e.STAGECRAFT_INLINE_SCENES ?? (e.NODE_ENV === 'development' ? 'game,director' : 'off')),
      maxCast: e.STAGECRAFT_INLINE_MAX_CAST,
      perClient: e.STAGECRAFT_INLINE_PER_CLIENT,
      perServer: e.STAGECRAFT_INLINE_PER_SERVER,
    },
    faceFps: Number(e.STAGECRAFT_FACE_FPS) as 0 | 30 | 60,
    media: {
      dropBytes: e.STAGECRAFT_MEDIA_DROP_BYTES,
      closeBytes: Math.max(e.STAGECRAFT_CLIENT_CLOSE_BYTES, e.STAGECRAFT_MEDIA_DROP_BYTES),
      opusBitrate: e.STAGECRAFT_OPUS_BITRATE,
      opusComplexity: e.STAGECRAFT_OPUS_COMPLEXITY,
    },
    personasDir: path.resolve(cwd, e.STAGECRAFT_PERSONAS_DIR),
    dialogue: {
      gold: modelFile(e.STAGECRAFT_DIALOGUE_GOLD, modelsDir, cwd),
      silver: modelFile(e.STAGECRAFT_DIALOGUE_SILVER, modelsDir, cwd),
      deadlineMs: e.STAGECRAFT_DIALOGUE_DEADLINE_MS,
      sequences: e.STAGECRAFT_DIALOGUE_SEQUENCES,
      threads: e.STAGECRAFT_DIALOGUE_THREADS,
      queue: e.STAGECRAFT_DIALOGUE_QUEUE,
    },
    metrics: {
      sink: e.STAGECRAFT_METRICS_SINK,
      namespace: e.STAGECRAFT_METRICS_NAMESPACE,
      dimensions,
      flushMs: e.STAGECRAFT_METRICS_FLUSH_MS,
      emfFile: e.STAGECRAFT_METRICS_EMF_FILE ? path.resolve(cwd, e.STAGECRAFT_METRICS_EMF_FILE) : undefined,
    },
  };
}

const DIMENSION_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,254}$/;
/** Leaves room for each metric's own labels within CloudWatch's 30 dimensions. */
const MAX_OWN_DIMENSIONS = 20;

/** `name=value,name=value` into dimensions, or a message naming the bad entry. */
export function parseDimensions(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const [i, entry] of entries.entries()) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq).trim();
    const value = eq < 0 ? '' : entry.slice(eq + 1).trim();
    const where = `entry ${i + 1} (${JSON.stringify(entry)})`;
    if (eq < 0 || value === '') return `${where}: must be name=value`;
    if (!DIMENSION_NAME.test(name)) return `${where}: name must start with a letter and use letters, digits, _ . -`;
    if (value.length > 1024) return `${where}: value is longer than 1,024 characters`;
    if (name in out) return `${where}: ${name} is given twice`;
    out[name] = value;
  }
  if (entries.length > MAX_OWN_DIMENSIONS) return `at most ${MAX_OWN_DIMENSIONS} dimensions (got ${entries.length})`;
  return out;
}

/** Names of every variable loadConfig reads. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
