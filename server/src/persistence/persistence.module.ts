import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Database } from './database.js';
import { EventLog } from './event-log.js';
import { type OpenDatabaseOptions, openDatabase } from './open-database.js';
import { RevokedTokens } from './revoked-tokens.js';
import { SceneStore } from './scene-store.js';

/** Injection token for the open, migrated `Database`: `@Inject(DATABASE) db: Database`. */
export const DATABASE = Symbol('DATABASE');
const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');

export interface PersistenceOptions extends OpenDatabaseOptions {
  /** Most events that may wait for the database (EventLogOptions.maxPending). */
  maxPending?: number;
  /** How long shutdown keeps retrying to write what is buffered, ms; one try when absent. */
  closeWithinMs?: number;
}

/** Longest wait for the database to close once the event log is done, ms. */
const DATABASE_CLOSE_MS = 2000;

/**
 * Opens the database (PostgreSQL when `url` is set, else PGlite) and migrates it before the app
 * starts; provides DATABASE, EventLog and SceneStore everywhere. On shutdown the event log is
 * flushed, then the database closed.
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(EventLog) private readonly eventLog: EventLog,
    @Inject(PERSISTENCE_OPTIONS) private readonly options: PersistenceOptions,
  ) {}

  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: options },
        { provide: DATABASE, useFactory: () => openDatabase(options) },
        {
          provide: EventLog,
          useFactory: (db: Database) => {
            const logger = new Logger('EventLog');
            return new EventLog(db, {
              maxPending: options.maxPending,
              onFlushError: (error, pending) => logger.error(`${error.message} (${pending} pending)`, error.stack),
            });
          },
          inject: [DATABASE],
        },
        { provide: SceneStore, useFactory: (db: Database) => new SceneStore(db), inject: [DATABASE] },
        { provide: RevokedTokens, useFactory: (db: Database) => new RevokedTokens(db), inject: [DATABASE] },
      ],
      exports: [DATABASE, EventLog, SceneStore, RevokedTokens],
    };
  }

  /** Writes what is buffered (retrying within closeWithinMs), then closes the database, both bounded. */
  async onApplicationShutdown(): Promise<void> {
    try {
      await this.eventLog.close({ withinMs: this.options.closeWithinMs });
    } finally {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, DATABASE_CLOSE_MS);
      });
      await Promise.race([this.db.close().catch(() => {}), late]);
      clearTimeout(timer);
    }
  }
}
