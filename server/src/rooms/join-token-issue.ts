import { randomUUID } from 'node:crypto';
import type { ClientRole } from '@stagecraft/protocol';
import { SignJWT } from 'jose';

export interface JoinTokenRequest {
  role: ClientRole;
  /** Scene ids the token may join; any when absent. */
  scenes?: string[];
  /** Lifetime, seconds. */
  ttlSeconds: number;
  name?: string;
  /** Who the token is for (its `sub`), for per-client limits. */
  subject?: string;
}

export interface IssuedToken {
  token: string;
  /** The token's id, for revoking it. */
  jti: string;
  expiresAt: Date;
}

/** Signs an HS256 join token with the claims the server reads, an id and an expiry. */
export async function issueJoinToken(
  secret: string,
  request: JoinTokenRequest,
  now = new Date(),
): Promise<IssuedToken> {
  const jti = randomUUID();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + Math.max(1, Math.round(request.ttlSeconds));
  const claims: Record<string, unknown> = { role: request.role };
  if (request.scenes) claims.scenes = request.scenes;
  if (request.name) claims.name = request.name;
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp);
  if (request.subject) jwt = jwt.setSubject(request.subject);
  const token = await jwt.sign(new TextEncoder().encode(secret));
  return { token, jti, expiresAt: new Date(exp * 1000) };
}
