import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { PiperVoiceInfo } from './piper-metadata.js';

const CONFIG_SCHEMA = {
  type: 'object',
  required: ['audio', 'espeak', 'phoneme_id_map'],
  properties: {
    audio: {
      type: 'object',
      required: ['sample_rate'],
      properties: { sample_rate: { type: 'integer', minimum: 1 } },
    },
    espeak: { type: 'object', required: ['voice'], properties: { voice: { type: 'string', minLength: 1 } } },
    num_speakers: { type: 'integer', minimum: 1 },
    language: {
      type: 'object',
      properties: { code: { type: 'string' }, name_english: { type: 'string' } },
    },
    phoneme_type: { type: 'string' },
    phoneme_id_map: {
      type: 'object',
      minProperties: 1,
      additionalProperties: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } },
    },
  },
};

interface PiperConfigJson {
  audio: { sample_rate: number };
  espeak: { voice: string };
  num_speakers?: number;
  language?: { code?: string; name_english?: string };
  phoneme_type?: string;
  phoneme_id_map: Record<string, number[]>;
}

let validator: ValidateFunction<PiperConfigJson> | undefined;

/** An ajv error as a dotted field and a message. */
function describe(e: ErrorObject | undefined): [string, string] {
  if (!e) return ['', 'is invalid'];
  const path = e.instancePath.split('/').filter(Boolean);
  if (e.keyword === 'required') return [[...path, String(e.params.missingProperty)].join('.'), 'is missing'];
  if (e.keyword === 'minProperties') return [path.join('.'), 'is empty'];
  return [path.join('.'), e.message ?? 'is invalid'];
}

/** The parts of a Piper voice's `.onnx.json` that sherpa-onnx needs. */
export interface PiperConfig {
  info: PiperVoiceInfo;
  /** Phoneme symbol → token id (the first id Piper lists for it). */
  phonemeIds: Map<string, number>;
}

/** A `.onnx.json` that is not a usable Piper voice config; the message names the file and field. */
export class PiperConfigError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(`${file}: ${field ? `${field}: ` : ''}${message}`);
    this.name = 'PiperConfigError';
  }
}

/** Reads a Piper `.onnx.json`; throws PiperConfigError naming the field that is wrong. */
export function parsePiperConfig(text: string, file: string): PiperConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PiperConfigError(file, '', `not JSON: ${(e as Error).message}`);
  }
  validator ??= new Ajv({ allErrors: false }).compile<PiperConfigJson>(CONFIG_SCHEMA);
  if (!validator(raw)) {
    const [field, message] = describe(validator.errors?.[0]);
    throw new PiperConfigError(file, field, message);
  }
  const c = raw;
  if (c.phoneme_type !== undefined && c.phoneme_type !== 'espeak')
    throw new PiperConfigError(
      file,
      'phoneme_type',
      `"${c.phoneme_type}" voices are not supported; sherpa-onnx loads espeak-phoneme Piper voices`,
    );
  for (const symbol of Object.keys(c.phoneme_id_map)) {
    if (symbol === '' || /[\n\r]/.test(symbol))
      throw new PiperConfigError(file, 'phoneme_id_map', `symbol ${JSON.stringify(symbol)} cannot go in tokens.txt`);
  }
  return {
    info: {
      sampleRate: c.audio.sample_rate,
      espeakVoice: c.espeak.voice,
      language: c.language?.name_english ?? 'English',
      speakers: c.num_speakers ?? 1,
    },
    phonemeIds: new Map(Object.entries(c.phoneme_id_map).map(([s, ids]) => [s, ids[0] as number])),
  };
}

/** sherpa-onnx `tokens.txt`: one `symbol id` line per phoneme, in the config's order. */
export function tokensTxt(config: PiperConfig): string {
  return [...config.phonemeIds].map(([symbol, id]) => `${symbol} ${id}\n`).join('');
}
