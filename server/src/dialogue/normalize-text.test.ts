import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { collapseRepeats, normalizeForMatch, termMatcher } from './normalize-text.js';

describe('normalizeForMatch', () => {
  it.each([
    ['K1LL Y0U', 'kill you'],
    ['h3ll0', 'hello'],
    ['$hit', 'shit'],
    ['sh!t', 'shit'],
    ['f u c k', 'fuck'],
    ['f.u.c.k off', 'fuck off'],
    ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['café naïve', 'cafe naive'],
    ['zero\u200Bwidth', 'zerowidth'],
    ['  many   spaces\n\tand lines ', 'many spaces and lines'],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizeForMatch(input)).toBe(expected);
  });

  it('leaves numbers and sentence punctuation alone', () => {
    expect(normalizeForMatch('I have 3 apples and $5!')).toBe('i have 3 apples and $5!');
    expect(normalizeForMatch('Stop! Now.')).toBe('stop! now.');
    expect(normalizeForMatch('Shoot, I forgot')).toBe('shoot, i forgot');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'grapheme' }), (s) => {
        const once = normalizeForMatch(s);
        expect(normalizeForMatch(once)).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('collapses repeated letters', () => {
    expect(collapseRepeats('fuuuuck')).toBe('fuck');
  });
});

describe('termMatcher', () => {
  const terms = ['traitor', 'kill you', 'mara'];
  const matcher = termMatcher(terms, { suffixes: true });
  const leet: Record<string, string[]> = { a: ['4', '@'], e: ['3'], i: ['1'], o: ['0'], s: ['5', '$'], t: ['7'] };

  it('matches whole words only', () => {
    expect(matcher.test(normalizeForMatch('The traitor is here'))).toBe(true);
    expect(matcher.test(normalizeForMatch("Mara's knife"))).toBe(true);
    expect(matcher.test(normalizeForMatch('traitors everywhere'))).toBe(true);
    expect(matcher.test(normalizeForMatch('a traitorous thought'))).toBe(false);
    expect(matcher.test(normalizeForMatch('Samaran sails'))).toBe(false);
    expect(matcher.test(normalizeForMatch('I will kill your quest'))).toBe(false);
  });

  it('finds a term however it is disguised (case, leetspeak, stretched letters)', () => {
    const disguise = fc
      .constantFrom(...terms)
      .chain((term) =>
        fc.tuple(
          ...[...term].map((c) =>
            fc.constantFrom(c, c.toUpperCase(), ...(leet[c] ?? []), ...(c === ' ' ? ['  ', ' \t'] : [`${c}${c}${c}`])),
          ),
        ),
      )
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(fc.constantFrom('', 'well, ', 'so '), disguise, fc.constantFrom('', '.', ' now!'), (a, t, b) => {
        expect(matcher.test(normalizeForMatch(`${a}${t}${b}`))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never matches a term buried inside a longer word', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z]{1,6}$/),
        fc.constantFrom('traitor', 'mara'),
        fc.stringMatching(/^[b-df-hj-np-rt-z]{2,6}$/),
        (before, term, after) => {
          expect(matcher.test(normalizeForMatch(`${before}${term}${after}`))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
