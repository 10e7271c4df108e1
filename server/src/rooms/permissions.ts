import type { ActionProposal, ClientMessage, ClientMessageKind, ClientRole, WorldReport } from '@stagecraft/protocol';
import { ErrorCode } from '@stagecraft/protocol';
import { ClientMessageError } from './client-error.js';

/**
 * What a role may do with one kind of message: `yes`, `no`, or `asPlayer`: only about the
 * player's own actor, and only in a scene whose file says `playerActs: true`.
 */
export type Permission = 'yes' | 'no' | 'asPlayer';

/**
 * The permission table (docs/security.md, "Who may do what"). Every client message passes
 * `checkPermission` before anything else looks at it; nothing else decides who may send what.
 */
export const PERMISSIONS: Readonly<Record<ClientRole, Readonly<Record<ClientMessageKind, Permission>>>> = {
  observer: {
    snapshotRequest: 'yes',
    media: 'yes',
    playerLine: 'no',
    proposal: 'no',
    worldReport: 'no',
    say: 'no',
    control: 'no',
  },
  player: {
    snapshotRequest: 'yes',
    media: 'yes',
    playerLine: 'yes',
    proposal: 'asPlayer',
    worldReport: 'asPlayer',
    say: 'no',
    control: 'no',
  },
  game: {
    snapshotRequest: 'yes',
    media: 'yes',
    playerLine: 'yes',
    proposal: 'yes',
    worldReport: 'yes',
    say: 'yes',
    control: 'yes',
  },
  director: {
    snapshotRequest: 'yes',
    media: 'yes',
    playerLine: 'yes',
    proposal: 'yes',
    worldReport: 'yes',
    say: 'yes',
    control: 'yes',
  },
};

/** What the permission check needs to know of the scene. */
export interface PlayerScope {
  /** Whether a `player` may propose actions for, and report on, its own actor. */
  playerActs: boolean;
  /** The player's actor id in proposals and world reports. */
  playerId: string;
}

/** Throws FORBIDDEN (not recoverable) when `role` may not send `msg` in this scene. */
export function checkPermission(msg: ClientMessage, role: ClientRole, scope: PlayerScope): void {
  const kind = msg.body.case;
  if (kind === undefined) return;
  const permission = PERMISSIONS[role]?.[kind];
  if (permission === 'yes') return;
  if (permission === 'asPlayer') {
    if (!scope.playerActs) throw forbidden(kind, `a ${role} may not send ${kind} in this scene (it has no playerActs)`);
    const other = otherActor(msg, scope.playerId);
    if (other === undefined) return;
    throw forbidden(kind, `a ${role} may send ${kind} about "${scope.playerId}" only, not "${other.id}"`, other.field);
  }
  throw forbidden(kind, `a ${role ?? 'client'} may not send ${kind}`);
}

/** The first actor other than the player (or counter) that a proposal or world report speaks for. */
function otherActor(msg: ClientMessage, playerId: string): { id: string; field: string } | undefined {
  if (msg.body.case === 'proposal') {
    const p = msg.body.value as ActionProposal;
    return p.actorId === playerId ? undefined : { id: p.actorId, field: 'proposal.actor_id' };
  }
  if (msg.body.case === 'worldReport') {
    const report = msg.body.value as WorldReport;
    const counter = Object.keys(report.counters)[0];
    if (counter !== undefined) return { id: `counter ${counter}`, field: 'world_report.counters' };
    const i = report.actors.findIndex((a) => a.id !== playerId);
    return i < 0 ? undefined : { id: report.actors[i]?.id ?? '', field: `world_report.actors[${i}].id` };
  }
  return { id: '', field: '' };
}

function forbidden(kind: ClientMessageKind, message: string, field = ''): ClientMessageError {
  return new ClientMessageError(ErrorCode.FORBIDDEN, message, kind, field, false);
}
