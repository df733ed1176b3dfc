/**
 * A consumer of conversation.created, as a downstream service would run one: a durable queue of its
 * own bound to EVENTS_EXCHANGE before the first create, acks after recording, and reconnection
 * across the broker restart (the queue and its persistent messages survive it). Every delivery is
 * kept, duplicates included, so the checks can tell a redelivery (same event_id) from a second event.
 */
import { AmqpLink } from './amqp-link.mjs';

export const ROUTING_KEY = 'conversation.created';

export class EventSubscriber {
  /** @param {string} url @param {string} exchange @param {string} queue */
  constructor(url, exchange, queue) {
    this.exchange = exchange;
    this.queue = queue;
    this.deliveries = 0;
    this.redelivered = 0;
    this.unparsable = 0;
    /** @type {Map<string, { count: number, displayId: number, uuid: string, ref: string | null }>} by event_id */
    this.events = new Map();
    this.link = new AmqpLink(url, {
      setup: async (channel) => {
        await channel.assertExchange(exchange, 'topic', { durable: true });
        await channel.assertQueue(queue, { durable: true });
        await channel.bindQueue(queue, exchange, ROUTING_KEY);
        await channel.prefetch(100);
        await channel.consume(queue, (message) => message && this.record(channel, message), { noAck: false });
      },
    });
  }

  /** Resolves once the queue is declared, bound and consumed. */
  async start() {
    this.link.start();
    await this.link.ready(120_000);
  }

  record(channel, message) {
    this.deliveries += 1;
    if (message.fields.redelivered) this.redelivered += 1;
    try {
      const event = JSON.parse(message.content.toString());
      const seen = this.events.get(event.event_id);
      if (seen) seen.count += 1;
      else this.events.set(event.event_id, { count: 1, displayId: event.id, uuid: event.uuid, ref: event.custom_attributes?.chaos_ref ?? null });
    } catch {
      this.unparsable += 1;
    }
    channel.ack(message);
  }

  /** event_ids per conversation uuid. @returns {Map<string, string[]>} */
  eventIdsByUuid() {
    const byUuid = new Map();
    for (const [eventId, { uuid }] of this.events) byUuid.set(uuid, [...(byUuid.get(uuid) ?? []), eventId]);
    return byUuid;
  }

  close() {
    return this.link.close();
  }
}
