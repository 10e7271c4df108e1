import { describe, expect, it } from '@jest/globals';
import type { TierName } from '@stagecraft/protocol';
import { PrometheusMetrics } from '../telemetry/prometheus-metrics.js';
import { fallbackCounter, routeTiers, type TierRoute, type TierStep } from './tier-router.js';

// These tests are about the router: the steps are scripted stand-ins for engines, each a
// function of its signal, that answer, fail, stall or are slow to stop as the case needs.
type Script = (signal: AbortSignal) => Promise<string>;

const step = (name: string, tier: TierName, script: Script): TierStep<Script> => ({ engine: script, name, tier });
const answer =
  (text: string, afterMs = 0): Script =>
  () =>
    new Promise((resolve) => setTimeout(() => resolve(text), afterMs));
const fail =
  (message: string): Script =>
  async () => {
    throw Object.assign(new Error(message), { code: 'engine-failed' });
  };
/** Says nothing until aborted; records when. */
function stall(aborted: number[], stopsAfterMs = 0): Script {
  return (signal) =>
    new Promise((_, reject) =>
      signal.addEventListener('abort', () => {
        aborted.push(performance.now());
        setTimeout(() => reject(new Error('aborted')), stopsAfterMs);
      }),
    );
}

function route(over: Partial<TierRoute<Script, string>> = {}): TierRoute<Script, string> {
  return {
    service: 'test',
    deadlineMs: 5000,
    attempt: (s, signal) => s.engine(signal),
    timeoutError: (s) => Object.assign(new Error(`${s.name} missed its deadline`), { code: 'timeout' }),
    abortError: (s) => Object.assign(new Error(`${s.name} aborted`), { code: 'aborted' }),
    codeOf: (err) => (err as { code?: string }).code ?? 'failed',
    ...over,
  };
}

describe('tier router', () => {
  it('answers with the first tier when it answers in time, counting no handover', async () => {
    const metrics = new PrometheusMetrics();
    const fallbacks = fallbackCounter(metrics);
    const { result, step: used } = await routeTiers(
      [step('big', 'gold', answer('gold line')), step('small', 'silver', answer('silver line'))],
      route({ fallbacks }),
    );
    expect(result).toBe('gold line');
    expect(used.tier).toBe('gold');
    expect(await metrics.text()).not.toMatch(/stagecraft_tier_fallbacks_total\{/);
  });

  it('hands a failed tier over to the next, counting it by service, engines and code', async () => {
    const metrics = new PrometheusMetrics();
    const seen: string[] = [];
    const { result, step: used } = await routeTiers(
      [step('big', 'gold', fail('out of memory')), step('small', 'silver', answer('silver line'))],
      route({
        fallbacks: fallbackCounter(metrics),
        onFallback: (from, to, err) => seen.push(`${from.name}→${to.name}: ${(err as Error).message}`),
      }),
    );
    expect(result).toBe('silver line');
    expect(used.name).toBe('small');
    expect(seen).toEqual(['big→small: out of memory']);
    const labels = { service: 'test', from: 'big', to: 'small', code: 'engine-failed' };
    expect(await metrics.read('stagecraft_tier_fallbacks_total', labels)).toBe(1);
  });

  it('aborts a tier that misses its deadline and lets the next answer', async () => {
    const aborted: number[] = [];
    const t0 = performance.now();
    const { result } = await routeTiers(
      [step('stuck', 'silver', stall(aborted)), step('barks', 'bronze', answer('authored'))],
      route({ deadlineMs: 50 }),
    );
    expect(result).toBe('authored');
    expect(aborted).toHaveLength(1);
    expect((aborted[0] as number) - t0).toBeGreaterThanOrEqual(45);
  });

  it('gives the last tier no deadline: a late answer beats silence', async () => {
    const { result } = await routeTiers(
      [step('stuck', 'silver', stall([])), step('slow', 'bronze', answer('late but here', 200))],
      route({ deadlineMs: 30 }),
    );
    expect(result).toBe('late but here');
  });

  it('leaves a late tier running unheard when asked, and hands over what it commits to', async () => {
    const late: string[] = [];
    const { result } = await routeTiers(
      [step('reader', 'silver', answer('read at last', 150)), step('barks', 'bronze', answer('authored'))],
      route({ deadlineMs: 30, finishLate: (r) => late.push(r) }),
    );
    expect(result).toBe('authored');
    await new Promise((r) => setTimeout(r, 400));
    expect(late).toEqual(['read at last']);
  });

  it("stops at once when the caller's signal aborts, without waiting for a slow engine", async () => {
    const aborted: number[] = [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const t0 = performance.now();
    await expect(
      routeTiers(
        [step('stuck', 'silver', stall(aborted, 3000)), step('b', 'bronze', answer('x'))],
        route(),
        controller.signal,
      ),
    ).rejects.toMatchObject({ code: 'aborted' });
    // Generous: the point is that the 3 s the engine takes to stop is not waited for.
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(aborted).toHaveLength(1);
  });

  it('throws the last failure when every tier fails', async () => {
    await expect(
      routeTiers([step('a', 'gold', fail('first')), step('b', 'silver', fail('second'))], route()),
    ).rejects.toThrow('second');
  });
});
