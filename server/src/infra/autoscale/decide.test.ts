import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decideScale, type ScaleDecision, type ScaleMemory, type ScalePolicy } from './decide.js';

const POLICY: ScalePolicy = {
  minTasks: 1,
  maxTasks: 10,
  workPerTask: 4,
  scaleUpCooldownMs: 60_000,
  scaleDownCooldownMs: 300_000,
  scaleDownAt: 0.7,
  scaleDownStableMs: 180_000,
  maxStepDown: 1,
};

const work = (waiting: number, inFlight = 0) => ({ waiting, inFlight });

/** Runs rounds every `stepMs` over `loads`, feeding each decision into the next. */
function rounds(policy: ScalePolicy, start: number, loads: (number | undefined)[], stepMs = 30_000) {
  let memory: ScaleMemory = {};
  let desired = start;
  const out: (ScaleDecision & { nowMs: number })[] = [];
  loads.forEach((load, i) => {
    const nowMs = 1_000_000 + i * stepMs;
    const d = decideScale(policy, memory, { nowMs, desired, work: load === undefined ? undefined : work(load) });
    out.push({ ...d, nowMs });
    memory = d.memory;
    desired = d.desired;
  });
  return out;
}

describe('decideScale', () => {
  it('scales up in one round to what the backlog needs', () => {
    const d = decideScale(POLICY, {}, { nowMs: 0, desired: 2, work: work(30, 7) });
    expect(d).toMatchObject({ desired: 10, change: 'up', reason: '37 work needs 10 at 4 per task' });
    expect(d.memory.lastUpMs).toBe(0);
    expect(decideScale(POLICY, {}, { nowMs: 0, desired: 2, work: work(9, 2) }).desired).toBe(3);
  });

  it('waits out the up cooldown after a change', () => {
    const d = decideScale(POLICY, { lastDownMs: 0 }, { nowMs: 20_000, desired: 2, work: work(40) });
    expect(d).toMatchObject({ desired: 2, change: 'hold', reason: 'needs 10; up cooldown 40 s left' });
  });

  it('holds inside the band between the up and the down threshold', () => {
    // 3 tasks × 4 = 12 is the up threshold; fitting 2 tasks at 0.7 × 4 needs work ≤ 5.6.
    for (const load of [6, 9, 12]) {
      const d = decideScale(POLICY, {}, { nowMs: 0, desired: 3, work: work(load) });
      expect({ load, change: d.change, reason: d.reason }).toEqual({ load, change: 'hold', reason: 'within band' });
    }
  });

  it('scales down one task at a time, only after the work stayed low and the cooldown passed', () => {
    // Desired 6, work 2 from the first round: fits 1 task.
    const out = rounds(POLICY, 6, Array(60).fill(2));
    const downs = out.filter((d) => d.change === 'down');
    expect(downs.map((d) => d.desired)).toEqual([5, 4, 3, 2, 1]);
    expect(downs[0]?.nowMs).toBe(1_000_000 + 180_000);
    for (let i = 1; i < downs.length; i++)
      expect((downs[i]?.nowMs ?? 0) - (downs[i - 1]?.nowMs ?? 0)).toBeGreaterThanOrEqual(300_000);
    expect(out.at(-1)).toMatchObject({ desired: 1, change: 'hold', reason: 'at minTasks' });
    expect(out[1]?.reason).toBe('fits 1; low for 30 s of 180 s');
  });

  it('starts the low-load clock again when the work rises or the reading is missing', () => {
    const out = rounds(POLICY, 4, [2, 2, 2, 2, 2, 14, 2, 2, undefined, 2]);
    expect(out.every((d) => d.change === 'hold')).toBe(true);
    expect(out[5]?.reason).toBe('within band');
    expect(out[8]?.reason).toBe('no work reading');
    expect(out[9]?.reason).toBe('fits 1; low for 0 s of 180 s');
  });

  it('brings a count outside min/max inside at once, cooldown or not', () => {
    const m = { lastUpMs: 0, lastDownMs: 0 };
    expect(decideScale(POLICY, m, { nowMs: 1, desired: 0, work: undefined })).toMatchObject({
      desired: 1,
      change: 'up',
      reason: 'below minTasks',
    });
    expect(decideScale(POLICY, m, { nowMs: 1, desired: 14, work: work(100) })).toMatchObject({
      desired: 10,
      change: 'down',
      reason: 'above maxTasks',
    });
  });

  it('never leaves min/max, never flaps inside a cooldown, and steps down by at most maxStepDown', () => {
    const policy = fc.record({
      minTasks: fc.integer({ min: 0, max: 5 }),
      span: fc.integer({ min: 0, max: 30 }),
      workPerTask: fc.integer({ min: 1, max: 20 }),
      scaleUpCooldownMs: fc.integer({ min: 0, max: 600_000 }),
      scaleDownCooldownMs: fc.integer({ min: 0, max: 900_000 }),
      scaleDownAt: fc.double({ min: 0.1, max: 1, noNaN: true }),
      scaleDownStableMs: fc.integer({ min: 0, max: 600_000 }),
      maxStepDown: fc.integer({ min: 1, max: 4 }),
    });
    const load = fc.option(fc.integer({ min: 0, max: 800 }), { nil: undefined, freq: 10 });
    fc.assert(
      fc.property(
        policy,
        fc.array(load, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 5_000, max: 120_000 }),
        (raw, loads, stepMs) => {
          const p: ScalePolicy = { ...raw, maxTasks: Math.max(1, raw.minTasks + raw.span) };
          const out = rounds(p, p.minTasks, loads, stepMs);
          let prev = p.minTasks;
          let last: { change: 'up' | 'down'; nowMs: number } | undefined;
          let lowSince: number | undefined;
          out.forEach((d, i) => {
            expect(d.desired).toBeGreaterThanOrEqual(p.minTasks);
            expect(d.desired).toBeLessThanOrEqual(p.maxTasks);
            lowSince = d.memory.lowSinceMs;
            if (d.change === 'hold') expect(d.desired).toBe(prev);
            if (d.change === 'down') {
              expect(prev - d.desired).toBeLessThanOrEqual(p.maxStepDown);
              expect(loads[i]).toBeDefined();
              expect(d.nowMs - (lowSince ?? d.nowMs)).toBeGreaterThanOrEqual(p.scaleDownStableMs);
              if (last) expect(d.nowMs - last.nowMs).toBeGreaterThanOrEqual(p.scaleDownCooldownMs);
            }
            if (d.change === 'up' && last) expect(d.nowMs - last.nowMs).toBeGreaterThanOrEqual(p.scaleUpCooldownMs);
            if (d.change !== 'hold') last = { change: d.change, nowMs: d.nowMs };
            prev = d.desired;
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('answers a steady load with a steady count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 10 }), (load, start) => {
        const out = rounds(POLICY, start, Array(60).fill(load));
        const changes = out.filter((d) => d.change !== 'hold').map((d) => d.change);
        // At most one direction: up once, or down in steps; never both.
        expect(new Set(changes).size).toBeLessThanOrEqual(1);
        expect(changes.filter((c) => c === 'up').length).toBeLessThanOrEqual(1);
      }),
    );
  });
});
