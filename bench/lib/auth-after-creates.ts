/**
 * Does a burst of creates slow down authentication? Every create bumps a per-account display-id counter,
 * and every list and meta authenticates against the account: dead row versions of a hot row are read by
 * the next index scans until (auto)vacuum removes them. Measured before and right after `creates`
 * creates through the real path, at 1 request in flight: the authenticate statement alone (replayed by
 * a bare pg pool) and the meta endpoint (authenticate + counts, through the whole path).
 */
import type pg from 'pg';
import type { Captured } from './capture.js';
import { http, pooled, replayOne } from './drivers.js';
import type { AuthAfterCreates } from './results.js';
import { sleep } from './processes.js';

export interface AuthAfterCreatesOptions {
  pool: pg.Pool;
  authenticate: Captured;
  metaUrl: string;
  createUrl: string;
  token: string;
  createBody: () => string;
  creates: number;
  /** Warm-up and measured seconds of each measurement. */
  warmup: number;
  seconds: number;
  log: (line: string) => void;
}

/** Creates in flight during the burst: as many as the list comparison's highest concurrency. */
const BURST_CONNECTIONS = 64;

export async function authAfterCreates(o: AuthAfterCreatesOptions): Promise<AuthAfterCreates> {
  const phases: AuthAfterCreates['phases'] = [];
  const measure = async (phase: 'before' | 'after') => {
    await replayOne(o.pool, o.authenticate, 1, o.warmup);
    const authenticate = pooled([await replayOne(o.pool, o.authenticate, 1, o.seconds)]);
    await http(o.metaUrl, 1, o.warmup, o.token);
    const meta = pooled([await http(o.metaUrl, 1, o.seconds, o.token)]);
    const deadRows = await deadRowsByTable(o.pool);
    phases.push({ phase, authenticate, meta, deadRows });
    o.log(`auth ${phase} creates: authenticate p50 ${authenticate.p50.toFixed(3)} ms, meta p50 ${meta.p50.toFixed(2)} ms; dead rows ${JSON.stringify(deadRows)}`);
  };
  await measure('before');
  const burst = await http(o.createUrl, BURST_CONNECTIONS, 0, o.token, o.createBody, o.creates);
  o.log(`auth: ${burst.samples.length} creates in ${burst.seconds.toFixed(1)} s (${burst.errors} errors)`);
  await measure('after');
  return { creates: burst.samples.length, createSeconds: burst.seconds, createErrors: burst.errors, phases };
}

/** Dead row versions of the tables that have any (the statistics lag by up to a second: waited for). */
async function deadRowsByTable(pool: pg.Pool): Promise<Record<string, number>> {
  await sleep(1500);
  const { rows } = await pool.query<{ relname: string; n: string }>(
    `SELECT relname, n_dead_tup AS n FROM pg_stat_user_tables WHERE schemaname = 'public' AND n_dead_tup > 0 ORDER BY n_dead_tup DESC LIMIT 8`,
  );
  return Object.fromEntries(rows.map((r) => [r.relname, Number(r.n)]));
}
