import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { constraintsCommand } from './constraints-command.js';

const packs = new URL('../../../constraints/', import.meta.url).pathname;
const scenes = new URL('../../../scenes/', import.meta.url).pathname;

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  process.exitCode = 0;
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = 0;
});

async function run(...args: string[]): Promise<number> {
  await constraintsCommand().exitOverride().parseAsync(args, { from: 'user' });
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return code;
}

describe('stagecraft constraints', () => {
  it('lint passes the example packs, checked against the scene cast', async () => {
    expect(
      await run('lint', path.join(packs, 'tavern-no-violence.yaml'), '--scene', path.join(scenes, 'tavern.yaml')),
    ).toBe(0);
    expect(await run('lint', path.join(packs, 'boss-must-lose.yaml'), path.join(packs, 'timed-ambush.yaml'))).toBe(0);
    expect(out).toBe('1 file: 0 errors, 0 warnings\n2 files: 0 errors, 0 warnings\n');
  });

  it('lint prints every problem in line order, with a summary that counts them, and --format json', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lint-'));
    const file = path.join(dir, 'typos.yaml');
    writeFileSync(
      file,
      [
        'pack: typos',
        'cast: [{ id: chief, stance: hostile }]',
        'outcome: { player: survive }',
        'timing: { maxDuration: 2m }',
        'rules: [{ id: r, kind: forbid, who: { npc: cheif }, actions: [flea] }]',
        'instuctions: []',
        '',
      ].join('\n'),
    );
    expect(await run('lint', file)).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines).toEqual([
      `${file}:5:44: rules[0].who.npc: unknown NPC "cheif" (did you mean "chief"?)`,
      `${file}:5:63: rules[0].actions[0]: unknown action "flea"; declare your own verbs under "verbs" (did you mean "flee"?)`,
      `${file}:6:1: instuctions: unknown field (did you mean "instructions"?)`,
      '1 file: 3 errors, 0 warnings',
    ]);
    out = '';
    expect(await run('lint', file, '--format', 'json')).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ errors: 3, warnings: 0, files: [{ file }] });
    expect(report.files[0].problems[2]).toEqual({
      severity: 'error',
      file,
      line: 6,
      column: 1,
      field: 'instuctions',
      message: 'unknown field',
      suggestion: 'did you mean "instructions"?',
    });
  });

  it('exits 0 with warnings only, and 1 with --strict', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lint-'));
    const file = path.join(dir, 'timer.yaml');
    writeFileSync(
      file,
      'pack: t\ncast: [{ id: orm, stance: hostile }]\noutcome: { player: win }\ntiming: { maxDuration: 5m, atMax: win }\nparticipation: [{ npc: orm, mustSurvive: true }]\n',
    );
    expect(await run('lint', file)).toBe(0);
    expect(out).toContain('1 file: 0 errors, 1 warning\n');
    expect(await run('lint', file, '--strict')).toBe(1);
  });

  it('resolves relative paths from the directory the command was run in, and names a missing file in one line', async () => {
    const saved = process.env.INIT_CWD;
    process.env.INIT_CWD = path.join(packs, '..');
    try {
      expect(await run('lint', 'constraints/tavern-no-violence.yaml', '--scene', 'scenes/tavern.yaml')).toBe(0);
      await expect(run('lint', 'constraints/nope.yaml')).rejects.toThrow(
        /^cannot read constraints\/nope\.yaml: no such file$/,
      );
      await expect(run('lint', 'constraints/boss-must-lose.yaml', '--scene', 'scenes/nope.yaml')).rejects.toThrow(
        'cannot read scenes/nope.yaml: no such file',
      );
    } finally {
      if (saved === undefined) delete process.env.INIT_CWD;
      else process.env.INIT_CWD = saved;
    }
  });

  it('lint prints each problem as file:line:column: field: message and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lint-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'pack: bad\ncast: [{ id: chief }]\nrules:\n  - { id: r, kind: forbid, who: { npc: cheif }, actions: [flea] }\n',
    );
    expect(await run('lint', file)).toBe(1);
    expect(out).toContain(`${file}:4:59: rules[0].actions[0]: unknown action "flea"`);
    expect(out).toContain('(did you mean "flee"?)');
  });

  it('simulate prints a table and exits 0 when every battle met the outcome', async () => {
    expect(await run('simulate', path.join(packs, 'timed-ambush.yaml'), '--seed', '3', '--battles', '20')).toBe(0);
    expect(out).toContain('## timed-ambush: 20 battles from seed 3');
    expect(out).toContain('met in 20/20 (100.0%)');
    expect(out).toContain('| rule | rewrites | vetoes |');
    expect(out).toContain('violations: 0');
    expect(err).toContain('simulating [');
  });

  it('simulate --json prints the summary as JSON', async () => {
    await run('simulate', path.join(packs, 'boss-must-lose.yaml'), '--battles', '5', '--json');
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({
      pack: 'boss-must-lose',
      battles: 5,
      requiredMet: 5,
      violations: 0,
      outcomes: { lose: 5 },
    });
  });

  it('simulate --strict fails on intent warnings, --json carries them, --html writes one page', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-'));
    const file = path.join(dir, 'short.yaml');
    writeFileSync(
      file,
      [
        'pack: short',
        'cast: [{ id: bandit, faction: bandits, stance: hostile, health: 40 }]',
        'outcome: { player: win }',
        'timing: { minDuration: 3m, maxDuration: 4m, atMax: win }',
        '',
      ].join('\n'),
    );
    expect(await run('simulate', file, '--battles', '20')).toBe(0);
    expect(out).toMatch(/intent warnings: 1\n- \d+ of 20 battles lasted minDuration 3m/);
    expect(await run('simulate', file, '--battles', '20', '--strict')).toBe(1);
    out = '';
    const html = path.join(dir, 'report.html');
    await run('simulate', file, '--battles', '20', '--json', '--html', html, '--player-health', '250');
    const summary = JSON.parse(out);
    expect(summary.world.playerHealth).toBe(250);
    expect(summary.warnings).toHaveLength(1);
    expect(summary.durationHistogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(20);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|https?:\/\//);
    expect(page).toContain('minDuration 3m');
  });
});
