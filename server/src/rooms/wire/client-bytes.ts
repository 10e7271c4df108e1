import { type ClientMessage, decodeClientMessage, ErrorCode } from '@stagecraft/protocol';
import { ClientMessageError } from '../client-error.js';

/** Decodes a client's bytes; bytes that are not a ClientMessage fail as BAD_MESSAGE for the sender. */
export function decodeClientBytes(bytes: Uint8Array): ClientMessage {
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
