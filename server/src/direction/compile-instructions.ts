import { ALWAYS, allOf, type ConditionCompiler, simplify } from './compile-conditions.js';
import type { PackRefs } from './compile-refs.js';
import { DEFAULT_PRIORITY, type RuleOutput } from './compile-rules.js';
import type { CompiledInstruction, Guard } from './compiled-pack.js';
import type { InstructionSource } from './pack-source.js';

/** Compiles `instructions:`; the director turns them into directives. */
export function compileInstructions(
  sources: InstructionSource[],
  refs: PackRefs,
  conds: ConditionCompiler,
  out: RuleOutput,
): CompiledInstruction[] {
  return sources.map((s, i) => {
    const path = ['instructions', i];
    const id = s.id ?? `instructions[${i}]`;
    out.paths.set(id, path);
    let retreatWhen: Guard = ALWAYS;
    if (s.retreat?.unless?.length) {
      const unless = s.retreat.unless.map((c, j) => conds.compile(c, [...path, 'retreat', 'unless', j], true));
      retreatWhen = simplify({ guard: 'not', of: simplify({ guard: 'any', of: unless }) });
    }
    for (const [j, t] of (s.targets ?? []).entries()) refs.npc(t, [...path, 'targets', j], true);
    const who = refs.subject(s.who, [...path, 'who']);
    const priority = s.priority ?? DEFAULT_PRIORITY.instruction;
    const when = s.when ? conds.compile(s.when, [...path, 'when'], true) : ALWAYS;
    if (s.retreat) {
      out.paths.set(`${id}.retreat`, [...path, 'retreat']);
      out.permits.push({
        id: `${id}.retreat`,
        priority,
        source: `instructions[${i}].retreat`,
        who,
        verbs: ['flee'],
        when: allOf(when, { guard: 'healthBelow', npc: 'self', fraction: s.retreat.below }, retreatWhen),
      });
    }
    return {
      id,
      priority,
      source: `instructions[${i}]`,
      who,
      when,
      stance: s.stance ?? null,
      aggression: s.aggression ?? null,
      retreatBelow: s.retreat?.below ?? null,
      retreatWhen,
      targets: s.targets ?? [],
      lines: (s.lines ?? []).map((l, j) => ({
        id: `${id}.lines[${j}]`,
        cue: allOf(when, conds.compile(l.cue, [...path, 'lines', j, 'cue'], true)),
        say: l.say,
      })),
    };
  });
}
