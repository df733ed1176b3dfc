/** The bench's scratch databases: migrated, seeded once (then reused), and put back as seeded between runs. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { migrate } from '../../apps/cli/src/database.js';
import { seedSynthetic, signature } from '../../apps/cli/src/seed-synthetic.js';
import { ROOT } from './options.js';
import type { SeedInfo } from './results.js';

export interface PreparedDatabase {
  name: string;
  url: string;
  conversations: number;
  seed: SeedInfo;
  /** Id of the large synthetic account (account 1 of the set). */
  largeAccount: number;
}

/**
 * Drops the database first when `fresh`, migrates it, and seeds it unless it already holds the same
 * synthetic data. The seed's duration is kept beside the results, so a reused database still reports it.
 */
export async function prepareDatabase(
  pgServer: string,
  name: string,
  data: { conversations: number; accounts: number },
  fresh: boolean,
  log: (line: string) => void,
): Promise<PreparedDatabase> {
  if (fresh) {
    const server = new pg.Client({ connectionString: `${pgServer}/postgres` });
    await server.connect();
    await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await server.end();
    log(`dropped ${name}`);
  }
  const url = `${pgServer}/${name}`;
  await migrate(url);
  const seedFile = path.join(ROOT, 'dist', 'bench', `${name}.seed.json`);
  const seeded = await seedSynthetic(url, data, log);
  const sig = signature(data);
  let seed: SeedInfo;
  if (!seeded.reused) {
    seed = { signature: sig, seconds: seeded.seconds, rows: seeded.rows, at: new Date().toISOString(), reusedNow: false };
    mkdirSync(path.dirname(seedFile), { recursive: true });
    writeFileSync(seedFile, JSON.stringify(seed));
    log(`seeded ${name} (${sig}) in ${seeded.seconds.toFixed(1)} s`);
  } else {
    const saved = existsSync(seedFile) ? (JSON.parse(readFileSync(seedFile, 'utf8')) as SeedInfo) : { seconds: NaN, rows: {}, at: '?' };
    seed = { ...saved, signature: sig, reusedNow: true };
    log(`reusing ${name} (${sig}; seeded in ${Number(seed.seconds).toFixed(1)} s)`);
  }
  return { name, url, conversations: data.conversations, seed, largeAccount: seeded.accounts[0].id };
}

/** Conversations the creates added (display ids above the seeded ones), so every run starts from the same data. */
export async function removeBenchRows(pool: pg.Pool, accountId: number, seeded: number, log: (line: string) => void): Promise<void> {
  const { rowCount } = await pool.query('DELETE FROM conversations WHERE account_id = $1 AND display_id > $2', [accountId, seeded]);
  // Creates update a few hot rows thousands of times (the display-id counter, the counters of one inbox):
  // their dead versions would slow the next run's reads until autovacuum came by. The counter tables,
  // and every other small table with dead rows, are vacuumed.
  const small = await pool.query<{ relname: string }>(
    `SELECT relname FROM pg_stat_user_tables
      WHERE schemaname = 'public'
        AND (relname IN ('accounts', 'account_display_ids', 'conversation_counts', 'conversation_label_counts') OR (n_live_tup < 100000 AND n_dead_tup > 0))
      ORDER BY relname`,
  );
  for (const { relname } of small.rows) await pool.query(`VACUUM (ANALYZE) ${pg.escapeIdentifier(relname)}`);
  if (rowCount) {
    await pool.query('VACUUM (ANALYZE) conversations');
    await pool.query('VACUUM (ANALYZE) messages');
    log(`removed ${rowCount} conversations left by creates`);
  }
}

/**
 * The seed's dates are fixed (2024-2025), so no conversation was updated in the last 30 days and
 * `updated_within` would only ever measure "nothing matches". One conversation in a hundred of the large
 * account gets an updated_at spread over the last 30 days, relative to now (as in a live help desk),
 * then the table is vacuumed so index-only scans stay index-only. Returns how many were moved.
 */
export async function freshenUpdatedAt(pool: pg.Pool, accountId: number, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  const { rowCount } = await pool.query(
    `UPDATE conversations SET updated_at = now() - make_interval(secs => (display_id::bigint * 7919) % 2592000)
      WHERE account_id = $1 AND display_id % 100 = 0`,
    [accountId],
  );
  await pool.query('VACUUM (ANALYZE) conversations');
  log(`moved updated_at of ${rowCount} conversations into the last 30 days (${((performance.now() - started) / 1000).toFixed(1)} s with the vacuum)`);
  return rowCount ?? 0;
}
