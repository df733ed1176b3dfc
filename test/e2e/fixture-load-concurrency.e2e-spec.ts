/**
 * A fixture loaded into a live account while conversations are being created there (contract 7):
 * `seed.js test/fixtures/concurrent-load-fixture.json` (20 new conversations for account 4, with
 * implicit display ids) runs while 50 HTTP creates for account 4 do. Its own gateway and worker, on a
 * database of its own (nothing else writes there, so every count is exact).
 *
 * To make the overlap certain rather than lucky, the test holds a row lock on the contact_inbox the
 * file's first conversation uses, so the loader's first insert waits (a slow statement), fires the
 * creates while it waits, and lets it go after at most 2 s (well within the gateway's RPC timeout).
 */
import path from 'node:path';
import pg from 'pg';
import { dropDatabase, scratchDatabase } from '../support/database.mjs';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { ROOT, runCli, sleep, waitFor, waitUntil } from '../support/processes.mjs';
import { Stack, type Timed } from '../support/stack.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'concurrent-load-fixture.json');
const FIXTURE_CONVERSATIONS = 20;
const ACCOUNT = 4;

describe('a fixture load while 50 creates run in the same account', () => {
  const stack = new Stack();
  let database: string;
  let db: pg.Client;

  beforeAll(async () => {
    database = await scratchDatabase(e2eEnvironment().databaseUrl);
    db = new pg.Client({ connectionString: database });
    await db.connect();
    await stack.start({ worker: { DATABASE_URL: database } });
    await waitFor('the stack to answer', async () => (await stack.list(TOKENS.umbrellaAdmin, ACCOUNT)).status === 200, 30_000);
  });
  afterAll(async () => {
    await stack.stop();
    await db.end();
    await dropDatabase(database);
  });

  it('answers all 50 creates 200, loads the file, and keeps display ids unique', async () => {
    // The lock the loader's first conversation insert needs (its foreign key to contact_inboxes).
    const holder = new pg.Client({ connectionString: database });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM contact_inboxes WHERE inbox_id = 5 AND source_id = 'u16-api' FOR UPDATE`);

    const load = runCli('seed.js', [FIXTURE], database).then(
      (r) => ({ ok: true, output: r.stdout.trim() }),
      (e: Error) => ({ ok: false, output: e.message.trim() }),
    );
    const loaderWaits = await waitUntil(async () => {
      const { rows } = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'conversations-cli' AND wait_event_type = 'Lock'`);
      return rows.length > 0;
    }, 20_000);

    let answered = 0;
    const creates = Array.from({ length: 50 }, (_, i) =>
      stack
        .create(TOKENS.umbrellaAdmin, ACCOUNT, { inbox_id: 5, contact_id: 16 + (i % 20), custom_attributes: { live: i } })
        .catch((e: Error): Timed => ({ status: 0, body: e.message, ms: 0 }))
        .finally(() => answered++),
    );
    await waitUntil(async () => answered === creates.length, 2_000);
    await holder.query('COMMIT');
    await holder.end();

    const answers = await Promise.all(creates);
    const loaded = await load;
    console.log(`fixture load: the loader ${loaderWaits ? 'was held' : 'was never seen waiting'}; ${loaded.output}`);
    await sleep(200);
    const { rows } = await db.query<{ total: number; distinct_ids: number; loaded: number }>(
      `SELECT count(*)::int AS total, count(DISTINCT display_id)::int AS distinct_ids,
              count(*) FILTER (WHERE custom_attributes->>'fixture' = 'concurrent-load')::int AS loaded
         FROM conversations WHERE account_id = $1`,
      [ACCOUNT],
    );

    expect(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${JSON.stringify(a.body)}`)).toEqual([]);
    expect(loaded.ok ? 'loaded' : loaded.output).toBe('loaded');
    const expected = 50 + FIXTURE_CONVERSATIONS;
    expect(rows[0]).toEqual({ total: expected, distinct_ids: expected, loaded: FIXTURE_CONVERSATIONS });
  });
});
