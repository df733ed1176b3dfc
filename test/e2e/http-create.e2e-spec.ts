/**
 * POST /api/v1/accounts/{account_id}/conversations (SPEC 4.2, 4.3, 4.4), end to end through the
 * gateway, the broker and the worker. Every write goes to account 4 ("Umbrella"); accounts 1-3 are
 * only targets of refused attempts, and the database proves nothing was written there.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { conversationsMeta, createConversation, listAllIds, listConversations, type HttpResult } from '../support/http-client.js';

const ACCOUNT = 4;
const API_INBOX = 5; // Channel::Api, member Gus
const WEB_INBOX = 6; // Channel::WebWidget, no members
const TEAM = 4;
const FAY = 6; // administrator of account 4
const GUS = 7; // agent of account 4, inbox 5 only
const UMBRELLA_BOT = 3;
const ADA = 1; // administrator of accounts 1 and 3, not of 4

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = { error: 'Resource could not be found' };

const GUS_ASSIGNEE = {
  id: GUS,
  account_id: ACCOUNT,
  name: 'Gus Umbrella',
  available_name: 'Gus Umbrella',
  email: 'gus@umbrella.test',
  role: 'agent',
  availability_status: 'offline',
  thumbnail: '',
};
const UMBRELLA_TEAM = { id: TEAM, name: 'Umbrella Team', description: null, allow_auto_assign: true, account_id: ACCOUNT };
const CHANNELS: Record<number, string> = { [API_INBOX]: 'Channel::Api', [WEB_INBOX]: 'Channel::WebWidget' };

// ---------------------------------------------------------------------------------------------
// database (read-only, except one planted idempotency key that is removed again)

let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db.end();
});

async function queryRows<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query(sql, params)).rows as T[];
}

/** Rows per table for accounts 1-4 (5 belongs to the event tests): what any write of ours would change. */
async function rowCounts(): Promise<Record<string, number>> {
  const rows = await queryRows<{ k: string; n: number }>(`
    select 'conversations:' || account_id as k, count(*)::int as n from conversations where account_id <= 4 group by account_id
    union all select 'messages:' || account_id, count(*)::int from messages where account_id <= 4 group by account_id
    union all select 'contact_inboxes:' || i.account_id, count(*)::int from contact_inboxes ci join inboxes i on i.id = ci.inbox_id where i.account_id <= 4 group by i.account_id
    union all select 'idempotency_keys:' || account_id, count(*)::int from idempotency_keys where account_id <= 4 group by account_id`);
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

/** Runs a request that must be refused, and checks that no account got a row from it. */
async function withoutWrites(action: () => Promise<HttpResult>): Promise<HttpResult> {
  const before = await rowCounts();
  const res = await action();
  expect(await rowCounts()).toEqual(before);
  return res;
}

async function maxDisplayId(accountId = ACCOUNT): Promise<number> {
  const [row] = await queryRows<{ max: number | null }>('select max(display_id) as max from conversations where account_id = $1', [accountId]);
  return row.max ?? 0;
}

/** The stored row of a conversation, with its contact_inbox. */
async function storedConversation(displayId: number) {
  const [row] = await queryRows(
    `select c.id, c.uuid, c.contact_id, c.inbox_id, c.contact_inbox_id, ci.source_id, ci.contact_id as ci_contact_id, ci.inbox_id as ci_inbox_id,
            c.additional_attributes, c.custom_attributes
       from conversations c join contact_inboxes ci on ci.id = c.contact_inbox_id
      where c.account_id = $1 and c.display_id = $2`,
    [ACCOUNT, displayId],
  );
  return row;
}

async function contactInboxCount(contactId: number, inboxId: number): Promise<number> {
  const [row] = await queryRows<{ n: number }>('select count(*)::int as n from contact_inboxes where contact_id = $1 and inbox_id = $2', [contactId, inboxId]);
  return row.n;
}

/** A contact as SPEC 4.3 renders it (meta.sender), from its stored row. */
async function senderJson(contactId: number) {
  const [c] = await queryRows(
    `select id, name, email, phone_number, identifier, additional_attributes, custom_attributes, blocked,
            floor(extract(epoch from created_at))::int as created_at,
            coalesce(floor(extract(epoch from last_activity_at))::int, 0) as last_activity_at
       from contacts where id = $1`,
    [contactId],
  );
  return { ...c, thumbnail: '', availability_status: 'offline' };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

const create = (body: unknown, token: string = TOKENS.umbrellaAdmin, headers: Record<string, string> = {}, accountId = ACCOUNT) =>
  createConversation(token, accountId, body, { headers });

const counts = async (token: string = TOKENS.umbrellaAdmin, params: Record<string, string> = { status: 'all' }) => {
  const res = await conversationsMeta(token, ACCOUNT, params);
  expect(res.status).toBe(200);
  return res.json.meta as { mine_count: number; assigned_count: number; unassigned_count: number; all_count: number };
};

/** The conversation as the list (status=all) renders it. */
async function listed(displayId: number, token: string = TOKENS.umbrellaAdmin, params: Record<string, string> = {}): Promise<any> {
  for (let page = 1; page < 100; page++) {
    const res = await listConversations(token, ACCOUNT, { status: 'all', sort_by: 'created_at_desc', ...params, page });
    expect(res.status).toBe(200);
    const payload = res.json.data.payload as any[];
    if (payload.length === 0) return undefined;
    const found = payload.find((c) => c.id === displayId);
    if (found) return found;
  }
  return undefined;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

interface ExpectedConversation {
  contactId: number;
  inboxId?: number;
  status?: string;
  /** The instant snoozed_until must name; absent: null. */
  snoozedUntil?: string;
  assignee?: Record<string, unknown>;
  team?: Record<string, unknown>;
  additional?: unknown;
  custom?: unknown;
  /** The first message: its content and who sent it. */
  message?: { content: string; sender: { id: number; type: string; name: string } };
}

/** snoozed_until: an ISO-8601 date-time string. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The whole <conversation> of SPEC 4.3 for a conversation created between `from` and `to` (unix
 * seconds): every field, exact where the request decides it.
 */
async function expectCreatedConversation(c: any, e: ExpectedConversation, from: number, to: number): Promise<void> {
  const inboxId = e.inboxId ?? API_INBOX;
  const message = e.message
    ? {
        id: expect.any(Number),
        content: e.message.content,
        account_id: ACCOUNT,
        inbox_id: inboxId,
        conversation_id: c.id,
        message_type: 1,
        private: false,
        status: 'sent',
        content_type: 'text',
        created_at: expect.any(Number),
        sender: expect.objectContaining(e.message.sender),
      }
    : undefined;
  // As Chatwoot: a new conversation waits since its creation; an agent's message is the first
  // reply and ends the wait (what a bot's message does is left open).
  const replyTimes = !e.message
    ? { first_reply_created_at: 0, waiting_since: c.created_at }
    : e.message.sender.type === 'user'
      ? { first_reply_created_at: c.messages?.[0]?.created_at, waiting_since: 0 }
      : { first_reply_created_at: expect.any(Number), waiting_since: expect.any(Number) };
  expect(c).toEqual({
    meta: {
      sender: await senderJson(e.contactId),
      channel: CHANNELS[inboxId],
      hmac_verified: false,
      ...(e.assignee ? { assignee: e.assignee, assignee_type: 'User' } : {}),
      ...(e.team ? { team: e.team } : {}),
    },
    id: expect.any(Number),
    messages: message ? [message] : [],
    account_id: ACCOUNT,
    uuid: expect.stringMatching(UUID),
    additional_attributes: e.additional ?? {},
    custom_attributes: e.custom ?? {},
    inbox_id: inboxId,
    labels: [],
    status: e.status ?? 'open',
    priority: null,
    muted: false,
    can_reply: true,
    snoozed_until: e.snoozedUntil === undefined ? null : expect.stringMatching(ISO_DATE_TIME),
    created_at: expect.any(Number),
    updated_at: expect.any(Number),
    timestamp: c.last_activity_at,
    last_activity_at: expect.any(Number),
    agent_last_seen_at: 0,
    assignee_last_seen_at: 0,
    contact_last_seen_at: 0,
    ...replyTimes,
    unread_count: 0,
    last_non_activity_message: message ?? null,
  });
  if (e.snoozedUntil !== undefined) expect(new Date(c.snoozed_until).getTime()).toBe(Date.parse(e.snoozedUntil));
  for (const time of [c.created_at, c.updated_at, c.last_activity_at, ...(message ? [c.messages[0].created_at] : [])]) {
    expect(Number.isInteger(time)).toBe(true);
    expect(time).toBeGreaterThanOrEqual(from);
    expect(time).toBeLessThanOrEqual(to);
  }
  expect(c.updated_at).toBeGreaterThanOrEqual(c.created_at);
  const stored = await storedConversation(c.id);
  expect(stored).toMatchObject({ uuid: c.uuid, contact_id: e.contactId, inbox_id: inboxId, ci_contact_id: e.contactId, ci_inbox_id: inboxId });
}

/** A create that must succeed: the response, checked in full, and the window it happened in. */
async function createOk(body: Record<string, unknown>, expected: ExpectedConversation, token: string = TOKENS.umbrellaAdmin): Promise<any> {
  const previousMax = await maxDisplayId();
  const from = nowSeconds() - 2;
  const res = await create(body, token);
  const to = nowSeconds() + 2;
  expect(res.status).toBe(200);
  await expectCreatedConversation(res.json, expected, from, to);
  expect(res.json.id).toBeGreaterThan(previousMax);
  return res.json;
}

const badRequest = (...fields: string[]) => ({
  description: expect.any(String),
  errors: expect.arrayContaining(fields.map((field) => expect.objectContaining({ field, message: expect.any(String), code: expect.any(String) }))),
});

/** 422 `{message, attributes}` naming `attribute` (or an attribute under it, like custom_attributes.x). */
function expectUnprocessable(res: HttpResult, attribute: string): void {
  expect(res.status).toBe(422);
  expect(res.json).toEqual({ message: expect.any(String), attributes: expect.any(Array) });
  expect(res.json.attributes.every((a: unknown) => typeof a === 'string')).toBe(true);
  expect(res.json.attributes.some((a: string) => a === attribute || a.startsWith(`${attribute}.`) || a.startsWith(`${attribute}[`))).toBe(true);
}

function expectForbidden(res: HttpResult): void {
  expect(res.status).toBe(403);
  expect(res.json).toEqual({ error: expect.any(String) });
}

// ---------------------------------------------------------------------------------------------

describe('POST /api/v1/accounts/:id/conversations', () => {
  describe('with inbox_id and contact_id', () => {
    it('creates an open conversation with a fresh contact_inbox whose source id is generated, and lists it', async () => {
      const before = await counts();
      const contactInboxesBefore = await contactInboxCount(21, API_INBOX);

      const created = await createOk({ inbox_id: API_INBOX, contact_id: 21 }, { contactId: 21 });

      const stored = await storedConversation(created.id);
      expect(stored.source_id).toMatch(UUID);
      expect(stored.source_id).not.toBe('u21-api');
      expect(await contactInboxCount(21, API_INBOX)).toBe(contactInboxesBefore + 1);
      expect(await listed(created.id)).toEqual(created);
      expect(await counts()).toEqual({ ...before, all_count: before.all_count + 1, unassigned_count: before.unassigned_count + 1 });
      expect(await listed(created.id, TOKENS.umbrellaAdmin, { status: 'open', assignee_type: 'unassigned' })).toEqual(created);
    });

    it('accepts ids as numeric strings', async () => {
      await createOk({ inbox_id: String(API_INBOX), contact_id: '22' }, { contactId: 22 });
    });

    it('creates in the website inbox with its channel', async () => {
      await createOk({ inbox_id: WEB_INBOX, contact_id: 16 }, { contactId: 16, inboxId: WEB_INBOX });
    });

    it('assigns the assignee and the team: meta.assignee, assignee_type "User" and meta.team, and the counts follow', async () => {
      const before = await counts();
      const gusBefore = await counts(TOKENS.umbrellaAgent);

      const created = await createOk(
        { inbox_id: API_INBOX, contact_id: '23', assignee_id: String(GUS), team_id: TEAM },
        { contactId: 23, assignee: GUS_ASSIGNEE, team: UMBRELLA_TEAM },
      );

      expect(await listed(created.id, TOKENS.umbrellaAdmin, { assignee_type: 'assigned', team_id: String(TEAM) })).toEqual(created);
      expect(await counts()).toEqual({ ...before, all_count: before.all_count + 1, assigned_count: before.assigned_count + 1 });
      expect(await counts(TOKENS.umbrellaAgent)).toEqual({
        ...gusBefore,
        all_count: gusBefore.all_count + 1,
        assigned_count: gusBefore.assigned_count + 1,
        mine_count: gusBefore.mine_count + 1,
      });
    });

    it('assigns an administrator of the account, who then counts it as mine', async () => {
      const before = await counts();
      const created = await createOk(
        { inbox_id: API_INBOX, contact_id: 24, assignee_id: FAY },
        {
          contactId: 24,
          assignee: { id: FAY, account_id: ACCOUNT, name: 'Fay Umbrella', available_name: 'Fay Umbrella', email: 'fay@umbrella.test', role: 'administrator', availability_status: 'offline', thumbnail: '' },
        },
      );
      expect(await listed(created.id, TOKENS.umbrellaAdmin, { assignee_type: 'me' })).toEqual(created);
      expect((await counts()).mine_count).toBe(before.mine_count + 1);
    });
  });

  describe('lookup by source_id', () => {
    it('finds the contact and inbox of a source_id given alone, and reuses its contact_inbox', async () => {
      const [seeded] = await queryRows("select id from contact_inboxes where source_id = 'u25-api'");
      const contactInboxesBefore = await contactInboxCount(25, API_INBOX);
      const created = await createOk({ source_id: 'u25-api' }, { contactId: 25 });
      expect((await storedConversation(created.id)).contact_inbox_id).toBe(seeded.id);
      expect(await contactInboxCount(25, API_INBOX)).toBe(contactInboxesBefore);
    });

    it('finds a source_id within the inbox_id given with it', async () => {
      const created = await createOk({ source_id: 'u17-web', inbox_id: WEB_INBOX }, { contactId: 17, inboxId: WEB_INBOX });
      expect((await storedConversation(created.id)).source_id).toBe('u17-web');
    });

    it('finds the contact_inbox of a source_id given with its own inbox and contact', async () => {
      const [seeded] = await queryRows("select id from contact_inboxes where source_id = 'u27-api'");
      const created = await createOk({ source_id: 'u27-api', inbox_id: API_INBOX, contact_id: 27 }, { contactId: 27 });
      expect((await storedConversation(created.id)).contact_inbox_id).toBe(seeded.id);
    });

    it.each([
      ['a source_id of the account looked up in another of its inboxes', { source_id: 'u26-api', inbox_id: WEB_INBOX }],
      ['an unknown source_id', { source_id: `nobody-${randomUUID()}` }],
      ['an unknown source_id within an inbox', { source_id: `nobody-${randomUUID()}`, inbox_id: API_INBOX }],
      ['a source_id of account 1', { source_id: 'c1-api' }],
      ['a source_id of account 2', { source_id: 'g13-api' }],
      ['a source_id of account 1 with its own inbox', { source_id: 'c1-api', inbox_id: 1 }],
    ])('answers 404 for %s, and creates nothing', async (_name, body) => {
      const res = await withoutWrites(() => create(body));
      expect(res.status).toBe(404);
      expect(res.json).toEqual(NOT_FOUND);
    });

    it('creates a contact_inbox for a new source_id with inbox and contact; that source_id alone then finds the same contact', async () => {
      const sourceId = `e2e-${randomUUID()}`;
      const first = await createOk({ source_id: sourceId, inbox_id: API_INBOX, contact_id: 26 }, { contactId: 26 });
      const second = await createOk({ source_id: sourceId }, { contactId: 26 });
      expect(second.id).not.toBe(first.id);
      const [a, b] = [await storedConversation(first.id), await storedConversation(second.id)];
      expect(a.source_id).toBe(sourceId);
      expect(b.contact_inbox_id).toBe(a.contact_inbox_id);
      // the pair's contact_inbox is found, not created again
      const third = await createOk({ source_id: sourceId, inbox_id: API_INBOX, contact_id: 26 }, { contactId: 26 });
      expect((await storedConversation(third.id)).contact_inbox_id).toBe(a.contact_inbox_id);
    });

    it('answers 422 for a source_id held by another contact in that inbox, and creates nothing', async () => {
      const res = await withoutWrites(() => create({ source_id: 'u16-api', inbox_id: API_INBOX, contact_id: 27 }));
      expectUnprocessable(res, 'source_id');
    });
  });

  describe('malformed bodies', () => {
    it.each([
      ['inbox_id without contact_id', { inbox_id: API_INBOX }, ['contact_id']],
      ['contact_id without inbox_id', { contact_id: 16 }, ['inbox_id']],
      ['neither', {}, ['inbox_id', 'contact_id']],
      ['neither, with other fields', { status: 'open', message: { content: 'hi' } }, ['inbox_id', 'contact_id']],
      ['a non-numeric inbox_id', { inbox_id: 'five', contact_id: 16 }, ['inbox_id']],
      ['an unknown status', { inbox_id: API_INBOX, contact_id: 16, status: 'closed' }, ['status']],
      ['a status in upper case', { inbox_id: API_INBOX, contact_id: 16, status: 'OPEN' }, ['status']],
      ['a snoozed_until that is not a date', { inbox_id: API_INBOX, contact_id: 16, status: 'snoozed', snoozed_until: 'tomorrow' }, ['snoozed_until']],
      ['custom_attributes that are not an object', { inbox_id: API_INBOX, contact_id: 16, custom_attributes: 'x' }, ['custom_attributes']],
    ])('answers 400 bad_request_error for %s', async (_name, body, fields) => {
      const res = await withoutWrites(() => create(body));
      expect(res.status).toBe(400);
      expect(res.json).toEqual(badRequest(...fields));
    });

    it('answers 400 naming "body" for a body that is not JSON', async () => {
      const res = await withoutWrites(() => createConversation(TOKENS.umbrellaAdmin, ACCOUNT, undefined, { rawBody: '{"inbox_id": 5,' }));
      expect(res.status).toBe(400);
      expect(res.json).toEqual(badRequest('body'));
    });

    it('validates the body before the token (400 even with an unknown token)', async () => {
      const res = await withoutWrites(() => create({ inbox_id: API_INBOX }, 'no-such-token'));
      expect(res.status).toBe(400);
      expect(res.json).toEqual(badRequest('contact_id'));
    });
  });

  describe('null for an optional field', () => {
    // SPEC is silent on null; assumed: it means "not given" (the default), or it is refused with a
    // 400 naming the field. Never a 500 (SPEC 4.4).
    it.each(['message', 'status', 'assignee_id', 'team_id', 'snoozed_until', 'custom_attributes', 'additional_attributes', 'source_id'])(
      '%s: null means "not given" or is a 400 naming it',
      async (field) => {
        const before = await rowCounts();
        const from = nowSeconds() - 2;
        const res = await create({ inbox_id: API_INBOX, contact_id: 16, [field]: null });
        const to = nowSeconds() + 2;
        if (res.status === 400) {
          expect(res.json).toEqual(badRequest(field));
          expect(await rowCounts()).toEqual(before);
        } else {
          expect({ status: res.status, body: res.json }).toEqual({ status: 200, body: expect.anything() });
          await expectCreatedConversation(res.json, { contactId: 16 }, from, to);
        }
      },
    );
  });

  describe('references outside the account', () => {
    it.each([
      ['an assignee who is a user of another account', { inbox_id: API_INBOX, contact_id: 16, assignee_id: ADA }, 'assignee_id'],
      ['an assignee who is no user at all', { inbox_id: API_INBOX, contact_id: 16, assignee_id: 987654 }, 'assignee_id'],
      ['an assignee id beyond the database integer range', { inbox_id: API_INBOX, contact_id: 16, assignee_id: 2_147_483_648 }, 'assignee_id'],
    ])('answers 422 for %s', async (_name, body, attribute) => {
      expectUnprocessable(await withoutWrites(() => create(body)), attribute);
    });

    it.each([
      ['a team of another account', { inbox_id: API_INBOX, contact_id: 16, team_id: 1 }],
      ['an unknown team', { inbox_id: API_INBOX, contact_id: 16, team_id: 987654 }],
      ['an inbox of another account', { inbox_id: 1, contact_id: 16 }],
      ['an unknown inbox', { inbox_id: 987654, contact_id: 16 }],
      ['a contact of another account', { inbox_id: API_INBOX, contact_id: 1 }],
      ['an unknown contact', { inbox_id: API_INBOX, contact_id: 987654 }],
      ['an inbox id beyond the database integer range', { inbox_id: 2_147_483_648, contact_id: 16 }],
      ['a contact id beyond the database integer range', { inbox_id: API_INBOX, contact_id: '99999999999' }],
      ['both inbox and contact of another account', { inbox_id: 4, contact_id: 13 }],
      ['an unknown team with an assignee of another account (404 before 422)', { inbox_id: API_INBOX, contact_id: 16, team_id: 987654, assignee_id: ADA }],
    ])('answers 404 for %s', async (_name, body) => {
      const res = await withoutWrites(() => create(body));
      expect(res.status).toBe(404);
      expect(res.json).toEqual(NOT_FOUND);
    });

    it.each([987654, 99_999_999_999])('answers 404 for an account that does not exist (%i)', async (accountId) => {
      const res = await withoutWrites(() => create({ inbox_id: API_INBOX, contact_id: 16 }, TOKENS.umbrellaAdmin, {}, accountId));
      expect(res.status).toBe(404);
      expect(res.json).toEqual(NOT_FOUND);
    });
  });

  describe('status and snoozed_until', () => {
    it.each([
      ['keeps snoozed_until (Z) for a snoozed conversation', 'snoozed', '2027-03-04T05:06:07.890Z', '2027-03-04T05:06:07.890Z'],
      ['keeps snoozed_until (with an offset) as the same instant', 'snoozed', '2027-03-04T07:06:07+02:00', '2027-03-04T05:06:07Z'],
      ['drops snoozed_until for a resolved conversation', 'resolved', '2027-03-04T05:06:07Z', undefined],
      ['drops snoozed_until for an open conversation', 'open', '2027-03-04T05:06:07Z', undefined],
      ['drops snoozed_until without a status (open by default)', undefined, '2027-03-04T05:06:07Z', undefined],
      ['drops snoozed_until for a pending conversation', 'pending', '2027-03-04T05:06:07Z', undefined],
      ['creates a pending conversation', 'pending', undefined, undefined],
      ['creates a snoozed conversation without snoozed_until', 'snoozed', undefined, undefined],
      ['creates a resolved conversation', 'resolved', undefined, undefined],
    ])('%s', async (_name, sentStatus, sentSnoozedUntil, keptInstant) => {
      const status = sentStatus ?? 'open';
      const before = await counts(TOKENS.umbrellaAdmin, { status });
      const created = await createOk(
        { inbox_id: API_INBOX, contact_id: 28, ...(sentStatus ? { status: sentStatus } : {}), ...(sentSnoozedUntil ? { snoozed_until: sentSnoozedUntil } : {}) },
        { contactId: 28, status, snoozedUntil: keptInstant },
      );
      expect(await listed(created.id, TOKENS.umbrellaAdmin, { status })).toEqual(created);
      expect((await counts(TOKENS.umbrellaAdmin, { status })).all_count).toBe(before.all_count + 1);
    });
  });

  describe('first message', () => {
    it('creates the message outgoing, in the new conversation, sent by the administrator', async () => {
      const content = `Hello from the e2e test ${randomUUID()}`;
      const created = await createOk(
        { inbox_id: API_INBOX, contact_id: 29, message: { content } },
        { contactId: 29, message: { content, sender: { id: FAY, type: 'user', name: 'Fay Umbrella' } } },
      );
      const [stored] = await queryRows('select m.content, m.message_type, m.sender_type, m.sender_id from messages m join conversations c on c.id = m.conversation_id where c.account_id = $1 and c.display_id = $2', [
        ACCOUNT,
        created.id,
      ]);
      expect(stored).toEqual({ content, message_type: 1, sender_type: 'User', sender_id: FAY });
      expect(await listed(created.id)).toEqual(created);
    });

    it('creates the message sent by the agent bot when the bot creates', async () => {
      const content = 'Imported by the bot';
      await createOk(
        { inbox_id: API_INBOX, contact_id: 30, message: { content } },
        { contactId: 30, message: { content, sender: { id: UMBRELLA_BOT, type: 'agent_bot', name: 'Umbrella Importer' } } },
        TOKENS.umbrellaBot,
      );
    });
  });

  describe('additional_attributes and custom_attributes', () => {
    it('stores nested objects, arrays, booleans, null and numbers exactly as given', async () => {
      const additional = {
        browser: { name: 'Firefox', version: '128.0', platform: { os: 'Linux', mobile: false } },
        referer: 'https://shop.example/cart?x=1&y=ü',
        languages: ['en', 'pt-PT'],
        nothing: null,
        empty: {},
        list_of_objects: [{ a: 1 }, { b: [true, null, 'x'] }],
      };
      const custom = { plan: 'pro', seats: 3, ratio: 0.25, vip: true, churned: false, tags: [], limit: 9_999_999_999, text: 'x'.repeat(1500) };
      const created = await createOk(
        { inbox_id: API_INBOX, contact_id: 31, additional_attributes: additional, custom_attributes: custom },
        { contactId: 31, additional, custom },
      );
      const stored = await storedConversation(created.id);
      expect(stored.additional_attributes).toEqual(additional);
      expect(stored.custom_attributes).toEqual(custom);
      expect(await listed(created.id)).toEqual(created);
    });

    it.each([
      ['additional_attributes', 'a string of 1,501 characters', 'x'.repeat(1501)],
      ['custom_attributes', 'a string of 1,501 characters', 'x'.repeat(1501)],
      ['additional_attributes', 'an integer over 9,999,999,999', 10_000_000_000],
      ['custom_attributes', 'an integer over 9,999,999,999', 10_000_000_000],
    ])('answers 422 for %s holding %s', async (field, _what, value) => {
      const res = await withoutWrites(() => create({ inbox_id: API_INBOX, contact_id: 31, [field]: { fine: 'ok', too_big: value } }));
      expectUnprocessable(res, field);
    });
  });

  describe('who may create', () => {
    it('an agent in an inbox it is a member of', async () => {
      await createOk({ inbox_id: API_INBOX, contact_id: 32 }, { contactId: 32 }, TOKENS.umbrellaAgent);
    });

    it('an agent via a source_id of an inbox it is a member of', async () => {
      await createOk({ source_id: 'u32-api' }, { contactId: 32 }, TOKENS.umbrellaAgent);
    });

    it('the agent bot of the account', async () => {
      await createOk({ inbox_id: WEB_INBOX, contact_id: 18 }, { contactId: 18, inboxId: WEB_INBOX }, TOKENS.umbrellaBot);
    });

    it.each([
      ['an agent in an inbox it is not a member of', TOKENS.umbrellaAgent, { inbox_id: WEB_INBOX, contact_id: 16 }],
      ['an agent via a source_id of an inbox it is not a member of', TOKENS.umbrellaAgent, { source_id: 'u16-web' }],
      ['an agent via a source_id and inbox_id of an inbox it is not a member of', TOKENS.umbrellaAgent, { source_id: 'u16-web', inbox_id: WEB_INBOX }],
      ['the agent bot of another account', TOKENS.globexBot, { inbox_id: API_INBOX, contact_id: 16 }],
      ['an administrator of other accounts', TOKENS.admin, { inbox_id: API_INBOX, contact_id: 16 }],
      ['an administrator of another account', TOKENS.globexAdmin, { inbox_id: API_INBOX, contact_id: 16 }],
      ['an agent of another account', TOKENS.agentBen, { inbox_id: API_INBOX, contact_id: 16 }],
    ])('refuses %s with 403, creating nothing', async (_name, token, body) => {
      expectForbidden(await withoutWrites(() => create(body, token)));
    });

    it('refuses an unknown token with 401 Invalid Access Token', async () => {
      const res = await withoutWrites(() => create({ inbox_id: API_INBOX, contact_id: 16 }, 'no-such-token'));
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: 'Invalid Access Token' });
    });

    it('refuses a request without a token with 401', async () => {
      const res = await withoutWrites(() => createConversation(undefined, ACCOUNT, { inbox_id: API_INBOX, contact_id: 16 }));
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: 'You need to sign in or sign up before continuing.' });
    });

    it.each([
      ['account 1 by the administrator of account 4', 1, TOKENS.umbrellaAdmin],
      ['account 2 by the administrator of account 4', 2, TOKENS.umbrellaAdmin],
      ['account 2 by the agent bot of account 4', 2, TOKENS.umbrellaBot],
    ])('refuses a create in %s with 403', async (_name, accountId, token) => {
      expectForbidden(await withoutWrites(() => create({ inbox_id: API_INBOX, contact_id: 16 }, token, {}, accountId)));
    });
  });

  describe('display ids', () => {
    it('gives each new conversation an id above every id the account had', async () => {
      const ids: number[] = [];
      for (const contactId of [33, 34, 35]) {
        const previousMax = await maxDisplayId();
        const created = await createOk({ inbox_id: API_INBOX, contact_id: contactId }, { contactId });
        expect(created.id).toBeGreaterThan(previousMax);
        ids.push(created.id);
      }
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });

    it('never gives again the id of a conversation that no longer exists', async () => {
      const latest = await createOk({ inbox_id: API_INBOX, contact_id: 33 }, { contactId: 33 });
      expect(latest.id).toBe(await maxDisplayId());
      // account 4's own conversation, removed behind the service's back
      await db.query('delete from conversations where account_id = $1 and display_id = $2', [ACCOUNT, latest.id]);
      const next = await createOk({ inbox_id: API_INBOX, contact_id: 33 }, { contactId: 33 });
      expect(next.id).toBeGreaterThan(latest.id);
    });

    it('gives 50 concurrent creates 50 distinct new ids, all listed, with all_count matching', async () => {
      const previousMax = await maxDisplayId();
      const before = await counts();
      const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => create({ inbox_id: API_INBOX, contact_id: 16 + (i % 20), custom_attributes: { n: i } })));

      expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
      const ids = responses.map((r) => r.json.id as number);
      expect(new Set(ids).size).toBe(50);
      for (const id of ids) expect(id).toBeGreaterThan(previousMax);
      responses.forEach((r, i) => expect(r.json).toMatchObject({ account_id: ACCOUNT, inbox_id: API_INBOX, custom_attributes: { n: i }, meta: { sender: { id: 16 + (i % 20) } } }));

      const after = await counts();
      expect(after.all_count).toBe(before.all_count + 50);
      const listedIds = await listAllIds(TOKENS.umbrellaAdmin, ACCOUNT, { status: 'all' });
      expect(listedIds).toHaveLength(after.all_count);
      expect(new Set(listedIds).size).toBe(listedIds.length);
      expect(listedIds).toEqual(expect.arrayContaining(ids));
    });
  });

  describe('Idempotency-Key', () => {
    const key = () => `e2e-${randomUUID()}`;

    it('returns the first conversation for a repeated key, and creates exactly one', async () => {
      const idempotencyKey = key();
      const body = { inbox_id: API_INBOX, contact_id: 19, message: { content: 'only once' } };
      const before = await counts();
      const first = await create(body, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey });
      const again = await create(body, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey });

      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.json).toEqual(first.json);
      expect((await counts()).all_count).toBe(before.all_count + 1);
      const [row] = await queryRows<{ n: number }>(
        'select count(*)::int as n from messages m join conversations c on c.id = m.conversation_id where c.account_id = $1 and m.content = $2',
        [ACCOUNT, 'only once'],
      );
      expect(row.n).toBe(1);
      expect(await queryRows('select account_id from idempotency_keys where key = $1', [idempotencyKey])).toEqual([{ account_id: ACCOUNT }]);
    });

    it('creates one conversation for 5 concurrent requests with one key, and gives it to all', async () => {
      const idempotencyKey = key();
      const before = await counts();
      const responses = await Promise.all(
        Array.from({ length: 5 }, () => create({ inbox_id: API_INBOX, contact_id: 20 }, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey })),
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      for (const r of responses) expect(r.json).toEqual(responses[0].json);
      expect((await counts()).all_count).toBe(before.all_count + 1);
    });

    it('answers 422 for the same key with a different body, and creates nothing', async () => {
      const idempotencyKey = key();
      const first = await create({ inbox_id: API_INBOX, contact_id: 20 }, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey });
      expect(first.status).toBe(200);
      const res = await withoutWrites(() => create({ inbox_id: API_INBOX, contact_id: 21 }, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey }));
      expect(res.status).toBe(422);
      expect(res.json).toEqual({ message: expect.any(String), attributes: expect.any(Array) });
    });

    it('treats a body with its keys in another order as the same body', async () => {
      const idempotencyKey = key();
      const first = await create(
        { inbox_id: API_INBOX, contact_id: 21, custom_attributes: { a: 1, b: { c: 2, d: 3 } } },
        TOKENS.umbrellaAdmin,
        { 'Idempotency-Key': idempotencyKey },
      );
      const before = await counts();
      const again = await create(
        { custom_attributes: { b: { d: 3, c: 2 }, a: 1 }, contact_id: 21, inbox_id: API_INBOX },
        TOKENS.umbrellaAdmin,
        { 'Idempotency-Key': idempotencyKey },
      );
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.json).toEqual(first.json);
      expect(await counts()).toEqual(before);
    });

    it('forgets a key after 24 hours: the same key then creates anew', async () => {
      const idempotencyKey = key();
      const body = { inbox_id: API_INBOX, contact_id: 21 };
      const first = await create(body, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey });
      expect(first.status).toBe(200);
      // age the key (account 4's own row) past its lifetime
      const aged = await db.query("update idempotency_keys set created_at = now() - interval '25 hours' where account_id = $1 and key = $2", [ACCOUNT, idempotencyKey]);
      expect(aged.rowCount).toBe(1);
      const before = await counts();
      const again = await create(body, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey });
      expect(again.status).toBe(200);
      expect(again.json.id).toBeGreaterThan(first.json.id);
      expect((await counts()).all_count).toBe(before.all_count + 1);
      // and the renewed key holds again
      const third = await create(body, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey });
      expect(third.json).toEqual(again.json);
    });

    it('creates anew for different keys with the same body', async () => {
      const body = { inbox_id: API_INBOX, contact_id: 20 };
      const a = await create(body, TOKENS.umbrellaAdmin, { 'Idempotency-Key': key() });
      const b = await create(body, TOKENS.umbrellaAdmin, { 'Idempotency-Key': key() });
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(b.json.id).not.toBe(a.json.id);
    });

    it('scopes keys by account: a key already used in another account creates anew', async () => {
      // Verified without creating anything in accounts 1-3: the key is planted for account 3 in the
      // database, pointing at an account-4 conversation, and removed again. A lookup that ignored
      // the account would answer that conversation (or 422 for the different request).
      const idempotencyKey = key();
      const existing = await createOk({ inbox_id: API_INBOX, contact_id: 22 }, { contactId: 22 });
      const { id: existingDbId } = await storedConversation(existing.id);
      await db.query("insert into idempotency_keys (account_id, key, request_digest, conversation_id) values (3, $1, repeat('0', 64), $2)", [idempotencyKey, existingDbId]);
      try {
        const before = await counts();
        const res = await create({ inbox_id: API_INBOX, contact_id: 22 }, TOKENS.umbrellaAdmin, { 'Idempotency-Key': idempotencyKey });
        expect(res.status).toBe(200);
        expect(res.json.id).not.toBe(existing.id);
        expect(res.json.id).toBeGreaterThan(existing.id);
        expect((await counts()).all_count).toBe(before.all_count + 1);
        expect(await queryRows('select account_id from idempotency_keys where key = $1 order by account_id', [idempotencyKey])).toEqual([{ account_id: 3 }, { account_id: ACCOUNT }]);
      } finally {
        await db.query('delete from idempotency_keys where account_id = 3 and key = $1', [idempotencyKey]);
      }
    });
  });

  describe('other accounts', () => {
    it.each([
      [1, TOKENS.admin, 40],
      [2, TOKENS.globexAdmin, 5],
      [3, TOKENS.admin, 0],
    ])('account %i still has exactly its fixture conversations', async (accountId, token, allCount) => {
      const res = await conversationsMeta(token, accountId, { status: 'all' });
      expect(res.status).toBe(200);
      expect(res.json.meta.all_count).toBe(allCount);
      expect(await maxDisplayId(accountId)).toBe({ 1: 40, 2: 12, 3: 0 }[accountId]);
    });
  });
});
