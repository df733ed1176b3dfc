/**
 * The run's scratch database: created and migrated by the built `migrate` command, filled by the
 * built `seed` command (the same commands an operator runs), dropped at the end.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ROOT } from './util.mjs';

const run = promisify(execFile);

/** Runs dist/apps/cli/src/<script> against `databaseUrl`; fails with its output. */
async function runCli(script, args, databaseUrl) {
  try {
    await run(process.execPath, [path.join(ROOT, 'dist/apps/cli/src', script), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      timeout: 120_000,
    });
  } catch (error) {
    throw new Error(`${script} failed: ${error.stderr || error.message}`);
  }
}

/** Migrates (which creates the database) and seeds it with `fixtureFile`. */
export async function createDatabase(databaseUrl, fixtureFile) {
  await runCli('migrate.js', [], databaseUrl);
  await runCli('seed.js', [fixtureFile], databaseUrl);
}

/** Drops the database of `databaseUrl`, connections and all. */
export async function dropDatabase(databaseUrl) {
  const admin = new URL(databaseUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs `work` with a client connected straight to Postgres (not through the run's proxy). */
export async function withClient(databaseUrl, work) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
