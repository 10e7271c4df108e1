import { type AuthContext, ErrorCode, ServerError } from '@colyseus/core';
import { jwtVerify } from 'jose';
import { CLIENT_ROLES, type ClientRole } from './join-options.js';

/** Claims a join token may carry. */
export interface SceneClaims {
  name?: string;
  role?: ClientRole;
  /** Scene ids this token may join; absent means any. */
  scenes?: string[];
}

/**
 * Verifies an HS256 join token, from the Authorization bearer header or the
 * `token` join option, and returns its claims as the client's `auth`.
 */
export function jwtSceneAuth(secret: string) {
  const key = new TextEncoder().encode(secret);
  return async (headerToken: string | undefined, options: unknown, _context: AuthContext): Promise<SceneClaims> => {
    const opts = (options ?? {}) as { token?: unknown; sceneId?: unknown };
    const token = headerToken || (typeof opts.token === 'string' ? opts.token : '');
    if (!token)
      throw new ServerError(ErrorCode.AUTH_FAILED, 'this server requires a join token (STAGECRAFT_JWT_SECRET is set)');
    let payload: Record<string, unknown>;
    try {
      payload = (await jwtVerify(token, key, { algorithms: ['HS256'] })).payload;
    } catch (e) {
      throw new ServerError(ErrorCode.AUTH_FAILED, `join token rejected: ${(e as Error).message}`);
    }
    const role = CLIENT_ROLES.includes(payload.role as ClientRole) ? (payload.role as ClientRole) : undefined;
    const scenes = Array.isArray(payload.scenes) ? payload.scenes.map(String) : undefined;
    if (scenes && !scenes.includes(String(opts.sceneId))) {
      throw new ServerError(ErrorCode.AUTH_FAILED, `join token does not allow scene "${String(opts.sceneId)}"`);
    }
    return {
      ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
      ...(role ? { role } : {}),
      ...(scenes ? { scenes } : {}),
    };
  };
}
