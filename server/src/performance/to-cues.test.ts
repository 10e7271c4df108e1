import { describe, expect, it } from '@jest/globals';
import type { Delivery } from '../media/delivery.js';
import type { PerformanceFrame } from '../media/frames.js';
import { collect, fromArray, stageContext } from './test-support/stage-harness.js';
import { twoClauseLine as line } from './test-support/two-clause-line.js';
import { toCues } from './to-cues.js';

describe('toCues', () => {
  it('sends a greeting nod with the first clause and a requested gesture on the stressed clause', async () => {
    const { frames } = line();
    const texts = ['Well met, traveller,', 'welcome to the FLAGON!'];
    let k = 0;
    const withText = frames.map((f) => (f.kind === 'visemes' ? { ...f, clause: texts[k++] } : f));
    const delivery = { intent: 'greet' as const, gesture: 'wave' as const };
    const out = await collect(toCues(fromArray(withText), { ...stageContext(), delivery }));
    const cues = out.filter((f) => f.kind === 'cue');
    expect(cues.map((c) => c.kind === 'cue' && c.cue)).toEqual(expect.arrayContaining(['nod', 'wave']));
    const nodAt = out.findIndex((f) => f.kind === 'cue' && f.cue === 'nod');
    const firstAudio = out.findIndex((f) => f.kind === 'audio');
    expect(nodAt).toBeLessThan(firstAudio);
    const wave = cues.find((c) => c.kind === 'cue' && c.cue === 'wave');
    expect(wave?.kind === 'cue' && wave.startMs).toBeGreaterThan(700);
  });

  it('sends the cues that hang on the end of the line once it ends', async () => {
    const { frames } = line();
    const withText = frames.map((f) => (f.kind === 'visemes' ? { ...f, clause: 'Farewell, friend' } : f));
    const out = await collect(toCues(fromArray(withText), { ...stageContext(), delivery: { intent: 'farewell' } }));
    const nods = out.filter((f) => f.kind === 'cue' && f.cue === 'nod');
    expect(nods).toHaveLength(1);
    expect(nods[0]?.kind === 'cue' && nods[0].startMs).toBeGreaterThan(1000);
  });

  it('plans nothing until a line written while spoken has its delivery, then the clauses so far', async () => {
    const { frames } = line();
    const withText = frames.map((f) => (f.kind === 'visemes' ? { ...f, clause: 'Well met, traveller' } : f));
    let deliver: (d: Delivery) => void = () => undefined;
    const later = new Promise<Delivery>((resolve) => {
      deliver = resolve;
    });
    const seen: PerformanceFrame[] = [];
    const stream = toCues(fromArray(withText), { ...stageContext(), delivery: {}, later });
    for await (const frame of stream) {
      seen.push(frame);
      if (frame.kind === 'audio' && frame.seq === 5) {
        expect(seen.some((f) => f.kind === 'cue')).toBe(false);
        deliver({ emotion: 'joy', intensity: 0.8, intent: 'greet', gesture: 'none' });
        await later;
      }
    }
    expect(seen.filter((f) => f.kind === 'cue').map((f) => f.kind === 'cue' && f.cue)).toContain('nod');
  });

  it('plans cues for a line without a face stream, and passes every frame on in order', async () => {
    const { frames } = line();
    const withText = frames.map((f) => (f.kind === 'visemes' ? { ...f, clause: 'Farewell, friend' } : f));
    const out = await collect(toCues(fromArray(withText), { ...stageContext(), delivery: { intent: 'farewell' } }));
    expect(out.filter((f) => f.kind !== 'cue')).toEqual(withText);
    expect(out[out.length - 1]).toMatchObject({ kind: 'cue', cue: 'nod' });
  });
});
