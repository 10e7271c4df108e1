import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { loadConfig } from '../../server/src/config/config.js';
import type { HostCommand } from '../../server/src/engines/dialogue/llama-child-engine.js';
import { type RunningServer, startServer } from '../../server/src/main.js';

export const REPO_SCENES_DIR = fileURLToPath(new URL('../../scenes/', import.meta.url));

export interface TestServer {
  url: string;
  port: number;
  server: RunningServer;
  close(): Promise<void>;
}

/**
 * Boots the real server on a free loopback port with an in-memory database and silent logs.
 * Colyseus's matchmaker is one per process: closing one test server disposes the rooms of every
 * other server in the same test file (their clients are closed with 4001).
 */
export async function startTestServer(
  opts: {
    scenesDir?: string;
    env?: Record<string, string>;
    dialogueHost?: HostCommand;
    logger?: Logger;
    performanceIds?: () => string;
  } = {},
): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    STAGECRAFT_DATA_DIR: 'memory',
    STAGECRAFT_SCENES_DIR: opts.scenesDir ?? REPO_SCENES_DIR,
    LOG_LEVEL: 'silent',
    STAGECRAFT_CACHE_DIR: 'off',
    STAGECRAFT_RECONNECT_SECONDS: '5',
    STAGECRAFT_SHUTDOWN_TIMEOUT_MS: '3000',
    ...opts.env,
  });
  const server = await startServer(config, opts.logger, {
    dialogueHost: opts.dialogueHost,
    performanceIds: opts.performanceIds,
  });
  return { url: server.url, port: server.port, server, close: () => server.close() };
}

/** A JSON logger whose lines a test can read: every line parsed, in order. */
export function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}
