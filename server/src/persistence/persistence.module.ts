import { type DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Database } from './database.js';
import { EventLog } from './event-log.js';
import { type OpenDatabaseOptions, openDatabase } from './open-database.js';
import { SceneStore } from './scene-store.js';

/** Injection token for the open, migrated `Database`: `@Inject(DATABASE) db: Database`. */
export const DATABASE = Symbol('DATABASE');

export type PersistenceOptions = OpenDatabaseOptions;

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
  ) {}

  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: DATABASE, useFactory: () => openDatabase(options) },
        {
          provide: EventLog,
          useFactory: (db: Database) => {
            const logger = new Logger('EventLog');
            return new EventLog(db, {
              onFlushError: (error, pending) => logger.error(`${error.message} (${pending} pending)`, error.stack),
            });
          },
          inject: [DATABASE],
        },
        { provide: SceneStore, useFactory: (db: Database) => new SceneStore(db), inject: [DATABASE] },
      ],
      exports: [DATABASE, EventLog, SceneStore],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.eventLog.close();
    } finally {
      await this.db.close();
    }
  }
}
