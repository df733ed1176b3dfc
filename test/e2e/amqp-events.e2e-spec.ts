/**
 * conversations.create published as an event by another service (SPEC 5), through plain amqplib, on
 * queues with workers of their own (test/support/dedicated-queue.ts): applied once, acknowledged only
 * after commit, de-duplicated, poison dead-lettered once with its reason, competing workers, a worker
 * killed mid-burst, a database that goes away. Every case runs on a classic and on a quorum queue.
 * Writes go to account 5 only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { GetMessage } from 'amqplib';
import { conversationsByAttribute, countOf, createEvent, databaseProxy, DedicatedQueue, queueWithWorkerBehind, waitForAll, waitForCount } from '../support/dedicated-queue.js';
import { TOKENS } from '../support/e2e-environment.js';
import { sleep, waitFor } from '../support/processes.mjs';

const ACCOUNT = 5;
const rand = () => randomBytes(5).toString('hex');

const reasonOf = (message: GetMessage) => String(message.properties.headers?.['x-error-reason'] ?? '');

describe.each(['classic', 'quorum'] as const)('create events on a %s queue', (type) => {
  const queue = new DedicatedQueue(type);

  beforeAll(async () => {
    await queue.open();
    queue.startWorker();
    await queue.waitForConsumers(1);
  });
  afterAll(() => queue.close());

  it('applies an event create: the conversation is in the database', async () => {
    const marker = `one-${rand()}`;
    await queue.publish([{ body: createEvent(marker, {}, { message: { content: 'from an event' } }) }]);
    await waitForCount(marker, 1);
    expect(await countOf(marker)).toBe(1);
  });

  it('applies the same event twice with one data.idempotency_key once', async () => {
    const marker = `key-${rand()}`;
    const event = createEvent(marker, { idempotency_key: `key-${rand()}` });
    await queue.publish([{ body: event }, { body: event }]);
    await waitForCount(marker, 1);
    await sleep(1_000); // time for a wrong second copy to show
    expect(await countOf(marker)).toBe(1);
  });

  it('applies the same event twice with one AMQP message_id once', async () => {
    const marker = `mid-${rand()}`;
    const messageId = randomUUID();
    await queue.publish([{ body: createEvent(marker), messageId }, { body: createEvent(marker), messageId }]);
    await waitForCount(marker, 1);
    await sleep(1_000);
    expect(await countOf(marker)).toBe(1);
  });

  it('dead-letters each kind of poison message once, with its reason, and still applies a good event sent after them', async () => {
    const poison: { kind: string; body: unknown; reason: RegExp }[] = [
      { kind: 'not JSON', body: Buffer.from('this is not json'), reason: /^400 body is not JSON$/ },
      { kind: 'a JSON array', body: [1, 2, 3], reason: /^400 body is not a JSON object$/ },
      { kind: 'no pattern', body: { data: {} }, reason: /^400 no pattern$/ },
      { kind: 'an unknown pattern', body: { pattern: 'conversations.delete', data: {} }, reason: /^400 unknown pattern "conversations\.delete"$/ },
      { kind: 'data that fails validation', body: createEvent(`bad-${rand()}`, {}, { inbox_id: 'abc', status: 'closed' }), reason: /^400 .*inbox_id/ },
      { kind: 'an unknown token', body: createEvent(`tok-${rand()}`, { api_access_token: 'no-such-token' }), reason: /^401 / },
      { kind: 'a token of another account', body: createEvent(`foreign-${rand()}`, { api_access_token: TOKENS.bot }), reason: /^403 / },
      { kind: 'an unknown inbox', body: createEvent(`inbox-${rand()}`, {}, { inbox_id: 999_999 }), reason: /^404 / },
      { kind: 'a rule broken (assignee of another account)', body: createEvent(`rule-${rand()}`, {}, { assignee_id: 1 }), reason: /^422 / },
    ];
    const ids = poison.map(() => randomUUID());
    await queue.publish(poison.map((p, i) => ({ body: p.body, messageId: ids[i] })));
    const good = `after-poison-${rand()}`;
    await queue.publish([{ body: createEvent(good) }]);

    await waitForCount(good, 1);
    const dead: GetMessage[] = [];
    await waitFor('every poison message in the DLQ', async () => {
      dead.push(...(await queue.drainDeadLetters()));
      return ids.every((id) => dead.some((m) => m.properties.messageId === id));
    }, 20_000);
    await sleep(1_500); // a message that came back would be dead-lettered a second time by now
    dead.push(...(await queue.drainDeadLetters()));

    for (const [i, p] of poison.entries()) {
      const copies = dead.filter((m) => m.properties.messageId === ids[i]);
      expect({ kind: p.kind, copies: copies.length }).toEqual({ kind: p.kind, copies: 1 });
      expect(reasonOf(copies[0])).toMatch(p.reason);
      // the original body travels unchanged
      expect(copies[0].content.equals(Buffer.isBuffer(p.body) ? p.body : Buffer.from(JSON.stringify(p.body)))).toBe(true);
    }
    const ours = await conversationsByAttribute(ACCOUNT, 'marker', poison.map((p) => (p.body as { data?: { body?: { custom_attributes?: { marker?: string } } } })?.data?.body?.custom_attributes?.marker ?? 'none'));
    expect([...ours.keys()]).toEqual([]); // rejected events created nothing
    expect(await queue.consumerCount()).toBe(1); // the worker is still there
  });

  it('shares a burst of 500 events between two workers, each event applied exactly once', async () => {
    queue.startWorker();
    await queue.waitForConsumers(2);
    const markers = Array.from({ length: 500 }, (_, i) => `burst-${rand()}-${i}`);
    await queue.publish(markers.map((marker) => ({ body: createEvent(marker), messageId: randomUUID() })));
    const counts = await waitForAll(markers);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(await queue.consumerCount()).toBe(2);
  });
});

describe.each(['classic', 'quorum'] as const)('a worker killed mid-burst (%s queue)', (type) => {
  const queue = new DedicatedQueue(type);
  beforeAll(() => queue.open());
  afterAll(() => queue.close());

  it('loses nothing and applies nothing twice: 300 events, SIGKILL, another worker finishes', async () => {
    const first = queue.startWorker();
    await queue.waitForConsumers(1);
    const markers = Array.from({ length: 300 }, (_, i) => `crash-${rand()}-${i}`);
    await queue.publish(markers.map((marker) => ({ body: createEvent(marker), messageId: randomUUID() })));
    // kill it as soon as it is under way, while it holds a prefetch window of unacknowledged messages
    await waitFor('the first worker to be under way', async () => (await conversationsByAttribute(ACCOUNT, 'marker', markers)).size > 0, 30_000);
    first.kill('SIGKILL');
    const appliedAtKill = (await conversationsByAttribute(ACCOUNT, 'marker', markers)).size;
    expect(appliedAtKill).toBeLessThan(300);

    queue.startWorker();
    const counts = await waitForAll(markers);
    expect(counts.size).toBe(300);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
  });
});

describe.each(['classic', 'quorum'] as const)('the database unreachable while events arrive (%s queue)', (type) => {
  const proxy = databaseProxy();
  const queue = queueWithWorkerBehind(proxy, new DedicatedQueue(type, { EVENT_RETRY_DELAY_MS: '100', EVENT_RETRY_MAX_DELAY_MS: '400' }));

  it('retries an event with a growing delay and applies it once the database is back', async () => {
    await proxy.cut();
    const marker = `retried-${rand()}`;
    await queue.publish([{ body: createEvent(marker), messageId: randomUUID() }]);
    await sleep(400); // a couple of attempts fail meanwhile
    await proxy.restore();
    await waitForCount(marker, 1);
    expect(await countOf(marker)).toBe(1);
    expect(await queue.drainDeadLetters()).toEqual([]);
  });

  it('never dead-letters a valid event, however many retries the outage takes (SPEC 5)', async () => {
    await proxy.cut();
    const messageId = randomUUID();
    const marker = `outlasting-${rand()}`;
    // Odd retry-count headers from outside count as none: they must not make a delay the broker refuses.
    await queue.publish([{ body: createEvent(marker), messageId, headers: { 'x-retry-count': 1.5 } }]);
    await sleep(6_000); // 100, 200, 400, 400 ... ms: a dozen retries, far past the old limit of 5
    expect(await queue.drainDeadLetters()).toEqual([]);
    expect(await countOf(marker)).toBe(0);
    await proxy.restore();
    await waitForCount(marker, 1);
    await sleep(500);
    expect(await countOf(marker)).toBe(1);
    expect(await queue.drainDeadLetters()).toEqual([]);
  });
});
