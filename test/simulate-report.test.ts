import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';
import { simulationHtml } from '../server/src/cli/simulate-html.js';
import { loadPack } from '../server/src/direction/compile-pack.js';
import { simulatePack } from '../server/src/direction/sim/simulate.js';

const CHROMIUM = '/usr/bin/chromium';
const reason = existsSync(CHROMIUM) ? '' : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (reason) console.warn(`simulation report browser test skipped: ${reason}`);

// A duel meant to last 2–4 minutes that the player mostly wins in under one.
const PACK = `pack: short-duel
cast:
  - { id: vesna, role: boss, faction: bandits, stance: hostile, health: 60 }
  - { id: bandit-1, role: grunt, faction: bandits, stance: hostile, health: 30 }
outcome: { player: win }
timing:
  minDuration: 2m
  maxDuration: 4m
  atMax: win
  phases:
    - id: duel
    - id: yield
      enter: { npc: vesna, healthBelow: 0.3 }
rules:
  - { id: no-one-shots, kind: damage_cap, who: { faction: bandits }, perHit: 15 }
instructions:
  - who: { npc: vesna }
    aggression: 0.8
    lines:
      - { cue: { phase: yield }, say: Enough! I yield. }
`;

const dir = mkdtempSync(path.join(tmpdir(), 'stagecraft-report-'));
let browser: Browser | undefined;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  if (reason) return;
  const summary = simulatePack(loadPack(PACK, 'short-duel.yaml'), { seed: 1, battles: 300 });
  const file = path.join(dir, 'report.html');
  writeFileSync(file, simulationHtml(summary));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  if (process.env.STAGECRAFT_WRITE_SCREENSHOT)
    await page.screenshot({
      path: fileURLToPath(new URL('../docs/simulate-report.png', import.meta.url)),
      fullPage: true,
    });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const boxes = (selector: string) =>
  page.$$eval(selector, (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { w: r.width, h: r.height, x: r.x };
    }),
  );

(reason ? describe.skip : describe)('simulation report in Chromium', () => {
  it('is one page that asks for nothing over the network', () => {
    expect(requests.length).toBe(1);
    expect(requests[0]).toMatch(/^file:\/\//);
  });

  it('draws the outcome chart and the duration histogram with the timing bounds on it', async () => {
    const outcomes = await boxes('#outcomes rect.bar');
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.every((b) => b.w > 0 && b.h > 0)).toBe(true);
    const bars = await boxes('#durations rect.bar');
    expect(bars.filter((b) => b.h > 0).length).toBeGreaterThan(2);
    const markers = await boxes('#durations line.marker');
    expect(markers).toHaveLength(2);
    const minX = markers[0]?.x ?? 0;
    expect(markers[1]?.x ?? 0).toBeGreaterThan(minX);
    // Most battles end before minDuration: most of the histogram's area lies left of its marker.
    expect(bars.filter((b) => b.h > 0 && b.x < minX).length).toBeGreaterThan(0);
    expect(await page.textContent('#durations')).toContain('minDuration 2m');
  });

  it('shows the intent warnings, phase reach and verdicts per rule', async () => {
    const warnings = await page.$$eval('#warnings li', (els) => els.map((e) => e.textContent ?? ''));
    expect(warnings.some((w) => /of 300 battles lasted minDuration 2m/.test(w))).toBe(true);
    expect(await boxes('#phases rect.bar')).toHaveLength(2);
    expect(await page.textContent('#verdicts')).toContain('no-one-shots');
  });

  it('draws a few sample battles with their intensity curves and event timelines', async () => {
    const curves = await boxes('svg[id^="sample-"] polyline.curve');
    expect(curves).toHaveLength(3);
    expect(curves.every((c) => c.w > 100)).toBe(true);
    expect((await boxes('svg[id^="sample-"] circle.event')).length).toBeGreaterThan(3);
    const timeline = await page.$$eval('ol.timeline li', (els) => els.map((e) => e.textContent ?? ''));
    expect(timeline.some((t) => / win \(enemies-down\)$/.test(t))).toBe(true);
  });
});
