import { readFileSync, writeFileSync } from 'node:fs';

/** Writes a file that starts like a GGUF (magic, version 3) and goes on as noise. */
export function writeGarbageGguf(path: string): void {
  const bytes = Buffer.alloc(4096);
  bytes.write('GGUF', 0, 'ascii');
  bytes.writeUInt32LE(3, 4);
  for (let i = 8; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
  writeFileSync(path, bytes);
}

/**
 * Copies a llama GGUF with `llama.block_count` set to 0. Its metadata still parses, and
 * llama.cpp then fails a GGML_ASSERT while loading it, which aborts the whole process.
 */
export function writeZeroLayerGguf(source: string, path: string): void {
  const bytes = readFileSync(source);
  const key = Buffer.from('llama.block_count', 'ascii');
  const at = bytes.indexOf(key);
  if (at < 0 || bytes.readUInt32LE(at + key.length) !== 4) throw new Error(`${source}: no uint32 llama.block_count`);
  bytes.writeUInt32LE(0, at + key.length + 4);
  writeFileSync(path, bytes);
}
