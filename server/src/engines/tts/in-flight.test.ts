import { describe, expect, it } from '@jest/globals';
import { PrometheusMetrics } from '../../telemetry/prometheus-metrics.js';
import { withInFlight } from './in-flight.js';
import { type Synthesis, type TtsEngine, TtsError } from './tts.js';
import { voiceMetrics } from './voice-metrics.js';

// The engine here is a stand-in whose syntheses the test ends by hand: the test is about the
// count around them, not about speech.
function heldEngine(tier: TtsEngine['tier']) {
  const pending: { resolve: (s: Synthesis) => void; reject: (e: Error) => void }[] = [];
  const engine: TtsEngine = {
    name: 'held',
    tier,
    voices: async () => [],
    synthesize: () => new Promise<Synthesis>((resolve, reject) => pending.push({ resolve, reject })),
  };
  return { engine, pending };
}

const done: Synthesis = { samples: new Float32Array(0), sampleRate: 22050, phonemes: [], timing: 'none' };

describe('withInFlight', () => {
  it('counts syntheses running on each tier, whether they succeed or fail', async () => {
    const prom = new PrometheusMetrics();
    const metrics = voiceMetrics(prom);
    const gold = heldEngine('gold');
    const bronze = heldEngine('bronze');
    const g = withInFlight(gold.engine, metrics);
    const b = withInFlight(bronze.engine, metrics);
    const request = { text: 'hi', voice: { voice: 'x', speakerId: 0, speed: 1, pitch: 1 } };
    const runs = [g.synthesize(request), g.synthesize(request), b.synthesize(request)];
    const read = (tier: string) => prom.read('stagecraft_tts_in_flight', { tier });
    expect([await read('gold'), await read('bronze')]).toEqual([2, 1]);
    gold.pending[0]?.resolve(done);
    gold.pending[1]?.reject(new TtsError('held', 'engine-failed', 'broke'));
    await Promise.allSettled(runs.slice(0, 2));
    expect([await read('gold'), await read('bronze')]).toEqual([0, 1]);
    bronze.pending[0]?.resolve(done);
    await runs[2];
    expect(await read('bronze')).toBe(0);
  });

  it('counts nothing for an engine that throws before it starts', async () => {
    const prom = new PrometheusMetrics();
    const engine: TtsEngine = {
      name: 'broken',
      tier: 'silver',
      voices: async () => [],
      synthesize: () => {
        throw new Error('no voice');
      },
    };
    const wrapped = withInFlight(engine, voiceMetrics(prom));
    expect(() => wrapped.synthesize({ text: 'x', voice: { voice: 'x', speakerId: 0, speed: 1, pitch: 1 } })).toThrow(
      'no voice',
    );
    expect(await prom.read('stagecraft_tts_in_flight', { tier: 'silver' })).toBe(0);
  });
});
