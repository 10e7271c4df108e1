import { describe, expect, it } from '@jest/globals';
import { parsePiperConfig, tokensTxt } from './piper-config.js';
import { piperTokens, piperVoiceFiles } from './test-support/model-fixtures.js';

describe('Piper .onnx.json', () => {
  it('gives the voice facts and a tokens.txt identical to the phoneme table it came from', () => {
    const tokens = piperTokens();
    const config = parsePiperConfig(Buffer.from(piperVoiceFiles(tokens.text).json).toString('utf8'), 'v.onnx.json');
    expect(config.info).toEqual({ sampleRate: 22_050, espeakVoice: 'en-us', language: 'English', speakers: 1 });
    expect(tokensTxt(config)).toBe(tokens.text);
    expect(tokensTxt(config)).toContain('\n  3\n');
  });

  it('names the file and the field that is wrong', () => {
    expect(() => parsePiperConfig('{', 'a.onnx.json')).toThrow(/^a\.onnx\.json: not JSON/);
    expect(() =>
      parsePiperConfig('{"audio":{},"espeak":{"voice":"en-us"},"phoneme_id_map":{"a":[1]}}', 'b.json'),
    ).toThrow(/^b\.json: audio\.sample_rate: /);
    const text = JSON.stringify({
      audio: { sample_rate: 22050 },
      espeak: { voice: 'x' },
      phoneme_id_map: {},
      phoneme_type: 'text',
    });
    expect(() => parsePiperConfig(text, 'c.json')).toThrow(/^c\.json: phoneme_id_map: is empty/);
    const textVoice = JSON.stringify({
      audio: { sample_rate: 22050 },
      espeak: { voice: 'x' },
      phoneme_id_map: { a: [1] },
      phoneme_type: 'text',
    });
    expect(() => parsePiperConfig(textVoice, 'd.json')).toThrow(
      /^d\.json: phoneme_type: "text" voices are not supported/,
    );
  });
});
