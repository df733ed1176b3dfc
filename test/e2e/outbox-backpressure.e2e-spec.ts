/**
 * The outbox relay against a subscriber queue that refuses what it is sent (contract 6): one queue
 * bound to the worker's events exchange is full with `x-overflow: reject-publish`, so the broker
 * nacks every conversation.created routed to it, while a normal subscriber queue takes them all.
 * The relay may re-send (at least once), but with restraint, and it must deliver everything once the
 * full queue has room. A worker of its own, with a database of its own (no other relay may publish
 * its events) and an events exchange of its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { dropDatabase, scratchDatabase } from '../support/database.mjs';
import { createEvent, DedicatedQueue } from '../support/dedicated-queue.js';
import { e2eEnvironment } from '../support/e2e-environment.js';
import { EventSubscriber } from '../support/event-subscriber.js';
import { sleep, waitFor } from '../support/processes.mjs';

const rand = () => randomBytes(4).toString('hex');

describe('a subscriber queue that is full and rejects publishes', () => {
  const queue = new DedicatedQueue('classic');
  const exchange = `${queue.name}.events`;
  const full = new EventSubscriber(exchange, {
    queue: `${queue.name}.full-subscriber`,
    queueOptions: { durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } },
  });
  const normal = new EventSubscriber(exchange);
  let database: string;

  beforeAll(async () => {
    database = await scratchDatabase(e2eEnvironment().databaseUrl);
    await queue.open();
    await full.start({ consume: false });
    full.sendToQueue(Buffer.from('{"filler":true}'));
    await waitFor('the full queue to be full', async () => (await queue.messageCount(full.queue)) === 1, 10_000);
    await normal.start();
    queue.startWorker({ DATABASE_URL: database, EVENTS_EXCHANGE: exchange });
    await queue.waitForConsumers(1);
  });
  afterAll(async () => {
    await queue.close();
    await full.stop();
    await normal.stop();
    await dropDatabase(database);
  });

  it('sends each event a few times at most while the queue is full, and everything once it has room', async () => {
    const markers = Array.from({ length: 3 }, (_, i) => `backpressure-${rand()}-${i}`);
    await queue.publish(markers.map((marker) => ({ body: createEvent(marker), messageId: randomUUID() })));
    await normal.waitForMarked(markers, { timeoutMs: 20_000, graceMs: 0 });
    await sleep(18_000);

    const deliveries = new Map<string, number>(); // per event_id
    for (const r of normal.marked(markers)) deliveries.set(r.body.event_id, (deliveries.get(r.body.event_id) ?? 0) + 1);
    expect(deliveries.size).toBe(3); // one event per conversation
    expect(Math.min(...deliveries.values())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...deliveries.values())).toBeLessThanOrEqual(6);

    await full.purge();
    await full.consume(); // from now on the formerly full queue is drained as fast as events come
    const after = `backpressure-after-${rand()}`;
    await queue.publish([{ body: createEvent(after), messageId: randomUUID() }]);
    await normal.waitForMarked([after], { timeoutMs: 60_000, graceMs: 0 });
    await full.waitForMarked([...markers, after], { timeoutMs: 60_000, graceMs: 0 });
  }, 150_000);
});
