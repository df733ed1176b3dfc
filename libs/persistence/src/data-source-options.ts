import type { DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseSettings {
  url: string;
  /** Connections in the pool. */
  poolSize?: number;
  applicationName?: string;
}

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
    },
  };
}
