import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { LOCK_FILE } from './folder-lock.js';
import { openDatabase } from './open-database.js';

const root = mkdtempSync(path.join(tmpdir(), 'stagecraft-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A child process that idles until killed, and the promise of its exit. */
function idler() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

const holderLine = (pid: number) => `${JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z' })}\n`;

describe('the PGlite data folder lock', () => {
  it('refuses a second database on a folder in use, naming the folder and the holder, until the first closes', async () => {
    const dataDir = path.join(root, 'shared');
    const first = await openDatabase({ dataDir });
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(
        `database folder ${dataDir} is in use by another Stagecraft server (pid ${process.pid} on ${hostname()}`,
      );
      await first.query('select 1');
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    const again = await openDatabase({ dataDir });
    await again.close();
  });

  it('refuses a folder held by another live process', async () => {
    const dataDir = path.join(root, 'held');
    await (await openDatabase({ dataDir })).close();
    const { child, exited } = idler();
    try {
      writeFileSync(path.join(dataDir, LOCK_FILE), holderLine(child.pid ?? 0));
      await expect(openDatabase({ dataDir })).rejects.toThrow(`(pid ${child.pid} on ${hostname()}, since 2026-01-01`);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  it('takes over a lock left by a process that is gone (a server killed with -9)', async () => {
    const dataDir = path.join(root, 'stale');
    await (await openDatabase({ dataDir })).close();
    const { child, exited } = idler();
    child.kill('SIGKILL');
    await exited;
    writeFileSync(path.join(dataDir, LOCK_FILE), holderLine(child.pid ?? 0));
    const db = await openDatabase({ dataDir });
    try {
      expect((await db.query<{ n: number }>('select 1 as n')).rows).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });
});
