/**
 * conversation_counts (the kept counters behind the list's four counts) against the truth: a GROUP BY
 * over conversations. After whatever the other e2e files created through the API, and through every
 * kind of write a trigger must follow: insert, update of each counted column, delete, truncate.
 */
import pg from 'pg';
import { e2eEnvironment } from '../support/e2e-environment.js';

const TRUTH = `SELECT account_id, status, inbox_id, COALESCE(team_id, 0) AS team_id, COALESCE(assignee_id, 0) AS assignee_id, count(*)::int AS n
                 FROM conversations GROUP BY 1, 2, 3, 4, 5`;
const KEPT = `SELECT account_id, status, inbox_id, team_id, assignee_id, n FROM conversation_counts WHERE n <> 0`;
const key = (r: { account_id: number; status: number; inbox_id: number; team_id: number; assignee_id: number }) =>
  `${r.account_id}/${r.status}/${r.inbox_id}/${r.team_id}/${r.assignee_id}`;

async function differences(client: pg.ClientBase): Promise<string[]> {
  const truth = new Map((await client.query(TRUTH)).rows.map((r) => [key(r), r.n as number]));
  const kept = new Map((await client.query(KEPT)).rows.map((r) => [key(r), r.n as number]));
  const out: string[] = [];
  for (const k of new Set([...truth.keys(), ...kept.keys()])) {
    if ((truth.get(k) ?? 0) !== (kept.get(k) ?? 0)) out.push(`${k}: counted ${kept.get(k) ?? 0}, really ${truth.get(k) ?? 0}`);
  }
  return out;
}

describe('conversation_counts', () => {
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  it('equals a COUNT over conversations after the fixture load and the API creates', async () => {
    expect(await differences(client)).toEqual([]);
    const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM conversation_counts')).rows;
    expect(n).toBeGreaterThan(0);
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
        ['uncounted column', `UPDATE conversations SET priority = 1, labels = '{x}' WHERE account_id = 1`],
        ['same value', `UPDATE conversations SET status = status WHERE account_id = 1`],
        ['user deleted (assignee set null by the foreign key)', `DELETE FROM users WHERE id = 3`],
        ['delete', `DELETE FROM conversations WHERE account_id = 1 AND display_id % 7 = 0`],
        ['account deleted (cascade)', `DELETE FROM accounts WHERE id = 2`],
      ];
      for (const [step, sql] of steps) {
        await client.query(sql);
        expect({ step, differences: await differences(client) }).toEqual({ step, differences: [] });
      }
      await client.query('TRUNCATE conversations CASCADE');
      expect(await differences(client)).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
    }
    expect(await differences(client)).toEqual([]);
  });
});
