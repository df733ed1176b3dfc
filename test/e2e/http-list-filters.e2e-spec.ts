/**
 * Chatwoot's other list filters (q, conversation_type, source_id, updated_within) and its older sort
 * names: hand-checked cases on the fixture, oracle sweeps combining them with every other filter, the
 * counts against a plain GROUP BY, and the same answers over the conversations.list RPC.
 */
import pg from 'pg';
import { RawAmqpClient } from '../support/amqp-client.js';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { conversationsMeta, createConversation, listConversations, type HttpResult } from '../support/http-client.js';
import { expectedList, pageOf, type ListFilters } from '../support/list-oracle.js';

type Params = Record<string, string | number | string[] | undefined>;

function ok(res: HttpResult): any {
  if (res.status !== 200) throw new Error(`expected HTTP 200, got ${res.status}: ${res.text}`);
  return res.json;
}

const list = async (params: Params, token: string = TOKENS.admin, accountId = 1) => ok(await listConversations(token, accountId, params));
const ids = (body: any): number[] => body.data.payload.map((c: { id: number }) => c.id);
const counts = (body: any) => {
  const { mine_count, assigned_count, unassigned_count, all_count } = body.data?.meta ?? body.meta;
  return { mine_count, assigned_count, unassigned_count, all_count };
};

/** Every page of the list for `filters`, each page's ids and meta checked against the oracle. */
async function expectMatchesOracle(token: string, filters: ListFilters & { page?: number }): Promise<void> {
  const expected = expectedList(token, 1, filters);
  for (let page = 1; page <= Math.max(1, expected.total_pages); page++) {
    const body = await list({ ...filters, page } as Params, token);
    expect({ filters, page, meta: body.data.meta, ids: ids(body) }).toEqual({
      filters,
      page,
      meta: { ...expected.counts, current_page: page, per_page: 25, total_pages: expected.total_pages },
      ids: pageOf(expected.ids, page),
    });
  }
}

describe('q: a search of what the contact and the agents wrote', () => {
  it('finds incoming and outgoing messages, case-insensitively, in every status by default', async () => {
    const body = await list({ q: 'refund' });
    // 9: an incoming "REFUND" (snoozed); 33: an outgoing "refund" (pending). Not 3 (a private note), not 15 (an activity).
    expect(ids(body)).toEqual([33, 9]);
    expect(counts(body)).toEqual({ mine_count: 2, assigned_count: 2, unassigned_count: 0, all_count: 2 });
    expect(ids(await list({ q: 'REFUND' }))).toEqual([33, 9]);
    expect(ids(await list({ q: 'rEfUnD iS' }))).toEqual([33]);
  });

  it('still applies an explicit status', async () => {
    expect(ids(await list({ q: 'refund', status: 'snoozed' }))).toEqual([9]);
    expect(ids(await list({ q: 'refund', status: 'open' }))).toEqual([]);
  });

  it('never matches private notes or activity messages', async () => {
    expect(ids(await list({ q: 'refund approved' }))).toEqual([]); // conversation 3's private note
    expect(ids(await list({ q: 'automation' }))).toEqual([]); // conversation 15's activity message
  });

  it('takes % and _ literally, as text to find', async () => {
    expect(ids(await list({ q: '100%_off' }))).toEqual([9]);
    expect(ids(await list({ q: '%' }))).toEqual([9]);
    expect(ids(await list({ q: 'o_d' }))).toEqual([]); // as a wildcard it would match "order"
    expect(ids(await list({ q: 'hello from _' }))).toEqual([]);
  });

  it('trims the text; an empty search is no search (the default list)', async () => {
    expect(ids(await list({ q: '  refund  ' }))).toEqual([33, 9]);
    const plain = await list({});
    expect(await list({ q: '' })).toEqual(plain);
    expect(await list({ q: '   ' })).toEqual(plain);
  });

  it('counts and pages over a search with many matches', async () => {
    await expectMatchesOracle(TOKENS.admin, { q: 'hello' });
    await expectMatchesOracle(TOKENS.admin, { q: 'hello from 1' });
  });
});

describe('conversation_type=unattended', () => {
  it('lists what nobody answered yet, or what waits for an answer', async () => {
    const body = await list({ conversation_type: 'unattended', status: 'all' });
    const answered = [6, 18, 30, 33]; // a first reply, and no waiting_since
    expect(body.data.meta.all_count).toBe(40 - answered.length);
    expect(ids(body).some((id) => answered.includes(id))).toBe(false);
    await expectMatchesOracle(TOKENS.admin, { conversation_type: 'unattended', status: 'all' });
  });

  it.each(['mention', 'participating'])('refuses %s with a 400 that says it is not supported here', async (conversation_type) => {
    const res = await listConversations(TOKENS.admin, 1, { conversation_type });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({
      description: expect.any(String),
      errors: [
        {
          field: 'conversation_type',
          code: 'isIn',
          message: `conversation_type=${conversation_type} is not supported here: this service keeps no mentions or participants (only unattended)`,
        },
      ],
    });
  });
});

describe('source_id', () => {
  it("lists the conversations of one contact_inbox of the account", async () => {
    expect(ids(await list({ source_id: 'c10-api', status: 'all' }))).toEqual([33, 21, 9]);
    expect(ids(await list({ source_id: 'c10-web', status: 'all' }))).toEqual([]);
  });

  it('finds nothing for a source id of another account, or none', async () => {
    const body = await list({ source_id: 'nobody-has-this', status: 'all' });
    expect(ids(body)).toEqual([]);
    expect(body.data.meta).toEqual({ mine_count: 0, assigned_count: 0, unassigned_count: 0, all_count: 0, current_page: 1, per_page: 25, total_pages: 0 });
  });
});

describe("Chatwoot's older sort names", () => {
  it.each([
    ['latest', 'last_activity_at_desc'],
    ['sort_on_created_at', 'created_at_asc'],
    ['sort_on_priority', 'priority_desc'],
    ['sort_on_waiting_since', 'waiting_since_asc'],
  ])('sort_by=%s is %s', async (alias, order) => {
    for (const page of [1, 2]) expect(await list({ sort_by: alias, status: 'all', page })).toEqual(await list({ sort_by: order, status: 'all', page }));
  });
});

describe('the new filters with every other, and for agents', () => {
  const QS = [undefined, 'refund', 'hello from 2', 'reply'];
  const cases = [TOKENS.admin, TOKENS.agentBen, TOKENS.agentCleo].flatMap((token) =>
    QS.flatMap((q) =>
      ([undefined, 'unattended'] as const).flatMap((conversation_type) =>
        [undefined, 'c10-api'].flatMap((source_id) =>
          [{}, { status: 'open' as const }, { labels: ['vip'] }, { inbox_id: 1, assignee_type: 'assigned' as const }, { team_id: 2, sort_by: 'created_at_asc' as const }].map(
            (others) => [token, { q, conversation_type, source_id, ...others }] as const,
          ),
        ),
      ),
    ),
  );

  it(`matches the oracle in ${cases.length} combinations`, async () => {
    for (const [token, filters] of cases) await expectMatchesOracle(token, filters);
  });

  it('meta counts the same as the list', async () => {
    for (const filters of [{ q: 'refund' }, { conversation_type: 'unattended' }, { source_id: 'c10-api', status: 'all' }, { q: 'hello', labels: ['vip'] }] as Params[]) {
      const [listed, meta] = await Promise.all([list(filters), conversationsMeta(TOKENS.admin, 1, filters)]);
      expect(counts(ok(meta))).toEqual(counts(listed));
    }
  });
});

describe('updated_within: conversations updated in the last N seconds, still paginated', () => {
  const db = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  const ACCOUNT = 4;
  beforeAll(async () => {
    await db.connect();
    // 30 fresh conversations: more than a page.
    for (let i = 0; i < 30; i++) ok(await createConversation(TOKENS.umbrellaAdmin, ACCOUNT, { inbox_id: 5, contact_id: 16 }));
  });
  afterAll(() => db.end());

  /** The four counts of the last `seconds`, by a plain GROUP BY (admin: every inbox of the account). */
  async function truth(seconds: number) {
    const { rows } = await db.query<{ assignee_id: number | null; n: number }>(
      `SELECT assignee_id, count(*)::int AS n FROM conversations WHERE account_id = $1 AND updated_at >= now() - make_interval(secs => $2) GROUP BY assignee_id`,
      [ACCOUNT, seconds],
    );
    const all = rows.reduce((sum, r) => sum + r.n, 0);
    const unassigned = rows.find((r) => r.assignee_id === null)?.n ?? 0;
    return { all, unassigned };
  }

  it('pages through the recent conversations, with exact counts', async () => {
    const first = await list({ updated_within: 600, status: 'all' }, TOKENS.umbrellaAdmin, ACCOUNT);
    const { all, unassigned } = await truth(600);
    expect(all).toBeGreaterThanOrEqual(30);
    const totalPages = Math.ceil(all / 25);
    expect(first.data.meta).toMatchObject({ all_count: all, unassigned_count: unassigned, assigned_count: all - unassigned, total_pages: totalPages });
    const seen = new Set<number>();
    const cutoff = Date.now() / 1000 - 600 - 5;
    for (let page = 1; page <= totalPages; page++) {
      const body = page === 1 ? first : await list({ updated_within: 600, status: 'all', page }, TOKENS.umbrellaAdmin, ACCOUNT);
      expect(body.data.payload).toHaveLength(page < totalPages ? 25 : all - 25 * (totalPages - 1));
      for (const c of body.data.payload) {
        seen.add(c.id);
        expect(c.updated_at).toBeGreaterThan(cutoff);
      }
    }
    expect(seen.size).toBe(all);
  });

  it('leaves out what was updated before the window', async () => {
    await db.query(`UPDATE conversations SET updated_at = now() - interval '2 hours' WHERE account_id = $1 AND display_id = (SELECT max(display_id) FROM conversations WHERE account_id = $1)`, [ACCOUNT]);
    const { all } = await truth(3600);
    const body = await list({ updated_within: 3600, status: 'all' }, TOKENS.umbrellaAdmin, ACCOUNT);
    expect(body.data.meta.all_count).toBe(all);
    const older = await list({ updated_within: 3 * 3600, status: 'all' }, TOKENS.umbrellaAdmin, ACCOUNT);
    expect(older.data.meta.all_count).toBe(all + 1);
  });
});

describe('over AMQP: conversations.list and conversations.meta take the same parameters', () => {
  let amqp: RawAmqpClient;
  beforeAll(async () => {
    amqp = await RawAmqpClient.connect();
  });
  afterAll(() => amqp.close());

  it('answers as HTTP does', async () => {
    for (const query of [{ q: 'refund' }, { conversation_type: 'unattended', sort_by: 'latest' }, { source_id: 'c10-api', status: 'all', updated_within: 2_592_000 }]) {
      const data = { api_access_token: TOKENS.admin, account_id: 1, query };
      const [listed, counted] = await Promise.all([amqp.rpc('conversations.list', data), amqp.rpc('conversations.meta', data)]);
      const http = await list(query as Params);
      expect(listed.body).toEqual({ response: http, isDisposed: true });
      expect(counted.body).toEqual({ response: { meta: counts(http) }, isDisposed: true });
    }
  });

  it('refuses conversation_type=mention with the same error', async () => {
    const reply = await amqp.rpc('conversations.list', { api_access_token: TOKENS.admin, account_id: 1, query: { conversation_type: 'mention' } });
    expect(reply.body.err).toMatchObject({ status: 400, errors: [{ field: 'query.conversation_type', code: 'isIn' }] });
  });
});
