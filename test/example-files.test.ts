import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../', import.meta.url));
const SCHEMA_LINE = /^# yaml-language-server: \$schema=(\S+)$/;

const examples = ['constraints', 'scenes', 'personas'].flatMap((dir) =>
  readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `${dir}/${f}`),
);

// One Ajv with every schema, so the scene schema's references to the persona schema resolve
// as they do for an editor reading them side by side.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
for (const f of readdirSync(path.join(root, 'schemas')).filter((f) => f.endsWith('.schema.json')))
  ajv.addSchema(JSON.parse(readFileSync(path.join(root, 'schemas', f), 'utf8')), f);

describe('example packs, scenes and personas', () => {
  it('are all here', () => {
    expect(examples.filter((f) => f.startsWith('constraints/')).length).toBeGreaterThanOrEqual(4);
    expect(examples.filter((f) => f.startsWith('scenes/')).length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples)('%s names its JSON Schema for editors, and is valid by it', (file) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    const schemaPath = SCHEMA_LINE.exec(text.split('\n')[0] ?? '')?.[1];
    expect(schemaPath).toBeDefined();
    const schemaFile = path.resolve(path.dirname(path.join(root, file)), schemaPath ?? '');
    expect(path.dirname(schemaFile)).toBe(path.join(root, 'schemas'));
    const validate = ajv.getSchema(path.basename(schemaFile));
    expect(validate).toBeDefined();
    const ok = validate?.(parse(text));
    expect({ file, errors: ok ? [] : validate?.errors }).toEqual({ file, errors: [] });
  });
});
