import { mkdir, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fsStep, ModelsError } from './models-error.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function acquire(lock: string): Promise<boolean> {
  try {
    const file = await open(lock, 'wx');
    const holder: Holder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
    await file.writeFile(`${JSON.stringify(holder)}\n`);
    await file.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Runs `step` holding `<lock>`, so two pulls of one model (two shells, or replicas sharing a
 * models volume) never write the same `.part`. A lock left by a process that died on this host
 * is taken over; one held elsewhere is reported with its holder.
 */
export async function withPullLock<T>(lock: string, name: string, step: () => Promise<T>): Promise<T> {
  await fsStep('create', path.dirname(lock), () => mkdir(path.dirname(lock), { recursive: true }));
  for (let attempt = 0; ; attempt++) {
    if (await fsStep('create', lock, () => acquire(lock))) break;
    let holder: Partial<Holder> = {};
    try {
      holder = JSON.parse(await readFile(lock, 'utf8')) as Holder;
    } catch {
      // A lock being written right now, or damaged: reported below.
    }
    const stale = holder.host === os.hostname() && typeof holder.pid === 'number' && !alive(holder.pid);
    if (stale && attempt === 0) {
      await fsStep('remove', lock, () => rm(lock, { force: true }));
      continue;
    }
    const who = holder.pid ? `process ${holder.pid} on ${holder.host}, since ${holder.since}` : 'another process';
    throw new ModelsError(
      'conflict',
      `${name} is being pulled by ${who}; wait for it, or delete ${lock} if that pull is gone`,
      true,
    );
  }
  try {
    return await step();
  } finally {
    await rm(lock, { force: true }).catch(() => {});
  }
}
