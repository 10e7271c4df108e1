import {
  type ActionProposal,
  type ClientMessage,
  type Control,
  ControlAction,
  ErrorCode,
  type PlayerLine,
  type Say,
  type ServerMessage,
  type Verdict,
  type WorldReport,
} from '@stagecraft/protocol';
import { ClientMessageError } from './client-error.js';
import type { ClientRole } from './join-options.js';
import type { SceneChange, SceneState } from './scene-state.js';

/** Longest player line accepted, characters; dialogue reads at most its first 500 (docs/dialogue.md). */
export const MAX_PLAYER_LINE = 20_000;

/** What handling one client message may do to the scene; the room carries it out. */
export interface SceneEffects {
  reply(body: ServerMessage['body']): void;
  broadcast(body: ServerMessage['body']): void;
  change(change: SceneChange): void;
  record(kind: string, payload: unknown): void;
  judge(proposal: ActionProposal): Verdict;
  /** Starts a line for an NPC; throws ClientMessageError for bad input. */
  say(say: Say): string;
  /** Pauses, resumes or stops one NPC's line or one performance; throws ClientMessageError. */
  controlPerformance(action: ControlAction, target: { npcId?: string; performanceId?: string }): void;
  /** The NPC answers a player's line (dialogue); problems reach the sender as errors. */
  respond(npcId: string, playerId: string, text: string): void;
  /** Stops every interruptible line in the scene. */
  stopAll(): void;
  /** Hands a world report to the scene's director; scenes without a constraint pack ignore it. */
  report(report: WorldReport): void;
  pauseClock(paused: boolean): void;
}

export interface Sender {
  sessionId: string;
  name: string;
  role: ClientRole;
}

const WRITE_KINDS = new Set(['proposal', 'playerLine', 'control', 'worldReport', 'say']);

/** Handles one decoded client message; throws ClientMessageError for the sender. */
export function handleClientMessage(msg: ClientMessage, sender: Sender, scene: SceneState, fx: SceneEffects): void {
  const kind = msg.body.case;
  if (kind === undefined)
    throw new ClientMessageError(ErrorCode.BAD_MESSAGE, 'ClientMessage has no body', undefined, 'body');
  if (sender.role === 'observer' && WRITE_KINDS.has(kind)) {
    throw new ClientMessageError(ErrorCode.FORBIDDEN, `observers may not send ${kind}`, kind, '', false);
  }
  switch (kind) {
    case 'proposal':
      onProposal(msg.body.value as ActionProposal, scene, fx);
      return;
    case 'playerLine':
      onPlayerLine(msg.body.value as PlayerLine, sender, scene, fx);
      return;
    case 'control':
      onControl(msg.body.value as Control, scene, fx);
      return;
    case 'say':
      fx.say(msg.body.value as Say);
      return;
    case 'worldReport':
      onWorldReport(msg.body.value as WorldReport, fx);
      return;
    case 'snapshotRequest':
      fx.reply({ case: 'snapshot', value: scene.snapshot() });
      return;
  }
}

function requireNpc(scene: SceneState, id: string, kind: 'proposal' | 'playerLine' | 'control', field: string): void {
  if (!id) throw new ClientMessageError(ErrorCode.INVALID_FIELD, `${field} is required`, kind, field);
  if (!scene.member(id)) {
    const known = scene.castIds().slice(0, 20).join(', ');
    throw new ClientMessageError(
      ErrorCode.UNKNOWN_NPC,
      `no cast member "${id}" in this scene (cast: ${known})`,
      kind,
      field,
    );
  }
}

function onProposal(p: ActionProposal, scene: SceneState, fx: SceneEffects): void {
  requireNpc(scene, p.actorId, 'proposal', 'proposal.actor_id');
  if (!p.verb)
    throw new ClientMessageError(ErrorCode.INVALID_FIELD, 'proposal.verb is required', 'proposal', 'proposal.verb');
  if (!Number.isFinite(p.amount)) {
    throw new ClientMessageError(
      ErrorCode.INVALID_FIELD,
      'proposal.amount must be finite',
      'proposal',
      'proposal.amount',
    );
  }
  const verdict = fx.judge(p);
  fx.record('verdict', { proposal: p, verdict });
  fx.reply({ case: 'verdict', value: verdict });
}

function onPlayerLine(line: PlayerLine, sender: Sender, scene: SceneState, fx: SceneEffects): void {
  requireNpc(scene, line.npcId, 'playerLine', 'player_line.npc_id');
  const text = line.text.trim();
  const playerId = sender.name || sender.sessionId;
  if (!text) {
    // Nothing to put in the transcript, but the NPC was addressed: it answers in character.
    fx.respond(line.npcId, playerId, '');
    return;
  }
  if (text.length > MAX_PLAYER_LINE) {
    throw new ClientMessageError(
      ErrorCode.INVALID_FIELD,
      `player_line.text has ${text.length} characters; the limit is ${MAX_PLAYER_LINE}`,
      'playerLine',
      'player_line.text',
    );
  }
  const transcript = { npcId: line.npcId, text, playerId } as PlayerLine;
  fx.record('player_line', { npcId: line.npcId, playerId, text });
  fx.broadcast({ case: 'playerLine', value: transcript });
  fx.respond(line.npcId, playerId, text);
}

function onControl(c: Control, scene: SceneState, fx: SceneEffects): void {
  if (c.action === ControlAction.UNSPECIFIED) {
    throw new ClientMessageError(ErrorCode.INVALID_FIELD, 'control.action is required', 'control', 'control.action');
  }
  if (c.performanceId || c.npcId) {
    if (!c.performanceId) requireNpc(scene, c.npcId, 'control', 'control.npc_id');
    fx.controlPerformance(c.action, { npcId: c.npcId, performanceId: c.performanceId });
    fx.record('control', { action: ControlAction[c.action], npcId: c.npcId, performanceId: c.performanceId });
    return;
  }
  if (c.action === ControlAction.PAUSE || c.action === ControlAction.RESUME) {
    const paused = c.action === ControlAction.PAUSE;
    fx.pauseClock(paused);
    fx.change({ paused });
  } else fx.stopAll();
  fx.record('control', { action: ControlAction[c.action] });
  fx.broadcast({ case: 'control', value: c });
}

function onWorldReport(report: WorldReport, fx: SceneEffects): void {
  for (const [i, a] of report.actors.entries()) {
    const field = `world_report.actors[${i}]`;
    if (!a.id)
      throw new ClientMessageError(ErrorCode.INVALID_FIELD, `${field}.id is required`, 'worldReport', `${field}.id`);
    for (const key of ['health', 'maxHealth', 'x', 'y'] as const) {
      const v = a[key];
      if (v !== undefined && !Number.isFinite(v)) {
        throw new ClientMessageError(
          ErrorCode.INVALID_FIELD,
          `${field}.${key} must be finite`,
          'worldReport',
          `${field}.${key}`,
        );
      }
    }
    if ((a.health ?? 0) < 0 || (a.maxHealth ?? 1) <= 0) {
      throw new ClientMessageError(
        ErrorCode.INVALID_FIELD,
        `${field}: health must be ≥ 0 and maxHealth > 0`,
        'worldReport',
        field,
      );
    }
  }
  fx.report(report);
}
