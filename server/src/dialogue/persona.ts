import path from 'node:path';
import { type ValidateFunction } from 'ajv';
import { formatFieldPath, SourceError, type SourceProblem } from '../common/source-error.js';
import {
  parseYamlSource,
  positionOf,
  readSourceFile,
  validateYamlSource,
  type YamlSource,
} from '../common/yaml-source.js';
import type { VoiceDefinition } from '../engines/tts/voice-registry.js';
import type { BarkSetDefinition } from './barks.js';
import { personaAjv } from './persona-schema.js';

/** A rule checked on generated lines: keywords (whole words) and/or regular expressions. */
export interface LineMatchDefinition {
  text: string;
  keywords?: string[];
  patterns?: string[];
  /** `any` (default): one keyword is enough; `all`: every keyword must appear. */
  match?: 'any' | 'all';
}

/** Something the NPC must never say or promise; prose only, or prose plus a line check. */
export type RuleDefinition = string | LineMatchDefinition;

/** Something the NPC knows but must not reveal before `untilPhase` (never, when absent). */
export interface SecretDefinition extends LineMatchDefinition {
  untilPhase?: string;
}

/** A persona as written in YAML (schemas/persona.schema.json). */
export interface PersonaDefinition {
  name?: string;
  background?: string;
  style?: string;
  knowledge?: string[];
  /** Cast member id or `player` → how the NPC sees them. */
  relationships?: Record<string, string>;
  voice?: string | VoiceDefinition;
  rules?: RuleDefinition[];
  secrets?: SecretDefinition[];
  barks?: BarkSetDefinition;
}

/** A persona ready for prompt building: every list present, a name always set. */
export interface Persona {
  /** The persona file id, or the cast member id for an inline or built persona. */
  id: string;
  name: string;
  background: string;
  style: string;
  knowledge: string[];
  relationships: Record<string, string>;
  voice?: string | VoiceDefinition;
  rules: RuleDefinition[];
  secrets: SecretDefinition[];
  barks?: BarkSetDefinition;
}

/** Persona ids double as file names: letters, digits, `-`, `_`, `.`; no path separators. */
export const PERSONA_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function personaValidator(): ValidateFunction<PersonaDefinition> {
  const validate = personaAjv().getSchema<PersonaDefinition>('https://stagecraft.dev/schemas/persona.schema.json');
  if (!validate) throw new Error('persona schema did not compile');
  return validate;
}

/** Fills in the lists a definition may leave out; `fallbackName` is used when it has no name. */
export function toPersona(id: string, def: PersonaDefinition, fallbackName: string): Persona {
  return {
    id,
    name: def.name ?? fallbackName,
    background: def.background ?? '',
    style: def.style ?? '',
    knowledge: def.knowledge ?? [],
    relationships: def.relationships ?? {},
    ...(def.voice !== undefined ? { voice: def.voice } : {}),
    rules: def.rules ?? [],
    secrets: def.secrets ?? [],
    ...(def.barks ? { barks: def.barks } : {}),
  };
}

/** A persona file, parsed and validated, with the source its positions come from. */
export interface PersonaFile {
  id: string;
  file: string;
  src: YamlSource;
  definition: PersonaDefinition;
}

/** Parses a persona file's text; errors name file, line, column and field. */
export function parsePersonaFile(text: string, file: string, id: string): PersonaFile {
  const src = parseYamlSource(text, file);
  const definition = validateYamlSource(src, personaValidator());
  const problems = patternProblems(src, [], definition);
  if (problems.length > 0) throw new SourceError(problems);
  return { id, file, src, definition };
}

/**
 * Regular expressions in `rules` and `secrets` that do not compile, each named by position.
 * `base` is the persona's path in the document (`[]` for a persona file, `['cast', 2, 'persona']`
 * inline in a scene).
 */
export function patternProblems(
  src: YamlSource,
  base: readonly (string | number)[],
  def: { rules?: RuleDefinition[]; secrets?: SecretDefinition[] },
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const check = (list: readonly RuleDefinition[] | undefined, key: string) => {
    for (const [i, entry] of (list ?? []).entries()) {
      if (typeof entry === 'string') continue;
      for (const [j, pattern] of (entry.patterns ?? []).entries()) {
        const reason = regexProblem(pattern);
        if (!reason) continue;
        const where = [...base, key, i, 'patterns', j];
        problems.push({ file: src.file, ...positionOf(src, where), field: formatFieldPath(where), message: reason });
      }
    }
  };
  check(def.rules, 'rules');
  check(def.secrets, 'secrets');
  return problems;
}

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'iu');
    return undefined;
  } catch (e) {
    return `is not a valid regular expression: ${(e as Error).message}`;
  }
}

/** Persona files in one folder (`personas/<id>.yaml` or `.yml`), each read once. */
export class PersonaLibrary {
  private readonly cache = new Map<string, Promise<PersonaFile | undefined>>();

  constructor(readonly dir: string) {}

  /** The persona file `id`, or undefined when there is none. Throws SourceError for a bad file. */
  find(id: string): Promise<PersonaFile | undefined> {
    if (!PERSONA_ID.test(id)) return Promise.resolve(undefined);
    let found = this.cache.get(id);
    if (!found) {
      found = this.read(id);
      this.cache.set(id, found);
      found.catch(() => this.cache.delete(id));
    }
    return found;
  }

  /** Forgets what was read, so edited files are read again. */
  clear(): void {
    this.cache.clear();
  }

  /** The persona `id` ready for prompts, or undefined when there is no such file. */
  async persona(id: string): Promise<Persona | undefined> {
    const found = await this.find(id);
    return found && toPersona(id, found.definition, id);
  }

  private async read(id: string): Promise<PersonaFile | undefined> {
    for (const ext of ['.yaml', '.yml']) {
      const file = path.join(this.dir, `${id}${ext}`);
      const shown = path.relative(process.cwd(), file) || file;
      let text: string;
      try {
        text = await readSourceFile(file, shown);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      return parsePersonaFile(text, shown, id);
    }
    return undefined;
  }
}
