/**
 * conversation_counts and conversation_label_counts (the kept counters behind the list's four counts)
 * against the truth: a GROUP BY over conversations. After whatever the other e2e files created through the API, and through every
 * kind of write a trigger must follow: insert, update of each counted column, delete, truncate.
 */
import pg from 'pg';
import { e2eEnvironment } from '../support/e2e-environment.js';

/** A kept counter table against the truth: its non-zero rows equal a GROUP BY over conversations. */
interface Counted {
  truth: string;
  kept: string;
}

const COUNTS: Counted = {
  truth: `SELECT account_id || '/' || status || '/' || inbox_id || '/' || COALESCE(team_id, 0) || '/' || COALESCE(assignee_id, 0)
                 || '/' || (first_reply_created_at IS NULL OR waiting_since IS NOT NULL) AS key, count(*)::int AS n
            FROM conversations GROUP BY 1`,
  kept: `SELECT account_id || '/' || status || '/' || inbox_id || '/' || team_id || '/' || assignee_id || '/' || unattended AS key, n
           FROM conversation_counts WHERE n <> 0`,
};

const LABEL_COUNTS: Counted = {
  truth: `SELECT c.account_id || '/' || l.label || '/' || c.status || '/' || c.inbox_id || '/' || COALESCE(c.team_id, 0) || '/' || COALESCE(c.assignee_id, 0) AS key,
                 count(*)::int AS n
            FROM conversations c CROSS JOIN LATERAL (SELECT DISTINCT unnest(c.labels) AS label) l GROUP BY 1`,
  kept: `SELECT account_id || '/' || label || '/' || status || '/' || inbox_id || '/' || team_id || '/' || assignee_id AS key, n
           FROM conversation_label_counts WHERE n <> 0`,
};

async function differences(client: pg.ClientBase, { truth: truthSql, kept: keptSql }: Counted = COUNTS): Promise<string[]> {
  const truth = new Map((await client.query<{ key: string; n: number }>(truthSql)).rows.map((r) => [r.key, r.n]));
  const kept = new Map((await client.query<{ key: string; n: number }>(keptSql)).rows.map((r) => [r.key, r.n]));
  const out: string[] = [];
  for (const k of new Set([...truth.keys(), ...kept.keys()])) {
    if ((truth.get(k) ?? 0) !== (kept.get(k) ?? 0)) out.push(`${k}: counted ${kept.get(k) ?? 0}, really ${truth.get(k) ?? 0}`);
  }
  return out;
}

const allDifferences = async (client: pg.ClientBase) => [...(await differences(client, COUNTS)), ...(await differences(client, LABEL_COUNTS))];

describe('conversation_counts and conversation_label_counts', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  it('equals a COUNT over conversations after the fixture load and the API creates', async () => {
    expect(await allDifferences(client)).toEqual([]);
    for (const table of ['conversation_counts', 'conversation_label_counts']) {
      const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows;
      expect({ table, n }).toEqual({ table, n: expect.any(Number) });
      expect(n).toBeGreaterThan(0);
    }
  });

  it('follows inserts, updates of every counted column, deletes and truncate (checked inside a rolled-back transaction)', async () => {
    await client.query('BEGIN');
    try {
      // The triggers are deferred to the commit; IMMEDIATE fires them at each statement's end, so each step can be checked.
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      const steps: [string, string][] = [
        ['insert', `INSERT INTO conversations (account_id, display_id, uuid, inbox_id, contact_id, contact_inbox_id, status, assignee_id, team_id)
                      SELECT account_id, display_id + 100000, gen_random_uuid(), inbox_id, contact_id, contact_inbox_id, status, assignee_id, team_id
                        FROM conversations WHERE account_id = 1`],
        ['status', `UPDATE conversations SET status = (status + 1) % 4 WHERE account_id = 1 AND display_id % 2 = 0`],
        ['assignee', `UPDATE conversations SET assignee_id = CASE WHEN assignee_id IS NULL THEN 2 ELSE NULL END WHERE account_id = 1 AND display_id % 3 = 0`],
        ['team', `UPDATE conversations SET team_id = CASE WHEN team_id IS NULL THEN 1 ELSE NULL END WHERE account_id = 1 AND display_id % 5 = 0`],
        ['inbox', `UPDATE conversations SET inbox_id = 3 WHERE account_id = 1 AND inbox_id = 1 AND display_id % 2 = 1`],
        ['labels', `UPDATE conversations SET labels = CASE WHEN display_id % 2 = 0 THEN '{x,vip}'::text[] ELSE '{}'::text[] END WHERE account_id = 1 AND display_id % 3 = 1`],
        ['first reply', `UPDATE conversations SET first_reply_created_at = CASE WHEN first_reply_created_at IS NULL THEN now() END WHERE account_id = 1 AND display_id % 4 = 0`],
        ['waiting since', `UPDATE conversations SET waiting_since = CASE WHEN waiting_since IS NULL THEN now() END WHERE account_id = 1 AND display_id % 5 = 2`],
        ['uncounted column', `UPDATE conversations SET priority = 1 WHERE account_id = 1`],
        ['same value', `UPDATE conversations SET status = status WHERE account_id = 1`],
        ['user deleted (assignee set null by the foreign key)', `DELETE FROM users WHERE id = 3`],
        ['delete', `DELETE FROM conversations WHERE account_id = 1 AND display_id % 7 = 0`],
        ['account deleted (cascade)', `DELETE FROM accounts WHERE id = 2`],
      ];
      for (const [step, sql] of steps) {
        await client.query(sql);
        expect({ step, differences: await allDifferences(client) }).toEqual({ step, differences: [] });
      }
      await client.query('TRUNCATE conversations CASCADE');
      expect(await allDifferences(client)).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
    }
    expect(await allDifferences(client)).toEqual([]);
  });
});
