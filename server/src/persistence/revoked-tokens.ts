import type { Queryable } from './database.js';

/** The denylist of join tokens, by `jti`, in the database every server of a deployment shares. */
export class RevokedTokens {
  constructor(private readonly db: Queryable) {}

  /** Revokes the token `jti` (until `expiresAt`, when known); revoking twice is harmless. */
  async revoke(jti: string, expiresAt?: Date): Promise<void> {
    if (!jti) throw new RangeError('a token id (jti) is required');
    await this.db.query(`insert into revoked_tokens (jti, expires_at) values ($1, $2) on conflict (jti) do nothing`, [
      jti,
      expiresAt ?? null,
    ]);
  }

  async isRevoked(jti: string): Promise<boolean> {
    const { rows } = await this.db.query('select 1 from revoked_tokens where jti = $1', [jti]);
    return rows.length > 0;
  }
}
