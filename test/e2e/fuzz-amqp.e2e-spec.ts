/**
 * Property-based fuzzing of the live worker over its queue (fast-check, fixed seed, bounded runs),
 * with plain amqplib as any other service would publish: random bodies (JSON envelopes with random
 * patterns, ids and data; JSON that is no envelope; bytes that are no JSON) and random properties
 * (content type and encoding, headers, priority, delivery mode...), as RPC requests and as events.
 *
 * - Every RPC request gets exactly one reply: a response about account 4, or an error reply with a
 *   4xx status of SPEC 4.4 and no stack trace or SQL in it.
 * - Every event ends in `<queue>.dlq` exactly once (found by its message_id) with a status-first
 *   x-error-reason ("400 ..."), unless it was a valid create, which then exists in account 4 (the only account whose tokens are
 *   used, so nothing can be written anywhere else).
 * - The worker stays up: it still answers a normal RPC and its liveness probe afterwards.
 * The dead-lettered messages of this file are taken off the shared dead-letter queue at the end.
 */
import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type GetMessage, type Options } from 'amqplib';
import fc from 'fast-check';
import pg from 'pg';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { createBody, findLeak, FUZZ_SEED, hostileJson, hostileNumber, hostileString, Tally } from '../support/fuzz.js';
import { waitFor } from '../support/processes.mjs';

const ACCOUNT = 4;
const RUNS = { rpc: 300, events: 250 };
const REPLY_TO = 'amq.rabbitmq.reply-to';
const PATTERNS = ['conversations.list', 'conversations.meta', 'conversations.create'];

const ACCOUNT_4_TOKENS = [TOKENS.umbrellaAdmin, TOKENS.umbrellaAgent, TOKENS.umbrellaBot];

// ---------------------------------------------------------------------------------------------
// what is sent

const token = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ACCOUNT_4_TOKENS) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: hostileJson(1) },
);
const accountId = fc.oneof(
  { weight: 10, arbitrary: fc.constant(ACCOUNT) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 6 }) },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom('4', '4.0', ' 4', '0x4', null) },
  { weight: 1, arbitrary: hostileJson(1) },
);
const listQuery = fc.oneof(
  fc.record(
    {
      status: fc.oneof(fc.constantFrom('open', 'all', 'resolved', 'OPEN'), hostileString),
      assignee_type: fc.oneof(fc.constantFrom('me', 'all', 'unassigned'), hostileString),
      page: fc.oneof(fc.integer({ min: 1, max: 3 }), hostileNumber, hostileString),
      inbox_id: fc.oneof(fc.constantFrom(5, 6, 1), hostileNumber, hostileString),
      team_id: fc.oneof(fc.constantFrom(4, 1), hostileNumber),
      labels: fc.oneof(fc.array(hostileString, { maxLength: 110 }), hostileString, hostileJson(2)),
      sort_by: fc.oneof(fc.constantFrom('created_at_asc', 'priority_desc'), hostileString),
    },
    { requiredKeys: [] },
  ),
  hostileJson(3),
);

/** `data` of a message: mostly the contract's shape with odd values, sometimes anything. */
const data = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      { api_access_token: token, account_id: accountId, query: listQuery, body: createBody, idempotency_key: fc.oneof(hostileString, fc.uuid()) },
      { requiredKeys: ['api_access_token', 'account_id'] },
    ),
  },
  { weight: 1, arbitrary: hostileJson(3) },
);

/** A request envelope `{pattern, data, id}` with odd parts, or JSON that is none, or bytes that are no JSON. */
function body(kind: 'rpc' | 'event'): fc.Arbitrary<Buffer> {
  const pattern = fc.oneof(
    { weight: 6, arbitrary: kind === 'rpc' ? fc.constantFrom(...PATTERNS) : fc.constant('conversations.create') },
    { weight: 1, arbitrary: hostileString },
    { weight: 1, arbitrary: hostileJson(1) },
  );
  // An id that is no string or number makes no RPC request (SPEC 5): such a message is an event.
  const id =
    kind === 'rpc'
      ? fc.oneof({ weight: 8, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileString }, { weight: 1, arbitrary: fc.integer() }, { weight: 1, arbitrary: fc.constantFrom(true, false, {}, [1], null) })
      : hostileJson(1);
  const envelope = fc
    .record({ pattern, data, id, extra: hostileJson(1) }, { requiredKeys: kind === 'rpc' ? ['pattern', 'data', 'id'] : ['pattern', 'data'] })
    .map((e) => Buffer.from(JSON.stringify(e)));
  return fc.oneof(
    { weight: 8, arbitrary: envelope },
    { weight: 1, arbitrary: hostileJson(3).map((j) => Buffer.from(JSON.stringify(j) ?? 'undefined')) },
    { weight: 1, arbitrary: fc.oneof(fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)), fc.constantFrom(Buffer.alloc(0), Buffer.from('{'), Buffer.from('\u0000'), Buffer.from(`{"pattern":"conversations.create","data":${'['.repeat(200_000)}${']'.repeat(200_000)},"id":"x"}`))) },
  );
}

const headerValue = fc.oneof(fc.string({ maxLength: 60 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom("' OR 1=1 --", '__proto__', '-1', '1e309', 'NaN'));
const properties: fc.Arbitrary<Options.Publish> = fc.record(
  {
    contentType: fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/octet-stream', ''), fc.string({ maxLength: 30 })),
    contentEncoding: fc.constantFrom('utf-8', 'gzip', 'base64', 'latin1'),
    headers: fc.dictionary(
      fc.oneof(fc.constantFrom('x-retry-count', 'x-request-id', 'x-error-reason', '__proto__', 'constructor', 'x-death'), fc.string({ minLength: 1, maxLength: 30 })),
      headerValue,
      { maxKeys: 4 },
    ),
    priority: fc.integer({ min: 0, max: 255 }),
    deliveryMode: fc.constantFrom(1, 2),
    type: fc.string({ maxLength: 20 }),
    appId: fc.string({ maxLength: 20 }),
    timestamp: fc.integer({ min: 0, max: 2 ** 31 }),
  },
  { requiredKeys: [] },
);

// ---------------------------------------------------------------------------------------------
// what comes back

/** The contract's reading of a body: an RPC request is a JSON object with a string or number `id` (SPEC 5). */
function envelopeId(content: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(content.toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    const id = (parsed as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;

/** `data.idempotency_key` of a body, when it is a string. */
function idempotencyKeyOf(content: Buffer): string | null {
  try {
    const key = (JSON.parse(content.toString('utf8')) as { data?: { idempotency_key?: unknown } })?.data?.idempotency_key;
    return typeof key === 'string' ? key : null;
  } catch {
    return null;
  }
}

/** The pattern a body names, if it is an envelope. */
function patternOf(content: Buffer): unknown {
  try {
    return (JSON.parse(content.toString('utf8')) as { pattern?: unknown })?.pattern;
  } catch {
    return undefined;
  }
}

/** What is wrong with a reply body, or null. */
function replyProblem(pattern: unknown, text: string): string | null {
  let reply: any;
  try {
    reply = JSON.parse(text);
  } catch {
    return 'a reply that is not JSON';
  }
  if (reply?.isDisposed !== true) return 'a reply without isDisposed: true';
  if ('err' in reply) {
    const err = reply.err;
    if (!Number.isInteger(err?.status) || err.status < 400 || err.status >= 500) return `an error reply with status ${err?.status}`;
    if (typeof err.error !== 'string') return 'an error reply without error text';
    if (err.status === 400 && !(Array.isArray(err.errors) && err.errors.length > 0)) return 'a 400 reply without errors';
    return findLeak([err.error, ...(err.errors ?? []).flatMap((e: { message: string; code: string }) => [e.message, e.code])].join('\n'));
  }
  const response = reply.response;
  switch (pattern) {
    case 'conversations.meta':
      return ['mine_count', 'assigned_count', 'unassigned_count', 'all_count'].every((k) => isCount(response?.meta?.[k])) ? null : 'a meta reply of another shape';
    case 'conversations.list':
      return Array.isArray(response?.data?.payload) && response.data.payload.every((c: { account_id: number }) => c.account_id === ACCOUNT) ? null : 'a list reply of another shape or account';
    case 'conversations.create':
      return Number.isInteger(response?.id) && response.account_id === ACCOUNT ? null : 'a create reply of another shape or account';
    default:
      return `a response to the pattern ${JSON.stringify(pattern)}`;
  }
}

// ---------------------------------------------------------------------------------------------

describe('fuzzing the worker over AMQP (fast-check)', () => {
  const { amqpUrl, queue, databaseUrl } = e2eEnvironment();
  const deadLetterQueue = `${queue}.dlq`;
  let connection: ChannelModel;
  let rpcChannel: Channel;
  let eventChannel: ConfirmChannel;
  let db: pg.Client;
  const replies = new Map<string, string[]>();
  /** Every message sent that is no RPC request (events, and would-be RPC requests without a usable id, which must be dead-lettered). */
  const events: { messageId: string; content: Buffer; idempotencyKey: string | null; mustDeadLetter?: boolean }[] = [];
  const waiting = new Map<string, () => void>();
  const tallies: Record<string, Tally> = {};

  beforeAll(async () => {
    connection = await amqp.connect(amqpUrl, { noDelay: true }); // one basic.get per dead letter: no 40 ms Nagle delay each
    rpcChannel = await connection.createChannel();
    eventChannel = await connection.createConfirmChannel();
    await rpcChannel.consume(
      REPLY_TO,
      (message) => {
        if (!message) return;
        const id = String(message.properties.correlationId);
        replies.set(id, [...(replies.get(id) ?? []), message.content.toString('utf8')]);
        waiting.get(id)?.();
      },
      { noAck: true },
    );
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    console.log(`AMQP fuzz, seed ${FUZZ_SEED}:\n${Object.entries(tallies).map(([name, t]) => `  ${name}: ${t}`).join('\n')}`);
    await connection?.close();
    await db?.end();
  });

  /** Sends an RPC request and waits for its first reply. */
  async function rpc(content: Buffer, options: Options.Publish): Promise<string> {
    const correlationId = randomUUID();
    const replied = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply within 10 s to ${content.toString('utf8').slice(0, 300)}`)), 10_000);
      waiting.set(correlationId, () => {
        clearTimeout(timer);
        waiting.delete(correlationId);
        resolve();
      });
    });
    rpcChannel.sendToQueue(queue, content, { ...options, replyTo: REPLY_TO, correlationId, messageId: correlationId });
    await replied;
    return correlationId;
  }

  it(`random RPC requests: exactly one reply each, never a 5xx (${RUNS.rpc} runs)`, async () => {
    const tally = (tallies.rpc = new Tally());
    const sent: string[] = [];
    await fc.assert(
      fc.asyncProperty(body('rpc'), properties, async (content, props) => {
        if (envelopeId(content) === undefined) {
          // reply_to without an id to answer to: no RPC request and no event, so a dead letter (checked
          // with the events below), never silence.
          const messageId = `fuzz-rpc-${randomUUID()}`;
          rpcChannel.sendToQueue(queue, content, { ...props, replyTo: REPLY_TO, correlationId: messageId, messageId });
          events.push({ messageId, content, idempotencyKey: null, mustDeadLetter: true });
          tally.add('no usable id: dead-lettered');
          return;
        }
        const id = await rpc(content, props);
        sent.push(id);
        const reply = replies.get(id)![0];
        const parsed = JSON.parse(reply) as { err?: { status: number } };
        tally.add(parsed.err ? `err ${parsed.err.status}` : 'response');
        const problem = replyProblem(patternOf(content), reply);
        if (problem !== null) throw new Error(`${problem}\nreply: ${reply.slice(0, 500)}`);
      }),
      { numRuns: RUNS.rpc, seed: FUZZ_SEED, endOnFailure: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a second reply to show up
    expect(sent.filter((id) => replies.get(id)!.length !== 1)).toEqual([]);
  });


  it(`random events: each dead-lettered exactly once with its reason, or a valid create in account 4 (${RUNS.events} runs)`, async () => {
    const tally = (tallies.events = new Tally());
    await fc.assert(
      fc.asyncProperty(body('event'), properties, async (content, props) => {
        const messageId = `fuzz-event-${randomUUID()}`;
        eventChannel.sendToQueue(queue, content, { ...props, messageId });
        events.push({ messageId, content, idempotencyKey: idempotencyKeyOf(content) });
      }),
      { numRuns: RUNS.events, seed: FUZZ_SEED },
    );
    await eventChannel.waitForConfirms();

    const dead = new Map<string, GetMessage[]>();
    const created = new Map<string, number>();
    const mine = new Set(events.map((e) => e.messageId));
    const settled = () => [...mine].every((id) => dead.has(id) || created.has(id));
    const outcome = waitFor(
      'every event dead-lettered or applied',
      async () => {
        for (const message of await takeDeadLetters(mine)) {
          const id = String(message.properties.messageId);
          dead.set(id, [...(dead.get(id) ?? []), message]);
        }
        // Postgres text holds no NUL: such a key was refused (400) anyway.
        const keys = events.flatMap((e) => [`amqp-message-id:${e.messageId}`, ...(e.idempotencyKey === null ? [] : [e.idempotencyKey])]).filter((k) => !k.includes('\u0000'));
        const { rows } = await db.query<{ key: string; account_id: number }>('select key, account_id from idempotency_keys where key = any($1)', [keys]);
        const byKey = new Map(rows.map((r) => [r.key, r.account_id]));
        for (const e of events) {
          const account = byKey.get(`amqp-message-id:${e.messageId}`) ?? (e.idempotencyKey === null ? undefined : byKey.get(e.idempotencyKey));
          if (account !== undefined && !dead.has(e.messageId)) created.set(e.messageId, account);
        }
        return settled();
      },
      15_000,
    ).catch(() => undefined); // the problems below name the messages that never settled
    await outcome;

    await new Promise((resolve) => setTimeout(resolve, 500)); // room for a second dead-lettering to show up
    for (const message of await takeDeadLetters(mine)) {
      const id = String(message.properties.messageId);
      dead.set(id, [...(dead.get(id) ?? []), message]);
    }

    for (const id of mine) tally.add(dead.has(id) ? 'dead-lettered' : `created in account ${created.get(id)}`);
    const problems = [...mine].flatMap((id) => {
      const copies = dead.get(id) ?? [];
      const event = events.find((e) => e.messageId === id);
      if (copies.length === 0) {
        if (created.get(id) === ACCOUNT && !event?.mustDeadLetter) return [];
        const expected = event?.mustDeadLetter ? 'not dead-lettered' : 'neither dead-lettered nor created in account 4';
        return [`${id}: ${expected}: ${event?.content.toString('utf8').slice(0, 300)}`];
      }
      if (copies.length > 1) return [`${id}: dead-lettered ${copies.length} times`];
      const reason = copies[0].properties.headers?.['x-error-reason'];
      if (typeof reason !== 'string' || !/^[45]\d\d \S/.test(reason)) return [`${id}: dead-lettered without a status-first x-error-reason: ${String(reason)}`];
      if (event && !copies[0].content.equals(event.content)) return [`${id}: dead-lettered with another body`];
      const leak = findLeak(reason);
      return leak ? [`${id}: ${leak}`] : [];
    });
    expect(problems).toEqual([]);
  });

  /** Takes this file's messages off the shared dead-letter queue; the others are put back. */
  async function takeDeadLetters(mine: Set<string>): Promise<GetMessage[]> {
    const channel = await connection.createChannel();
    const taken: GetMessage[] = [];
    const others: GetMessage[] = [];
    try {
      for (;;) {
        const message = await channel.get(deadLetterQueue, { noAck: false });
        if (!message) break;
        if (mine.has(String(message.properties.messageId))) {
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
    return taken;
  }

  it('the worker is still up: it answers a normal RPC and its liveness probe', async () => {
    const id = await rpc(Buffer.from(JSON.stringify({ pattern: 'conversations.meta', id: randomUUID(), data: { api_access_token: TOKENS.umbrellaAdmin, account_id: ACCOUNT, query: {} } })), {
      contentType: 'application/json',
    });
    expect(JSON.parse(replies.get(id)![0])).toEqual({ response: { meta: expect.objectContaining({ all_count: expect.any(Number) }) }, isDisposed: true });
    const health = await fetch(`${process.env.E2E_WORKER_HEALTH_URL}/health/live`);
    expect(health.status).toBe(200);
  });
});
