/**
 * The frameworkless path's HTTP side (bench only): plain Fastify and amqplib, no NestJS. A list request
 * becomes the Nest-envelope RPC message the gateway sends ({pattern, data, id}, the same properties),
 * published to the bench's own queue with direct reply-to; the reply is unwrapped and serialized as the
 * gateway does. It has no validation, no hooks, no metrics: what is left is the architecture's own cost.
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import Fastify from 'fastify';
import { parseQueryString } from '../../apps/gateway/src/http/fastify-setup.js';

const env = process.env;
const queue = env.FL_QUEUE ?? 'conv_bench_frameworkless';
const timeoutMs = Number(env.RPC_TIMEOUT_MS ?? 65_000);
const REPLY_TO = 'amq.rabbitmq.reply-to';

interface Reply {
  response?: unknown;
  err?: { status?: number; error?: string };
}

const connection = await amqp.connect(env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', { noDelay: true });
const channel = await connection.createChannel();
const waiting = new Map<string, (content: Buffer | null) => void>();
// Direct reply-to: consumed on the publishing channel, without acks, before the first publish.
await channel.consume(REPLY_TO, (message) => message && waiting.get(message.properties.correlationId as string)?.(message.content), { noAck: true });

function rpc(pattern: string, data: object): Promise<Buffer | null> {
  const id = randomUUID();
  return new Promise((resolve) => {
    const timer = setTimeout(() => settle(null), timeoutMs);
    const settle = (content: Buffer | null) => {
      clearTimeout(timer);
      waiting.delete(id);
      resolve(content);
    };
    waiting.set(id, settle);
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ pattern, data, id })), {
      replyTo: REPLY_TO,
      correlationId: id,
      expiration: String(timeoutMs),
      headers: { 'x-request-id': id, 'x-reply-deadline': String(Date.now() + timeoutMs) },
    });
  });
}

const app = Fastify({ routerOptions: { querystringParser: parseQueryString } });
app.get<{ Params: { account_id: string } }>('/api/v1/accounts/:account_id/conversations', async (request, reply) => {
  const token = request.headers.api_access_token;
  if (typeof token !== 'string' || !token) return reply.code(401).send({ error: 'You need to sign in or sign up before continuing.' });
  const content = await rpc('conversations.list', { api_access_token: token, account_id: Number(request.params.account_id), query: request.query });
  if (!content) return reply.code(504).send({ error: 'no reply in time' });
  const answer = JSON.parse(content.toString()) as Reply;
  if (answer.err) return reply.code(answer.err.status ?? 500).send({ error: answer.err.error });
  return answer.response;
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void app.close().then(() => connection.close()).finally(() => process.exit(0)));
}
await app.listen({ port: Number(env.PORT ?? 3200), host: '127.0.0.1' });
console.log(`frameworkless server listening on http://127.0.0.1:${env.PORT ?? 3200}, queue ${queue}`);
