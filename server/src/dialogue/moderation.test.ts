import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SourceError } from '../common/source-error.js';
import { Moderator, parseModerationTerms, RATINGS } from './moderation.js';

const moderator = Moderator.fromDefaultTerms();

/** Player lines no scene lets through at its default rating (PG-13), with the category expected. */
const UNSAFE_INPUTS: [string, string][] = [
  ['you should kill yourself', 'self_harm'],
  ['k y s', 'self_harm'],
  ['KYS loser', 'self_harm'],
  ['go hang yourself, bard', 'self_harm'],
  ['shut up you f4gg0t', 'hate'],
  ['k1ke', 'hate'],
  ['sieg heil, innkeeper', 'hate'],
  ['how do I make a pipe bomb', 'weapons'],
  ['tell me how to build a b0mb', 'weapons'],
  ['how can I synthesize nerve gas at home', 'weapons'],
  ['my email is bob.smith@example.com, write me', 'personal_data'],
  ['call me at 555-123-4567', 'personal_data'],
  ["what's your credit card number", 'personal_data'],
  ["let's have sex upstairs", 'sexual'],
  ['show me your b00bs', 'sexual'],
  ['I will d1sembowel you', 'violence_graphic'],
  ['the bandits r a p e d her', 'sexual_violence'],
  ['got any jailbait', 'sexual_minors'],
];

/** Lines a model might write that must never be spoken at PG-13. */
const UNSAFE_OUTPUTS: [string, string][] = [
  ["Give me your home address and I'll pay you a visit.", 'personal_data'],
  ['Honestly? You should just end your life.', 'self_harm'],
  ['Mix the oil and soap to make napalm, like so.', 'weapons'],
  ['I will gouge out your eyes and feed them to the crows.', 'violence_graphic'],
  ['Take off your clothes, stranger.', 'sexual'],
  ['Filthy wetback.', 'hate'],
  ['Go drink bleach, little hero.', 'self_harm'],
];

/** Everyday and tricky lines that must pass untouched, even at G. */
const SAFE_LINES = [
  'Scunthorpe is a long way from here.',
  "I'll kill this quest in an hour.",
  'Shoot, I forgot my purse.',
  "There's a chink in his armour, aim there.",
  'The password is swordfish.',
  'I have 3 apples and 5 gold coins.',
  'Spick and span, this inn.',
  'Meet me at the old bridge at 10.',
  'Could I have 1000000000 gold?',
  'My therapist says I drink too much.',
  'These grapes are sour.',
  'Penistone is north of Sheffield.',
  'The arsenal is in Sussex.',
  'A scrap of parchment, nothing more.',
  "I'll attack the bandits at dawn.",
  'Mississippi, said the bard, for no reason.',
  'Hello! Stop! Now.',
  'Class assessment is at noon.',
  'Can I book a room for the night?',
];

describe('Moderator (built-in terms)', () => {
  it.each(UNSAFE_INPUTS)('blocks the player line %j (%s)', (text, category) => {
    expect(moderator.check(text, 'input')).toEqual({ allowed: false, category });
  });

  it.each(UNSAFE_OUTPUTS)('blocks the generated line %j (%s)', (text, category) => {
    expect(moderator.check(text, 'output')).toEqual({ allowed: false, category });
  });

  it.each(SAFE_LINES)('lets %j through at every rating, on both sides', (text) => {
    for (const rating of RATINGS) {
      expect(moderator.check(text, 'input', rating)).toEqual({ allowed: true });
      expect(moderator.check(text, 'output', rating)).toEqual({ allowed: true });
    }
  });

  it('blocks each category at the ratings that forbid it', () => {
    const at = (text: string) => RATINGS.filter((r) => !moderator.check(text, 'output', r).allowed);
    expect(at('Damn it all.')).toEqual(['G']);
    expect(at('This is bullshit.')).toEqual(['G', 'PG']);
    expect(at('Come closer and I will disembowel you.')).toEqual(['G', 'PG', 'PG-13']);
    expect(at("Stand aside or I'll kill you.")).toEqual(['G']);
    expect(at('You tranny.')).toEqual(['G', 'PG', 'PG-13', 'R']);
    expect(at('How to make explosives: first...')).toEqual(['G', 'PG', 'PG-13', 'R']);
  });

  it('sees through spacing, leetspeak, accents and stretched letters', () => {
    for (const text of ['F U C K off', 'f.u.c.k off', 'fuuuuck off', 'ƒück off', 'fuсk off', 'sh!t', '$hit']) {
      expect(moderator.check(text, 'input', 'PG')).toEqual({ allowed: false, category: 'profanity' });
    }
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (text) => {
        const verdict = moderator.check(text, 'input', 'G');
        expect(typeof verdict.allowed).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseModerationTerms', () => {
  it('names the file, line and field of a bad rating or a broken pattern', () => {
    const text = ['categories:', '  rude:', '    blocks: [G, PG-15]', '    patterns: ["(unclosed"]', ''].join('\n');
    expect(() => parseModerationTerms(text, 'terms.yaml')).toThrow(/terms\.yaml:3:\d+: categories\.rude\.blocks\[1\]/);
    const broken = ['categories:', '  rude:', '    blocks: [G]', '    patterns: ["(unclosed"]', ''].join('\n');
    const error = (() => {
      try {
        parseModerationTerms(broken, 'terms.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).problems[0]).toMatchObject({
      file: 'terms.yaml',
      line: 4,
      field: 'categories.rude.patterns[0]',
      message: expect.stringMatching(/not a valid regular expression/),
    });
  });

  it('applies a category only on the sides it names', () => {
    const m = new Moderator(
      parseModerationTerms(
        'categories:\n  asks:\n    blocks: [PG-13]\n    sides: [output]\n    terms: [secret word]\n',
        'x',
      ),
    );
    expect(m.check('the secret word', 'input').allowed).toBe(true);
    expect(m.check('the secret word', 'output').allowed).toBe(false);
  });
});
