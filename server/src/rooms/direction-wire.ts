import {
  type ActionProposal,
  ActionProposalSchema,
  create,
  Decision,
  DirectiveSchema,
  VerdictSchema,
  type Directive as WireDirective,
  Stance as WireStance,
  type Verdict as WireVerdict,
  type WorldReport as WireWorldReport,
} from '@stagecraft/protocol';
import type { Directive, Proposal, Stance, Verdict } from '../direction/vocabulary.js';
import type { ActorReport, WorldReport } from '../direction/world-state.js';

const DECISION = { allow: Decision.ALLOW, rewrite: Decision.REWRITE, veto: Decision.VETO } as const;
const STANCE: Record<Stance, WireStance> = {
  neutral: WireStance.NEUTRAL,
  friendly: WireStance.FRIENDLY,
  wary: WireStance.WARY,
  hostile: WireStance.HOSTILE,
  defensive: WireStance.DEFENSIVE,
  retreating: WireStance.RETREATING,
};

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
    ...(d.stance ? { stance: STANCE[d.stance] } : {}),
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
