import { afterAll } from '@jest/globals';
import { EspeakEngine, espeakAvailability } from './espeak-engine.js';
import { ttsConformance } from './test-support/tts-conformance.js';

const engine = new EspeakEngine();
afterAll(() => engine.close());

ttsConformance('espeak-ng', async () => {
  const found = espeakAvailability();
  if (!found.ok) return { skip: found.reason };
  return { engine, voice: 'en-us' };
});
