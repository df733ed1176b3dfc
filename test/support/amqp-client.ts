import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage, type GetMessage, type Options } from 'amqplib';
import { e2eEnvironment } from './e2e-environment.js';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export interface RpcReply {
  /** The parsed reply body: `{response, isDisposed}` or `{err, isDisposed}`. */
  body: any;
  properties: ConsumeMessage['properties'];
}

/**
 * Plain amqplib, as another service would use the queue (SPEC 5): the NestJS envelope written by
 * hand, replies over direct reply-to.
 */
export class RawAmqpClient {
  private replies = new Map<string, (reply: RpcReply) => void>();
  /** Every reply that arrived, in order (a request sent twice gets two). */
  readonly received: RpcReply[] = [];

  private constructor(
    readonly connection: ChannelModel,
    readonly channel: Channel,
    readonly queue: string,
  ) {}

  /** Requests go to `queue`: the e2e run's queue unless another is given. */
  static async connect(queue = e2eEnvironment().queue): Promise<RawAmqpClient> {
    const connection = await amqp.connect(e2eEnvironment().amqpUrl);
    const channel = await connection.createChannel();
    const client = new RawAmqpClient(connection, channel, queue);
    await channel.consume(
      DIRECT_REPLY_TO,
      (message) => {
        if (!message) return;
        const reply = { body: JSON.parse(message.content.toString()), properties: message.properties };
        client.received.push(reply);
        client.replies.get(message.properties.correlationId as string)?.(reply);
      },
      { noAck: true },
    );
    return client;
  }

  /** An RPC request; resolves with the reply (or rejects after `timeoutMs`). */
  rpc(pattern: string, data: unknown, options: Options.Publish = {}, timeoutMs = 10_000): Promise<RpcReply> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        reject(new Error(`no reply to ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(id, (reply) => {
        clearTimeout(timer);
        this.replies.delete(id);
        resolve(reply);
      });
      this.channel.sendToQueue(this.queue, Buffer.from(JSON.stringify({ pattern, data, id })), {
        replyTo: DIRECT_REPLY_TO,
        correlationId: id,
        contentType: 'application/json',
        ...options,
      });
    });
  }

  /**
   * Sends `envelope` exactly as given, as an RPC request (reply_to and `correlationId`) without
   * waiting for the reply: send it twice to look like a redelivery. Replies land in `received`.
   */
  request(envelope: { pattern: string; data: unknown; id: string }, correlationId: string, options: Options.Publish = {}): void {
    this.channel.sendToQueue(this.queue, Buffer.from(JSON.stringify(envelope)), {
      replyTo: DIRECT_REPLY_TO,
      correlationId,
      contentType: 'application/json',
      ...options,
    });
  }

  /** The replies received so far with `correlationId`. */
  repliesTo(correlationId: string): RpcReply[] {
    return this.received.filter((r) => r.properties.correlationId === correlationId);
  }

  /** An event: no id, no reply_to. `content` may be raw bytes (for poison messages). */
  publish(content: unknown, options: Options.Publish = {}): void {
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content));
    this.channel.sendToQueue(this.queue, bytes, { persistent: true, contentType: 'application/json', ...options });
  }

  /** Takes every message now in `queue` (the DLQ, say). */
  async drain(queue: string): Promise<GetMessage[]> {
    const out: GetMessage[] = [];
    for (;;) {
      const message = await this.channel.get(queue, { noAck: true });
      if (!message) return out;
      out.push(message);
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
