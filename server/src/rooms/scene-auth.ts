import { type AuthContext, ErrorCode, ServerError } from '@colyseus/core';
import { CLIENT_ROLES, type ClientRole } from '@stagecraft/protocol';
import { jwtVerify } from 'jose';
import type { InlineScenesConfig } from '../config/config.js';
import { CREATED_BY, checkInlineRequest } from './inline-policy.js';

/** Claims of a verified join token, as the client's `auth`. */
export interface SceneClaims {
  name?: string;
  /** The role the token grants; `player` when the token names none. */
  role: ClientRole;
  /** Scene ids this token may join; absent means any. */
  scenes?: string[];
  /** The token's `sub`: who the client is, for per-client limits. */
  subject?: string;
}

type OnAuth = (token: string | undefined, options: unknown, context: AuthContext) => Promise<SceneClaims>;

/**
 * The room's authentication: the join token when a secret is set (else the role the client asks
 * for), then the inline scene policy for a join that carries a definition. It records who asked
 * for an inline scene in the options the room is created with.
 */
export function sceneAuth(options: { jwtSecret?: string; inline: InlineScenesConfig; tokens?: TokenPolicy }): OnAuth {
  const verify = options.jwtSecret ? jwtSceneAuth(options.jwtSecret, options.tokens) : undefined;
  return async (token, joinOptions, context) => {
    const opts = (joinOptions ?? {}) as Record<string, unknown>;
    const claims = verify ? await verify(token, opts, context) : { role: askedRole(opts.role) };
    delete opts[CREATED_BY];
    if (opts.scene !== undefined) {
      checkInlineRequest(options.inline, claims.role, opts.scene);
      opts[CREATED_BY] = claims.subject !== undefined ? `sub:${claims.subject}` : `ip:${context.ip ?? 'unknown'}`;
    }
    return claims;
  };
}

/** Without tokens a client is the role it asks for (a bad one fails with the join options' check). */
function askedRole(role: unknown): ClientRole {
  return CLIENT_ROLES.includes(role as ClientRole) ? (role as ClientRole) : 'player';
}

/** Ranks roles from least to most allowed, so a client may ask for less than its token grants. */
export function roleRank(role: ClientRole): number {
  return CLIENT_ROLES.indexOf(role);
}

/**
 * Verifies an HS256 join token, from the Authorization bearer header or the `token` join option,
 * and returns its claims as the client's `auth`. Claims are type-checked and fail closed: a role
 * the server does not know, a `scenes` claim that is not a list of ids, a `name` that is not a
 * string each refuse the join.
 */
export function jwtSceneAuth(secret: string, policy: TokenPolicy = { maxTtlSeconds: 86_400 }): OnAuth {
  const key = new TextEncoder().encode(secret);
  return async (headerToken, options) => {
    const opts = (options ?? {}) as { token?: unknown; sceneId?: unknown; role?: unknown };
    const token = headerToken || (typeof opts.token === 'string' ? opts.token : '');
    if (!token)
      throw new ServerError(ErrorCode.AUTH_FAILED, 'this server requires a join token (STAGECRAFT_JWT_SECRET is set)');
    let payload: Record<string, unknown>;
    try {
      payload = (await jwtVerify(token, key, { algorithms: ['HS256'], requiredClaims: ['exp'] })).payload;
    } catch (e) {
      throw new ServerError(ErrorCode.AUTH_FAILED, `join token rejected: ${(e as Error).message}`);
    }
    const claims = checkClaims(payload);
    await checkLifetime(payload, policy);
    if (claims.scenes && !claims.scenes.includes(String(opts.sceneId))) {
      throw new ServerError(ErrorCode.AUTH_FAILED, `join token does not allow scene "${String(opts.sceneId)}"`);
    }
    // A client may join with less than its token grants (a game's tool watching as an observer).
    const asked = opts.role;
    if (typeof asked === 'string' && CLIENT_ROLES.includes(asked as ClientRole)) {
      const role = asked as ClientRole;
      if (roleRank(role) < roleRank(claims.role)) return { ...claims, role };
    }
    return claims;
  };
}

/** How long join tokens may live, and where revoked ones are listed. */
export interface TokenPolicy {
  /** Longest lifetime a token may have (exp − iat, or exp − now without iat), seconds. */
  maxTtlSeconds: number;
  /** Whether the token `jti` was revoked. */
  isRevoked?: (jti: string) => Promise<boolean>;
}

/** Refuses a token that lives longer than the policy allows, or that was revoked. */
async function checkLifetime(payload: Record<string, unknown>, policy: TokenPolicy): Promise<void> {
  const exp = Number(payload.exp);
  const from = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
  if (exp - from > policy.maxTtlSeconds) {
    throw refused(
      `it lives ${exp - from} s; the most this server accepts is ${policy.maxTtlSeconds} s (STAGECRAFT_TOKEN_MAX_TTL_SECONDS)`,
    );
  }
  const { jti } = payload;
  if (jti !== undefined && typeof jti !== 'string') throw refused(`claim "jti" must be a string, not ${shown(jti)}`);
  if (jti && policy.isRevoked && (await policy.isRevoked(jti))) throw refused(`token ${jti} was revoked`);
}

/** The claims Stagecraft reads, checked; throws AUTH_FAILED naming the bad claim. */
export function checkClaims(payload: Record<string, unknown>): SceneClaims {
  const { role, scenes, name, sub } = payload;
  if (role !== undefined && !CLIENT_ROLES.includes(role as ClientRole)) {
    throw refused(`claim "role" is ${shown(role)}; it must be one of ${CLIENT_ROLES.join(', ')}`);
  }
  if (scenes !== undefined && !(Array.isArray(scenes) && scenes.every((s) => typeof s === 'string'))) {
    throw refused(`claim "scenes" must be a list of scene ids, not ${shown(scenes)}`);
  }
  if (name !== undefined && typeof name !== 'string') {
    throw refused(`claim "name" must be a string, not ${shown(name)}`);
  }
  if (sub !== undefined && typeof sub !== 'string') throw refused(`claim "sub" must be a string, not ${shown(sub)}`);
  return {
    ...(sub !== undefined ? { subject: sub } : {}),
    role: (role as ClientRole | undefined) ?? 'player',
    ...(name !== undefined ? { name } : {}),
    ...(scenes !== undefined ? { scenes: scenes as string[] } : {}),
  };
}

function refused(detail: string): ServerError {
  return new ServerError(ErrorCode.AUTH_FAILED, `join token rejected: ${detail}`);
}

/** A claim's value for an error message, cut short. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
