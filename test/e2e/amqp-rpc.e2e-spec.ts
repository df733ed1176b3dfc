/**
 * The RPC side of the message contract (SPEC 5) through plain amqplib, as another service would use
 * it: conversations.list, conversations.meta and conversations.create, their replies and error
 * replies. Reads compare with the HTTP API on account 1 (read-only); creates go to account 4 only.
 */
import { randomUUID } from 'node:crypto';
import type { Channel, GetMessage } from 'amqplib';
import pg from 'pg';
import { RawAmqpClient } from '../support/amqp-client.js';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { conversationsMeta, createConversation, listConversations } from '../support/http-client.js';

const LIST = 'conversations.list';
const META = 'conversations.meta';
const CREATE = 'conversations.create';

const ACCOUNT = 4; // the only account written to
const API_INBOX = 5;
const WEB_INBOX = 6;
const FAY = 6;
const UMBRELLA_BOT = 3;
const ADA = 1;
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'Resource could not be found';

const CONVERSATION_KEYS = [
  'meta', 'id', 'messages', 'account_id', 'uuid', 'additional_attributes', 'custom_attributes', 'inbox_id', 'labels', 'status', 'priority',
  'muted', 'can_reply', 'snoozed_until', 'created_at', 'updated_at', 'timestamp', 'last_activity_at', 'agent_last_seen_at',
  'assignee_last_seen_at', 'contact_last_seen_at', 'first_reply_created_at', 'waiting_since', 'unread_count', 'last_non_activity_message',
].sort();

let amqp: RawAmqpClient;
let db: pg.Client;

beforeAll(async () => {
  amqp = await RawAmqpClient.connect();
  db = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await amqp?.close();
  await db?.end();
});

// ---------------------------------------------------------------------------------------------
// helpers

type Query = Record<string, string | number | string[]>;

/** An RPC that must succeed: the reply is exactly `{response, isDisposed: true}`; returns the response. */
async function rpcResponse(pattern: string, data: unknown): Promise<any> {
  const { body } = await amqp.rpc(pattern, data);
  expect(body).toEqual({ response: expect.anything(), isDisposed: true });
  return body.response;
}

/** An RPC that must fail: the reply is exactly `{err: {status, error, errors?}, isDisposed: true}`; returns err. */
async function rpcError(pattern: string, data: unknown): Promise<any> {
  const { body } = await amqp.rpc(pattern, data);
  expect(body).toEqual({ err: expect.objectContaining({ status: expect.any(Number), error: expect.any(String) }), isDisposed: true });
  expect(body).not.toHaveProperty('response');
  if (body.err.errors !== undefined) {
    expect(Array.isArray(body.err.errors)).toBe(true);
    for (const error of body.err.errors) expect(error).toEqual(expect.objectContaining({ field: expect.any(String), message: expect.any(String) }));
  }
  return body.err;
}

/** The same query as HTTP sends it (strings, labels[]=...). */
function httpParams(query: Query): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Array.isArray(v) ? v : String(v)]));
}

/** Rows per table for accounts 1-4 (5 belongs to the event tests): what any write of ours would change. */
async function rowCounts(): Promise<Record<string, number>> {
  const { rows } = await db.query(`
    select 'conversations:' || account_id as k, count(*)::int as n from conversations where account_id <= 4 group by account_id
    union all select 'messages:' || account_id, count(*)::int from messages where account_id <= 4 group by account_id
    union all select 'contact_inboxes:' || i.account_id, count(*)::int from contact_inboxes ci join inboxes i on i.id = ci.inbox_id where i.account_id <= 4 group by i.account_id
    union all select 'idempotency_keys:' || account_id, count(*)::int from idempotency_keys where account_id <= 4 group by account_id`);
  return Object.fromEntries(rows.map((r: { k: string; n: number }) => [r.k, r.n]));
}

async function conversationCount(accountId = ACCOUNT): Promise<number> {
  const { rows } = await db.query('select count(*)::int as n from conversations where account_id = $1', [accountId]);
  return rows[0].n;
}

async function maxDisplayId(accountId = ACCOUNT): Promise<number> {
  const { rows } = await db.query('select coalesce(max(display_id), 0)::int as max from conversations where account_id = $1', [accountId]);
  return rows[0].max;
}

/** The conversation as the HTTP list of account 4 renders it. */
async function listedOverHttp(displayId: number): Promise<any> {
  for (let page = 1; page < 100; page++) {
    const res = await listConversations(TOKENS.umbrellaAdmin, ACCOUNT, { status: 'all', sort_by: 'created_at_desc', page });
    expect(res.status).toBe(200);
    const payload = res.json.data.payload as any[];
    if (payload.length === 0) return undefined;
    const found = payload.find((c) => c.id === displayId);
    if (found) return found;
  }
  return undefined;
}

const asAdmin4 = (body: unknown, extra: Record<string, unknown> = {}) => ({ api_access_token: TOKENS.umbrellaAdmin, account_id: ACCOUNT, body, ...extra });
const asAda1 = (query: Query = {}) => ({ api_access_token: TOKENS.admin, account_id: 1, query });

/**
 * Replies counted per correlation id, on a channel of its own (its own direct reply-to), for
 * requests written entirely by hand.
 */
class ReplyRecorder {
  readonly replies = new Map<string, any[]>();

  private constructor(readonly channel: Channel) {}

  static async open(): Promise<ReplyRecorder> {
    const channel = await amqp.connection.createChannel();
    const recorder = new ReplyRecorder(channel);
    await channel.consume(
      DIRECT_REPLY_TO,
      (message) => {
        if (!message) return;
        const id = String(message.properties.correlationId);
        recorder.replies.set(id, [...(recorder.replies.get(id) ?? []), JSON.parse(message.content.toString())]);
      },
      { noAck: true },
    );
    return recorder;
  }

  /** Publishes `{...envelope, id}` as an RPC request; returns its correlation id (= the envelope id). */
  send(envelope: Record<string, unknown>): string {
    const id = randomUUID();
    this.channel.sendToQueue(amqp.queue, Buffer.from(JSON.stringify({ ...envelope, id })), {
      replyTo: DIRECT_REPLY_TO,
      correlationId: id,
      contentType: 'application/json',
    });
    return id;
  }

  async waitForReplies(ids: string[], timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (ids.some((id) => !this.replies.has(id)) && Date.now() < deadline) await sleep(50);
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every message now in `queue`, left in it (taken unacknowledged, then requeued). */
async function peekQueue(queue: string): Promise<GetMessage[]> {
  const channel = await amqp.connection.createChannel();
  try {
    const messages: GetMessage[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: false });
      if (!message) break;
      messages.push(message);
    }
    for (const message of messages) channel.nack(message, false, true);
    return messages;
  } finally {
    await channel.close();
  }
}

/** Takes the messages of `queue` whose message_id is one of `messageIds` (waiting for all of them); puts the others back. */
async function takeFromQueue(queue: string, messageIds: Set<string>, timeoutMs: number): Promise<GetMessage[]> {
  const taken: GetMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (taken.length < messageIds.size && Date.now() < deadline) {
    const channel = await amqp.connection.createChannel();
    try {
      const others: GetMessage[] = [];
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (!message) break;
        if (messageIds.has(String(message.properties.messageId))) {
          channel.ack(message);
          taken.push(message);
        } else {
          others.push(message);
        }
      }
      for (const message of others) channel.nack(message, false, true);
    } finally {
      await channel.close();
    }
    if (taken.length < messageIds.size) await sleep(100);
  }
  return taken;
}

// ---------------------------------------------------------------------------------------------

describe('RPC over RabbitMQ (plain amqplib)', () => {
  describe('conversations.list and conversations.meta answer exactly what HTTP answers', () => {
    const QUERIES: [string, string, Query][] = [
      ['the administrator, defaults', TOKENS.admin, {}],
      ['the administrator, every status', TOKENS.admin, { status: 'all' }],
      ['the administrator, page 2 of every status', TOKENS.admin, { status: 'all', page: 2 }],
      ['the administrator, a page past the end', TOKENS.admin, { status: 'all', page: 3 }],
      ['the administrator, labels and priority order', TOKENS.admin, { status: 'all', labels: ['vip', 'bug'], sort_by: 'priority_asc' }],
      ['the administrator, mine and resolved', TOKENS.admin, { assignee_type: 'me', status: 'resolved' }],
      ['the administrator, one inbox and one team, oldest first', TOKENS.admin, { status: 'all', inbox_id: 2, team_id: 1, sort_by: 'created_at_asc' }],
      ['an agent, every status', TOKENS.agentBen, { status: 'all' }],
      ['an agent, unassigned and pending', TOKENS.agentBen, { assignee_type: 'unassigned', status: 'pending' }],
      ['an agent, an inbox it does not see', TOKENS.agentBen, { status: 'all', inbox_id: 3 }],
    ];

    it.each(QUERIES)('list: %s', async (_name, token, query) => {
      const response = await rpcResponse(LIST, { api_access_token: token, account_id: 1, query });
      const http = await listConversations(token, 1, httpParams(query));
      expect(http.status).toBe(200);
      expect(response).toEqual(http.json);
    });

    it.each(QUERIES)('meta: %s', async (_name, token, query) => {
      const response = await rpcResponse(META, { api_access_token: token, account_id: 1, query });
      const http = await conversationsMeta(token, 1, httpParams(query));
      expect(http.status).toBe(200);
      expect(response).toEqual(http.json);
    });

    it('answers the fixture of account 1: 40 conversations on two pages', async () => {
      const response = await rpcResponse(LIST, asAda1({ status: 'all' }));
      expect(response.data.meta).toEqual({ mine_count: 10, assigned_count: 30, unassigned_count: 10, all_count: 40, current_page: 1, per_page: 25, total_pages: 2 });
      expect(response.data.payload).toHaveLength(25);
      expect(Object.keys(response.data.payload[0]).sort()).toEqual(CONVERSATION_KEYS);
      expect(await rpcResponse(META, asAda1({ status: 'all' }))).toEqual({ meta: { mine_count: 10, assigned_count: 30, unassigned_count: 10, all_count: 40 } });
    });

    it.each([LIST, META])('%s treats a missing query as the defaults', async (pattern) => {
      const { query: _query, ...withoutQuery } = asAda1();
      expect(await rpcResponse(pattern, withoutQuery)).toEqual(await rpcResponse(pattern, asAda1({})));
    });
  });

  describe('null in the query of conversations.list and conversations.meta', () => {
    // SPEC is silent on null in a message; assumed: a null parameter means "not given" (the default),
    // or is refused with a 400 naming it. Never a 500, never a silently different filter.
    const PARAMETERS = ['assignee_type', 'status', 'page', 'inbox_id', 'team_id', 'labels', 'sort_by'];
    it.each(PARAMETERS.flatMap((parameter) => [LIST, META].map((pattern) => [pattern, parameter] as const)))(
      '%s with %s: null answers the default, or 400 naming it',
      async (pattern, parameter) => {
        const defaults = await rpcResponse(pattern, asAda1({}));
        const { body } = await amqp.rpc(pattern, { ...asAda1(), query: { [parameter]: null } });
        if (body.err?.status === 400) {
          expect(body.err.errors.map((e: { field: string }) => e.field)).toContainEqual(expect.stringMatching(new RegExp(`(^|\\.)${parameter}$`)));
        } else {
          expect(body).toEqual({ response: defaults, isDisposed: true });
        }
      },
    );

    it.each([LIST, META])('%s with query null: the defaults, or 400 naming query', async (pattern) => {
      const defaults = await rpcResponse(pattern, asAda1({}));
      const { body } = await amqp.rpc(pattern, { ...asAda1(), query: null });
      if (body.err?.status === 400) {
        expect(body.err.errors.map((e: { field: string }) => e.field)).toContainEqual(expect.stringMatching(/^query/));
      } else {
        expect(body).toEqual({ response: defaults, isDisposed: true });
      }
    });
  });

  describe('conversations.create', () => {
    it('replies with the <conversation>, the same the HTTP list then shows', async () => {
      const previousMax = await maxDisplayId();
      const before = await conversationCount();
      const from = Math.floor(Date.now() / 1000) - 2;
      const conversation = await rpcResponse(CREATE, asAdmin4({ inbox_id: API_INBOX, contact_id: 33, message: { content: 'sent over AMQP' }, custom_attributes: { via: 'amqp' } }));
      const to = Math.floor(Date.now() / 1000) + 2;

      expect(Object.keys(conversation).sort()).toEqual(CONVERSATION_KEYS);
      expect(conversation).toMatchObject({
        account_id: ACCOUNT,
        inbox_id: API_INBOX,
        status: 'open',
        labels: [],
        priority: null,
        snoozed_until: null,
        custom_attributes: { via: 'amqp' },
        additional_attributes: {},
        meta: { sender: { id: 33, name: 'Umbrella Contact 33', email: 'u33@umbrella.test' }, channel: 'Channel::Api', hmac_verified: false },
        messages: [{ content: 'sent over AMQP', message_type: 1, account_id: ACCOUNT, inbox_id: API_INBOX, conversation_id: conversation.id, sender: { id: FAY, type: 'user' } }],
      });
      expect(conversation.uuid).toMatch(UUID);
      expect(conversation.id).toBeGreaterThan(previousMax);
      expect(conversation.created_at).toBeGreaterThanOrEqual(from);
      expect(conversation.created_at).toBeLessThanOrEqual(to);
      expect(conversation.meta).not.toHaveProperty('assignee');
      expect(conversation.meta).not.toHaveProperty('team');
      expect(await conversationCount()).toBe(before + 1);
      expect(await listedOverHttp(conversation.id)).toEqual(conversation);
    });

    it('accepts the agent bot of the account, as the message sender', async () => {
      const conversation = await rpcResponse(CREATE, {
        api_access_token: TOKENS.umbrellaBot,
        account_id: ACCOUNT,
        body: { source_id: 'u34-api', message: { content: 'from the bot' } },
      });
      expect(conversation).toMatchObject({ account_id: ACCOUNT, inbox_id: API_INBOX, meta: { sender: { id: 34 } }, messages: [{ content: 'from the bot', sender: { id: UMBRELLA_BOT, type: 'agent_bot' } }] });
      expect(await listedOverHttp(conversation.id)).toEqual(conversation);
    });

    it('accepts ids as numeric strings in the body, like HTTP', async () => {
      const conversation = await rpcResponse(CREATE, asAdmin4({ inbox_id: String(WEB_INBOX), contact_id: '19', assignee_id: String(FAY) }));
      expect(conversation).toMatchObject({ inbox_id: WEB_INBOX, meta: { sender: { id: 19 }, channel: 'Channel::WebWidget', assignee: { id: FAY }, assignee_type: 'User' } });
    });
  });

  describe('error replies', () => {
    const valid = { inbox_id: API_INBOX, contact_id: 16 };
    interface Case { name: string; pattern: string; data: unknown; status: number; error?: string; field?: RegExp }
    const CASES: Case[] = [
      { name: 'list with an unknown token', pattern: LIST, data: { api_access_token: 'no-such-token', account_id: 1, query: {} }, status: 401, error: 'Invalid Access Token' },
      { name: 'meta with an unknown token', pattern: META, data: { api_access_token: 'no-such-token', account_id: 1, query: {} }, status: 401, error: 'Invalid Access Token' },
      { name: 'create with an unknown token', pattern: CREATE, data: { api_access_token: 'no-such-token', account_id: ACCOUNT, body: valid }, status: 401, error: 'Invalid Access Token' },
      { name: 'list with status "closed"', pattern: LIST, data: asAda1({ status: 'closed' }), status: 400, field: /(^|\.)status$/ },
      { name: 'meta with status "closed"', pattern: META, data: asAda1({ status: 'closed' }), status: 400, field: /(^|\.)status$/ },
      { name: 'list with page 0', pattern: LIST, data: asAda1({ page: 0 }), status: 400, field: /(^|\.)page$/ },
      { name: 'list with an unknown sort_by', pattern: LIST, data: asAda1({ sort_by: 'name_asc' }), status: 400, field: /(^|\.)sort_by$/ },
      { name: 'list by a user who is not a member of the account', pattern: LIST, data: { api_access_token: TOKENS.agentEve, account_id: 2, query: {} }, status: 403 },
      { name: 'meta by a user who is not a member of the account', pattern: META, data: { api_access_token: TOKENS.globexAdmin, account_id: 1, query: {} }, status: 403 },
      { name: 'list on an account that does not exist', pattern: LIST, data: { api_access_token: TOKENS.admin, account_id: 987654, query: {} }, status: 404, error: NOT_FOUND },
      { name: 'meta on an account that does not exist', pattern: META, data: { api_access_token: TOKENS.admin, account_id: 987654, query: {} }, status: 404, error: NOT_FOUND },
      { name: 'create on an account that does not exist', pattern: CREATE, data: { api_access_token: TOKENS.umbrellaAdmin, account_id: 987654, body: valid }, status: 404, error: NOT_FOUND },
      { name: 'list by an agent bot', pattern: LIST, data: { api_access_token: TOKENS.bot, account_id: 1, query: {} }, status: 403 },
      { name: 'meta by an agent bot', pattern: META, data: { api_access_token: TOKENS.bot, account_id: 1, query: {} }, status: 403 },
      { name: 'create with a non-numeric inbox_id', pattern: CREATE, data: asAdmin4({ inbox_id: 'five', contact_id: 16 }), status: 400, field: /(^|\.)inbox_id$/ },
      { name: 'create without source_id and inbox_id', pattern: CREATE, data: asAdmin4({ contact_id: 16 }), status: 400, field: /(^|\.)inbox_id$/ },
      { name: 'create with an unknown status', pattern: CREATE, data: asAdmin4({ ...valid, status: 'closed' }), status: 400, field: /(^|\.)status$/ },
      { name: 'create without a body', pattern: CREATE, data: { api_access_token: TOKENS.umbrellaAdmin, account_id: ACCOUNT }, status: 400, field: /body/ },
      { name: 'create with a body that is not an object', pattern: CREATE, data: asAdmin4('inbox 5, contact 16'), status: 400, field: /body/ },
      { name: 'create with an unknown source_id', pattern: CREATE, data: asAdmin4({ source_id: `nobody-${randomUUID()}` }), status: 404, error: NOT_FOUND },
      { name: 'create with a source_id of another account', pattern: CREATE, data: asAdmin4({ source_id: 'c1-api' }), status: 404, error: NOT_FOUND },
      { name: 'create with a team of another account', pattern: CREATE, data: asAdmin4({ ...valid, team_id: 1 }), status: 404, error: NOT_FOUND },
      { name: 'create with an assignee of another account', pattern: CREATE, data: asAdmin4({ ...valid, assignee_id: ADA }), status: 422 },
      { name: 'create with a source_id held by another contact', pattern: CREATE, data: asAdmin4({ source_id: 'u16-api', inbox_id: API_INBOX, contact_id: 17 }), status: 422 },
      { name: 'create with an attribute string over 1,500 characters', pattern: CREATE, data: asAdmin4({ ...valid, custom_attributes: { note: 'x'.repeat(1501) } }), status: 422 },
      { name: 'create by an agent in an inbox it is not a member of', pattern: CREATE, data: { api_access_token: TOKENS.umbrellaAgent, account_id: ACCOUNT, body: { inbox_id: WEB_INBOX, contact_id: 16 } }, status: 403 },
      { name: 'create by the agent bot of another account', pattern: CREATE, data: { api_access_token: TOKENS.globexBot, account_id: ACCOUNT, body: valid }, status: 403 },
      { name: 'create in account 1 by the administrator of account 4', pattern: CREATE, data: { api_access_token: TOKENS.umbrellaAdmin, account_id: 1, body: valid }, status: 403 },
      { name: 'list without data', pattern: LIST, data: undefined, status: 400 },
      { name: 'meta without data', pattern: META, data: undefined, status: 400 },
      { name: 'create without data', pattern: CREATE, data: undefined, status: 400 },
      { name: 'list with data that is not an object', pattern: LIST, data: 'account 1 please', status: 400 },
      { name: 'list with account_id as a string of digits', pattern: LIST, data: { api_access_token: TOKENS.admin, account_id: '1', query: {} }, status: 400, field: /^account_id$/ },
      { name: 'meta with account_id as a string of digits', pattern: META, data: { api_access_token: TOKENS.admin, account_id: '1', query: {} }, status: 400, field: /^account_id$/ },
      { name: 'create with account_id as a string of digits', pattern: CREATE, data: { api_access_token: TOKENS.umbrellaAdmin, account_id: String(ACCOUNT), body: valid }, status: 400, field: /^account_id$/ },
      { name: 'list without account_id', pattern: LIST, data: { api_access_token: TOKENS.admin, query: {} }, status: 400, field: /^account_id$/ },
      { name: 'create without account_id', pattern: CREATE, data: { api_access_token: TOKENS.umbrellaAdmin, body: valid }, status: 400, field: /^account_id$/ },
      { name: 'list with a fractional account_id', pattern: LIST, data: { api_access_token: TOKENS.admin, account_id: 1.5, query: {} }, status: 400, field: /^account_id$/ },
    ];

    it.each(CASES)('$name → $status', async ({ pattern, data, status, error, field }) => {
      const before = await rowCounts();
      const err = await rpcError(pattern, data);
      expect(err.status).toBe(status);
      if (error !== undefined) expect(err.error).toBe(error);
      if (status === 400) expect(err.errors).toEqual(expect.any(Array));
      if (field !== undefined) expect(err.errors.map((e: { field: string }) => e.field)).toContainEqual(expect.stringMatching(field));
      expect(await rowCounts()).toEqual(before);
    });

    it('answers an unknown pattern sent as RPC with an error reply, not silence', async () => {
      const err = await rpcError('conversations.delete', asAdmin4(undefined));
      expect(err.status).toBeGreaterThanOrEqual(400);
      expect(err.status).toBeLessThan(500);
    });
  });

  describe('null for an optional body field of conversations.create', () => {
    // assumed as for HTTP: null means "not given", or a 400 naming the field; never a 500
    it.each(['message', 'status', 'assignee_id', 'team_id', 'custom_attributes'])('%s: null means "not given" or is a 400 naming it', async (field) => {
      const before = await rowCounts();
      const { body } = await amqp.rpc(CREATE, asAdmin4({ inbox_id: API_INBOX, contact_id: 17, [field]: null }));
      if (body.err?.status === 400) {
        expect(body.err.errors.map((e: { field: string }) => e.field)).toContainEqual(expect.stringMatching(new RegExp(`(^|\\.)${field}$`)));
        expect(await rowCounts()).toEqual(before);
      } else {
        expect(body).toEqual({ response: expect.objectContaining({ status: 'open', messages: [], custom_attributes: {}, meta: expect.objectContaining({ sender: expect.objectContaining({ id: 17 }) }) }), isDisposed: true });
        expect(body.response.meta).not.toHaveProperty('assignee');
        expect(body.response.meta).not.toHaveProperty('team');
      }
    });
  });

  describe('idempotency with data.idempotency_key', () => {
    const key = () => `e2e-amqp-${randomUUID()}`;

    it('returns the first conversation for a repeated key, and creates exactly one', async () => {
      const idempotencyKey = key();
      const before = await conversationCount();
      const first = await rpcResponse(CREATE, asAdmin4({ inbox_id: API_INBOX, contact_id: 35 }, { idempotency_key: idempotencyKey }));
      const again = await rpcResponse(CREATE, asAdmin4({ inbox_id: API_INBOX, contact_id: 35 }, { idempotency_key: idempotencyKey }));
      expect(again).toEqual(first);
      expect(await conversationCount()).toBe(before + 1);
    });

    it('creates one conversation for 5 concurrent requests with one key, and gives it to all', async () => {
      const idempotencyKey = key();
      const before = await conversationCount();
      const replies = await Promise.all(
        Array.from({ length: 5 }, () => rpcResponse(CREATE, asAdmin4({ inbox_id: API_INBOX, contact_id: 35 }, { idempotency_key: idempotencyKey }))),
      );
      for (const reply of replies) expect(reply).toEqual(replies[0]);
      expect(await conversationCount()).toBe(before + 1);
    });

    it('answers 422 for the same key with a different body, and creates nothing', async () => {
      const idempotencyKey = key();
      await rpcResponse(CREATE, asAdmin4({ inbox_id: API_INBOX, contact_id: 35 }, { idempotency_key: idempotencyKey }));
      const before = await rowCounts();
      const err = await rpcError(CREATE, asAdmin4({ inbox_id: API_INBOX, contact_id: 34 }, { idempotency_key: idempotencyKey }));
      expect(err.status).toBe(422);
      expect(await rowCounts()).toEqual(before);
    });

    it('shares keys with the HTTP Idempotency-Key header of the same account', async () => {
      const idempotencyKey = key();
      const body = { inbox_id: API_INBOX, contact_id: 35, custom_attributes: { via: 'both' } };
      const before = await conversationCount();
      const http = await createConversation(TOKENS.umbrellaAdmin, ACCOUNT, body, { headers: { 'Idempotency-Key': idempotencyKey } });
      expect(http.status).toBe(200);
      expect(await rpcResponse(CREATE, asAdmin4(body, { idempotency_key: idempotencyKey }))).toEqual(http.json);
      expect(await conversationCount()).toBe(before + 1);
    });
  });

  describe('delivery', () => {
    it('gives every request exactly one reply, and dead-letters none of the failed ones', async () => {
      const recorder = await ReplyRecorder.open();
      try {
        const envelopes: Record<string, unknown>[] = [
          { pattern: LIST, data: asAda1({ status: 'all' }) },
          { pattern: META, data: asAda1() },
          { pattern: CREATE, data: asAdmin4({ inbox_id: API_INBOX, contact_id: 33 }) },
          { pattern: LIST, data: { api_access_token: 'no-such-token', account_id: 1, query: {} } },
          { pattern: LIST, data: asAda1({ status: 'closed' }) },
          { pattern: LIST, data: { api_access_token: TOKENS.agentEve, account_id: 2, query: {} } },
          { pattern: META, data: { api_access_token: TOKENS.admin, account_id: 987654, query: {} } },
          { pattern: META, data: { api_access_token: TOKENS.bot, account_id: 1, query: {} } },
          { pattern: CREATE, data: asAdmin4({ inbox_id: 'five' }) },
          { pattern: CREATE, data: asAdmin4({ source_id: 'nobody' }) },
          { pattern: CREATE, data: asAdmin4({ ...{ inbox_id: API_INBOX, contact_id: 16 }, assignee_id: ADA }) },
          { pattern: CREATE, data: { api_access_token: TOKENS.globexBot, account_id: ACCOUNT, body: { inbox_id: API_INBOX, contact_id: 16 } } },
          { pattern: CREATE },
          { pattern: LIST, data: { api_access_token: TOKENS.admin, account_id: '1', query: {} } },
          { pattern: 'conversations.delete', data: asAdmin4({}) },
        ];
        const ids = envelopes.map((envelope) => recorder.send(envelope));
        await recorder.waitForReplies(ids);
        await sleep(1500); // room for a duplicate reply or a late dead-lettering to show up

        expect(ids.map((id) => recorder.replies.get(id)?.length ?? 0)).toEqual(ids.map(() => 1));
        const replies = ids.map((id) => recorder.replies.get(id)![0]);
        expect(replies.slice(0, 3).map((r) => Object.keys(r).sort())).toEqual([['isDisposed', 'response'], ['isDisposed', 'response'], ['isDisposed', 'response']]);
        expect(replies.slice(3).map((r) => r.err?.status)).toEqual([401, 400, 403, 404, 403, 400, 404, 422, 403, 400, 400, expect.any(Number)]);

        const dead = await peekQueue(`${amqp.queue}.dlq`);
        const deadIds = dead.flatMap((message) => {
          const found = [String(message.properties.correlationId)];
          try {
            found.push(String(JSON.parse(message.content.toString()).id));
          } catch {
            // not JSON: not one of ours
          }
          return found;
        });
        expect(deadIds.filter((id) => ids.includes(id))).toEqual([]);
      } finally {
        await recorder.close();
      }
    });
  });

  describe('neither a complete RPC request nor an event', () => {
    /** A message with a message_id of its own, so that its dead-lettered copy can be found. */
    const cases: { name: string; envelope: Record<string, unknown>; properties: Record<string, unknown>; reason: string }[] = [
      {
        name: 'reply_to without correlation_id',
        envelope: { pattern: LIST, data: asAda1(), id: randomUUID() },
        properties: { replyTo: DIRECT_REPLY_TO },
        reason: '400 incomplete RPC request: no correlation_id property',
      },
      {
        name: 'reply_to and correlation_id without an id in the body',
        envelope: { pattern: META, data: asAda1() },
        properties: { replyTo: DIRECT_REPLY_TO, correlationId: randomUUID() },
        reason: '400 incomplete RPC request: no id in the body',
      },
      {
        name: 'a create with reply_to and neither',
        envelope: { pattern: CREATE, data: asAdmin4({ inbox_id: API_INBOX, contact_id: 16 }) },
        properties: { replyTo: DIRECT_REPLY_TO },
        reason: '400 incomplete RPC request: no correlation_id property, no id in the body',
      },
      {
        name: 'a list event (no reply_to)',
        envelope: { pattern: LIST, data: asAda1() },
        properties: {},
        reason: '400 conversations.list is answered only as an RPC request: set reply_to, correlation_id and an id',
      },
      {
        name: 'a meta event (no reply_to)',
        envelope: { pattern: META, data: asAda1(), id: randomUUID() },
        properties: {},
        reason: '400 conversations.meta is answered only as an RPC request: set reply_to, correlation_id and an id',
      },
    ];

    it('is dead-lettered once with its status-first reason, never acknowledged in silence, and creates nothing', async () => {
      const before = await rowCounts();
      const recorder = await ReplyRecorder.open();
      const messageIds = cases.map(() => `incomplete-${randomUUID()}`);
      try {
        cases.forEach(({ envelope, properties }, i) =>
          recorder.channel.sendToQueue(amqp.queue, Buffer.from(JSON.stringify(envelope)), { contentType: 'application/json', messageId: messageIds[i], ...properties }),
        );
        const dead = await takeFromQueue(`${amqp.queue}.dlq`, new Set(messageIds), 15_000);
        await sleep(500); // room for a reply that must not come
        expect(cases.map((c, i) => [c.name, dead.filter((m) => m.properties.messageId === messageIds[i]).map((m) => m.properties.headers?.['x-error-reason'])])).toEqual(
          cases.map((c) => [c.name, [c.reason]]),
        );
        expect(recorder.replies.size).toBe(0);
        expect(await rowCounts()).toEqual(before);
      } finally {
        await recorder.close();
      }
    });
  });

  describe('replies', () => {
    it('carry the request\'s correlation_id and content_type application/json', async () => {
      const reply = await amqp.rpc(META, asAda1());
      expect(reply.properties).toMatchObject({ contentType: 'application/json' });
      const error = await amqp.rpc(META, { ...asAda1(), api_access_token: 'no-such-token' });
      expect(error.properties).toMatchObject({ contentType: 'application/json' });
    });
  });

  describe('other accounts', () => {
    it.each([
      [1, TOKENS.admin, 40],
      [2, TOKENS.globexAdmin, 5],
      [3, TOKENS.admin, 0],
    ])('account %i still has exactly its fixture conversations', async (accountId, token, allCount) => {
      expect(await rpcResponse(META, { api_access_token: token, account_id: accountId, query: { status: 'all' } })).toEqual({
        meta: expect.objectContaining({ all_count: allCount }),
      });
      expect(await conversationCount(accountId)).toBe(allCount);
    });
  });
});
