import { mkdtempSync, writeFileSync } from 'node:fs';
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
    expect(out).toBe('');
    expect(err).toContain('2 pack(s): 0 error(s), 0 warning(s)');
  });

  it('lint prints each problem as file:line:column: field: message and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lint-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'pack: bad\ncast: [{ id: chief }]\nrules:\n  - { id: r, kind: forbid, who: { npc: cheif }, actions: [flea] }\n',
    );
    expect(await run('lint', file)).toBe(1);
    expect(out).toContain(`${file}:4:59: rules[0].actions[0]: "flea" is not one of:`);
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
});
