import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { startTestServer, type TestServer } from './support/server.js';

// Runs the README's SDK example, as written, against a real server.
const root = fileURLToPath(new URL('../', import.meta.url));
const built = existsSync(`${root}sdk-ts/dist/index.js`) && existsSync(`${root}schemas/dist/index.js`);
const espeak = espeakAvailability();
const reason = !built ? 'the SDK is not built (npm run build)' : !espeak.ok ? `espeak-ng: ${espeak.reason}` : '';
if (reason) console.warn(`README example test skipped: ${reason}`);

const script = `${root}.readme-example.mjs`;
let server: TestServer;

beforeAll(async () => {
  if (!reason) server = await startTestServer();
});

afterAll(async () => {
  rmSync(script, { force: true });
  await server?.close();
});

(reason ? describe.skip : describe)('README', () => {
  it('SDK example runs as written', async () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    const block = /<!-- sdk-example:start -->\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    writeFileSync(script, (block ?? '').replaceAll('http://localhost:2567', server.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script], { cwd: root, timeout: 90_000 });
    expect(stdout).toContain("The Rusty Flagon [ 'innkeeper', 'guard', 'bard' ]");
    expect(stdout).toContain('3 no-violence');
    expect(stdout).toMatch(/audio 0 0 ms/);
    expect(stdout).toMatch(/ended 1 \d+ bytes of WAV/);
    expect(stdout).toMatch(/jawOpen at 300 ms [01]\.\d\d/);
    expect(stdout).toMatch(/Marta: \S+/);
  });
});
