/**
 * conversation.created on EVENTS_EXCHANGE (SPEC 5.1), seen by a plain amqplib subscriber: one event per
 * conversation created over HTTP, RPC and events, equal to what the create returned; nothing for a
 * create that failed; none lost while the relay's broker connection is cut. Writes go to accounts 4
 * and 5 only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { RawAmqpClient } from '../support/amqp-client.js';
import { dropDatabase, scratchDatabase } from '../support/database.mjs';
import { DedicatedQueue } from '../support/dedicated-queue.js';
import { EventSubscriber } from '../support/event-subscriber.js';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { createConversation } from '../support/http-client.js';
import { sleep } from '../support/processes.mjs';
import { TcpProxy, viaProxy } from '../support/tcp-proxy.mjs';

const rand = () => randomBytes(4).toString('hex');
const body = (marker: string, extra: Record<string, unknown> = {}) => ({ inbox_id: 5, contact_id: 20, custom_attributes: { marker }, ...extra });

describe('conversation.created on the events exchange', () => {
  const subscriber = new EventSubscriber();
  let amqpClient: RawAmqpClient;

  beforeAll(async () => {
    await subscriber.start();
    amqpClient = await RawAmqpClient.connect();
  });
  afterAll(async () => {
    await subscriber.stop();
    await amqpClient.close();
  });

  it('announces a create over HTTP once, with the body the create returned plus event, event_id and occurred_at', async () => {
    const marker = `ev-http-${rand()}`;
    const sent = performance.now();
    const res = await createConversation(TOKENS.umbrellaAdmin, 4, body(marker, { message: { content: 'hello' } }));
    expect(res.status).toBe(200);
    const [event, ...more] = await subscriber.waitForMarked([marker]);
    expect(more).toEqual([]);
    const { event: name, event_id: eventId, occurred_at: occurredAt, ...conversation } = event.body;
    expect(name).toBe('conversation.created');
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(occurredAt - Date.now() / 1000)).toBeLessThan(60);
    expect(conversation).toEqual(res.json);
    expect(event.message.fields.routingKey).toBe('conversation.created');
    expect(event.message.properties.deliveryMode).toBe(2);
    expect(event.message.properties.messageId).toBe(eventId);
    expect(event.message.properties.headers?.['x-account-id']).toBe(4);
    console.log(`HTTP create → event delivered in ${(event.at - sent).toFixed(1)} ms`);
  });

  it('announces a create over RPC once, equal to the RPC reply', async () => {
    const marker = `ev-rpc-${rand()}`;
    const reply = await amqpClient.rpc('conversations.create', { api_access_token: TOKENS.umbrellaBot, account_id: 4, body: body(marker) });
    expect(reply.body.err).toBeUndefined();
    const events = await subscriber.waitForMarked([marker]);
    expect(events).toHaveLength(1);
    const { event: _e, event_id: _id, occurred_at: _at, ...conversation } = events[0].body;
    expect(conversation).toEqual(reply.body.response);
  });

  it('announces a create published as an event once, even when the event is delivered twice', async () => {
    const marker = `ev-event-${rand()}`;
    const messageId = randomUUID();
    const event = { pattern: 'conversations.create', data: { api_access_token: TOKENS.hooliBot, account_id: 5, body: { inbox_id: 7, contact_id: 38, custom_attributes: { marker } } } };
    amqpClient.publish(event, { messageId });
    amqpClient.publish(event, { messageId });
    const events = await subscriber.waitForMarked([marker]);
    expect(events).toHaveLength(1);
    expect(events[0].body.account_id).toBe(5);
    expect(events[0].message.properties.headers?.['x-account-id']).toBe(5);
  });

  it('announces 5 concurrent creates with one Idempotency-Key once', async () => {
    const marker = `ev-idem-${rand()}`;
    const key = `ev-key-${rand()}`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => createConversation(TOKENS.umbrellaAdmin, 4, body(marker), { headers: { 'Idempotency-Key': key } })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await subscriber.waitForMarked([marker])).toHaveLength(1);
  });

  it('announces nothing for a create whose transaction failed', async () => {
    // contact 21 holds source_id u21-api in inbox 5: contact 22 claiming it fails inside the transaction (422)
    const marker = `ev-failed-${rand()}`;
    const res = await createConversation(TOKENS.umbrellaAdmin, 4, { inbox_id: 5, contact_id: 22, source_id: 'u21-api', custom_attributes: { marker } });
    expect(res.status).toBe(422);
    const after = `ev-after-failed-${rand()}`;
    expect((await createConversation(TOKENS.umbrellaAdmin, 4, body(after))).status).toBe(200);
    await subscriber.waitForMarked([after]); // the relay has gone past where a wrong event would be
    expect(subscriber.marked([marker])).toEqual([]);
  });

  it('measures the publish latency over 100 sequential creates', async () => {
    // The commit happens inside the request: "request sent → event delivered" bounds "commit → delivered".
    const latencies: number[] = [];
    for (let i = 0; i < 100; i++) {
      const marker = `ev-latency-${rand()}-${i}`;
      const sent = performance.now();
      const res = await createConversation(TOKENS.umbrellaAdmin, 4, body(marker));
      expect(res.status).toBe(200);
      const [event] = await subscriber.waitForMarked([marker], { graceMs: 0 });
      latencies.push(event.at - sent);
    }
    latencies.sort((a, b) => a - b);
    const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
    console.log(`create request sent → conversation.created delivered: p50 ${pick(0.5)} ms, p99 ${pick(0.99)} ms (n=100)`);
  });
});

describe('the relay\'s broker connection cut while 100 conversations are created', () => {
  const amqpTarget = new URL(e2eEnvironment().amqpUrl);
  const proxy = new TcpProxy(amqpTarget.hostname, Number(amqpTarget.port || 5672));
  const subscriber = new EventSubscriber();
  const queue = new DedicatedQueue('classic');
  // A database of its own: no other worker's relay can publish these events behind the proxy's back.
  let database: string;

  beforeAll(async () => {
    database = await scratchDatabase(e2eEnvironment().databaseUrl);
    await proxy.start();
    await subscriber.start();
    await queue.open();
    // only the relay's connection goes through the proxy; the consumer's does not
    queue.startWorker({ DATABASE_URL: database, EVENTS_AMQP_URL: viaProxy(e2eEnvironment().amqpUrl, proxy), OUTBOX_POLL_MS: '100' });
    await queue.waitForConsumers(1);
  });
  afterAll(async () => {
    await queue.close();
    await subscriber.stop();
    await proxy.stop();
    await dropDatabase(database);
  });

  it('delays the events and loses none: all 100 arrive once it is back, each event_id once', async () => {
    await proxy.cut();
    const markers = Array.from({ length: 100 }, (_, i) => `ev-outage-${rand()}-${i}`);
    await queue.publish(markers.map((marker) => ({
      body: { pattern: 'conversations.create', data: { api_access_token: TOKENS.hooliBot, account_id: 5, body: { inbox_id: 7, contact_id: 39, custom_attributes: { marker } } } },
      messageId: randomUUID(),
    })));
    await sleep(1_500);
    await proxy.restore();
    const events = await subscriber.waitForMarked(markers, { timeoutMs: 30_000 });
    const eventIds = events.map((e) => e.body.event_id);
    expect(new Set(events.map((e) => e.body.custom_attributes.marker)).size).toBe(100);
    expect(new Set(eventIds).size).toBe(eventIds.length); // each event_id once
    expect(events).toHaveLength(100);
  });
});
