import { ErrorCode as MatchErrorCode, ServerError } from '@colyseus/core';
import { type ClientMessage, decodeClientMessage, ErrorCode } from '@stagecraft/protocol';
import { SourceError } from '../common/source-error.js';
import { ClientMessageError } from './client-error.js';

export function decodeOrReport(bytes: Uint8Array): ClientMessage {
  try {
    return decodeClientMessage(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ClientMessageError(
      ErrorCode.BAD_MESSAGE,
      `bytes are not a stagecraft.v1.ClientMessage: ${why}`,
      undefined,
    );
  }
}

export function withoutServices(options: { services: unknown } & Record<string, unknown>): Record<string, unknown> {
  const { services: _services, ...rest } = options;
  return rest;
}

export function sourceErrorsAsServerErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SourceError) throw new ServerError(MatchErrorCode.MATCHMAKE_INVALID_CRITERIA, e.message);
    throw e;
  }
}

/** Protobuf messages become their JSON form; plain values pass through. */
export function toJsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => {
      if (v instanceof Uint8Array) return { bytes: v.byteLength };
      if (typeof v === 'bigint') return v.toString();
      if (v && typeof v === 'object' && '$typeName' in v) {
        const { $typeName: _t, ...rest } = v as Record<string, unknown>;
        return rest;
      }
      return v;
    }),
  );
}
