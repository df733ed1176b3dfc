/**
 * Delivery guarantees under faults, each case on a queue of its own with worker (and gateway)
 * processes of its own: a create delivered twice without any idempotency key, a long database
 * outage while events arrive (a classic and a quorum queue side by side), a worker started while its
 * database is away, a create that timed out (504), and two workers with the same environment on one
 * host. The numbers in the names are the contract's. Writes go to account 5 (contact 40).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { GetMessage } from 'amqplib';
import { RawAmqpClient } from '../support/amqp-client.js';
import { conversationsByAttribute, countOf, createEvent, databaseProxy, DedicatedQueue, waitForCount } from '../support/dedicated-queue.js';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { freePort, isRunning, sleep, waitUntil } from '../support/processes.mjs';
import { Stack } from '../support/stack.js';
import { viaProxy } from '../support/tcp-proxy.mjs';

const ACCOUNT = 5;
const CONTACT = 40;
const rand = () => randomBytes(4).toString('hex');
const body = (marker: string) => ({ inbox_id: 7, contact_id: CONTACT, custom_attributes: { marker } });
/** The data of a create for account 5 (RPC or event), marked. */
const createData = (marker: string) => createEvent(marker, {}, { contact_id: CONTACT }).data;
const event = (marker: string) => createEvent(marker, {}, { contact_id: CONTACT });
const markers = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${rand()}-${i}`);

/** The worker's readiness status, or 0 when nothing answers on its port. */
async function readiness(healthUrl: string): Promise<number> {
  try {
    return (await fetch(`${healthUrl}/health/ready`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch {
    return 0;
  }
}

/** What a test can print of a message left in a queue. */
const describeMessage = (m: GetMessage) => ({
  messageId: m.properties.messageId as unknown,
  reason: (m.properties.headers?.['x-error-reason'] ?? m.properties.headers?.['x-death']?.[0]?.reason) as unknown,
  body: m.content.toString().slice(0, 200),
});

describe('a create delivered twice without an idempotency key', () => {
  const queue = new DedicatedQueue('classic');
  let client: RawAmqpClient;

  beforeAll(async () => {
    await queue.open();
    queue.startWorker();
    await queue.waitForConsumers(1);
    client = await RawAmqpClient.connect(queue.name);
  });
  afterAll(async () => {
    await client?.close();
    await queue.close();
  });

  it.each(['back to back', 'after the first reply'])(
    'RPC: one envelope id, same body, delivered twice %s: one conversation, two equal replies',
    async (when) => {
      const marker = `redelivered-rpc-${rand()}`;
      const id = randomUUID();
      const envelope = { pattern: 'conversations.create', data: createData(marker), id };
      client.request(envelope, id);
      if (when === 'after the first reply') await waitUntil(async () => client.repliesTo(id).length >= 1, 20_000);
      client.request(envelope, id);
      await waitUntil(async () => client.repliesTo(id).length >= 2, 20_000);
      await sleep(1_000); // time for a wrong third reply or second conversation to show

      expect(await countOf(marker)).toBe(1);
      const replies = client.repliesTo(id).map((r) => r.body);
      expect(replies).toHaveLength(2);
      expect(replies[0]).toEqual({ response: expect.objectContaining({ account_id: ACCOUNT, custom_attributes: { marker } }), isDisposed: true });
      expect(replies[1]).toEqual(replies[0]);
    },
  );

  it.each(['back to back', 'after the first was applied'])(
    'event: one envelope id, no message_id, no idempotency_key, delivered twice %s: one conversation, nothing dead-lettered',
    async (when) => {
      const marker = `redelivered-event-${rand()}`;
      const message = { body: { ...event(marker), id: randomUUID() } };
      if (when === 'back to back') {
        await queue.publish([message, message]);
      } else {
        await queue.publish([message]);
        await waitForCount(marker, 1);
        await queue.publish([message]);
      }
      await waitForCount(marker, 1);
      await sleep(1_500);
      expect(await countOf(marker)).toBe(1);
      expect((await queue.drainDeadLetters()).map(describeMessage)).toEqual([]);
    },
  );
});

describe('the database away for 45 s while 50 events arrive, on a classic and on a quorum queue', () => {
  const OUTAGE_MS = 45_000; // longer than the ~31 s an event used to be retried before it was dead-lettered
  const proxy = databaseProxy(); // one outage for both workers: the two queues run side by side
  const queues = [new DedicatedQueue('classic'), new DedicatedQueue('quorum')];

  beforeAll(async () => {
    await proxy.start();
    for (const queue of queues) {
      await queue.open();
      queue.startWorker({ DATABASE_URL: viaProxy(e2eEnvironment().databaseUrl, proxy) });
    }
    await Promise.all(queues.map((queue) => queue.waitForConsumers(1)));
  });
  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    await proxy.stop();
  });

  it('applies all 50 exactly once on each after the database is back, and dead-letters none', async () => {
    const marks = queues.map((queue) => markers(`outage-${queue.type}`, 50));
    await proxy.cut();
    const started = Date.now();
    // Ten at a time over the first half of the outage: the first ones wait through all of it.
    for (let batch = 0; batch < 5; batch++) {
      await sleep(Math.max(0, started + (batch * OUTAGE_MS) / 10 - Date.now()));
      await Promise.all(queues.map((queue, q) =>
        queue.publish(marks[q].slice(batch * 10, batch * 10 + 10).map((marker) => ({ body: event(marker), messageId: randomUUID() }))),
      ));
    }
    await sleep(Math.max(0, started + OUTAGE_MS - Date.now()));
    await proxy.restore();

    const applied = () => Promise.all(marks.map((m) => conversationsByAttribute(ACCOUNT, 'marker', m)));
    await waitUntil(async () => {
      const counts = await applied();
      const deadLettered = await Promise.all(queues.map((queue) => queue.messageCount(`${queue.name}.dlq`)));
      return counts.every((c) => c.size === 50) || deadLettered.some((n) => n > 0);
    }, 90_000);
    await sleep(1_000); // time for a second copy of the last ones to show
    const counts = await applied();
    const outcome = await Promise.all(queues.map(async (queue, q) => {
      const dead = await queue.drainDeadLetters();
      return {
        queue: queue.type,
        applied: counts[q].size,
        appliedMoreThanOnce: [...counts[q].values()].filter((n) => n !== 1).length,
        deadLettered: dead.length,
        firstDeadLetterReason: dead.map(describeMessage)[0]?.reason ?? null,
      };
    }));
    expect(outcome).toEqual(queues.map((queue) => ({ queue: queue.type, applied: 50, appliedMoreThanOnce: 0, deadLettered: 0, firstDeadLetterReason: null })));
  }, 180_000);
});

describe('a worker started while its database is unreachable', () => {
  const proxy = databaseProxy();
  const queue = new DedicatedQueue('classic');

  beforeAll(async () => {
    await proxy.start();
    await proxy.cut();
    await queue.open();
    await queue.declareWithWorker(); // the work queue exists (an earlier worker declared it): an event can wait there
  });
  afterAll(async () => {
    await queue.close();
    await proxy.stop();
  });

  it('stays up and unready for 40 s, then applies the event that arrived meanwhile and becomes ready', async () => {
    const healthUrl = `http://127.0.0.1:${await freePort()}`;
    const worker = queue.startWorker({ DATABASE_URL: viaProxy(e2eEnvironment().databaseUrl, proxy), HEALTH_PORT: new URL(healthUrl).port });
    const marker = `started-without-db-${rand()}`;
    await queue.publish([{ body: event(marker), messageId: randomUUID() }]);

    const readyWhileDown: number[] = [];
    const until = Date.now() + 40_000; // longer than any 30 s give-up
    while (Date.now() < until && isRunning(worker)) {
      readyWhileDown.push(await readiness(healthUrl));
      await sleep(1_000);
    }
    expect({ running: isRunning(worker), exitCode: worker.exitCode, answered200WhileDown: readyWhileDown.filter((s) => s === 200).length }).toEqual({
      running: true,
      exitCode: null,
      answered200WhileDown: 0,
    });

    await proxy.restore();
    await waitUntil(async () => (await countOf(marker)) === 1 && (await readiness(healthUrl)) === 200, 60_000);
    expect({ applied: await countOf(marker), ready: await readiness(healthUrl), running: isRunning(worker) }).toEqual({ applied: 1, ready: 200, running: true });
  }, 150_000);
});

describe('a create answered 504 (no worker consuming)', () => {
  const queue = new DedicatedQueue('classic');
  const stack = new Stack(queue.name);

  beforeAll(async () => {
    await queue.open();
    await queue.declareWithWorker(); // as deployed: the queue and its dead-letter queue exist, every worker is down
    await stack.start({ gateway: { RPC_TIMEOUT_MS: '1500' }, worker: null });
  });
  afterAll(async () => {
    await stack.stop();
    await queue.close();
  });

  it('is never executed by a worker that starts later, and no queue keeps it (nor its token)', async () => {
    const marker = `timed-out-${rand()}`;
    const answer = await stack.create(TOKENS.hooliAdmin, ACCOUNT, body(marker));
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 504, body: { error: 'The service did not answer in time.' } });

    queue.startWorker();
    await queue.waitForConsumers(1);
    await sleep(3_000);
    expect(await countOf(marker)).toBe(0);
    const left: Record<string, ReturnType<typeof describeMessage>[]> = {};
    for (const name of [queue.name, `${queue.name}.dlq`, `${queue.name}.retry`]) left[name] = (await queue.drain(name)).map(describeMessage);
    expect(left).toEqual({ [queue.name]: [], [`${queue.name}.dlq`]: [], [`${queue.name}.retry`]: [] });
  });
});

describe('two workers with the same environment on one host (same HEALTH_PORT)', () => {
  const queue = new DedicatedQueue('classic');
  let client: RawAmqpClient;

  beforeAll(async () => {
    await queue.open();
    client = await RawAmqpClient.connect(queue.name);
  });
  afterAll(async () => {
    await client?.close();
    await queue.close();
  });

  it('both stay up and consume, and creates are served', async () => {
    const env = { HEALTH_PORT: String(await freePort()) };
    const first = queue.startWorker(env);
    await queue.waitForConsumers(1);
    const second = queue.startWorker(env);
    await waitUntil(async () => (await queue.consumerCount()) === 2 || !isRunning(second), 30_000);
    await sleep(3_000); // a second worker that fails after it began consuming has exited by now
    expect({ first: isRunning(first), second: isRunning(second), secondExitCode: second.exitCode, consumers: await queue.consumerCount() }).toEqual({
      first: true,
      second: true,
      secondExitCode: null,
      consumers: 2,
    });

    const marks = markers('two-workers', 20);
    const replies = await Promise.all(marks.map((marker) => client.rpc('conversations.create', createData(marker))));
    expect(replies.map((r) => r.body.response?.custom_attributes?.marker)).toEqual(marks);
  });
});
