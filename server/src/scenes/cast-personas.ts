import path from 'node:path';
import { didYouMean } from '../common/near-miss.js';
import { formatFieldPath, SourceError, type SourceProblem } from '../common/source-error.js';
import { parseYamlSource, positionOf, type YamlSource } from '../common/yaml-source.js';
import {
  PERSONA_ID,
  type Persona,
  type PersonaLibrary,
  patternProblems,
  type SecretDefinition,
  toPersona,
} from '../dialogue/persona.js';
import type { CastDefinition, SceneDefinition } from './scene-definition.js';

export interface CastPersonaOptions {
  /** Where persona files are read from (by default `personas/` beside the scenes folder). */
  library: PersonaLibrary;
  /** The scene file, for error positions; an inline scene's origin otherwise. */
  file?: string;
  /** The scene file's text; without it, positions refer to the definition laid out as JSON. */
  text?: string;
  /** The scene's phase ids in story order; when given, every `untilPhase` must be one of them. */
  phases?: readonly string[];
}

/**
 * Each cast member's persona, by NPC id. A member's `persona` is, in order:
 * an inline object (used as written); a persona id (`personas/<id>.yaml`, which must exist);
 * otherwise `personas/<cast id>.yaml` when it exists, with a prose `persona` sentence added to its
 * background; otherwise a persona built from the name, role and prose sentence.
 * Every problem found is thrown at once as a SourceError naming file, line, column and field.
 */
export async function personasForScene(
  scene: SceneDefinition,
  options: CastPersonaOptions,
): Promise<Map<string, Persona>> {
  const file = options.file ?? `scene "${scene.id}"`;
  let src: YamlSource | undefined;
  const sceneSrc = () => {
    src ??= parseYamlSource(options.text ?? JSON.stringify(scene, null, 2), file);
    return src;
  };
  const problems: SourceProblem[] = [];
  const out = new Map<string, Persona>();
  const phases = options.phases;
  if (phases) problems.push(...phaseProblems(sceneSrc, ['secrets'], scene.secrets, phases));

  for (const [i, member] of scene.cast.entries()) {
    const at = ['cast', i, 'persona'];
    const given = member.persona;
    const fallbackName = member.name ?? member.id;
    if (given !== undefined && typeof given === 'object') {
      problems.push(...patternProblems(sceneSrc(), at, given));
      if (phases) problems.push(...phaseProblems(sceneSrc, [...at, 'secrets'], given.secrets, phases));
      out.set(member.id, toPersona(member.id, given, fallbackName));
      continue;
    }
    const byId = typeof given === 'string' && PERSONA_ID.test(given.trim());
    const id = byId ? (given as string).trim() : member.id;
    let found: Awaited<ReturnType<PersonaLibrary['find']>>;
    try {
      found = await options.library.find(id);
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    if (!found && byId) {
      problems.push({
        file,
        ...positionOf(sceneSrc(), at),
        field: formatFieldPath(at),
        message: `no persona file "${id}.yaml" in ${path.relative(process.cwd(), options.library.dir) || '.'} (a persona id names a file; write a sentence for a prose persona)`,
      });
      continue;
    }
    const prose = typeof given === 'string' && !byId ? given.trim() : '';
    if (found) {
      if (phases) {
        const fileSrc = found.src;
        problems.push(...phaseProblems(() => fileSrc, ['secrets'], found.definition.secrets, phases));
      }
      const persona = toPersona(found.id, found.definition, fallbackName);
      if (prose) persona.background = persona.background ? `${persona.background}\n${prose}` : prose;
      out.set(member.id, persona);
    } else {
      out.set(member.id, builtPersona(member, prose));
    }
  }
  if (problems.length > 0) throw new SourceError(problems);
  return out;
}

/** The persona of a cast member with no persona file: its name, role and prose sentence. */
function builtPersona(member: CastDefinition, prose: string): Persona {
  const role = member.role ? `You are the ${member.role}${member.faction ? ` of the ${member.faction}` : ''}.` : '';
  const background = [role, prose].filter(Boolean).join(' ');
  return toPersona(member.id, { background }, member.name ?? member.id);
}

function phaseProblems(
  src: () => YamlSource,
  base: readonly (string | number)[],
  secrets: readonly SecretDefinition[] | undefined,
  phases: readonly string[],
): SourceProblem[] {
  const problems: SourceProblem[] = [];
  for (const [i, secret] of (secrets ?? []).entries()) {
    if (secret.untilPhase === undefined || phases.includes(secret.untilPhase)) continue;
    const where = [...base, i, 'untilPhase'];
    const suggestion = didYouMean(secret.untilPhase, phases);
    problems.push({
      file: src().file,
      ...positionOf(src(), where),
      field: formatFieldPath(where),
      message: `"${secret.untilPhase}" is not a phase of this scene (phases: ${phases.join(', ') || 'none'})`,
      ...(suggestion ? { suggestion } : {}),
    });
  }
  return problems;
}
