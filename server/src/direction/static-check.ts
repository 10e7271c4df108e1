import { subjectMatches } from './compile-refs.js';
import type { RulePaths } from './compile-rules.js';
import type { CompiledForbid, CompiledPack, CompiledPermit, Subject } from './compiled-pack.js';
import { Contradictions } from './contradictions.js';
import { formatDuration } from './durations.js';
import type { FieldPath, ProblemList } from './pack-problems.js';

/**
 * Reports packs that contradict themselves or cannot guarantee their outcome, before run time.
 * It reasons only about what the engine controls: NPC proposals (and protected targets).
 */
export function checkPack(pack: CompiledPack, paths: RulePaths, problems: ProblemList, timingKnown = true): void {
  const at = (id: string): FieldPath => paths.get(id) ?? [];
  const contradictions = new Contradictions(pack, paths, problems, pack.simulate.playerHealth);
  if (timingKnown) {
    checkOutcome(pack, problems, contradictions.checkWin());
    contradictions.checkLose();
    contradictions.checkDeadlines();
  }
  contradictions.checkPhases();
  checkPermits(pack, at, problems);
  checkTargets(pack, at, problems);
  checkPhases(pack, problems);
}

function membersOf(pack: CompiledPack, s: Subject): string[] {
  return pack.cast.filter((m) => subjectMatches(s, m.id, m.role, m.faction, pack.playerId)).map((m) => m.id);
}

function overlap(pack: CompiledPack, a: Subject, b: Subject): string[] {
  const bs = new Set(membersOf(pack, b));
  return membersOf(pack, a).filter((id) => bs.has(id));
}

/** `unwinnable`: already reported that only the timer could win, naming every rule involved. */
function checkOutcome(pack: CompiledPack, problems: ProblemList, unwinnable: boolean): void {
  const o = pack.outcome;
  if (!o) return;
  const report = (path: FieldPath, msg: string) =>
    o.strict
      ? problems.error(path, `${msg} (set outcome.strict: false to only steer toward it)`)
      : problems.warn(path, msg);
  const { maxMs, atMax } = pack.timing;
  const want = o.required;
  const protectedEnemies = pack.rules.filter(
    (r) =>
      r.kind === 'protect' && r.floor === 'standing' && r.when.guard === 'always' && pack.enemies.includes(r.targetId),
  );
  if (want === 'win' && unwinnable) {
    // Contradictions.checkWin names every rule involved.
  } else if (want !== 'survive' && maxMs === null)
    report(
      ['outcome', 'player'],
      `outcome "${want}" needs timing.maxDuration with atMax: ${want}, or the battle may never end`,
    );
  else if (want !== 'survive' && atMax !== want)
    report(['timing', 'atMax'], `the player must ${want}, but at maxDuration the battle resolves as "${atMax}"`);
  if (want === 'survive' && maxMs === null)
    problems.warn(['outcome', 'player'], 'no timing.maxDuration: the battle has no end');
  if ((want === 'lose' || want === 'draw') && pack.enemies.length > 0 && protectedEnemies.length === 0)
    report(
      ['outcome', 'player'],
      `the player could win by downing every enemy first: give one enemy participation mustSurvive (enemies: ${pack.enemies.join(', ')})`,
    );
  if (pack.enemies.length === 0 && want !== 'survive') report(['outcome', 'player'], 'the pack names no enemies');
  pack.timing.phases.forEach((ph, i) => {
    if (ph.atDeadline.kind === 'resolve' && want !== 'survive' && ph.atDeadline.outcome !== want)
      report(
        ['timing', 'phases', i, 'atDeadline', 'resolve'],
        `phase "${ph.id}" resolves as "${ph.atDeadline.outcome}" but the player must ${want}`,
      );
  });
}

/** Permits (leaving, retreating) against forbids and areas that cover the same NPCs and verbs. */
function checkPermits(pack: CompiledPack, at: (id: string) => FieldPath, problems: ProblemList): void {
  for (const permit of pack.permits) {
    if (permit.when.guard === 'never') continue;
    for (const rule of pack.rules) {
      if (rule.when.guard === 'never' || rule.priority < permit.priority) continue;
      if (!blocks(rule, permit)) continue;
      if (rule.kind === 'forbid' && rule.id.endsWith('.leave-at')) continue;
      const who = overlap(pack, permit.who, rule.who);
      if (who.length === 0) continue;
      const isRetreat = permit.id.endsWith('.retreat');
      const what = isRetreat
        ? `retreat (${permit.id}, priority ${permit.priority})`
        : `leave (${permit.id}, priority ${permit.priority})`;
      const msg =
        rule.priority === permit.priority
          ? `${who.join(', ')}: ${what} conflicts with rule "${rule.id}" at equal priority ${rule.priority}; give one a higher priority`
          : `${who.join(', ')}: ${what} never happens, rule "${rule.id}" (priority ${rule.priority}) holds them`;
      const path = at(permit.id);
      if (isRetreat && rule.priority !== permit.priority) problems.warn(path, msg);
      else problems.error(path, msg);
    }
  }
}

function blocks(rule: CompiledPack['rules'][number], permit: CompiledPermit): boolean {
  if (rule.kind === 'stay_in_area') return permit.verbs.some((v) => v === 'flee' || v === 'leave');
  if (rule.kind !== 'forbid') return false;
  return (rule as CompiledForbid).matches.some((m) => !m.onPlayer && permit.verbs.includes(m.verb));
}

function checkTargets(pack: CompiledPack, at: (id: string) => FieldPath, problems: ProblemList): void {
  for (const ins of pack.instructions) {
    if (!ins.targets.includes(pack.playerId)) continue;
    for (const rule of pack.rules) {
      if (rule.kind !== 'forbid' || rule.when.guard !== 'always') continue;
      if (!rule.matches.some((m) => m.verb === 'attack')) continue;
      const who = overlap(pack, ins.who, rule.who);
      if (who.length > 0)
        problems.warn(
          [...at(ins.id), 'targets'],
          `${who.join(', ')} may not attack (rule "${rule.id}") but are told to target the player`,
        );
    }
  }
}

function checkPhases(pack: CompiledPack, problems: ProblemList): void {
  const { phases, maxMs } = pack.timing;
  const gotoTargets = new Set(phases.flatMap((p) => (p.atDeadline.kind === 'goto' ? [p.atDeadline.index] : [])));
  phases.forEach((ph, i) => {
    const path = ['timing', 'phases', i];
    if (i > 0 && ph.enter === null && !gotoTargets.has(i)) {
      const prev = phases[i - 1];
      if (!prev || prev.deadlineMs === null || prev.atDeadline.kind !== 'next')
        problems.warn(path, `phase "${ph.id}" is never entered: give it an enter condition or a deadline before it`);
    }
    if (ph.enter?.guard === 'elapsedAtLeast' && maxMs !== null && ph.enter.ms >= maxMs)
      problems.warn(
        [...path, 'enter', 'after'],
        `phase "${ph.id}" starts at ${formatDuration(ph.enter.ms)}, after maxDuration ${formatDuration(maxMs)}`,
      );
    if (ph.deadlineMs !== null && maxMs !== null && ph.deadlineMs > maxMs)
      problems.warn(
        [...path, 'deadline'],
        `deadline ${formatDuration(ph.deadlineMs)} is longer than maxDuration ${formatDuration(maxMs)}`,
      );
  });
}
