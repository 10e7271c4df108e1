import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { DatabaseError } from './database.js';

/** The file in a PGlite data folder that says which process has it open. */
export const LOCK_FILE = 'stagecraft.lock';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** A held lock on a data folder; release it when the database is closed. */
export interface FolderLock {
  release(): void;
}

/**
 * Takes the data folder for this process. PGlite is one process's database: two servers on one
 * folder corrupt it. A lock left by a process that is gone (same host, no such pid) is taken over;
 * one held by a live process, or by another host, refuses with the folder and the holder.
 */
export function lockDataFolder(dataDir: string): FolderLock {
  const file = path.join(dataDir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      return { release: () => releaseIfMine(file) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DatabaseError(`could not lock database folder ${dataDir}: ${(e as Error).message}`, { cause: e });
      }
    }
    const holder = readHolder(file);
    if (holder && isAlive(holder)) {
      throw new DatabaseError(
        `database folder ${dataDir} is in use by another Stagecraft server (pid ${holder.pid} on ${holder.host}, ` +
          `since ${holder.since}); stop it, or point STAGECRAFT_DATA_DIR at another folder. ` +
          `If that server is gone for certain, delete ${file}`,
      );
    }
    // The holder is gone (or the file is unreadable, left half-written by a crash): take over.
    unlinkSync(file);
  }
  throw new DatabaseError(`could not lock database folder ${dataDir}: another process keeps taking it`);
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string') return { since: '?', ...h } as Holder;
  } catch {
    // unreadable: treated as a stale lock
  }
  return undefined;
}

/** Whether the holder may still be running: always, for a lock taken on another host. */
function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfMine(file: string): void {
  try {
    if (readHolder(file)?.pid === process.pid) unlinkSync(file);
  } catch {
    // already gone
  }
}
