import { ErrorCode, type Error as WireError } from '@stagecraft/protocol';

/** An error the server reported, or a failed join or request. */
export class StagecraftError extends Error {
  /** Wire error code; ERROR_CODE_UNSPECIFIED for client-side failures. */
  readonly code: ErrorCode;
  /** The offending message type, e.g. "ActionProposal". */
  readonly messageType: string;
  /** The offending field, e.g. "proposal.actor_id". */
  readonly field: string;
  /** True when the client may retry or carry on. */
  readonly recoverable: boolean;
  readonly requestId: string;

  constructor(message: string, init: Partial<Omit<StagecraftError, 'message' | 'name'>> = {}) {
    super(message);
    this.name = 'StagecraftError';
    this.code = init.code ?? ErrorCode.UNSPECIFIED;
    this.messageType = init.messageType ?? '';
    this.field = init.field ?? '';
    this.recoverable = init.recoverable ?? false;
    this.requestId = init.requestId ?? '';
  }

  static fromWire(e: WireError): StagecraftError {
    const where = [e.messageType, e.field].filter(Boolean).join(' ');
    return new StagecraftError(where ? `${where}: ${e.message}` : e.message, e);
  }

  /** The wire code's name, e.g. "UNKNOWN_NPC". */
  get codeName(): string {
    return ErrorCode[this.code] ?? String(this.code);
  }
}
