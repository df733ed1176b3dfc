import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { ROOT, runCli } from './processes.mjs';

/**
 * Drops the database of `url` (connections and all).
 * @param {string} url
 */
export async function dropDatabase(url) {
  const admin = new URL(url);
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

/**
 * A database of its own on the e2e server (migrated, with the e2e fixture loaded), for a case whose
 * workers must be the only ones writing or relaying there; drop it with `dropDatabase`.
 * @param {string} like a database URL on the server to use (say, the e2e one)
 * @returns {Promise<string>} the new database's URL
 */
export async function scratchDatabase(like) {
  const url = new URL(like);
  url.pathname = `/conv_e2e_scratch_${randomBytes(4).toString('hex')}`;
  await createDatabase(url.toString(), path.join(ROOT, 'test', 'fixtures', 'e2e-fixture.json'));
  return url.toString();
}

/**
 * Creates and migrates the database of `url` with the built `migrate` command, then loads `fixtureFile`
 * with the built `seed` command: the commands an operator runs.
 * @param {string} url
 * @param {string} fixtureFile
 */
export async function createDatabase(url, fixtureFile) {
  await runCli('migrate.js', [], url);
  await runCli('seed.js', [fixtureFile], url);
}
