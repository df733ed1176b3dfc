#!/usr/bin/env node
// Another service's view of the conversations queue, in plain amqplib (no NestJS):
//   1. an RPC create: NestJS envelope with an `id`, reply_to = direct reply-to, wait for the reply;
//   2. an event create: no `id`, no reply_to, persistent, broker-confirmed, de-duplicated by message_id.
//
//   node examples/publisher.mjs            (with `npm run demo` running; settings as for the service)
//   AMQP_URL=... RMQ_QUEUE=... TOKEN=... ACCOUNT_ID=... INBOX_ID=... CONTACT_ID=... node examples/publisher.mjs
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const QUEUE = process.env.RMQ_QUEUE ?? 'conversations';
const TOKEN = process.env.TOKEN ?? 'demo-bot-acme'; // an agent bot of account 1 in fixtures/demo.json
const ACCOUNT_ID = Number(process.env.ACCOUNT_ID ?? 1);
const INBOX_ID = Number(process.env.INBOX_ID ?? 1);
const CONTACT_ID = Number(process.env.CONTACT_ID ?? 3);
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

const connection = await amqp.connect(AMQP_URL, { noDelay: true });
try {
  // 1. RPC: the reply consumer must be on the same channel as the publish, with noAck (direct reply-to).
  const rpcChannel = await connection.createChannel();
  const replies = new Map();
  await rpcChannel.consume(DIRECT_REPLY_TO, (message) => {
    replies.get(message.properties.correlationId)?.(JSON.parse(message.content.toString()));
  }, { noAck: true });
  const rpc = (pattern, data, timeoutMs = 10_000) => {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${pattern}: no reply within ${timeoutMs} ms`)), timeoutMs);
      replies.set(id, (reply) => { clearTimeout(timer); replies.delete(id); resolve(reply); });
      rpcChannel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({ pattern, data, id })), {
        replyTo: DIRECT_REPLY_TO,
        correlationId: id,
        contentType: 'application/json',
        expiration: String(timeoutMs), // nobody waits after that: let the broker drop it
      });
    });
  };
  const reply = await rpc('conversations.create', {
    api_access_token: TOKEN,
    account_id: ACCOUNT_ID,
    idempotency_key: `example-rpc-${randomUUID()}`,
    body: { inbox_id: INBOX_ID, contact_id: CONTACT_ID, custom_attributes: { origin: 'examples/publisher.mjs' } },
  });
  if (reply.err) console.log('RPC create refused:', reply.err);
  else console.log(`RPC create → conversation ${reply.response.id} in account ${reply.response.account_id}`);

  // 2. Event: fire and forget, but only once the broker has confirmed it is stored.
  const eventChannel = await connection.createConfirmChannel();
  const messageId = randomUUID(); // publish again with the same id after a failure: it is applied once
  eventChannel.sendToQueue(QUEUE, Buffer.from(JSON.stringify({
    pattern: 'conversations.create',
    data: { api_access_token: TOKEN, account_id: ACCOUNT_ID, body: { inbox_id: INBOX_ID, contact_id: CONTACT_ID, message: { content: 'Created by an event' } } },
  })), { persistent: true, messageId, contentType: 'application/json' });
  await eventChannel.waitForConfirms();
  console.log(`event create published (message_id ${messageId}); a failure would land in ${QUEUE}.dlq with x-error-reason`);
} finally {
  await connection.close();
}
