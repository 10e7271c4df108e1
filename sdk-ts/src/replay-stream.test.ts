import { describe, expect, it } from '@jest/globals';
import { ReplayStream } from './replay-stream.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('replay stream', () => {
  it('gives every consumer every item, however late it starts, and ends on close', async () => {
    const s = new ReplayStream<number>();
    const early = collect(s);
    s.push(1);
    s.push(2);
    const middle = collect(s);
    s.push(3);
    s.close();
    s.push(4); // after close: ignored
    expect(await early).toEqual([1, 2, 3]);
    expect(await middle).toEqual([1, 2, 3]);
    expect(await collect(s)).toEqual([1, 2, 3]);
  });
});
