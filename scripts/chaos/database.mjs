/**
 * The run's scratch database: created and migrated by the built `migrate` command, filled by the
 * built `seed` command (the same commands an operator runs), dropped at the end.
 */
import pg from 'pg';

// Shared with the end-to-end tests.
export { createDatabase, dropDatabase } from '../../test/support/database.mjs';

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
