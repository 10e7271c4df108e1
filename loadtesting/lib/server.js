'use strict';
// `stagecraft serve` in a child process on loopback, for a load run: started, killed (SIGKILL, as
// a crash), started again on the same port and data folder, stopped.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'server', 'dist', 'cli.js');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class LocalServer {
  /** `scenesDir`, `dataDir`: the server's folders; `env`: more settings; `logFile`: its stdout and stderr. */
  constructor({ port, scenesDir, dataDir, env = {}, logFile }) {
    if (!fs.existsSync(CLI))
      throw new Error(`${path.relative(process.cwd(), CLI)} is missing: run \`npm run build\` first`);
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.scenesDir = scenesDir;
    this.dataDir = dataDir;
    this.env = env;
    this.logFile = logFile;
    this.child = undefined;
  }

  static async create(options) {
    return new LocalServer({ ...options, port: options.port ?? (await freePort()) });
  }

  get pid() {
    return this.child?.pid;
  }

  /** Starts the server; resolves once /readyz answers 200 (within `timeoutMs`). */
  async start(timeoutMs = 60_000) {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const log = fs.openSync(this.logFile, 'a');
    this.child = spawn(process.execPath, [CLI, 'serve'], {
      cwd: ROOT,
      env: {
        ...env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        STAGECRAFT_SCENES_DIR: this.scenesDir,
        STAGECRAFT_DATA_DIR: this.dataDir,
        STAGECRAFT_CACHE_DIR: 'off',
        ...this.env,
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const child = this.child;
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited = exited;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      const ready = await fetch(`${this.url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await sleep(100);
    }
    child.kill('SIGKILL');
    throw new Error(`the server did not become ready within ${timeoutMs} ms; its log: ${this.logFile}`);
  }

  /** Kills the server at once (SIGKILL), as a crash would; resolves when it is gone. */
  async kill() {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Stops it as an orchestrator would (SIGTERM), and kills it if it is still there after `timeoutMs`. */
  async stop(timeoutMs = 30_000) {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    const late = sleep(timeoutMs).then(() => 'late');
    if ((await Promise.race([this.exited, late])) === 'late') await this.kill();
  }
}

module.exports = { LocalServer, freePort, ROOT };
