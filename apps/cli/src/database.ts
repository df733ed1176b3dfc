import 'reflect-metadata';
import { dataSourceOptions } from '#app/persistence';
import pg from 'pg';
import { DataSource } from 'typeorm';

/** Creates the database of `url` when it does not exist yet, so a fresh machine needs no manual step. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } catch (error) {
    // Another process created it meanwhile: fine.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

export async function withDataSource<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = new DataSource({ ...dataSourceOptions({ url, poolSize: 2, applicationName: 'conversations-cli' }), logging: ['error'] });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/** Applies pending migrations (creating the database first if needed); returns their names. */
export async function migrate(url: string): Promise<string[]> {
  await ensureDatabase(url);
  return withDataSource(url, async (dataSource) => (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name));
}
