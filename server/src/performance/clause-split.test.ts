import { describe, expect, it } from '@jest/globals';
import { splitClauses } from './clause-split.js';
import { collect, fromArray, stageContext } from './test-support/stage-harness.js';

const split = (parts: string[]) => collect(splitClauses(fromArray(parts), stageContext()));

describe('splitClauses', () => {
  it('splits at sentence ends and at commas once a clause is long enough', async () => {
    expect(await split(['Welcome to Riverwood, stranger. The dragons are back! Run, now.'])).toEqual([
      'Welcome to Riverwood,',
      'stranger.',
      'The dragons are back!',
      'Run, now.',
    ]);
  });

  it('emits a clause as soon as its boundary arrives in a stream of fragments', async () => {
    const seen: string[] = [];
    let fed = 0;
    async function* tokens() {
      for (const t of ['Hello ', 'there. ', 'How ', 'are ', 'you']) {
        fed++;
        yield t;
      }
    }
    for await (const clause of splitClauses(tokens(), stageContext())) seen.push(`${clause}@${fed}`);
    expect(seen).toEqual(['Hello there.@2', 'How are you@5']);
  });

  it('keeps the first clause short and later clauses within the limit', async () => {
    const long = 'word '.repeat(2000);
    const clauses = await split([long]);
    expect(clauses[0]?.length).toBeLessThanOrEqual(48);
    for (const c of clauses) expect(c.length).toBeLessThanOrEqual(220);
    expect(clauses.join(' ').split(' ').length).toBe(2000);
  });

  it('drops text with nothing to say and strips invisible characters', async () => {
    expect(await split(['... !!! ', '\u0000\u200b'])).toEqual([]);
    expect(await split(['Hi\u0000 there 😀.'])).toEqual(['Hi there 😀.']);
  });
});
