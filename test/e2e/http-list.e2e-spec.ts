/**
 * GET /api/v1/accounts/{id}/conversations and /conversations/meta (SPEC 4.1, 4.3) against
 * test/fixtures/e2e-fixture.json. Only accounts 1-3 are read: they never change during a run.
 *
 * Account 1 (see make-e2e-fixture.mjs), for conversation n = 1..40:
 *   status   = [open, open, resolved, pending, snoozed][n % 5]
 *   assignee = [none, Ada (1), Ben (2), Cleo (3)][n % 4]
 *   team     = [none, Sales (1), Support (2)][n % 3]
 *   priority = [none, low, medium, high, urgent][n % 5]
 *   labels   = [[], [vip], [bug], [vip, billing], [billing], [bug, vip, refund]][n % 6]
 *   inbox    = 1 when n % 3 = 0, 2 when n % 3 = 1, 3 when n % 3 = 2 (but 1 for n in 2, 11, 14, 23, 26, 35, 38)
 *   created_at = 2026-01-01T00:00Z + n h; last_activity_at = 2026-01-05T04:00Z + floor(n / 3) h (tied by threes)
 *   waiting_since = 2026-01-09T08:00Z + (n % 7) h, none when n % 3 = 0
 */
import { TOKENS } from '../support/e2e-environment.js';
import { conversationsMeta, listAllIds, listConversations, type HttpResult } from '../support/http-client.js';
import { ASSIGNEE_TYPES, expectedList, pageOf, SORTS, STATUSES, type ListFilters } from '../support/list-oracle.js';

type Params = Record<string, string | number | string[] | undefined>;

interface Counts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}
interface ListBody {
  data: { meta: Counts & { current_page: number; per_page: number; total_pages: number }; payload: any[] };
}

/** The parsed body of a 200 JSON answer; anything else fails with the status and body in the message. */
function expectOk<T>(res: HttpResult<T>): T {
  if (res.status !== 200) throw new Error(`expected HTTP 200, got ${res.status}: ${res.text}`);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.json;
}

const list = async (token: string, accountId: number, params: Params = {}): Promise<ListBody> => expectOk(await listConversations(token, accountId, params));
const meta = async (token: string, accountId: number, params: Params = {}): Promise<{ meta: Counts }> => expectOk(await conversationsMeta(token, accountId, params));
const idsOf = (body: ListBody) => body.data.payload.map((c: { id: number }) => c.id);

const countsOf = ({ mine_count, assigned_count, unassigned_count, all_count }: Counts): Counts => ({ mine_count, assigned_count, unassigned_count, all_count });
const counts = (mine_count: number, assigned_count: number, unassigned_count: number, all_count: number): Counts => ({ mine_count, assigned_count, unassigned_count, all_count });
const pageMeta = (c: Counts, current_page: number, total_pages: number) => ({ ...c, current_page, per_page: 25, total_pages });
const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);
const without = (ids: number[], excluded: number[]) => ids.filter((id) => !excluded.includes(id));
const unix = (iso: string) => Date.parse(iso) / 1000;

/** Fetches every page of the list for `filters` and checks each page's ids and meta against the oracle. */
async function expectMatchesOracle(token: string, accountId: number, filters: ListFilters): Promise<void> {
  const expected = expectedList(token, accountId, filters);
  for (let page = 1; page <= Math.max(1, expected.total_pages); page++) {
    const body = await list(token, accountId, { ...filters, page });
    expect({ page, meta: body.data.meta, ids: idsOf(body) }).toEqual({
      page,
      meta: pageMeta(expected.counts, page, expected.total_pages),
      ids: pageOf(expected.ids, page),
    });
  }
}

const CALLERS = { admin: TOKENS.admin, ben: TOKENS.agentBen, cleo: TOKENS.agentCleo } as const;
const callerNames = Object.keys(CALLERS) as (keyof typeof CALLERS)[];
const withDefault = <T>(values: readonly T[]) => [undefined, ...values];

describe('GET conversations: defaults and hand-checked lists (account 1, administrator Ada)', () => {
  const OPEN_IDS = [40, 36, 35, 31, 30, 26, 25, 21, 20, 16, 15, 11, 10, 6, 5, 1];

  it('defaults to status=open, assignee_type=all, last_activity_at_desc, page 1', async () => {
    const body = await list(TOKENS.admin, 1);
    expect(idsOf(body)).toEqual(OPEN_IDS);
    expect(body.data.meta).toEqual(pageMeta(counts(4, 12, 4, 16), 1, 1));
  });

  it('answers the defaults spelled out exactly as the defaults', async () => {
    const implicit = await list(TOKENS.admin, 1);
    const explicit = await list(TOKENS.admin, 1, { status: 'open', assignee_type: 'all', sort_by: 'last_activity_at_desc', page: 1 });
    expect(explicit).toEqual(implicit);
  });

  it.each([
    ['open', OPEN_IDS, counts(4, 12, 4, 16)],
    ['resolved', [37, 32, 27, 22, 17, 12, 7, 2], counts(2, 6, 2, 8)],
    ['pending', [38, 33, 28, 23, 18, 13, 8, 3], counts(2, 6, 2, 8)],
    ['snoozed', [39, 34, 29, 24, 19, 14, 9, 4], counts(2, 6, 2, 8)],
  ])('status=%s lists exactly those conversations', async (status, ids, expectedCounts) => {
    const body = await list(TOKENS.admin, 1, { status });
    expect(idsOf(body)).toEqual(ids);
    expect(body.data.meta).toEqual(pageMeta(expectedCounts, 1, 1));
  });

  it('status=all applies no status filter: 40 conversations on two pages', async () => {
    const body = await list(TOKENS.admin, 1, { status: 'all' });
    expect(idsOf(body)).toEqual(range(16, 40).reverse());
    expect(body.data.meta).toEqual(pageMeta(counts(10, 30, 10, 40), 1, 2));
  });

  describe('assignee_type (status=all): the list changes, the counts do not', () => {
    const ALL_COUNTS = counts(10, 30, 10, 40);
    it.each([
      ['me', range(1, 37, 4).reverse(), 1],
      ['unassigned', range(4, 40, 4).reverse(), 1],
      ['assigned', without(range(1, 40), range(4, 40, 4)).reverse(), 2],
      ['all', range(1, 40).reverse(), 2],
    ])('assignee_type=%s', async (assigneeType, ids, totalPages) => {
      expect(await listAllIds(TOKENS.admin, 1, { status: 'all', assignee_type: assigneeType })).toEqual(ids);
      const body = await list(TOKENS.admin, 1, { status: 'all', assignee_type: assigneeType });
      expect(body.data.meta).toEqual(pageMeta(ALL_COUNTS, 1, totalPages));
    });

    it.each<[string, string, Params]>([
      ['Ada, no filter', TOKENS.admin, {}],
      ['Ada, status=pending', TOKENS.admin, { status: 'pending' }],
      ['Ada, inbox_id=3', TOKENS.admin, { status: 'all', inbox_id: 3 }],
      ['Ada, labels=vip', TOKENS.admin, { status: 'all', labels: ['vip'] }],
      ['Cleo, team_id=2', TOKENS.agentCleo, { status: 'all', team_id: 2 }],
    ])('%s: identical counts for every assignee_type, and assigned = all - unassigned', async (_name, token, params) => {
      const perType = await Promise.all(ASSIGNEE_TYPES.map(async (assignee_type) => countsOf((await list(token, 1, { ...params, assignee_type })).data.meta)));
      for (const c of perType) expect(c).toEqual(perType[0]);
      expect(perType[0].assigned_count).toBe(perType[0].all_count - perType[0].unassigned_count);
    });
  });

  it('inbox_id=3 lists the six conversations of the Email inbox', async () => {
    const body = await list(TOKENS.admin, 1, { status: 'all', inbox_id: 3 });
    expect(idsOf(body)).toEqual([32, 29, 20, 17, 8, 5]);
    expect(body.data.meta).toEqual(pageMeta(counts(3, 3, 3, 6), 1, 1));
  });

  it('team_id=1 with the default status lists the open conversations of Sales', async () => {
    const body = await list(TOKENS.admin, 1, { team_id: 1 });
    expect(idsOf(body)).toEqual([40, 31, 25, 16, 10, 1]);
    expect(body.data.meta).toEqual(pageMeta(counts(2, 4, 2, 6), 1, 1));
  });

  describe('labels: conversations carrying ANY of them, in each of the three spellings', () => {
    const REFUND_OR_BILLING_OPEN = [40, 35, 21, 16, 15, 11, 10, 5];
    it.each([
      ['labels[]=refund&labels[]=billing', 'labels[]=refund&labels[]=billing', REFUND_OR_BILLING_OPEN, counts(2, 6, 2, 8)],
      ['labels=refund&labels=billing', 'labels=refund&labels=billing', REFUND_OR_BILLING_OPEN, counts(2, 6, 2, 8)],
      ['labels=refund', 'labels=refund', [35, 11, 5], counts(1, 3, 0, 3)],
      ['labels[]=refund', 'labels[]=refund', [35, 11, 5], counts(1, 3, 0, 3)],
      ['labels=nothing-has-this', 'labels=nothing-has-this', [], counts(0, 0, 0, 0)],
    ])('%s', async (_name, query, ids, expectedCounts) => {
      const res = await listConversations(TOKENS.admin, 1, {}, { query });
      const body = expectOk(res) as ListBody;
      expect(idsOf(body)).toEqual(ids);
      expect(body.data.meta).toEqual(pageMeta(expectedCounts, 1, ids.length === 0 ? 0 : 1));
    });
  });

  it('combines inbox_id, team_id, labels and status', async () => {
    const body = await list(TOKENS.admin, 1, { status: 'all', inbox_id: 1, team_id: 2, labels: ['vip'] });
    expect(idsOf(body)).toEqual([35, 23, 11]);
    expect(body.data.meta).toEqual(pageMeta(counts(0, 3, 0, 3), 1, 1));
  });

  it('an empty assignee-filtered list has total_pages 0 but keeps its counts', async () => {
    const body = await list(TOKENS.admin, 1, { status: 'all', inbox_id: 1, team_id: 2, labels: ['vip'], assignee_type: 'unassigned' });
    expect(body.data.payload).toEqual([]);
    expect(body.data.meta).toEqual(pageMeta(counts(0, 3, 0, 3), 1, 0));
  });

  it('an inbox of another account (4) or no inbox at all (999) is an empty list with zero counts', async () => {
    for (const inbox_id of [4, 999]) {
      const body = await list(TOKENS.admin, 1, { status: 'all', inbox_id });
      expect(body).toEqual({ data: { meta: pageMeta(counts(0, 0, 0, 0), 1, 0), payload: [] } });
    }
  });
});

describe('GET conversations: sort_by (account 1, status=all, every page)', () => {
  const ascending = range(1, 40);
  const descending = range(1, 40).reverse();
  const byPriority = (order: string[], ascendingIds: boolean) =>
    order.flatMap((p) => {
      const residue = { low: 1, medium: 2, high: 3, urgent: 4, none: 0 }[p] as number;
      const ids = range(residue === 0 ? 5 : residue, 40, 5);
      return ascendingIds ? ids : ids.reverse();
    });
  // waiting_since = 2026-01-09T08:00Z + (n % 7) h; none for multiples of 3, which come last either way
  const NO_WAITING_SINCE = range(3, 39, 3);

  it.each([
    // last_activity_at is tied in groups of three ({3,4,5}, {6,7,8}, ...): ties follow the display id
    ['last_activity_at_desc', descending],
    ['last_activity_at_asc', ascending],
    ['created_at_desc', descending],
    ['created_at_asc', ascending],
    ['priority_desc', byPriority(['urgent', 'high', 'medium', 'low', 'none'], false)],
    ['priority_asc', byPriority(['low', 'medium', 'high', 'urgent', 'none'], true)],
    ['waiting_since_asc', [7, 14, 28, 35, 1, 8, 22, 29, 2, 16, 23, 37, 10, 17, 31, 38, 4, 11, 25, 32, 5, 19, 26, 40, 13, 20, 34, ...NO_WAITING_SINCE]],
    ['waiting_since_desc', [34, 20, 13, 40, 26, 19, 5, 32, 25, 11, 4, 38, 31, 17, 10, 37, 23, 16, 2, 29, 22, 8, 1, 35, 28, 14, 7, ...NO_WAITING_SINCE.reverse()]],
  ])('%s', async (sortBy, ids) => {
    expect(await listAllIds(TOKENS.admin, 1, { status: 'all', sort_by: sortBy })).toEqual(ids);
  });

  it.each([
    ['priority_desc', [36, 31, 26, 21, 16, 11, 6, 1, 40, 35, 30, 25, 20, 15, 10, 5]],
    ['priority_asc', [1, 6, 11, 16, 21, 26, 31, 36, 5, 10, 15, 20, 25, 30, 35, 40]],
  ])('%s with status=open: the low ones, then those without priority', async (sortBy, ids) => {
    expect(idsOf(await list(TOKENS.admin, 1, { sort_by: sortBy }))).toEqual(ids);
  });

  it.each([...SORTS])('%s: two pages of 25 + 15 that neither overlap nor skip, then an empty page', async (sortBy) => {
    const [page1, page2, page3] = await Promise.all([1, 2, 3].map((page) => list(TOKENS.admin, 1, { status: 'all', sort_by: sortBy, page })));
    const all = [...idsOf(page1), ...idsOf(page2)];
    expect([idsOf(page1).length, idsOf(page2).length, idsOf(page3).length]).toEqual([25, 15, 0]);
    expect([...all].sort((a, b) => a - b)).toEqual(ascending);
    expect(all).toEqual(expectedList(TOKENS.admin, 1, { status: 'all', sort_by: sortBy }).ids);
    [page1, page2, page3].forEach((page, i) => expect(page.data.meta).toEqual(pageMeta(counts(10, 30, 10, 40), i + 1, 2)));
  });
});

describe('GET conversations: pagination', () => {
  it('status=all: page 1 has 25, page 2 the other 15, page 3 is empty with the same meta', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => list(TOKENS.admin, 1, { status: 'all', page })));
    expect(pages.map(idsOf)).toEqual([range(16, 40).reverse(), range(1, 15).reverse(), []]);
    pages.forEach((page, i) => expect(page.data.meta).toEqual(pageMeta(counts(10, 30, 10, 40), i + 1, 2)));
  });

  it('assignee_type=assigned (30 conversations): the second page holds the last five', async () => {
    const body = await list(TOKENS.admin, 1, { status: 'all', assignee_type: 'assigned', page: 2 });
    expect(idsOf(body)).toEqual([6, 5, 3, 2, 1]);
    expect(body.data.meta).toEqual(pageMeta(counts(10, 30, 10, 40), 2, 2));
  });

  it('a page past the end of a one-page list is empty and says where it is', async () => {
    const body = await list(TOKENS.admin, 1, { page: 7 });
    expect(body).toEqual({ data: { meta: pageMeta(counts(4, 12, 4, 16), 7, 1), payload: [] } });
  });
});

describe('GET conversations: who sees what (account 1)', () => {
  const EMAIL_INBOX = [5, 8, 17, 20, 29, 32];

  it('agent Ben (inboxes 1 and 2) sees everything but the Email inbox, counts included', async () => {
    expect(await listAllIds(TOKENS.agentBen, 1, { status: 'all' })).toEqual(without(range(1, 40), EMAIL_INBOX).reverse());
    expect((await list(TOKENS.agentBen, 1, { status: 'all' })).data.meta).toEqual(pageMeta(counts(10, 27, 7, 34), 1, 2));
  });

  it('agent Cleo (inboxes 2 and 3) sees the Website and Email inboxes only, counts included', async () => {
    const body = await list(TOKENS.agentCleo, 1, { status: 'all' });
    expect(idsOf(body)).toEqual([40, 37, 34, 32, 31, 29, 28, 25, 22, 20, 19, 17, 16, 13, 10, 8, 7, 5, 4, 1]);
    expect(body.data.meta).toEqual(pageMeta(counts(3, 13, 7, 20), 1, 1));
  });

  it('agent Eve (no inbox) gets 200 with nothing in it', async () => {
    for (const status of ['open', 'all']) {
      expect(await list(TOKENS.agentEve, 1, { status })).toEqual({ data: { meta: pageMeta(counts(0, 0, 0, 0), 1, 0), payload: [] } });
    }
    expect(await meta(TOKENS.agentEve, 1, { status: 'all' })).toEqual({ meta: counts(0, 0, 0, 0) });
  });

  it.each([
    ['Ben', TOKENS.agentBen, 3],
    ['Cleo', TOKENS.agentCleo, 1],
  ])('an inbox %s is not a member of is 200 with an empty list and zero counts', async (_name, token, inboxId) => {
    expect(await list(token, 1, { status: 'all', inbox_id: inboxId })).toEqual({ data: { meta: pageMeta(counts(0, 0, 0, 0), 1, 0), payload: [] } });
  });

  it.each([
    ['Ada', TOKENS.admin, range(1, 37, 4).reverse(), 10],
    ['Ben', TOKENS.agentBen, range(2, 38, 4).reverse(), 10],
    ['Cleo', TOKENS.agentCleo, [31, 19, 7], 3],
  ])('assignee_type=me and mine_count are per caller (%s)', async (_name, token, ids, mine) => {
    const body = await list(token, 1, { status: 'all', assignee_type: 'me' });
    expect(idsOf(body)).toEqual(ids);
    expect(body.data.meta.mine_count).toBe(mine);
  });

  it('an agent sees the same <conversation> JSON as the administrator', async () => {
    const [asAdmin, asBen] = await Promise.all([TOKENS.admin, TOKENS.agentBen].map((token) => list(token, 1, { status: 'all', inbox_id: 2, labels: ['billing'] })));
    expect(idsOf(asBen)).toEqual([40, 34, 28, 22, 16, 10, 4]);
    expect(asBen.data.payload).toEqual(asAdmin.data.payload);
  });
});

describe('GET conversations: oracle sweeps over the fixture (account 1)', () => {
  const statusByAssignee = callerNames.flatMap((caller) =>
    withDefault(STATUSES).flatMap((status) => withDefault(ASSIGNEE_TYPES).map((assignee_type) => [caller, status ?? '(default)', assignee_type ?? '(default)', { status, assignee_type }] as const)),
  );
  it.each(statusByAssignee)('%s: status=%s assignee_type=%s', async (caller, _s, _a, filters) => {
    await expectMatchesOracle(CALLERS[caller], 1, filters);
  });

  const INBOXES = { admin: [1, 2, 3, 4, 999], ben: [1, 2, 3], cleo: [1, 2, 3] };
  const LABEL_SETS = [['vip'], ['bug', 'billing'], ['refund'], ['nope']];
  const inboxTeamLabels = callerNames.flatMap((caller) =>
    withDefault(INBOXES[caller]).flatMap((inbox_id) =>
      withDefault([1, 2]).flatMap((team_id) =>
        withDefault(LABEL_SETS).map((labels) => [caller, inbox_id ?? '-', team_id ?? '-', labels?.join('|') ?? '-', { status: 'all' as const, inbox_id, team_id, labels }] as const),
      ),
    ),
  );
  it.each(inboxTeamLabels)('%s: status=all inbox_id=%s team_id=%s labels=%s', async (caller, _i, _t, _l, filters) => {
    await expectMatchesOracle(CALLERS[caller], 1, filters);
  });

  const sorts = (['admin', 'cleo'] as const).flatMap((caller) =>
    SORTS.flatMap((sort_by) => (['all', 'open', 'pending'] as const).map((status) => [caller, sort_by, status, { status, sort_by, assignee_type: 'assigned' as const }] as const)),
  );
  it.each(sorts)('%s: sort_by=%s status=%s assignee_type=assigned', async (caller, _s, _st, filters) => {
    await expectMatchesOracle(CALLERS[caller], 1, filters);
  });
});

describe('GET conversations: the <conversation> JSON (SPEC 4.3)', () => {
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  const anInteger = expect.any(Number);
  let byId: Map<number, any>;

  beforeAll(async () => {
    const pages = await Promise.all([1, 2].map((page) => list(TOKENS.admin, 1, { status: 'all', page })));
    byId = new Map(pages.flatMap((p) => p.data.payload).map((c) => [c.id, c]));
  });

  /** Contact k of account 1: created 2025-12-02T00:00Z + k hours; only contact 1 has attributes. */
  const sender = (k: number) => ({
    id: k,
    name: `Contact ${k}`,
    email: `contact${k}@example.test`,
    phone_number: `+1555000${String(k).padStart(4, '0')}`,
    identifier: `crm-${k}`,
    thumbnail: '',
    additional_attributes: k === 1 ? { city: 'Lisbon' } : {},
    custom_attributes: k === 1 ? { tier: 'gold' } : {},
    blocked: false,
    availability_status: 'offline',
    created_at: unix(`2025-12-02T${String(k).padStart(2, '0')}:00:00Z`),
    last_activity_at: 0,
  });
  const assignee = (id: number, name: string, available_name: string, email: string, role: string) => ({
    id,
    account_id: 1,
    name,
    available_name,
    email,
    role,
    availability_status: 'offline',
    thumbnail: '',
  });
  const SALES = { id: 1, name: 'Sales', description: 'Deals', allow_auto_assign: true, account_id: 1 };
  const SUPPORT = { id: 2, name: 'Support', description: null, allow_auto_assign: true, account_id: 1 };
  const message = (conversationId: number, inboxId: number, content: string, messageType: number, createdAt: string, from: object) => ({
    id: anInteger,
    content,
    account_id: 1,
    inbox_id: inboxId,
    conversation_id: conversationId,
    message_type: messageType,
    private: false,
    status: 'sent',
    content_type: 'text',
    created_at: unix(createdAt),
    sender: expect.objectContaining(from),
  });
  const timestamps = (created: string, lastActivity: string, waitingSince: string | null) => ({
    created_at: unix(created),
    updated_at: anInteger,
    timestamp: unix(lastActivity),
    last_activity_at: unix(lastActivity),
    agent_last_seen_at: 0,
    assignee_last_seen_at: 0,
    contact_last_seen_at: 0,
    waiting_since: waitingSince === null ? 0 : unix(waitingSince),
  });
  const common = { account_id: 1, uuid: expect.stringMatching(UUID), muted: false, can_reply: true };

  it('conversation 7: assigned to Cleo, team Sales, attributes, one incoming message', () => {
    const latest = message(7, 2, 'hello from 7', 0, '2026-01-01T07:00:00Z', { id: 12, name: 'Contact 12', type: 'contact' });
    expect(byId.get(7)).toEqual({
      meta: {
        sender: sender(12),
        channel: 'Channel::WebWidget',
        assignee: assignee(3, 'Cleo Agent', 'Cleo Agent', 'cleo@acme.test', 'agent'),
        assignee_type: 'User',
        team: SALES,
        hmac_verified: false,
      },
      id: 7,
      messages: [latest],
      ...common,
      additional_attributes: { browser: { name: 'Firefox' }, referer: 'https://shop.example' },
      custom_attributes: { plan: 'pro', seats: 3 },
      inbox_id: 2,
      labels: ['vip'],
      status: 'resolved',
      priority: 'medium',
      snoozed_until: null,
      ...timestamps('2026-01-01T07:00:00Z', '2026-01-05T06:00:00Z', '2026-01-09T08:00:00Z'),
      first_reply_created_at: 0,
      unread_count: 1,
      last_non_activity_message: latest,
    });
  });

  it('conversation 10: assigned to Ben (available_name "Benny"), the latest message is the outgoing reply', () => {
    const latest = message(10, 2, 'reply to 10', 1, '2026-01-01T10:01:00Z', { id: 2, name: 'Ben Agent', type: 'user' });
    expect(byId.get(10)).toEqual({
      meta: {
        sender: sender(3),
        channel: 'Channel::WebWidget',
        assignee: assignee(2, 'Ben Agent', 'Benny', 'ben@acme.test', 'agent'),
        assignee_type: 'User',
        team: SALES,
        hmac_verified: false,
      },
      id: 10,
      messages: [latest],
      ...common,
      additional_attributes: {},
      custom_attributes: {},
      inbox_id: 2,
      labels: ['billing'],
      status: 'open',
      priority: null,
      snoozed_until: null,
      ...timestamps('2026-01-01T10:00:00Z', '2026-01-05T07:00:00Z', '2026-01-09T11:00:00Z'),
      // the fixture gives no first_reply_created_at: the seed may derive it from the reply or leave it unset
      first_reply_created_at: anInteger,
      unread_count: 1,
      last_non_activity_message: latest,
    });
    expect([0, unix('2026-01-01T10:01:00Z')]).toContain(byId.get(10).first_reply_created_at);
  });

  it('conversation 4: unassigned (no assignee, no assignee_type), snoozed, urgent, no messages', () => {
    const c = byId.get(4);
    expect(c.meta).not.toHaveProperty('assignee');
    expect(c.meta).not.toHaveProperty('assignee_type');
    expect(new Date(c.snoozed_until).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(c).toEqual({
      meta: { sender: sender(9), channel: 'Channel::WebWidget', team: SALES, hmac_verified: false },
      id: 4,
      messages: [],
      ...common,
      additional_attributes: {},
      custom_attributes: {},
      inbox_id: 2,
      labels: ['billing'],
      status: 'snoozed',
      priority: 'urgent',
      snoozed_until: expect.stringMatching(/^2027-01-01T00:00:00(\.000)?(Z|\+00:00)$/),
      ...timestamps('2026-01-01T04:00:00Z', '2026-01-05T05:00:00Z', '2026-01-09T12:00:00Z'),
      first_reply_created_at: 0,
      unread_count: 0,
      last_non_activity_message: null,
    });
  });

  it('conversation 12: neither assignee nor team, no waiting_since (0), contact with attributes, API channel', () => {
    const c = byId.get(12);
    expect(c.meta).not.toHaveProperty('assignee');
    expect(c.meta).not.toHaveProperty('assignee_type');
    expect(c.meta).not.toHaveProperty('team');
    expect(c).toEqual({
      meta: { sender: sender(1), channel: 'Channel::Api', hmac_verified: false },
      id: 12,
      messages: [],
      ...common,
      additional_attributes: {},
      custom_attributes: {},
      inbox_id: 1,
      labels: [],
      status: 'resolved',
      priority: 'medium',
      snoozed_until: null,
      ...timestamps('2026-01-01T12:00:00Z', '2026-01-05T08:00:00Z', null),
      first_reply_created_at: 0,
      unread_count: 0,
      last_non_activity_message: null,
    });
  });

  it('conversation 5: labels sorted, Email channel, assigned to the administrator, team without description', () => {
    const latest = message(5, 3, 'hello from 5', 0, '2026-01-01T05:00:00Z', { id: 2, name: 'Contact 2', type: 'contact' });
    expect(byId.get(5)).toEqual({
      meta: {
        sender: sender(2),
        channel: 'Channel::Email',
        assignee: assignee(1, 'Ada Admin', 'Ada Admin', 'ada@acme.test', 'administrator'),
        assignee_type: 'User',
        team: SUPPORT,
        hmac_verified: false,
      },
      id: 5,
      messages: [latest],
      ...common,
      additional_attributes: {},
      custom_attributes: {},
      inbox_id: 3,
      labels: ['bug', 'refund', 'vip'],
      status: 'open',
      priority: null,
      snoozed_until: null,
      ...timestamps('2026-01-01T05:00:00Z', '2026-01-05T05:00:00Z', '2026-01-09T13:00:00Z'),
      first_reply_created_at: 0,
      unread_count: 1,
      last_non_activity_message: latest,
    });
  });

  it('every conversation of account 1: display id, account, distinct uuids, sorted labels, integer timestamps', () => {
    const all = [...byId.values()];
    expect(all.map((c) => c.id).sort((a, b) => a - b)).toEqual(range(1, 40));
    expect(new Set(all.map((c) => c.uuid)).size).toBe(40);
    for (const c of all) {
      expect(c.account_id).toBe(1);
      expect(c.uuid).toMatch(UUID);
      expect(c.labels).toEqual([...c.labels].sort());
      expect(c.timestamp).toBe(c.last_activity_at);
      for (const key of ['created_at', 'updated_at', 'last_activity_at', 'agent_last_seen_at', 'assignee_last_seen_at', 'contact_last_seen_at', 'first_reply_created_at', 'waiting_since']) {
        expect(Number.isInteger(c[key])).toBe(true);
      }
      expect(c.messages.length).toBe(c.id % 4 === 0 ? 0 : 1);
      expect(c.meta.assignee_type === undefined).toBe(c.meta.assignee === undefined);
    }
  });
});

describe('GET conversations: accounts 2 and 3', () => {
  it('account 2 (Dora): the two conversations without display_id in the fixture got 11 and 12', async () => {
    const body = await list(TOKENS.globexAdmin, 2);
    expect(idsOf(body)).toEqual([12, 11, 5, 10, 3]);
    expect(body.data.meta).toEqual(pageMeta(counts(2, 2, 3, 5), 1, 1));
    const [c11, c12] = [11, 12].map((id) => body.data.payload.find((c: { id: number }) => c.id === id));
    expect(c11).toMatchObject({ account_id: 2, inbox_id: 4, labels: ['globex'], created_at: unix('2026-01-01T03:00:00Z'), meta: { sender: { id: 13 }, assignee: { id: 4, name: 'Dora Globex', role: 'administrator' } } });
    expect(c12).toMatchObject({ account_id: 2, inbox_id: 4, labels: ['globex'], created_at: unix('2026-01-01T04:00:00Z'), meta: { sender: { id: 14 } } });
    expect(c12.meta).not.toHaveProperty('assignee');
  });

  it('account 2 sorted by created_at_asc and filtered by its own team', async () => {
    expect(idsOf(await list(TOKENS.globexAdmin, 2, { sort_by: 'created_at_asc' }))).toEqual([3, 10, 5, 11, 12]);
    const team = await list(TOKENS.globexAdmin, 2, { team_id: 3 });
    expect(idsOf(team)).toEqual([3]);
    expect(team.data.payload[0].meta.team).toEqual({ id: 3, name: 'Globex Team', description: null, allow_auto_assign: true, account_id: 2 });
  });

  it('account 3 (empty, administrator Ada): no conversations, zero counts, total_pages 0', async () => {
    for (const status of ['open', 'all']) {
      expect(await list(TOKENS.admin, 3, { status })).toEqual({ data: { meta: pageMeta(counts(0, 0, 0, 0), 1, 0), payload: [] } });
    }
    expect(await meta(TOKENS.admin, 3)).toEqual({ meta: counts(0, 0, 0, 0) });
  });
});

describe('GET conversations/meta', () => {
  it('answers {"meta": the four counts} for the defaults', async () => {
    expect(await meta(TOKENS.admin, 1)).toEqual({ meta: counts(4, 12, 4, 16) });
  });

  it.each<[string, string, number, Params, Counts]>([
    ['Ada, status=all', TOKENS.admin, 1, { status: 'all' }, counts(10, 30, 10, 40)],
    ['Ada, inbox_id=3', TOKENS.admin, 1, { status: 'all', inbox_id: 3 }, counts(3, 3, 3, 6)],
    ['Ada, team_id=1', TOKENS.admin, 1, { team_id: 1 }, counts(2, 4, 2, 6)],
    ['Ada, labels refund or billing', TOKENS.admin, 1, { labels: ['refund', 'billing'] }, counts(2, 6, 2, 8)],
    ['Ben, status=all', TOKENS.agentBen, 1, { status: 'all' }, counts(10, 27, 7, 34)],
    ['Cleo, status=all', TOKENS.agentCleo, 1, { status: 'all' }, counts(3, 13, 7, 20)],
    ['Ben, an inbox he is not in', TOKENS.agentBen, 1, { status: 'all', inbox_id: 3 }, counts(0, 0, 0, 0)],
    ['Dora, account 2', TOKENS.globexAdmin, 2, {}, counts(2, 2, 3, 5)],
  ])('%s', async (_name, token, accountId, params, expected) => {
    expect(await meta(token, accountId, params)).toEqual({ meta: expected });
  });

  const filterSets: [string, ListFilters][] = [
    ['status=pending', { status: 'pending' }],
    ['status=all team_id=2 labels=vip|bug', { status: 'all', team_id: 2, labels: ['vip', 'bug'] }],
    ['status=snoozed inbox_id=2', { status: 'snoozed', inbox_id: 2 }],
    ['status=resolved sort_by=priority_asc', { status: 'resolved', sort_by: 'priority_asc' }],
  ];
  const metaCases = callerNames.flatMap((caller) => filterSets.flatMap(([name, filters]) => ASSIGNEE_TYPES.map((assignee_type) => [caller, name, assignee_type, filters] as const)));
  it.each(metaCases)('%s: %s assignee_type=%s: the list counts, whatever assignee_type says', async (caller, _n, assignee_type, filters) => {
    const token = CALLERS[caller];
    const [m, l] = await Promise.all([meta(token, 1, { ...filters, assignee_type }), list(token, 1, { ...filters, assignee_type })]);
    expect(m).toEqual({ meta: expectedList(token, 1, filters).counts });
    expect(m.meta).toEqual(countsOf(l.data.meta));
  });
});
