import { create, Decision, type Verdict, VerdictSchema } from '@stagecraft/protocol';
import type { ProposalJudge } from './scene-services.js';

/** The judge of a scene without a constraint pack: every proposal is allowed. */
export const openJudge: ProposalJudge = {
  judge(proposal): Verdict {
    return create(VerdictSchema, {
      proposalId: proposal.proposalId,
      decision: Decision.ALLOW,
      reason: 'no constraint pack is loaded for this scene',
    });
  },
};
