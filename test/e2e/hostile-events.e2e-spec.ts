/**
 * Events another service (or an attacker) can publish that the worker must survive (contract 5):
 * a poison event published by another broker user with its own user_id property, and events whose
 * headers are odd (x-retry-count of odd values, headers of odd types) arriving while the database is
 * briefly away, so that the worker parks and dead-letters copies of them. None may loop or kill the
 * worker; an invalid one is dead-lettered once, with its reason; a valid one is applied once.
 * Each case has its own queue and worker. Writes go to account 5.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { GetMessage } from 'amqplib';
import { conversationsByAttribute, countOf, createEvent, databaseProxy, DedicatedQueue, queueWithWorkerBehind, waitForCount } from '../support/dedicated-queue.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { isRunning, sleep, waitUntil } from '../support/processes.mjs';

const ACCOUNT = 5;
const rand = () => randomBytes(4).toString('hex');
const rabbitmqctl = (...args: string[]) => promisify(execFile)('rabbitmqctl', args);

/** A create event that fails validation whatever the database does: it has no api_access_token. */
function invalidEvent(marker: string) {
  const { api_access_token: _token, ...data } = createEvent(marker).data;
  return { pattern: 'conversations.create', data };
}

const copiesOf = (dead: GetMessage[], messageId: string) => dead.filter((m) => m.properties.messageId === messageId);
const reasonOf = (m: GetMessage | undefined) => (m?.properties.headers?.['x-error-reason'] as unknown) ?? null;

describe('a poison event published by another broker user, carrying its user_id', () => {
  const user = `conv_e2e_publisher_${rand()}`;
  const password = randomBytes(12).toString('hex');
  const queue = new DedicatedQueue('classic');

  beforeAll(async () => {
    // rabbitmqctl talks to the local node (these tests run on the broker's host, as root)
    await rabbitmqctl('add_user', user, password);
    await rabbitmqctl('set_permissions', '-p', '/', user, '.*', '.*', '.*');
    await queue.open();
    queue.startWorker();
    await queue.waitForConsumers(1);
  });
  afterAll(async () => {
    await queue.close();
    await rabbitmqctl('delete_user', user);
  });

  it('is dead-lettered exactly once with an x-error-reason, and the worker goes on consuming', async () => {
    const url = new URL(e2eEnvironment().amqpUrl);
    url.username = user;
    url.password = password;
    const messageId = randomUUID();
    await queue.publish([{ body: invalidEvent(`poison-user-${rand()}`), messageId, properties: { userId: user } }], { amqpUrl: url.toString() });

    const copies = copiesOf(await queue.collectDeadLetters([messageId], { timeoutMs: 15_000, graceMs: 3_000 }), messageId);
    expect(copies).toHaveLength(1);
    expect(reasonOf(copies[0])).toMatch(/^400 .*api_access_token/);

    const good = `after-poison-user-${rand()}`;
    await queue.publish([{ body: createEvent(good), messageId: randomUUID() }]);
    await waitForCount(good, 1);
    expect({ running: isRunning(queue.workers[0]), consumers: await queue.consumerCount() }).toEqual({ running: true, consumers: 1 });
  });
});

/** Odd values of the worker's own retry counter, and headers of every odd AMQP field type. */
const HEADER_SETS: [string, Record<string, unknown>[]][] = [
  [
    'odd x-retry-count values',
    [{ 'x-retry-count': 1.5 }, { 'x-retry-count': 'abc' }, { 'x-retry-count': -3 }, { 'x-retry-count': { '!': 'int64', value: '9223372036854775807' } }],
  ],
  [
    'headers of odd types',
    [
      { nested: { a: { b: { c: [1, 'two', { d: true }] } } } },
      { list: [1, 'two', false, [3, [4]], { five: 5 }] },
      { flag: true, off: false },
      { bytes: Buffer.from([0, 1, 2, 0xfe, 0xff]) },
      { big: { '!': 'int64', value: '9223372036854775807' }, small: { '!': 'int64', value: '-9223372036854775808' } },
    ],
  ],
];

describe.each(HEADER_SETS)('events with %s while the database is away for 4 s', (_, headerSets) => {
  const proxy = databaseProxy();
  const queue = queueWithWorkerBehind(proxy, new DedicatedQueue('classic'));

  it('applies each valid event once, dead-letters each invalid one once, and the worker lives', async () => {
    const valid = headerSets.map((headers) => ({ marker: `odd-valid-${rand()}`, messageId: randomUUID(), headers }));
    const invalid = headerSets.map((headers) => ({ marker: `odd-invalid-${rand()}`, messageId: randomUUID(), headers }));
    await proxy.cut();
    await queue.publish([
      ...valid.map((e) => ({ body: createEvent(e.marker), messageId: e.messageId, headers: e.headers })),
      ...invalid.map((e) => ({ body: invalidEvent(e.marker), messageId: e.messageId, headers: e.headers })),
    ]);
    await sleep(4_000);
    await proxy.restore();

    const validMarkers = valid.map((e) => e.marker);
    await waitUntil(async () => (await conversationsByAttribute(ACCOUNT, 'marker', validMarkers)).size === valid.length, 60_000);
    const dead = await queue.collectDeadLetters(invalid.map((e) => e.messageId), { timeoutMs: 10_000, graceMs: 3_000 });
    const counts = await conversationsByAttribute(ACCOUNT, 'marker', [...validMarkers, ...invalid.map((e) => e.marker)]);

    // one line per event: what became of it
    const outcome = (e: { marker: string; messageId: string; headers: Record<string, unknown> }) => ({
      headers: JSON.stringify(e.headers),
      applied: counts.get(e.marker) ?? 0,
      deadLettered: copiesOf(dead, e.messageId).length,
    });
    expect(valid.map(outcome)).toEqual(valid.map((e) => ({ headers: JSON.stringify(e.headers), applied: 1, deadLettered: 0 })));
    expect(invalid.map(outcome)).toEqual(invalid.map((e) => ({ headers: JSON.stringify(e.headers), applied: 0, deadLettered: 1 })));
    for (const e of invalid) expect(reasonOf(copiesOf(dead, e.messageId)[0])).toMatch(/^400 /);
    expect({ running: isRunning(queue.workers[0]), consumers: await queue.consumerCount() }).toEqual({ running: true, consumers: 1 });

    const after = `after-odd-headers-${rand()}`;
    await queue.publish([{ body: createEvent(after), messageId: randomUUID() }]);
    await waitForCount(after, 1);
    expect(await countOf(after)).toBe(1);
  }, 120_000);
});
