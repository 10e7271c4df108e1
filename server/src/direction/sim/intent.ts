import { subjectMatches } from '../compile-refs.js';
import type { CompiledPack } from '../compiled-pack.js';
import { formatDuration } from '../durations.js';
import type { SimulationSummary } from './summary.js';

const share = (n: number, of: number) => `${Math.round((100 * n) / Math.max(1, of))}%`;
const count = (n: number) => n.toLocaleString('en-US');

/** Below this share of battles, a minimum duration or a phase counts as not what the pack means. */
export const INTENT_SHARE = 0.5;

/**
 * Where the battles do not play out as the pack means them to, though no rule was broken:
 * the outcome missed, battles shorter than minDuration, decided by the timer, phases seldom
 * reached, lines never said, the player hurt by actions no rule names.
 */
export function intentWarnings(pack: CompiledPack, s: SimulationSummary): string[] {
  const out: string[] = [];
  const n = s.battles;
  if (s.required && s.requiredMet < n)
    out.push(`the required outcome "${s.required}" was met in ${count(s.requiredMet)} of ${count(n)} battles`);
  const { minMs, maxMs } = pack.timing;
  if (minMs !== null && s.lastedMin < INTENT_SHARE * n)
    out.push(
      `${count(s.lastedMin)} of ${count(n)} battles lasted minDuration ${formatDuration(minMs)} (median ${formatDuration(s.durationMs.p50)}, longest ${formatDuration(s.durationMs.max)})`,
    );
  const byTimer = s.endings['max-duration'] ?? 0;
  if (maxMs !== null && s.required && s.required !== 'survive' && byTimer >= 0.9 * n && n > 0)
    out.push(
      `${count(byTimer)} of ${count(n)} battles ran to maxDuration ${formatDuration(maxMs)}: the timer, not the fight, decided them`,
    );
  s.phases.forEach((ph, i) => {
    if (i === 0) return;
    if (ph.battles === 0) out.push(`phase "${ph.id}" was reached in none of ${count(n)} battles`);
    else if (ph.battles < INTENT_SHARE * n) out.push(`phase "${ph.id}" reached in ${share(ph.battles, n)} of battles`);
  });
  for (const line of s.unsaid) out.push(`line "${line}" was said in none of ${count(n)} battles`);
  const unnamed = unnamedHarm(pack, s);
  if (unnamed) out.push(unnamed);
  return out;
}

/**
 * Harm to the player from actions that no rule covering the one who did it names, in a pack
 * whose rules keep some harm off the player (a forbidden attack or kill, a cap on the player).
 */
function unnamedHarm(pack: CompiledPack, s: SimulationSummary): string | undefined {
  const guards = pack.rules.filter(
    (r) =>
      (r.kind === 'forbid' && r.matches.some((m) => m.verb === 'attack' || m.verb === 'kill')) ||
      (r.kind === 'damage_cap' && r.target.player),
  );
  if (guards.length === 0) return undefined;
  const cast = new Map(pack.cast.map((m) => [m.id, m]));
  const named = (by: string, action: string) => {
    const [verb = '', item = ''] = action.split(':');
    const m = cast.get(by);
    return pack.rules.some((r) => {
      if (!subjectMatches(r.who, by, m?.role, m?.faction, pack.playerId)) return false;
      if (r.kind === 'forbid')
        return r.matches.some((x) => x.verb === verb) && (r.items.length === 0 || r.items.includes(item));
      if (r.kind === 'damage_cap') return r.target.player;
      return r.kind === 'only' && !r.verbs.includes(verb);
    });
  };
  const hurt = s.playerDamage.filter((d) => !named(d.by, d.action));
  if (hurt.length === 0) return undefined;
  const points = hurt.reduce((a, d) => a + d.points, 0);
  const downed = hurt.reduce((a, d) => a + d.downed, 0);
  const byAction = new Map<string, string[]>();
  for (const d of hurt) byAction.set(d.action, [...(byAction.get(d.action) ?? []), d.by]);
  const what = [...byAction].map(([action, who]) => `${action} (${[...new Set(who)].sort().join(', ')})`).join(', ');
  return `the player lost ${count(Math.round(points))} hit points${downed > 0 ? ` and was downed in ${count(downed)} battles` : ''} to ${what}, which no rule covering them names (${guards.map((r) => `"${r.id}"`).join(', ')} keep${guards.length === 1 ? 's' : ''} other harm off the player)`;
}
