import { matchMaker } from '@colyseus/core';

/**
 * Cross-origin access for browsers: only the origins in `allowed` get CORS headers (with
 * credentials); every other origin gets none, so its pages cannot read the responses. Colyseus
 * answers CORS for every request on the port, so its controller is where this is set.
 */
export function restrictCors(allowed: readonly string[]): void {
  const defaults = matchMaker.controller.DEFAULT_CORS_HEADERS as Record<string, string>;
  delete defaults['Access-Control-Allow-Origin'];
  delete defaults['Access-Control-Allow-Credentials'];
  matchMaker.controller.getCorsHeaders = (headers: Headers): Record<string, string> => {
    const origin = headers.get('origin');
    if (!origin || !allowed.includes(origin)) return { Vary: 'Origin' };
    return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
  };
}
