import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { PROTOCOL_VERSION } from '@stagecraft/protocol';
import { DATABASE, type Database } from '../persistence/index.js';
import { PACKAGE_VERSION } from '../version.js';
import { Readiness } from './readiness.js';

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  /** Liveness: the process is up. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: listening, not draining, and the database answers. */
  @Get('readyz')
  async readyz(): Promise<{ status: 'ready'; database: string }> {
    if (!this.readiness.ready) {
      throw new HttpException({ status: 'not ready', reason: this.readiness.reason }, HttpStatus.SERVICE_UNAVAILABLE);
    }
    try {
      await this.db.query('select 1');
    } catch (e) {
      throw new HttpException(
        { status: 'not ready', reason: `database: ${(e as Error).message}` },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
    return { status: 'ready', database: this.db.kind };
  }

  @Get('version')
  version(): { name: string; version: string; protocol: number; node: string } {
    return { name: 'stagecraft', version: PACKAGE_VERSION, protocol: PROTOCOL_VERSION, node: process.version };
  }
}
