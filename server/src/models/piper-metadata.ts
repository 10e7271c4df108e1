import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** What sherpa-onnx needs to know about a Piper (VITS) voice. */
export interface PiperVoiceInfo {
  /** Hz, e.g. 22050. */
  sampleRate: number;
  /** espeak-ng voice that phonemises the text, e.g. `en-us`. */
  espeakVoice: string;
  /** Language name in English, e.g. `English`. */
  language: string;
  speakers: number;
}

/** The metadata sherpa-onnx reads from a Piper model (the keys of its `add_meta_data` script for Piper). */
export function sherpaPiperMetadata(voice: PiperVoiceInfo): Record<string, string> {
  return {
    model_type: 'vits',
    comment: 'piper',
    language: voice.language,
    voice: voice.espeakVoice,
    has_espeak: '1',
    n_speakers: String(voice.speakers),
    sample_rate: String(voice.sampleRate),
  };
}

const METADATA_FIELD = 14; // ModelProto.metadata_props
const GRAPH_FIELD = 7; // ModelProto.graph

interface TopField {
  field: number;
  start: number;
  end: number;
  /** Payload range of a length-delimited field. */
  body?: [number, number];
}

function readVarint(buf: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let pos = at; pos < buf.length && pos < at + 10; pos++) {
    const byte = buf[pos] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, pos + 1];
  }
  throw new Error(`bad varint at byte ${at}`);
}

/**
 * The top-level fields of an encoded ModelProto, in file order. Only the outer message is walked,
 * so every field (including ones newer than onnx-proto's schema) is kept byte for byte; a
 * decode/re-encode round trip through onnx-proto would drop fields it does not know.
 */
function topLevelFields(buf: Uint8Array): TopField[] {
  const fields: TopField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readVarint(buf, pos);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) throw new Error(`field number 0 at byte ${start}`);
    if (wire === 0) pos = readVarint(buf, afterTag)[1];
    else if (wire === 1) pos = afterTag + 8;
    else if (wire === 5) pos = afterTag + 4;
    else if (wire === 2) {
      const [length, bodyStart] = readVarint(buf, afterTag);
      pos = bodyStart + length;
      if (pos > buf.length) throw new Error(`field ${field} at byte ${start} runs past the end`);
      fields.push({ field, start, end: pos, body: [bodyStart, pos] });
      continue;
    } else throw new Error(`unsupported wire type ${wire} at byte ${start}`);
    if (pos > buf.length) throw new Error(`field ${field} at byte ${start} runs past the end`);
    fields.push({ field, start, end: pos });
  }
  return fields;
}

/** The model's `metadata_props`, as key → value (a repeated key keeps its last value). */
export function readOnnxMetadata(model: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of topLevelFields(model)) {
    if (f.field !== METADATA_FIELD || !f.body) continue;
    const entry = onnx.StringStringEntryProto.decode(model.subarray(f.body[0], f.body[1]));
    out[entry.key] = entry.value;
  }
  return out;
}

/**
 * The same encoded ONNX model with `meta` in its `metadata_props`: entries with these keys are
 * replaced, everything else is kept byte for byte. Throws when the bytes are not an ONNX model.
 */
export function withOnnxMetadata(model: Uint8Array, meta: Record<string, string>): Uint8Array {
  let fields: TopField[];
  try {
    fields = topLevelFields(model);
  } catch (e) {
    throw new Error(`not an ONNX model: ${(e as Error).message}`);
  }
  if (!fields.some((f) => f.field === GRAPH_FIELD)) throw new Error('not an ONNX model: it has no graph');
  const kept: Uint8Array[] = [];
  for (const f of fields) {
    if (f.field === METADATA_FIELD && f.body) {
      const entry = onnx.StringStringEntryProto.decode(model.subarray(f.body[0], f.body[1]));
      if (Object.hasOwn(meta, entry.key)) continue;
    }
    kept.push(model.subarray(f.start, f.end));
  }
  const metadataProps = Object.entries(meta).map(([key, value]) => ({ key, value }));
  // A ModelProto holding only metadata_props encodes as exactly those field-14 records.
  kept.push(onnx.ModelProto.encode(onnx.ModelProto.create({ metadataProps })).finish());
  return Buffer.concat(kept);
}
