import { create, fromBinary, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import {
  type ClientMessage,
  ClientMessageSchema,
  type ServerMessage,
  ServerMessageSchema,
} from './gen/stagecraft/v1/messages_pb.js';

/** Version of the wire format in `schemas/proto`; bumped on breaking changes. */
export const PROTOCOL_VERSION = 3;

/**
 * What one client message may carry: every size limit a server enforces on what clients send.
 * A message over a limit is refused with an Error naming the field (ERROR_CODE_INVALID_FIELD);
 * a frame over `frameBytes` closes the connection (close code 1009).
 */
export const LIMITS = {
  /** Largest WebSocket frame a client may send, bytes. */
  frameBytes: 1024 * 1024,
  /** Longest `PlayerLine.text`, characters (the NPC reads the first 500; docs/dialogue.md). */
  playerLineChars: 20_000,
  /** Longest `Say.text`, characters. */
  sayTextChars: 20_000,
  /** Longest join option `name`, characters. */
  nameChars: 100,
  /** Longest join token, characters. */
  tokenChars: 4096,
  /** Most actors in one `WorldReport` (a game with more sends several). */
  worldReportActors: 2000,
  /** Most counters in one `WorldReport`. */
  worldReportCounters: 256,
  /** Most NPC ids in one `MediaSubscription` (or the join option `media`). */
  mediaNpcIds: 1000,
} as const;

/** How a client wants its audio, given in the join option `audio` (docs/protocol.md, "Audio"). */
export const AUDIO_FORMATS = ['pcm16', 'opus'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/**
 * Who a client is, given in the join options (or a join token's `role` claim): the `game` runs
 * the simulation, a `player` speaks to NPCs, an `observer` only watches, a `director` is a tool
 * with the game's powers (docs/protocol.md, "Roles"). Listed from least to most allowed.
 */
export const CLIENT_ROLES = ['observer', 'player', 'game', 'director'] as const;
export type ClientRole = (typeof CLIENT_ROLES)[number];

/** Colyseus room name every scene is created under. */
export const SCENE_ROOM = 'scene';

/**
 * Colyseus bytes-message types. Every frame after the join handshake is a
 * Colyseus ROOM_DATA_BYTES frame whose type is one of these and whose body is
 * one protobuf message.
 */
export const MessageType = {
  /** Server → client: body is a `stagecraft.v1.ServerMessage`. */
  SERVER: 1,
  /** Client → server: body is a `stagecraft.v1.ClientMessage`. */
  CLIENT: 2,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** The `body.case` names of a ServerMessage, e.g. `'snapshot' | 'audio' | …`. */
export type ServerMessageKind = NonNullable<ServerMessage['body']['case']>;
/** The `body.case` names of a ClientMessage. */
export type ClientMessageKind = NonNullable<ClientMessage['body']['case']>;

/** The value carried by a ServerMessage of kind K. */
export type ServerMessageOf<K extends ServerMessageKind> = Extract<ServerMessage['body'], { case: K }>['value'];
/** The value carried by a ClientMessage of kind K. */
export type ClientMessageOf<K extends ClientMessageKind> = Extract<ClientMessage['body'], { case: K }>['value'];

export function encodeServerMessage(init: MessageInitShape<typeof ServerMessageSchema>): Uint8Array {
  return toBinary(ServerMessageSchema, create(ServerMessageSchema, init));
}

export function decodeServerMessage(bytes: Uint8Array): ServerMessage {
  return fromBinary(ServerMessageSchema, bytes);
}

export function encodeClientMessage(init: MessageInitShape<typeof ClientMessageSchema>): Uint8Array {
  return toBinary(ClientMessageSchema, create(ClientMessageSchema, init));
}

export function decodeClientMessage(bytes: Uint8Array): ClientMessage {
  return fromBinary(ClientMessageSchema, bytes);
}

/** Proto message name for a ClientMessage kind, as used in Error.message_type. */
export const CLIENT_MESSAGE_TYPE_NAMES: Record<ClientMessageKind, string> = {
  proposal: 'ActionProposal',
  playerLine: 'PlayerLine',
  control: 'Control',
  snapshotRequest: 'SnapshotRequest',
  worldReport: 'WorldReport',
  say: 'Say',
  media: 'MediaSubscription',
};
