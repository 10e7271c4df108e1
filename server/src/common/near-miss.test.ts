import { describe, expect, it } from '@jest/globals';
import { closestName, didYouMean, editDistance } from './near-miss.js';

describe('near-miss names', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    expect(editDistance('flee', 'flee')).toBe(0);
    expect(editDistance('flea', 'flee')).toBe(1);
    expect(editDistance('fle', 'flee')).toBe(1);
    expect(editDistance('cmap', 'camp')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close names', () => {
    expect(closestName('stanse', ['stance', 'tier', 'name'])).toBe('stance');
    expect(didYouMean('cmap', ['camp', 'tavern'])).toBe('did you mean "camp"?');
    expect(closestName('dragon', ['stance', 'tier'])).toBeUndefined();
  });
});
