import { readFileSync, writeFileSync } from 'node:fs';

// Fixed sizes of GGUF scalar value types, by type id (8 = string and 9 = array vary).
const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** The ChatML template, as instruction-tuned GGUFs carry it in `tokenizer.chat_template`. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/**
 * Copies a GGUF (v2/v3) with one more metadata entry, `tokenizer.chat_template`, so that a
 * base model can stand in for a chat model in tests. Tensor data is moved, not changed: it
 * starts at the next multiple of the file's alignment after the longer header.
 */
export function writeWithChatTemplate(source: string, dest: string, template = CHATML_TEMPLATE): void {
  const file = readFileSync(source);
  let at = 8;
  const u64 = () => {
    const v = Number(file.readBigUInt64LE(at));
    at += 8;
    return v;
  };
  const u32 = () => {
    const v = file.readUInt32LE(at);
    at += 4;
    return v;
  };
  const skipString = () => {
    const length = u64();
    at += length;
  };
  const skipValue = (type: number): void => {
    if (type === 8) skipString();
    else if (type === 9) {
      const inner = u32();
      for (let n = u64(); n > 0; n--) skipValue(inner);
    } else {
      const size = SCALAR_BYTES[type];
      if (size === undefined) throw new Error(`${source}: unknown GGUF value type ${type} at byte ${at}`);
      at += size;
    }
  };
  const tensors = u64();
  const kvCountAt = at;
  const kvs = u64();
  let alignment = 32;
  for (let i = 0; i < kvs; i++) {
    const keyLength = u64();
    const key = file.toString('utf8', at, at + keyLength);
    at += keyLength;
    const type = u32();
    if (key === 'general.alignment' && type === 4) alignment = file.readUInt32LE(at);
    skipValue(type);
  }
  const kvEnd = at;
  for (let i = 0; i < tensors; i++) {
    skipString();
    const dims = u32();
    at += 8 * dims + 4 + 8; // dims, type, offset
  }
  const dataStart = Math.ceil(at / alignment) * alignment;
  const entry = Buffer.concat([ggufString('tokenizer.chat_template'), u32le(8), ggufString(template)]);
  const head = Buffer.concat([file.subarray(0, kvEnd), entry, file.subarray(kvEnd, at)]);
  head.writeBigUInt64LE(BigInt(kvs + 1), kvCountAt);
  const padding = Buffer.alloc(Math.ceil(head.length / alignment) * alignment - head.length);
  writeFileSync(dest, Buffer.concat([head, padding, file.subarray(dataStart)]));
}

function ggufString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(bytes.length));
  return Buffer.concat([length, bytes]);
}

function u32le(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}
