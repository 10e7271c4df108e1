import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Page } from 'playwright-core';
import { espeakAvailability } from '../server/src/engines/tts/espeak-engine.js';
import { startTestServer, type TestServer } from './support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('../', import.meta.url));
const reason = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install chromium)`
  : !espeakAvailability().ok
    ? 'espeak-ng is not installed'
    : '';
if (reason) console.warn(`inspector browser test skipped: ${reason}`);

let server: TestServer;
let page: Page;
let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | undefined;
const profile = mkdtempSync(path.join(tmpdir(), 'stagecraft-chromium-'));

beforeAll(async () => {
  if (reason) return;
  // The server serves the bundle only if it exists when it starts: build it first.
  execFileSync(process.execPath, [path.join(root, 'server/inspector/build.mjs')], { stdio: 'pipe' });
  server = await startTestServer();
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => {
    throw e;
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
});

(reason ? describe.skip : describe)('stage inspector in Chromium', () => {
  it('joins a scene, shows its cast, director and log, and plays a line with its viseme track', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#scene-id option[value="tavern"]', { state: 'attached' });
    await page.selectOption('#scene-id', 'tavern');
    await page.selectOption('#role', 'game');
    await page.click('#join');
    await page.waitForSelector('tr[data-npc="bard"]');
    expect(await page.locator('#cast tbody tr').count()).toBe(3);
    await expect(page.locator('#director dl').innerText()).resolves.toContain('tavern-no-violence');
    await expect(page.locator('#log').innerText()).resolves.toMatch(/← snapshot .*"sceneId":"tavern"/);

    await page.selectOption('#voice select', 'bard');
    await page.click('#voice button:has-text("Say")');
    await page.waitForSelector('tr[data-npc="bard"].speaking');
    await page.waitForFunction(
      () => /ended completed/.test(document.querySelector('.now-playing')?.textContent ?? ''),
      null,
      {
        timeout: 15_000,
      },
    );
    const log = await page.locator('#log').innerText();
    expect(log).toMatch(/→ say \{"npcId":"bard"/);
    expect(log).toMatch(/← performanceStart/);
    expect(log).toMatch(/media of \w+: .*audio ×\d+, \d+ ms of audio/);
    expect(log).toMatch(/← performanceEnd/);
    mkdirSync(path.join(root, '.stagecraft'), { recursive: true });
    await page.screenshot({ path: path.join(root, '.stagecraft', 'inspector.png'), fullPage: true });
  });
});
