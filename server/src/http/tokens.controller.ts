import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RevokedTokens } from '../persistence/index.js';

/** The operator API for join tokens (behind the operator key, as all of `/api/*`). */
@Controller('api/tokens')
export class TokensController {
  constructor(private readonly revoked: RevokedTokens) {}

  /** Revokes a join token by its `jti`: no new join with it is accepted, on any server of the database. */
  @Post('revoke')
  @HttpCode(200)
  async revoke(@Body() body: unknown): Promise<{ revoked: string }> {
    const { jti, expiresAt } = (body ?? {}) as { jti?: unknown; expiresAt?: unknown };
    if (typeof jti !== 'string' || jti === '' || jti.length > 200) {
      throw new BadRequestException('body.jti must be the token id (a string of 1 to 200 characters)');
    }
    const until = expiresAt === undefined ? undefined : new Date(String(expiresAt));
    if (until && Number.isNaN(until.getTime())) {
      throw new BadRequestException('body.expiresAt must be a date, e.g. 2026-12-04T16:00:00Z');
    }
    await this.revoked.revoke(jti, until);
    return { revoked: jti };
  }
}
