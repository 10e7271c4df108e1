import path from 'node:path';
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
  STAGECRAFT_DATA_DIR: z.string().min(1).default('.stagecraft/data'),
  STAGECRAFT_SCENES_DIR: z.string().min(1).default('scenes'),
  STAGECRAFT_CACHE_DIR: z.string().min(1).default('.stagecraft/cache'),
  STAGECRAFT_MODELS_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_PRETTY: z.enum(['0', '1', 'true', 'false']).default('false'),
  STAGECRAFT_RECONNECT_SECONDS: z.coerce.number().min(0).max(3600).default(20),
  STAGECRAFT_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  STAGECRAFT_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  STAGECRAFT_MAX_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(1000),
  STAGECRAFT_PERSONAS_DIR: z.string().min(1).default('personas'),
  STAGECRAFT_DIALOGUE_GOLD: z.string().min(1).optional(),
  STAGECRAFT_DIALOGUE_SILVER: z.string().min(1).optional(),
  STAGECRAFT_DIALOGUE_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(1500),
  STAGECRAFT_DIALOGUE_SEQUENCES: z.coerce.number().int().min(1).max(64).default(2),
  STAGECRAFT_DIALOGUE_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  STAGECRAFT_DIALOGUE_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  STAGECRAFT_FACE_FPS: z.enum(['0', '30', '60'], 'must be 0 (no face stream), 30 or 60').default('30'),
});

/** Validated server settings; see docs/configuration.md for each variable. */
export interface AppConfig {
  port: number;
  host: string;
  /** PostgreSQL URL; when absent the embedded PGlite database is used. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema to keep Stagecraft's tables in (it must exist); default `public`. */
  databaseSchema: string | undefined;
  /** PGlite data folder, or undefined for an in-memory database (`STAGECRAFT_DATA_DIR=memory`). */
  dataDir: string | undefined;
  scenesDir: string;
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
  maxMessagesPerSecond: number;
  /** Face frames per second of every performance; 0 sends no face stream. */
  faceFps: 0 | 30 | 60;
  personasDir: string;
  dialogue: DialogueConfig;
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
  const modelsDir = e.STAGECRAFT_MODELS_DIR ? path.resolve(cwd, e.STAGECRAFT_MODELS_DIR) : undefined;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_URL ? e.DATABASE_SCHEMA : undefined,
    dataDir: e.STAGECRAFT_DATA_DIR === 'memory' ? undefined : path.resolve(cwd, e.STAGECRAFT_DATA_DIR),
    scenesDir: path.resolve(cwd, e.STAGECRAFT_SCENES_DIR),
    cacheDir: e.STAGECRAFT_CACHE_DIR === 'off' ? undefined : path.resolve(cwd, e.STAGECRAFT_CACHE_DIR, 'tts'),
    modelsDir,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY === '1' || e.LOG_PRETTY === 'true',
    reconnectSeconds: e.STAGECRAFT_RECONNECT_SECONDS,
    shutdownTimeoutMs: e.STAGECRAFT_SHUTDOWN_TIMEOUT_MS,
    jwtSecret: e.STAGECRAFT_JWT_SECRET,
    maxMessagesPerSecond: e.STAGECRAFT_MAX_MESSAGES_PER_SECOND,
    faceFps: Number(e.STAGECRAFT_FACE_FPS) as 0 | 30 | 60,
    personasDir: path.resolve(cwd, e.STAGECRAFT_PERSONAS_DIR),
    dialogue: {
      gold: modelFile(e.STAGECRAFT_DIALOGUE_GOLD, modelsDir, cwd),
      silver: modelFile(e.STAGECRAFT_DIALOGUE_SILVER, modelsDir, cwd),
      deadlineMs: e.STAGECRAFT_DIALOGUE_DEADLINE_MS,
      sequences: e.STAGECRAFT_DIALOGUE_SEQUENCES,
      threads: e.STAGECRAFT_DIALOGUE_THREADS,
      queue: e.STAGECRAFT_DIALOGUE_QUEUE,
    },
  };
}

/** Names of every variable loadConfig reads. */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);
