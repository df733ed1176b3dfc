/**
 * conversations.create as an RPC over raw amqplib, as another service would call it (README
 * "Calling it over AMQP"): the NestJS envelope by hand, direct reply-to, a correlation id, and both an
 * expiration and an x-reply-deadline header for how long it waits (as the gateway does). Never
 * retried: a request without an idempotency key is not safe to repeat, so its outcome is recorded.
 */
import { randomUUID } from 'node:crypto';
import { AmqpLink } from './amqp-link.mjs';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export class RpcClient {
  /** @param {string} url @param {string} queue @param {number} timeoutMs */
  constructor(url, queue, timeoutMs) {
    this.queue = queue;
    this.timeoutMs = timeoutMs;
    /** @type {Map<string, (outcome: object) => void>} */
    this.pending = new Map();
    this.link = new AmqpLink(url, {
      setup: (channel) => channel.consume(DIRECT_REPLY_TO, (message) => message && this.onReply(message), { noAck: true }),
      // Replies to requests of a lost connection can never arrive (direct reply-to is per channel).
      onLost: () => this.failAll('connection lost'),
    }).start();
  }

  onReply(message) {
    const settle = this.pending.get(message.properties.correlationId);
    if (!settle) return;
    let body;
    try {
      body = JSON.parse(message.content.toString());
    } catch {
      return settle({ status: null, outcome: 'reply not JSON' });
    }
    if (body.err) settle({ status: Number(body.err.status) || 500, outcome: `${body.err.status}`, error: body.err.error });
    else settle({ status: 200, outcome: '200', conversation: body.response });
  }

  failAll(outcome) {
    for (const settle of [...this.pending.values()]) settle({ status: null, outcome });
  }

  /**
   * @param {{ api_access_token: string, account_id: number, body: object }} data
   * @returns {Promise<{ status: number | null, outcome: string, conversation?: any, error?: string }>}
   */
  create(data) {
    const channel = this.link.channel;
    if (!channel) return Promise.resolve({ status: null, outcome: 'broker unreachable' });
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle({ status: null, outcome: 'no reply (timeout)' }), this.timeoutMs + 1000);
      const settle = (outcome) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(outcome);
      };
      this.pending.set(id, settle);
      try {
        channel.sendToQueue(this.queue, Buffer.from(JSON.stringify({ pattern: 'conversations.create', data, id })), {
          replyTo: DIRECT_REPLY_TO,
          correlationId: id,
          contentType: 'application/json',
          expiration: String(this.timeoutMs),
          // When this caller stops waiting: a worker that takes the request later discards it unexecuted.
          headers: { 'x-reply-deadline': Date.now() + this.timeoutMs },
        });
      } catch {
        settle({ status: null, outcome: 'broker unreachable' });
      }
    });
  }

  close() {
    return this.link.close();
  }
}
