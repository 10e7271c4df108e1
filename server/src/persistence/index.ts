export {
  type Database,
  DatabaseError,
  parseInt8,
  type Queryable,
  type QueryResult,
  type Transaction,
} from './database.js';
export {
  EventLog,
  type EventLogCounters,
  EventLogError,
  type EventLogOptions,
  type SceneEvent,
} from './event-log.js';
export { eventLogMetrics } from './event-log-metrics.js';
export { loadMigrations, MIGRATIONS_DIR, type Migration, MigrationError, migrate } from './migrations.js';
export { type OpenDatabaseOptions, openDatabase } from './open-database.js';
export { DATABASE, PersistenceModule, type PersistenceOptions } from './persistence.module.js';
export { PgDatabase, type PgDatabaseOptions } from './pg-database.js';
export { PgliteDatabase, type PgliteDatabaseOptions } from './pglite-database.js';
export { RevokedTokens } from './revoked-tokens.js';
export { type SceneInput, type SceneRecord, type SceneStatus, SceneStore, SceneStoreError } from './scene-store.js';
