import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type Performance } from '@stagecraft/sdk';
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
  execFileSync(process.execPath, [path.join(root, 'server/web/build.mjs')], { stdio: 'pipe' });
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
    await expect(page.locator('#director dl').textContent()).resolves.toContain('tavern-no-violence');
    await expect(page.locator('#log').textContent()).resolves.toMatch(/← snapshot .*"sceneId":"tavern"/);

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
    const log = await page.locator('#log').textContent();
    expect(log).toMatch(/→ say \{"npcId":"bard"/);
    expect(log).toMatch(/← performanceStart/);
    expect(log).toMatch(/media of \w+: .*audio ×\d+, \d+ ms of audio/);
    expect(log).toMatch(/← performanceEnd/);

    await page.selectOption('#talk select', 'bard');
    await page.fill('#talk input[type=text]', 'Hello there!');
    await page.click('#talk button:has-text("Talk")');
    await page.waitForSelector('#talk .transcript .player');
    // The bard's reply comes after the player's line in the transcript.
    await page.waitForSelector('#talk .transcript .player ~ .npc', { timeout: 15_000 });
    expect(await page.locator('#talk .transcript .player').first().textContent()).toContain('Hello there!');
    // The reply fills in clause by clause from its subtitles; its emotion shows once it has ended.
    await page.waitForFunction(
      () => /^Pip \(\w+\) \S/.test(document.querySelector('#talk .transcript .player ~ .npc')?.textContent ?? ''),
      null,
      { timeout: 15_000 },
    );
    mkdirSync(path.join(root, '.stagecraft'), { recursive: true });
    await page.screenshot({ path: path.join(root, '.stagecraft', 'inspector.png'), fullPage: true });
  });

  it('draws the face from the received weights: open at an open vowel, closed at a bilabial', async () => {
    const observer = await connect(server.url).joinScene('tavern', { role: 'observer', name: 'face-check' });
    const heard = new Promise<Performance>((resolve) => observer.on('performance', resolve));
    await page.fill('#voice input[type=text]', 'Mama made a map of the harbour.');
    await page.click('#voice button:has-text("Say")');
    const performance = await heard;
    const end = await performance.ended;
    await observer.leave();
    await page.waitForFunction(() => !(document.querySelector('#voice input.scrub') as HTMLInputElement).disabled);
    const visemes = [];
    for await (const v of performance.visemes) visemes.push(...v.visemes);
    // The most open instant, and the middle of the bilabial where the lips are most closed.
    let openMs = 0;
    for (let ms = 0; ms < end.durationMs; ms += 10)
      if (performance.facePlayer.namedWeightsAt(ms).jawOpen > performance.facePlayer.namedWeightsAt(openMs).jawOpen)
        openMs = ms;
    const bilabials = visemes.filter((v) => v.viseme === 1).map((v) => (v.startMs + v.endMs) / 2);
    expect(bilabials.length).toBeGreaterThan(0);
    const closedMs = bilabials.reduce((a, b) =>
      performance.facePlayer.namedWeightsAt(b).jawOpen < performance.facePlayer.namedWeightsAt(a).jawOpen ? b : a,
    );
    const mouthAt = async (ms: number, name: string) => {
      await page.evaluate((value) => {
        const scrub = document.querySelector('#voice input.scrub') as HTMLInputElement;
        scrub.value = String(value);
        scrub.dispatchEvent(new Event('input'));
      }, Math.round(ms));
      const face = page.locator('#voice canvas.face');
      await face.screenshot({ path: path.join(root, '.stagecraft', `inspector-face-${name}.png`) });
      // Pixels of the open mouth's dark interior in the lower third of the face.
      return page.evaluate(() => {
        const canvas = document.querySelector('#voice canvas.face') as HTMLCanvasElement;
        const g = canvas.getContext('2d') as CanvasRenderingContext2D;
        const { data } = g.getImageData(60, 140, 120, 90);
        let dark = 0;
        for (let i = 0; i < data.length; i += 4)
          if (Math.abs((data[i] ?? 0) - 0x2a) < 12 && Math.abs((data[i + 1] ?? 0) - 0x0f) < 12) dark++;
        return dark;
      });
    };
    const open = await mouthAt(openMs, 'open');
    const closed = await mouthAt(closedMs, 'closed');
    expect(performance.facePlayer.namedWeightsAt(openMs).jawOpen).toBeGreaterThan(0.3);
    expect(open).toBeGreaterThan(250);
    expect(closed).toBeLessThan(open / 5);
  });
});
