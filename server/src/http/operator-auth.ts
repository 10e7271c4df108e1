import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface OperatorAuthOptions {
  /** The operator key; requests must carry `Authorization: Bearer <key>`. */
  key: string | undefined;
  /** Whether join tokens are on: then, without a key, the operator API is closed rather than open. */
  tokensOn: boolean;
  /** Whether /metrics needs the key too. */
  metrics: boolean;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Guards the operator endpoints (`/api/*`, and `/metrics` when asked): with a key, only requests
 * bearing it; without one, open on a development server (no join tokens) and closed on one with
 * tokens. Health, version, matchmaking and the inspector page are never guarded.
 */
export function operatorAuth(options: OperatorAuthOptions) {
  const expected = options.key === undefined ? undefined : digest(options.key);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const url = req.url ?? '/';
    const guarded = url.startsWith('/api/') || url === '/api' || (options.metrics && /^\/metrics\b/.test(url));
    if (!guarded || (expected === undefined && !options.tokensOn)) {
      next();
      return;
    }
    if (expected === undefined) {
      refuse(res, 403, 'the operator API is closed: this server uses join tokens and has no STAGECRAFT_OPERATOR_KEY');
      return;
    }
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (given && timingSafeEqual(digest(given), expected)) next();
    else refuse(res, 401, 'this endpoint needs the operator key: Authorization: Bearer <STAGECRAFT_OPERATOR_KEY>');
  };
}

function refuse(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
  res.end(JSON.stringify({ status, error }));
}
