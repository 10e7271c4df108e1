import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { PROTOCOL_VERSION } from '@stagecraft/protocol';
import { DATABASE, type Database, EventLog } from '../persistence/index.js';
import { PACKAGE_VERSION } from '../version.js';
import { Readiness } from './readiness.js';

/** How long /readyz waits for the database before answering 503, ms. */
export const READY_DATABASE_MS = 800;

@Controller()
export class HealthController {
  constructor(
    private readonly readiness: Readiness,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EventLog) private readonly eventLog: EventLog,
  ) {}

  /** Liveness: the process is up. */
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: listening, not draining, the event log keeping up, and the database answering
   * within READY_DATABASE_MS, whatever the database does.
   */
  @Get('readyz')
  async readyz(): Promise<{ status: 'ready'; database: string }> {
    const notReady = (reason: string) =>
      new HttpException({ status: 'not ready', reason }, HttpStatus.SERVICE_UNAVAILABLE);
    if (!this.readiness.ready) throw notReady(this.readiness.reason);
    if (this.eventLog.backPressure) {
      throw notReady(`event log: ${this.eventLog.counters.pending} events wait for the database`);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new Error(`did not answer within ${READY_DATABASE_MS} ms`)), READY_DATABASE_MS);
    });
    try {
      await Promise.race([this.db.query('select 1'), late]);
    } catch (e) {
      throw notReady(`database: ${(e as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ready', database: this.db.kind };
  }

  @Get('version')
  version(): { name: string; version: string; protocol: number; node: string } {
    return { name: 'stagecraft', version: PACKAGE_VERSION, protocol: PROTOCOL_VERSION, node: process.version };
  }
}
