import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';
import { sherpaPiperMetadata, withOnnxMetadata } from '../../../models/piper-metadata.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

/** Samples per duration frame, as in Piper voices at 22,050 Hz. */
const HOP = 256;
const VOWELS = new Set([...'aeiouɑæʌɐɛəɜɪʊɔɒɚɝɨʉøœyʏɯɤo']);
const SILENT_PUNCT = new Map([
  [',', 20],
  [';', 20],
  [':', 20],
  ['.', 30],
  ['!', 30],
  ['?', 30],
]);

interface TokenClass {
  frames: number;
  amp: number;
  hz: number;
}

function classify(symbol: string, id: number): TokenClass {
  const hz = 90 + ((id * 37) % 180);
  if (symbol === '^' || symbol === '$') return { frames: 2, amp: 0, hz };
  const pause = SILENT_PUNCT.get(symbol);
  if (pause !== undefined) return { frames: pause, amp: 0, hz };
  if (symbol === '_') return { frames: 1, amp: 0.2, hz: 120 };
  if (symbol === ' ') return { frames: 1, amp: 0.1, hz: 120 };
  if (symbol === 'ˈ' || symbol === 'ˌ' || symbol === 'ː') return { frames: 0, amp: 0, hz };
  if (VOWELS.has(symbol)) return { frames: 7, amp: 0.35, hz };
  return { frames: 4, amp: 0.25, hz };
}

const floats = (name: string, values: number[], dims = [values.length]) =>
  onnx.TensorProto.create({ name, dataType: T.FLOAT, dims, floatData: values });
const ints = (name: string, values: number[], dims = [values.length]) =>
  onnx.TensorProto.create({ name, dataType: T.INT64, dims, int64Data: values });
const node = (opType: string, input: string[], output: string[], attribute: onnxProto.onnx.IAttributeProto[] = []) =>
  onnx.NodeProto.create({ opType, input, output, attribute });
const valueInfo = (name: string, elemType: number, dims: (number | string)[]) =>
  onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });

/**
 * A tiny VITS/Piper-shaped ONNX graph: phoneme ids in → a deterministic waveform out. Every token
 * gets a duration (vowels long, consonants short, punctuation silent) scaled by `length_scale`, and
 * a tone of its own. Like a voice from rhasspy/piper-voices it carries no sherpa-onnx metadata.
 * Not a voice.
 */
export function buildVitsModel(tokensTxt: string, sampleRate = 22_050): Uint8Array {
  const size = 256;
  const frames = new Array<number>(size).fill(4);
  const amp = new Array<number>(size).fill(0.25);
  const hz = new Array<number>(size).fill(150);
  for (const line of tokensTxt.split('\n')) {
    const m = /^(.+) (\d+)$/u.exec(line.replace(/\r$/, '')) ?? /^( ) (\d+)$/u.exec(line);
    if (!m) continue;
    const id = Number(m[2]);
    if (id >= size) continue;
    const c = classify(m[1] as string, id);
    frames[id] = c.frames * HOP;
    amp[id] = c.amp;
    hz[id] = (2 * Math.PI * c.hz) / sampleRate;
  }
  const graph = onnx.GraphProto.create({
    name: 'vits-fixture',
    initializer: [
      floats('dur_table', frames),
      floats('amp_table', amp),
      floats('step_table', hz),
      ints('one_idx', [1], []),
      ints('axis1', [1], []),
      ints('axis0', [0], []),
      ints('unsq_axes', [1]),
      ints('out_shape', [1, 1, -1]),
      floats('zero', [0], []),
      floats('step1', [1], []),
      ints('zero_i', [0], []),
    ],
    node: [
      node('Gather', ['scales', 'one_idx'], ['length_scale']),
      node('Gather', ['dur_table', 'x'], ['dur']),
      node('Mul', ['dur', 'length_scale'], ['dur_scaled']),
      node('Floor', ['dur_scaled'], ['dur_s']),
      node('CumSum', ['dur_s', 'axis1'], ['ends']),
      node('ReduceSum', ['dur_s'], ['total'], [{ name: 'keepdims', type: 2, i: 0 }]),
      node('Range', ['zero', 'total', 'step1'], ['t']),
      node('Unsqueeze', ['t', 'unsq_axes'], ['t_col']),
      node('LessOrEqual', ['ends', 't_col'], ['passed']),
      node('Cast', ['passed'], ['passed_f'], [{ name: 'to', type: 2, i: T.FLOAT }]),
      node('ReduceSum', ['passed_f', 'unsq_axes'], ['idx_f'], [{ name: 'keepdims', type: 2, i: 0 }]),
      node('Cast', ['idx_f'], ['idx'], [{ name: 'to', type: 2, i: T.INT64 }]),
      node('Gather', ['x', 'zero_i'], ['x_row']),
      node('Gather', ['x_row', 'idx'], ['tok']),
      node('Gather', ['amp_table', 'tok'], ['a']),
      node('Gather', ['step_table', 'tok'], ['w']),
      node('CumSum', ['w', 'axis0'], ['phase']),
      node('Sin', ['phase'], ['wave']),
      node('Mul', ['wave', 'a'], ['y_flat']),
      node('Reshape', ['y_flat', 'out_shape'], ['y']),
    ],
    input: [valueInfo('x', T.INT64, [1, 'N']), valueInfo('x_length', T.INT64, [1]), valueInfo('scales', T.FLOAT, [3])],
    output: [valueInfo('y', T.FLOAT, [1, 1, 'T'])],
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'stagecraft-test-fixture',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** {@link buildVitsModel} with the sherpa-onnx Piper metadata added, ready to load. */
export function buildVitsFixture(tokensTxt: string, sampleRate = 22_050): Uint8Array {
  return withOnnxMetadata(
    buildVitsModel(tokensTxt, sampleRate),
    sherpaPiperMetadata({ sampleRate, espeakVoice: 'en-us', language: 'English', speakers: 1 }),
  );
}

/** Writes a Piper voice folder `<modelsDir>/tts/piper/<name>/` holding the fixture. */
export function writePiperFixture(modelsDir: string, name: string, tokensTxt: string): string {
  const dir = path.join(modelsDir, 'tts', 'piper', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'model.onnx'), buildVitsFixture(tokensTxt));
  writeFileSync(path.join(dir, 'tokens.txt'), tokensTxt);
  return dir;
}
