import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ACCOUNT_ID_HEADER } from '#app/contracts';
import { OutboxService, type PendingEvent } from '#app/domain';
import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import { WorkerMetrics } from '../observability/worker-metrics.js';

export const RELAY_SETTINGS = Symbol('RELAY_SETTINGS');

export interface RelaySettings {
  amqpUrl: string;
  exchange: string;
  pollMs: number;
}

const BATCH = 100;
const PUBLISH_TIMEOUT_MS = 5_000;
const PURGE_EVERY_MS = 60 * 60_000;
const KEEP_PUBLISHED_SECONDS = 24 * 3600;

/**
 * Publishes the outbox (SPEC 5.1) to the EVENTS_EXCHANGE topic exchange with publisher confirms,
 * on a connection of its own. Runs at once after this worker commits a create (`nudge`) and every
 * OUTBOX_POLL_MS for events other workers committed; while the broker is away events wait in the
 * outbox and go out when it is back.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelay.name);
  private connection!: AmqpConnectionManager;
  private channel!: ChannelWrapper;
  private timer: NodeJS.Timeout | null = null;
  private purgeTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    @Inject(RELAY_SETTINGS) private readonly settings: RelaySettings,
    private readonly outbox: OutboxService,
    private readonly metrics: WorkerMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const { amqpUrl, exchange, pollMs } = this.settings;
    this.connection = amqp.connect([amqpUrl], { connectionOptions: { noDelay: true }, heartbeatIntervalInSeconds: 5, reconnectTimeInSeconds: 1 });
    this.connection.on('disconnect', ({ err }) => this.log.warn(`events connection lost: ${err?.message ?? 'closed'}`));
    this.connection.on('connectFailed', ({ err }) => this.log.warn(`events connection failed: ${err?.message ?? 'unknown'}`));
    this.channel = this.connection.createChannel({
      confirm: true,
      publishTimeout: PUBLISH_TIMEOUT_MS,
      setup: (channel: ConfirmChannel) => channel.assertExchange(exchange, 'topic', { durable: true }),
    });
    // A setup cut short by a dropped connection is retried on the next connect; it must not kill the worker.
    this.channel.on('error', (error: Error) => this.log.warn(`events channel: ${error.message}`));
    this.channel.on('connect', () => this.nudge());
    this.timer = setInterval(() => this.nudge(), pollMs);
    this.purgeTimer = setInterval(() => void this.outbox.purgePublished(KEEP_PUBLISHED_SECONDS).catch(() => undefined), PURGE_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    await this.running;
    await this.channel?.close();
    await this.connection?.close();
  }

  /** Publish what is pending now (one run at a time; a nudge during a run makes it go round again). */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    if (!this.connection.isConnected()) return; // nothing can be confirmed now; the channel's connect event nudges
    try {
      let published: number;
      do {
        this.again = false;
        published = await this.outbox.relayPending(BATCH, (events) => this.publish(events));
        if (published) this.metrics.eventsPublished.inc(published);
      } while (published === BATCH || this.again);
    } catch (error) {
      this.log.warn(`events not published yet (they stay in the outbox): ${(error as Error).message}`);
    }
  }

  private async publish(events: PendingEvent[]): Promise<void> {
    await Promise.all(
      events.map((event) =>
        this.channel.publish(this.settings.exchange, event.routingKey, Buffer.from(JSON.stringify(event.payload)), {
          persistent: true,
          contentType: 'application/json',
          messageId: event.eventId,
          type: event.routingKey,
          timestamp: Math.floor(Date.now() / 1000),
          headers: { [ACCOUNT_ID_HEADER]: event.accountId },
        }),
      ),
    );
  }
}
