import { readFileSync } from 'node:fs';
import { DEFAULT_TIER, type StanceName, type TierName } from '@stagecraft/protocol';
import { Ajv, type ValidateFunction } from 'ajv';
import { SourceError } from '../common/source-error.js';
import { parseYamlSource, positionOf, validateYamlSource } from '../common/yaml-source.js';
import type { Rating } from '../dialogue/moderation.js';
import type { PersonaDefinition, SecretDefinition } from '../dialogue/persona.js';
import type { CompileOptions } from '../direction/compile-pack.js';
import { verbNameProblem } from '../direction/compile-verbs.js';
import type { VerbCategory } from '../direction/vocabulary.js';
import type { VoiceDefinition } from '../engines/tts/voice-registry.js';

/** One NPC as written in a scene file (see schemas/scene.schema.json). */
export interface CastDefinition {
  id: string;
  name?: string;
  role?: string;
  faction?: string;
  tier?: TierName;
  stance?: StanceName;
  /** A persona id (personas/<id>.yaml), a sentence of prose, or the persona inline. */
  persona?: string | PersonaDefinition;
  voice?: string | VoiceDefinition;
  faceRig?: string;
  /** 0..2: how much the face moves (1 = as authored). */
  expressiveness?: number;
  present?: boolean;
}

/** The tier a cast member is entitled to: its own, or the default (silver). */
export function castTier(member: Pick<CastDefinition, 'tier'>): TierName {
  return member.tier ?? DEFAULT_TIER;
}

/** A scene as written in a scene file or given inline at create. */
export interface SceneDefinition {
  id: string;
  title?: string;
  phase?: string;
  constraints?: string;
  /** Content rating of the dialogue; PG-13 when absent. */
  rating?: Rating;
  /** Whether the server speaks its constraint pack's directive lines; default true. */
  speakLines?: boolean;
  /** Verbs of the scene's game beyond the built-in ones, with their categories (see docs/constraints.md). */
  verbs?: Record<string, VerbCategory>;
  /** Whether a `player` client may propose actions for, and report on, the player's own actor. */
  playerActs?: boolean;
  /** Things no NPC of the scene may reveal (until a phase). */
  secrets?: SecretDefinition[];
  cast: CastDefinition[];
}

const schemaUrl = new URL('../../../schemas/scene.schema.json', import.meta.url);
const personaSchemaUrl = new URL('../../../schemas/persona.schema.json', import.meta.url);
let validator: ValidateFunction<SceneDefinition> | undefined;

function sceneValidator(): ValidateFunction<SceneDefinition> {
  validator ??= new Ajv({ allErrors: true, useDefaults: true, verbose: true })
    .addSchema(JSON.parse(readFileSync(personaSchemaUrl, 'utf8')))
    .compile<SceneDefinition>(JSON.parse(readFileSync(schemaUrl, 'utf8')));
  return validator;
}

/** Parses and validates a scene file's text; errors name file, line, column and field. */
export function parseSceneDefinition(text: string, file: string): SceneDefinition {
  const src = parseYamlSource(text, file);
  const scene = validateYamlSource(src, sceneValidator());
  const seen = new Map<string, number>();
  const problems = [];
  for (const [i, member] of scene.cast.entries()) {
    const first = seen.get(member.id);
    if (first !== undefined) {
      const pos = positionOf(src, ['cast', i, 'id']);
      problems.push({
        file,
        ...pos,
        field: `cast[${i}].id`,
        message: `duplicate NPC id "${member.id}" (first at cast[${first}])`,
      });
    } else seen.set(member.id, i);
  }
  for (const verb of Object.keys(scene.verbs ?? {})) {
    const message = verbNameProblem(verb);
    if (message) problems.push({ file, ...positionOf(src, ['verbs', verb]), field: `verbs.${verb}`, message });
  }
  if (problems.length > 0) throw new SourceError(problems);
  return scene;
}

/** Validates a definition given as a value (inline at create); errors name the field. */
export function validateSceneDefinition(value: unknown, origin = 'join options "scene"'): SceneDefinition {
  return parseSceneDefinition(JSON.stringify(value ?? null, null, 2), origin);
}

/** What compiling the scene's constraint pack needs from the scene: its cast and its verbs. */
export function scenePackOptions(scene: SceneDefinition): CompileOptions {
  const knownCast = scene.cast.map((m) => ({
    id: m.id,
    ...(m.role ? { role: m.role } : {}),
    ...(m.faction ? { faction: m.faction } : {}),
    ...(m.stance ? { stance: m.stance } : {}),
  }));
  return { knownCast, ...(scene.verbs ? { sceneVerbs: scene.verbs } : {}) };
}
