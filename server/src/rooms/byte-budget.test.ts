import { describe, expect, it } from '@jest/globals';
import { ByteBudget } from './byte-budget.js';

describe('ByteBudget', () => {
  it('lets a client send up to its budget in a second, then refuses until the next second', () => {
    let now = 0;
    const budget = new ByteBudget(1000, () => now);
    expect(budget.take('a', 600)).toBe(true);
    expect(budget.take('a', 400)).toBe(true);
    expect(budget.take('a', 1)).toBe(false);
    expect(budget.take('b', 1000)).toBe(true);
    now = 1000;
    expect(budget.take('a', 1000)).toBe(true);
    budget.forget('a');
    expect(budget.take('a', 1000)).toBe(true);
  });
});
