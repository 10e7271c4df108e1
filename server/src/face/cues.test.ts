import { describe, expect, it } from '@jest/globals';
import type { Timed } from '../media/timed.js';
import { type CueInput, isStressed, LONG_CLAUSE_MS, planCues } from './cues.js';

const clauses: Timed<string>[] = [
  { startMs: 0, endMs: 900, value: 'Well met, traveller,' },
  { startMs: 1000, endMs: 2600, value: 'the road north is NOT safe tonight!' },
  { startMs: 2700, endMs: 3500, value: 'will you stay?' },
];
const line = (over: Partial<CueInput>): CueInput => ({
  emotion: 'neutral',
  intensity: 0.5,
  intent: 'inform',
  gesture: 'none',
  clauses,
  ...over,
});
const kinds = (input: CueInput) => planCues(input).map((c) => c.kind);

describe('planCues', () => {
  it('nods near the start of a greeting or agreement, shakes the head to refuse', () => {
    for (const intent of ['greet', 'agree'] as const) {
      const nod = planCues(line({ intent })).find((c) => c.kind === 'nod');
      expect(nod?.startMs).toBeLessThan(300);
    }
    const shake = planCues(line({ intent: 'refuse' })).find((c) => c.kind === 'head_shake');
    expect(shake?.startMs).toBeLessThan(300);
    expect(kinds(line({ intent: 'farewell' }))).toContain('nod');
    expect(planCues(line({ intent: 'farewell' })).find((c) => c.kind === 'nod')?.startMs).toBeGreaterThan(2700);
  });

  it('leans in at the end of a question, or shrugs when unsure', () => {
    const lean = planCues(line({ intent: 'ask' })).find((c) => c.kind === 'lean_in');
    expect(lean?.startMs).toBeGreaterThan(3000);
    expect(kinds(line({ intent: 'ask', emotion: 'fear' }))).toContain('shrug');
  });

  it('leans in on the first stressed clause for threats and anger', () => {
    for (const input of [line({ intent: 'threaten' }), line({ emotion: 'anger', intensity: 0.8 })]) {
      const lean = planCues(input).find((c) => c.kind === 'lean_in');
      expect(lean?.startMs).toBeGreaterThan(800);
      expect(lean?.startMs).toBeLessThanOrEqual(1000);
    }
    expect(kinds(line({ emotion: 'anger', intensity: 0.2 }))).not.toContain('lean_in');
  });

  it('places a requested gesture on the first stressed clause, once', () => {
    const points = planCues(line({ gesture: 'point' })).filter((c) => c.kind === 'point');
    expect(points).toHaveLength(1);
    expect(points[0]?.startMs).toBe(850);
    const nods = planCues(line({ intent: 'agree', gesture: 'nod' })).filter((c) => c.kind === 'nod');
    expect(nods).toHaveLength(1);
    const plain = planCues(line({ gesture: 'wave', clauses: [{ startMs: 200, endMs: 800, value: 'hello there' }] }));
    expect(plain.find((c) => c.kind === 'wave')?.startMs).toBe(50);
  });

  it('frames long clauses with gesture_start and gesture_stop', () => {
    const cues = planCues(line({}));
    const start = cues.find((c) => c.kind === 'gesture_start');
    const stop = cues.find((c) => c.kind === 'gesture_stop');
    expect(clauses[1] && clauses[1].endMs - clauses[1].startMs).toBeGreaterThanOrEqual(LONG_CLAUSE_MS);
    expect(start?.startMs).toBeLessThan(1000);
    expect(stop && stop.startMs + stop.durationMs).toBe(2600);
    expect(cues.filter((c) => c.kind === 'gesture_start')).toHaveLength(1);
  });

  it('scales intensity with the line and keeps cues sorted and in range', () => {
    const soft = planCues(line({ intent: 'refuse', intensity: 0 }))[0];
    const hard = planCues(line({ intent: 'refuse', intensity: 1 }))[0];
    expect(hard?.intensity).toBeGreaterThan(soft?.intensity ?? 1);
    const cues = planCues(line({ intent: 'threaten', gesture: 'point', intensity: 1 }));
    for (let i = 1; i < cues.length; i++) expect(cues[i]?.startMs).toBeGreaterThanOrEqual(cues[i - 1]?.startMs ?? 0);
    for (const c of cues) expect(c.intensity >= 0 && c.intensity <= 1 && c.startMs >= 0 && c.durationMs > 0).toBe(true);
  });

  it('finds stress and refuses bad input by name', () => {
    expect(isStressed('Get out!')).toBe(true);
    expect(isStressed('I said *now*')).toBe(true);
    expect(isStressed('I am calm')).toBe(false);
    expect(planCues(line({ clauses: [] }))).toEqual([]);
    expect(() => planCues(line({ intent: 'sing' as never }))).toThrow('intent: "sing"');
    expect(() => planCues(line({ intensity: 2 }))).toThrow('intensity: 2');
    expect(() => planCues(line({ clauses: [{ startMs: 5, endMs: 1, value: 'x' }] }))).toThrow('clauses[0]');
  });
});
