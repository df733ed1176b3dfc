/** The counter row under 64 concurrent creates: deferred trigger (shipped), immediate trigger, no trigger. */
import type pg from 'pg';
import { http, pooled } from './drivers.js';
import type { BenchResults } from './results.js';

type Variant = 'deferred (shipped)' | 'immediate' | 'none';

export async function triggerExperiment(
  pool: pg.Pool,
  accountId: number,
  createUrl: string,
  token: string,
  createBody: () => string,
  timing: { warmup: number; duration: number },
  log: (line: string) => void,
): Promise<BenchResults['triggerExperiment']> {
  const out: BenchResults['triggerExperiment'] = [];
  const hot = 64;
  for (const variant of ['deferred (shipped)', 'immediate', 'none'] as const) {
    await setTrigger(pool, variant);
    try {
      await http(createUrl, hot, timing.warmup, token, createBody);
      const summary = pooled([await http(createUrl, hot, timing.duration, token, createBody)]);
      out.push({ variant, summary });
      log(`trigger ${variant}: create in-process c=${hot}: ${summary.rps.toFixed(0)} req/s, p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms`);
    } finally {
      await setTrigger(pool, 'deferred (shipped)');
    }
  }
  await rebuildCounts(pool, accountId);
  return out;
}

/** The counter trigger as shipped (deferred to the commit), fired at once, or off (for the experiment only). */
async function setTrigger(pool: pg.Pool, variant: Variant): Promise<void> {
  const timing = variant === 'immediate' ? 'NOT DEFERRABLE' : 'DEFERRABLE INITIALLY DEFERRED';
  await pool.query(`BEGIN; DROP TRIGGER conversation_counts_insert_delete ON conversations;
    CREATE CONSTRAINT TRIGGER conversation_counts_insert_delete AFTER INSERT OR DELETE ON conversations ${timing}
      FOR EACH ROW EXECUTE FUNCTION conversation_counts_apply();
    ${variant === 'none' ? 'ALTER TABLE conversations DISABLE TRIGGER conversation_counts_insert_delete;' : ''}
    COMMIT`);
}

/** After the no-trigger experiment: the account's counters rebuilt from its rows, writers held off meanwhile. */
async function rebuildCounts(pool: pg.Pool, accountId: number): Promise<void> {
  await pool.query(`BEGIN; LOCK TABLE conversations IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM conversation_counts WHERE account_id = ${Number(accountId)};
    INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, unattended, n)
      SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0),
             first_reply_created_at IS NULL OR waiting_since IS NOT NULL, count(*)
        FROM conversations WHERE account_id = ${Number(accountId)} GROUP BY 1, 2, 3, 4, 5, 6;
    COMMIT`);
}
