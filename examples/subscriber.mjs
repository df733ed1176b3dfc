#!/usr/bin/env node
// Listens to conversation.created on the events exchange, in plain amqplib (no NestJS).
//
//   node examples/subscriber.mjs            (with `npm run demo` running; Ctrl-C to stop)
//   AMQP_URL=... EVENTS_EXCHANGE=... SUBSCRIBER_QUEUE=my-service.conversations node examples/subscriber.mjs
//
// A real consumer declares a durable queue of its own (SUBSCRIBER_QUEUE), so that events published
// while it is down wait for it; without one this example uses a temporary queue. Delivery is at least
// once: de-duplicate on event_id (kept here in memory; a service keeps it next to its own data).
import amqp from 'amqplib';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const EXCHANGE = process.env.EVENTS_EXCHANGE ?? 'conversations.events';
const QUEUE = process.env.SUBSCRIBER_QUEUE ?? '';

const connection = await amqp.connect(AMQP_URL);
const channel = await connection.createChannel();
await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
const { queue } = await channel.assertQueue(QUEUE, QUEUE ? { durable: true } : { exclusive: true });
await channel.bindQueue(queue, EXCHANGE, 'conversation.created');
await channel.prefetch(10);

const seen = new Set();
await channel.consume(queue, (message) => {
  const event = JSON.parse(message.content.toString());
  if (seen.has(event.event_id)) {
    channel.ack(message); // a redelivery: already handled
    return;
  }
  seen.add(event.event_id);
  const account = message.properties.headers?.['x-account-id'];
  console.log(`${event.event} #${event.id} in account ${account} (inbox ${event.inbox_id}, ${event.status}) event_id ${event.event_id}`);
  channel.ack(message); // after the work: a crash before this redelivers the event
});
console.log(`listening to ${EXCHANGE} (conversation.created) on queue ${queue}; Ctrl-C to stop`);

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => connection.close().finally(() => process.exit(0)));
