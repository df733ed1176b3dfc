import amqp, { type Channel, type ChannelModel, type ConsumeMessage, type Options } from 'amqplib';
import { e2eEnvironment } from './e2e-environment.js';
import { sleep } from './processes.mjs';

export interface Received {
  body: any;
  message: ConsumeMessage;
  at: number;
}

/**
 * A plain amqplib subscriber of conversation.created on an events exchange (the e2e run's by
 * default): a queue of its own (exclusive and server-named unless `queue` is given), consumed with
 * auto-ack from `start()`, or not consumed at all with `{ consume: false }`.
 */
export class EventSubscriber {
  readonly received: Received[] = [];
  private connection!: ChannelModel;
  private channel!: Channel;
  queue = '';

  constructor(
    readonly exchange = `${e2eEnvironment().queue}.events`,
    private readonly options: { queue?: string; queueOptions?: Options.AssertQueue } = {},
  ) {}

  async start({ consume = true } = {}): Promise<void> {
    this.connection = await amqp.connect(e2eEnvironment().amqpUrl);
    this.connection.on('error', () => undefined);
    this.channel = await this.connection.createChannel();
    await this.channel.assertExchange(this.exchange, 'topic', { durable: true });
    ({ queue: this.queue } = await this.channel.assertQueue(this.options.queue ?? '', this.options.queueOptions ?? { exclusive: true }));
    await this.channel.bindQueue(this.queue, this.exchange, 'conversation.created');
    if (consume) await this.consume();
  }

  /** Starts taking what arrives (for a subscriber started with `{ consume: false }`). */
  async consume(): Promise<void> {
    await this.channel.consume(this.queue, (message) => {
      if (message) this.received.push({ body: JSON.parse(message.content.toString()), message, at: performance.now() });
    }, { noAck: true });
  }

  /** Publishes straight to the subscriber's queue (to fill it, say). */
  sendToQueue(content: Buffer): void {
    this.channel.sendToQueue(this.queue, content);
  }

  async purge(): Promise<void> {
    await this.channel.purgeQueue(this.queue);
  }

  /** Events whose conversation carries custom_attributes.marker in `markers`. */
  marked(markers: Iterable<string>): Received[] {
    const wanted = new Set(markers);
    return this.received.filter((r) => wanted.has(r.body?.custom_attributes?.marker));
  }

  /** Waits for an event of every marker, then `graceMs` more for a wrong duplicate to show. */
  async waitForMarked(markers: string[], { timeoutMs = 20_000, graceMs = 500 } = {}): Promise<Received[]> {
    const all = () => new Set(this.marked(markers).map((r) => r.body.custom_attributes.marker)).size === markers.length;
    const deadline = Date.now() + timeoutMs;
    while (!all()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${markers.length} events`);
      await sleep(2);
    }
    await sleep(graceMs);
    return this.marked(markers);
  }

  /** Closes the connection; a named queue is deleted first. */
  async stop(): Promise<void> {
    if (this.options.queue) await this.channel.deleteQueue(this.queue).catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}
