import { afterAll } from '@jest/globals';
import { EspeakEngine, espeakAvailability } from './espeak-engine.js';
import { ttsConformance } from './test-support/tts-conformance.js';

const engine = new EspeakEngine();
afterAll(() => engine.close());

const found = espeakAvailability();
ttsConformance('espeak-ng', async () => ({ engine, voice: 'en-us' }), found.ok ? undefined : found.reason);
