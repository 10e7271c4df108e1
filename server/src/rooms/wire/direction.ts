import {
  type ActionProposal,
  ActionProposalSchema,
  type CastMember,
  CastMemberSchema,
  create,
  Decision,
  DirectiveSchema,
  DirectorMode,
  type DirectorStatus,
  DirectorStatusSchema,
  OUTCOME,
  PACING_MODE,
  STANCE,
  VerdictSchema,
  type Directive as WireDirective,
  type Verdict as WireVerdict,
  type WorldReport as WireWorldReport,
} from '@stagecraft/protocol';
import type { PacingState } from '../../direction/pacing.js';
import type { Directive, Proposal, Verdict } from '../../direction/vocabulary.js';
import type { ActorReport, Resolution, WorldReport } from '../../direction/world-state.js';

const DECISION = { allow: Decision.ALLOW, rewrite: Decision.REWRITE, veto: Decision.VETO } as const;

export function proposalFromWire(p: ActionProposal): Proposal {
  return {
    proposalId: p.proposalId,
    actorId: p.actorId,
    verb: p.verb,
    targetId: p.targetId,
    amount: p.amount,
    ...(Object.keys(p.params).length > 0 ? { params: p.params } : {}),
  };
}

function proposalToWire(p: Proposal): ActionProposal {
  return create(ActionProposalSchema, { ...p, params: p.params ?? {} });
}

export function verdictToWire(v: Verdict): WireVerdict {
  return create(VerdictSchema, {
    proposalId: v.proposalId,
    decision: DECISION[v.decision],
    ruleId: v.ruleId,
    reason: v.reason,
    ...(v.rewritten ? { rewritten: proposalToWire(v.rewritten) } : {}),
    decidedInUs: v.decidedInUs ?? 0,
  });
}

export function directiveToWire(d: Directive, directiveId: string): WireDirective {
  return create(DirectiveSchema, {
    directiveId,
    npcId: d.npcId,
    ruleId: d.ruleId,
    issuedAtMs: Math.max(0, Math.floor(d.issuedAtMs)),
    ...(d.stance ? { stance: STANCE.toWire(d.stance) } : {}),
    ...(d.aggression !== undefined ? { aggression: d.aggression } : {}),
    ...(d.targetId !== undefined ? { targetId: d.targetId } : {}),
    ...(d.retreatBelowHealth !== undefined ? { retreatBelowHealth: d.retreatBelowHealth } : {}),
    ...(d.say !== undefined ? { say: d.say } : {}),
  });
}

export function worldReportFromWire(r: WireWorldReport, nowMs: number): WorldReport {
  const actors: ActorReport[] = r.actors.map((a) => {
    const out: ActorReport = { id: a.id };
    if (a.health !== undefined) out.health = a.health;
    if (a.maxHealth !== undefined) out.maxHealth = a.maxHealth;
    if (a.downed !== undefined) out.downed = a.downed;
    if (a.dead !== undefined) out.dead = a.dead;
    if (a.present !== undefined) out.present = a.present;
    if (a.area !== undefined) out.area = a.area;
    if (a.x !== undefined) out.x = a.x;
    if (a.y !== undefined) out.y = a.y;
    return out;
  });
  return { nowMs, actors, counters: { ...r.counters } };
}

/** What a director's status is made of. */
export interface DirectorFacts {
  packId: string;
  paused: boolean;
  resolution: Resolution | undefined;
  /** The battle director's pacing; absent once it has stopped. */
  pacing: PacingState | undefined;
  counts: { verdicts: number; rewrites: number; vetoes: number };
  /** Scene clock of the next deadline, ms; null when none is pending. */
  nextDeadlineMs: number | null;
}

export function directorStatusToWire(f: DirectorFacts): DirectorStatus {
  return create(DirectorStatusSchema, {
    mode: f.resolution ? DirectorMode.RESOLVED : f.paused ? DirectorMode.PAUSED : DirectorMode.ACTIVE,
    packId: f.packId,
    intensity: f.pacing ? Math.round(f.pacing.intensity * 100) / 100 : 0,
    ...(f.pacing ? { pacing: PACING_MODE.toWire(f.pacing.mode) } : {}),
    ...f.counts,
    ...(f.resolution ? { outcome: OUTCOME.toWire(f.resolution.outcome), resolvedBy: f.resolution.ruleId } : {}),
    nextDeadlineMs: f.nextDeadlineMs === null ? 0 : Math.floor(f.nextDeadlineMs),
  });
}

/** The verdict for a proposal in a scene without a constraint pack: everything is allowed. */
export function openVerdict(proposal: ActionProposal): WireVerdict {
  return create(VerdictSchema, {
    proposalId: proposal.proposalId,
    decision: Decision.ALLOW,
    reason: 'no constraint pack is loaded for this scene',
  });
}

/** The cast member with a directive merged into its current one (and its stance, when given). */
export function withDirective(member: CastMember, d: WireDirective): CastMember {
  const prev = member.directive;
  const merged = create(DirectiveSchema, {
    directiveId: d.directiveId,
    npcId: d.npcId,
    ruleId: d.ruleId,
    issuedAtMs: d.issuedAtMs,
    stance: d.stance ?? prev?.stance,
    aggression: d.aggression ?? prev?.aggression,
    targetId: d.targetId ?? prev?.targetId,
    retreatBelowHealth: d.retreatBelowHealth ?? prev?.retreatBelowHealth,
  });
  return create(CastMemberSchema, { ...member, directive: merged, stance: d.stance ?? member.stance });
}
