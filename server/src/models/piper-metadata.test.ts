import { describe, expect, it } from '@jest/globals';
import { buildVitsModel } from '../engines/tts/test-support/vits-fixture.js';
import { readOnnxMetadata, sherpaPiperMetadata, withOnnxMetadata } from './piper-metadata.js';
import { piperTokens } from './test-support/model-fixtures.js';

const bare = buildVitsModel(piperTokens().text);
const voice = { sampleRate: 22_050, espeakVoice: 'en-us', language: 'English', speakers: 1 };

describe('sherpa-onnx metadata in a Piper ONNX model', () => {
  it('appends the keys sherpa-onnx reads and keeps the original bytes as they were', () => {
    expect(readOnnxMetadata(bare)).toEqual({});
    const out = withOnnxMetadata(bare, sherpaPiperMetadata(voice));
    expect(Buffer.from(out.subarray(0, bare.length)).equals(Buffer.from(bare))).toBe(true);
    expect(readOnnxMetadata(out)).toEqual({
      model_type: 'vits',
      comment: 'piper',
      language: 'English',
      voice: 'en-us',
      has_espeak: '1',
      n_speakers: '1',
      sample_rate: '22050',
    });
  });

  it('replaces keys that are already there instead of repeating them, and keeps other keys', () => {
    const once = withOnnxMetadata(bare, { sample_rate: '16000', author: 'someone' });
    const twice = withOnnxMetadata(once, sherpaPiperMetadata(voice));
    const meta = readOnnxMetadata(twice);
    expect(meta.sample_rate).toBe('22050');
    expect(meta.author).toBe('someone');
    expect(Buffer.from(withOnnxMetadata(twice, sherpaPiperMetadata(voice))).equals(Buffer.from(twice))).toBe(true);
    expect(Buffer.from(twice).toString('latin1').split('sample_rate').length - 1).toBe(1);
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => withOnnxMetadata(Buffer.from('<html>Not Found</html>'), {})).toThrow(/not an ONNX model/);
    expect(() => withOnnxMetadata(Buffer.from([0x0a, 0x05, 0x01]), {})).toThrow(/not an ONNX model/);
  });
});
