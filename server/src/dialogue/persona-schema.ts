import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

export const PERSONA_SCHEMA_URL = new URL('../../../schemas/persona.schema.json', import.meta.url);
let ajv: Ajv | undefined;

/** One Ajv holding the persona schema, so other schemas can `$ref` its definitions. */
export function personaAjv(): Ajv {
  ajv ??= new Ajv({ allErrors: true, useDefaults: true, verbose: true }).addSchema(
    JSON.parse(readFileSync(PERSONA_SCHEMA_URL, 'utf8')),
  );
  return ajv;
}
