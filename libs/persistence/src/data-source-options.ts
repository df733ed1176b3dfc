import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseSettings {
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  applicationName?: string;
  /**
   * Longest a statement may run (a server-side statement_timeout), for apps that serve requests; the
   * one-shot commands (migrations, large seeds) leave it unset.
   */
  statementTimeoutMs?: number;
}

/** A transaction left idle this long (its client partitioned away mid-transaction) is ended by Postgres, and its locks released. */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 30_000;
/** TCP keep-alive on every connection, so a silently dropped peer is found out instead of hanging its connection for good. */
const KEEP_ALIVE_INITIAL_DELAY_MS = 10_000;

/**
 * The one description of the database connection: the worker's TypeORM module, the migration and seed
 * commands and the tests all build their DataSource from it. The schema comes from migrations only.
 */
export function dataSourceOptions(settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error', 'warn', 'migration'],
    applicationName: settings.applicationName,
    extra: {
      max: settings.poolSize ?? 10,
      // Fail fast when Postgres is unreachable, instead of hanging a message.
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEP_ALIVE_INITIAL_DELAY_MS,
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
      ...(settings.statementTimeoutMs === undefined ? {} : { statement_timeout: settings.statementTimeoutMs }),
    },
  };
}
