import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { DialogueTurn } from '../engines/dialogue/dialogue.js';
import { foldIntoSummary, sentenceScore } from './rolling-summary.js';

const conversation: DialogueTurn[] = [
  { speaker: 'player', text: 'Hello there.' },
  { speaker: 'npc', text: 'Evening, love. What can I get you?' },
  { speaker: 'player', text: 'My name is Arlen. I came from Harrowgate looking for my sister Wenna.' },
  { speaker: 'npc', text: 'Hm. Yes. Wenna stayed in room 4 last winter and left owing 12 silver.' },
  { speaker: 'player', text: 'Okay.' },
  { speaker: 'npc', text: 'She left with a man called Tobin, heading for the old bridge.' },
];

describe('foldIntoSummary', () => {
  it('keeps the sentences with names, numbers and facts, verbatim, and drops the filler', () => {
    const summary = foldIntoSummary('', conversation);
    expect(summary.split('\n')).toEqual([
      '- The player said: My name is Arlen.',
      '- The player said: I came from Harrowgate looking for my sister Wenna.',
      '- You said: Wenna stayed in room 4 last winter and left owing 12 silver.',
      '- You said: She left with a man called Tobin, heading for the old bridge.',
    ]);
  });

  it('adds to an earlier summary without repeating a line', () => {
    const first = foldIntoSummary('', conversation.slice(0, 4));
    const again = foldIntoSummary(first, conversation);
    expect(again).toBe(foldIntoSummary('', conversation));
  });

  it('drops the least useful, oldest lines first to stay within its size', () => {
    const summary = foldIntoSummary('', conversation, 150);
    expect(summary.length).toBeLessThanOrEqual(150);
    expect(summary).toContain('Wenna stayed in room 4');
    expect(summary).not.toContain('My name is Arlen');
  });

  it('scores questions and fillers below facts', () => {
    expect(sentenceScore('Okay.')).toBeLessThan(1);
    expect(sentenceScore('What can I get you?')).toBeLessThan(1);
    expect(sentenceScore('Tobin owes me 3 gold.')).toBeGreaterThan(2);
  });

  it('never grows past its bound, however long the conversation', () => {
    const turn = fc.record({
      speaker: fc.constantFrom('player', 'npc'),
      text: fc
        .array(fc.constantFrom('Mara', 'owes', '12', 'silver', 'the', 'Bridge.', 'is', 'Tobin', 'hid'), {
          maxLength: 60,
        })
        .map((w) => w.join(' ')),
    }) as fc.Arbitrary<DialogueTurn>;
    fc.assert(
      fc.property(
        fc.array(fc.array(turn, { maxLength: 10 }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 2000 }),
        (batches, max) => {
          let summary = '';
          for (const batch of batches) {
            summary = foldIntoSummary(summary, batch, max);
            expect(summary.length).toBeLessThanOrEqual(max);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
