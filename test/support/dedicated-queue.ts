import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import amqp, { type ChannelModel, type GetMessage, type Options } from 'amqplib';
import pg from 'pg';
import { appEnv, e2eEnvironment, TOKENS } from './e2e-environment.js';
import { startApp, stopApp, waitFor } from './processes.mjs';
import { TcpProxy, viaProxy } from './tcp-proxy.mjs';

/** The account the event tests write to (Hooli), its API inbox and its first contact. */
const EVENTS_ACCOUNT = 5;
const EVENTS_INBOX = 7;
const EVENTS_CONTACT = 36;

/**
 * A queue of its own with workers of its own (child processes of the built worker), for tests that
 * start, kill or starve workers without disturbing the shared e2e worker. Same database.
 */
export class DedicatedQueue {
  readonly name: string;
  readonly workers: ChildProcess[] = [];
  private connection!: ChannelModel;

  constructor(
    readonly type: 'classic' | 'quorum' = 'classic',
    private readonly env: Record<string, string> = {},
  ) {
    this.name = `conv_e2e_dedicated_${type}_${randomBytes(4).toString('hex')}`;
  }

  async open(): Promise<void> {
    this.connection = await amqp.connect(e2eEnvironment().amqpUrl);
    this.connection.on('error', () => undefined);
  }

  /** Starts a worker on this queue; `env` overrides (say, a DATABASE_URL that points nowhere). */
  startWorker(env: Record<string, string> = {}): ChildProcess {
    const worker = startApp('worker', { ...appEnv(), ...this.env, RMQ_QUEUE: this.name, RMQ_QUEUE_TYPE: this.type, HEALTH_PORT: '0', ...env }, `worker-${this.name}-${this.workers.length}`);
    this.workers.push(worker);
    return worker;
  }

  async consumerCount(): Promise<number> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(this.name)).consumerCount;
    } catch {
      return 0; // not declared yet
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  waitForConsumers(n: number): Promise<void> {
    return waitFor(`${n} consumer(s) on ${this.name}`, async () => (await this.consumerCount()) >= n, 30_000);
  }

  /**
   * Has the topology declared exactly as the workers of this build declare it, by running one until
   * it consumes, then stopping it: a deployment whose workers are all down (a case that publishes
   * before any worker of its own runs).
   */
  async declareWithWorker(): Promise<void> {
    const worker = this.startWorker();
    await this.waitForConsumers(1);
    await stopApp(worker);
    await waitFor(`no consumer on ${this.name}`, async () => (await this.consumerCount()) === 0, 10_000);
  }

  /**
   * Publishes persistent, broker-confirmed messages (JSON bodies, or raw bytes); `properties` adds to
   * or overrides the AMQP properties, `amqpUrl` publishes as another broker user.
   */
  async publish(
    messages: { body: unknown; messageId?: string; headers?: Record<string, unknown>; properties?: Options.Publish }[],
    { amqpUrl }: { amqpUrl?: string } = {},
  ): Promise<void> {
    const connection = amqpUrl ? await amqp.connect(amqpUrl) : this.connection;
    try {
      const channel = await connection.createConfirmChannel();
      for (const m of messages) {
        const bytes = Buffer.isBuffer(m.body) ? m.body : Buffer.from(JSON.stringify(m.body));
        channel.sendToQueue(this.name, bytes, { persistent: true, contentType: 'application/json', messageId: m.messageId, headers: m.headers, ...m.properties });
      }
      await channel.waitForConfirms();
      await channel.close();
    } finally {
      if (connection !== this.connection) await connection.close();
    }
  }

  /** Takes every message now in the dead-letter queue. */
  drainDeadLetters(): Promise<GetMessage[]> {
    return this.drain(`${this.name}.dlq`);
  }

  /**
   * Drains the dead-letter queue until a copy of each of `messageIds` has shown up (or `timeoutMs`
   * passed), then once more after `graceMs` (time for a wrong second copy); returns all it took.
   */
  async collectDeadLetters(messageIds: string[], { timeoutMs = 20_000, graceMs = 2_000 } = {}): Promise<GetMessage[]> {
    const dead: GetMessage[] = [];
    await waitFor('', async () => {
      dead.push(...(await this.drainDeadLetters()));
      return messageIds.every((id) => dead.some((m) => m.properties.messageId === id));
    }, timeoutMs).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, graceMs));
    dead.push(...(await this.drainDeadLetters()));
    return dead;
  }

  /** Takes every message now ready in `queue` (this queue, its `.dlq` or its `.retry`, say). */
  async drain(queue: string): Promise<GetMessage[]> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    const out: GetMessage[] = [];
    try {
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (!message) break;
        out.push(message);
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
    return out;
  }

  /** Messages ready in `queue` (0 if it does not exist). */
  async messageCount(queue: string): Promise<number> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } catch {
      return 0;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => stopApp(w)));
    await this.connection.close();
    await deleteQueueTopology(this.name);
  }
}

/**
 * Deletes what the apps declared for `queue`: the queue, its dead-letter and retry queues, its
 * dead-letter exchange, and `<queue>.events` (the events exchange of a case whose workers publish
 * to one of their own).
 */
export async function deleteQueueTopology(queue: string): Promise<void> {
  const connection = await amqp.connect(e2eEnvironment().amqpUrl);
  const channel = await connection.createChannel();
  for (const name of [queue, `${queue}.dlq`, `${queue}.retry`]) await channel.deleteQueue(name);
  await channel.deleteExchange(`${queue}.dlx`);
  await channel.deleteExchange(`${queue}.events`);
  await connection.close();
}

/** Conversations of account `accountId` whose custom_attributes[`key`] equals `value`, per value. */
export async function conversationsByAttribute(accountId: number, key: string, values: string[]): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: e2eEnvironment().databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ value: string; n: number }>(
      `SELECT custom_attributes->>$2 AS value, count(*)::int AS n FROM conversations
        WHERE account_id = $1 AND custom_attributes->>$2 = ANY($3::text[]) GROUP BY 1`,
      [accountId, key, values],
    );
    return new Map(rows.map((r) => [r.value, r.n]));
  } finally {
    await client.end();
  }
}

/**
 * A create event for the events account (no `id`, no reply_to) marked so it can be found in the
 * database; `data` and `body` add to or override its fields.
 */
export function createEvent(marker: string, data: Record<string, unknown> = {}, body: Record<string, unknown> = {}) {
  return {
    pattern: 'conversations.create',
    data: {
      api_access_token: TOKENS.hooliBot,
      account_id: EVENTS_ACCOUNT,
      ...data,
      body: { inbox_id: EVENTS_INBOX, contact_id: EVENTS_CONTACT, custom_attributes: { marker }, ...body },
    },
  };
}

/** Conversations of the events account marked `marker`. */
export const countOf = async (marker: string): Promise<number> =>
  (await conversationsByAttribute(EVENTS_ACCOUNT, 'marker', [marker])).get(marker) ?? 0;

export async function waitForCount(marker: string, expected: number, timeoutMs = 20_000): Promise<void> {
  await waitFor(`${expected} conversation(s) marked ${marker}`, async () => (await countOf(marker)) >= expected, timeoutMs);
}

/** Waits until every marker is applied in the events account; returns how many conversations each produced. */
export async function waitForAll(markers: string[], timeoutMs = 60_000): Promise<Map<string, number>> {
  let counts = new Map<string, number>();
  await waitFor(`${markers.length} markers applied`, async () => {
    counts = await conversationsByAttribute(EVENTS_ACCOUNT, 'marker', markers);
    return counts.size === markers.length;
  }, timeoutMs);
  return counts;
}

/** A proxy in front of the e2e Postgres, for a worker whose database a case cuts and restores. */
export function databaseProxy(): TcpProxy {
  return new TcpProxy('127.0.0.1', Number(new URL(e2eEnvironment().databaseUrl).port || 5432));
}

/**
 * Registers, in the calling describe block, a dedicated queue with one worker that reaches Postgres
 * through `proxy` (started before it, stopped after): the setup of every database-outage case.
 */
export function queueWithWorkerBehind(proxy: TcpProxy, queue: DedicatedQueue): DedicatedQueue {
  beforeAll(async () => {
    await proxy.start();
    await queue.open();
    queue.startWorker({ DATABASE_URL: viaProxy(e2eEnvironment().databaseUrl, proxy) });
    await queue.waitForConsumers(1);
  });
  afterAll(async () => {
    await queue.close();
    await proxy.stop();
  });
  return queue;
}
