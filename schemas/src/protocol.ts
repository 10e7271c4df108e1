import { create, fromBinary, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import {
  type ClientMessage,
  ClientMessageSchema,
  type ServerMessage,
  ServerMessageSchema,
} from './gen/stagecraft/v1/messages_pb.js';

/** Version of the wire format in `schemas/proto`; bumped on breaking changes. */
export const PROTOCOL_VERSION = 1;

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
};
