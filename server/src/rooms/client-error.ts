import { CLIENT_MESSAGE_TYPE_NAMES, type ClientMessageKind, ErrorCode } from '@stagecraft/protocol';

/** A problem with one client message, reported back to that client as an Error message. */
export class ClientMessageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly kind: ClientMessageKind | undefined,
    readonly field = '',
    readonly recoverable = true,
  ) {
    super(message);
    this.name = 'ClientMessageError';
  }

  get messageType(): string {
    return this.kind ? CLIENT_MESSAGE_TYPE_NAMES[this.kind] : '';
  }
}
