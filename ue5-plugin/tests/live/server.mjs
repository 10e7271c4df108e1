// Starts the real Stagecraft server on a free loopback port for the native live tests and the
// sample, prints `listening <url>` on its first line, and stops when its standard input closes.
// Needs `npm run build` (server/dist).
import { loadConfig } from '../../../server/dist/config/config.js';
import { startServer } from '../../../server/dist/main.js';

const config = loadConfig({
  PORT: '0',
  HOST: '127.0.0.1',
  STAGECRAFT_DATA_DIR: 'memory',
  STAGECRAFT_SCENES_DIR: new URL('../../../scenes/', import.meta.url).pathname,
  LOG_LEVEL: 'silent',
  STAGECRAFT_CACHE_DIR: 'off',
  STAGECRAFT_RECONNECT_SECONDS: '10',
  STAGECRAFT_SHUTDOWN_TIMEOUT_MS: '3000',
});
const server = await startServer(config);
process.stdout.write(`listening ${server.url}\n`);
let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await server.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
