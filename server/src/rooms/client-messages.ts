import {
  AckSchema,
  type ActionProposal,
  type ClientMessage,
  type ClientRole,
  type Control,
  ControlAction,
  create,
  ErrorCode,
  LIMITS,
  type MediaSubscription,
  type PlayerLine,
  type Say,
  type ServerMessage,
  type WorldReport,
} from '@stagecraft/protocol';
import { ClientMessageError } from './client-error.js';
import type { LiveScene } from './live-scene.js';
import { checkPermission } from './permissions.js';
import { sayOptionsFromWire } from './wire/say.js';

/** How the sender of a message is answered. */
export interface Answer {
  /** Sends a message to the sender only, as the answer to its request. */
  reply(body: ServerMessage['body']): void;
  /** Reports a failure that came after the message was handled (a reply that could not start). */
  fail(error: unknown): void;
  /** Sets which NPCs' media the sender receives; throws ClientMessageError for an unknown NPC. */
  subscribe(media: 'all' | readonly string[]): void;
}

export interface Sender {
  sessionId: string;
  name: string;
  role: ClientRole;
}

/** Who a client is to the NPCs it talks to (their memory of it): its name, else its session. */
export function playerIdOf(sender: Sender): string {
  return sender.name || sender.sessionId;
}

/**
 * Handles one decoded client message; throws ClientMessageError for the sender. A message with a
 * request_id gets exactly one answer carrying it: its result (a verdict, a snapshot, the
 * performance it started), an `ack` when it has no other, or an error.
 */
export function handleClientMessage(msg: ClientMessage, sender: Sender, scene: LiveScene, answer: Answer): void {
  const kind = msg.body.case;
  if (kind === undefined)
    throw new ClientMessageError(ErrorCode.BAD_MESSAGE, 'ClientMessage has no body', undefined, 'body');
  checkPermission(msg, sender.role, scene);
  switch (kind) {
    case 'proposal':
      onProposal(msg.body.value as ActionProposal, scene, answer);
      return;
    case 'playerLine':
      onPlayerLine(msg.body.value as PlayerLine, msg.requestId, sender, scene, answer);
      return;
    case 'control':
      onControl(msg.body.value as Control, scene);
      ack(msg, answer);
      return;
    case 'say': {
      const say = msg.body.value as Say;
      scene.say(say.npcId, say.text, { ...sayOptionsFromWire(say), requestId: msg.requestId });
      return;
    }
    case 'worldReport':
      onWorldReport(msg.body.value as WorldReport, scene);
      ack(msg, answer);
      return;
    case 'snapshotRequest':
      answer.reply({ case: 'snapshot', value: scene.state.snapshot() });
      return;
    case 'media': {
      const media = msg.body.value as MediaSubscription;
      if (media.npcIds.length > LIMITS.mediaNpcIds) {
        const message = `media.npc_ids has ${media.npcIds.length} entries; the limit is ${LIMITS.mediaNpcIds}`;
        throw new ClientMessageError(ErrorCode.INVALID_FIELD, message, 'media', 'media.npc_ids');
      }
      answer.subscribe(media.all ? 'all' : media.npcIds);
      ack(msg, answer);
      return;
    }
  }
}

/** Answers a request that has no result of its own. */
function ack(msg: ClientMessage, answer: Answer): void {
  if (msg.requestId) answer.reply({ case: 'ack', value: create(AckSchema) });
}

function requireNpc(scene: LiveScene, id: string, kind: 'proposal' | 'playerLine' | 'control', field: string): void {
  if (!id) throw new ClientMessageError(ErrorCode.INVALID_FIELD, `${field} is required`, kind, field);
  if (!scene.state.member(id)) {
    const known = scene.state.castIds().slice(0, 20).join(', ');
    throw new ClientMessageError(
      ErrorCode.UNKNOWN_NPC,
      `no cast member "${id}" in this scene (cast: ${known})`,
      kind,
      field,
    );
  }
}

function onProposal(p: ActionProposal, scene: LiveScene, answer: Answer): void {
  // The player acts too: its proposals are judged by the same pack (for a player client, only
  // in a scene with playerActs; see permissions.ts).
  if (p.actorId !== scene.playerId) requireNpc(scene, p.actorId, 'proposal', 'proposal.actor_id');
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
  const verdict = scene.judge(p);
  scene.record('verdict', { proposal: p, verdict });
  answer.reply({ case: 'verdict', value: verdict });
}

function onPlayerLine(line: PlayerLine, requestId: string, sender: Sender, scene: LiveScene, answer: Answer): void {
  requireNpc(scene, line.npcId, 'playerLine', 'player_line.npc_id');
  const text = line.text.trim();
  const playerId = playerIdOf(sender);
  if (!text) {
    // Nothing to put in the transcript, but the NPC was addressed: it answers in character.
    answerWith(scene.respond(line.npcId, playerId, '', requestId), requestId, answer);
    return;
  }
  if (text.length > LIMITS.playerLineChars) {
    throw new ClientMessageError(
      ErrorCode.INVALID_FIELD,
      `player_line.text has ${text.length} characters; the limit is ${LIMITS.playerLineChars}`,
      'playerLine',
      'player_line.text',
    );
  }
  const transcript = { npcId: line.npcId, text, playerId } as PlayerLine;
  scene.record('player_line', { npcId: line.npcId, playerId, text });
  scene.broadcast({ case: 'playerLine', value: transcript });
  answerWith(scene.respond(line.npcId, playerId, text, requestId), requestId, answer);
}

/** The reply's performance answers a player line; without one (no dialogue) an ack does. */
function answerWith(reply: Promise<string>, requestId: string, answer: Answer): void {
  reply.then((performanceId) => {
    if (!performanceId && requestId) answer.reply({ case: 'ack', value: create(AckSchema) });
  }, answer.fail);
}

function onControl(c: Control, scene: LiveScene): void {
  if (c.action === ControlAction.UNSPECIFIED) {
    throw new ClientMessageError(ErrorCode.INVALID_FIELD, 'control.action is required', 'control', 'control.action');
  }
  if (c.performanceId || c.npcId) {
    if (!c.performanceId) requireNpc(scene, c.npcId, 'control', 'control.npc_id');
    scene.control(c.action, { npcId: c.npcId, performanceId: c.performanceId });
    scene.record('control', { action: ControlAction[c.action], npcId: c.npcId, performanceId: c.performanceId });
    return;
  }
  if (c.action === ControlAction.PAUSE || c.action === ControlAction.RESUME) {
    scene.setPaused(c.action === ControlAction.PAUSE);
  } else void scene.stopAll(false);
  scene.record('control', { action: ControlAction[c.action] });
  scene.broadcast({ case: 'control', value: c });
}

function onWorldReport(report: WorldReport, scene: LiveScene): void {
  const counters = Object.keys(report.counters).length;
  for (const [field, n, limit] of [
    ['world_report.actors', report.actors.length, LIMITS.worldReportActors],
    ['world_report.counters', counters, LIMITS.worldReportCounters],
  ] as const) {
    if (n > limit) {
      const message = `${field} has ${n} entries; the limit is ${limit} (send several reports)`;
      throw new ClientMessageError(ErrorCode.INVALID_FIELD, message, 'worldReport', field);
    }
  }
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
  scene.report(report);
}
