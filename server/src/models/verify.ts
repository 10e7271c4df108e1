import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { fsStep } from './models-error.js';

/** Feeds a file's bytes into `hash`; returns how many there were. */
export async function hashInto(hash: Hash, path: string): Promise<number> {
  return fsStep('read', path, async () => {
    let bytes = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    return bytes;
  });
}

/** Lower-case hex sha256 of a file, read as a stream. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(hash, path);
  return hash.digest('hex');
}

export const sha256Bytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
