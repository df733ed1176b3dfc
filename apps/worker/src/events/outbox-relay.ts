import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ACCOUNT_ID_HEADER } from '#app/contracts';
import { OutboxService, type PendingEvent, type RelayRun } from '#app/domain';
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

/**
 * Publishes the outbox (SPEC 5.1) to the EVENTS_EXCHANGE topic exchange with publisher confirms,
 * on a connection of its own. Runs at once after this worker commits a create (`nudge`) and every
 * OUTBOX_POLL_MS for events other workers committed; while the broker is away events wait in the
 * outbox and go out when it is back. Each event is confirmed or refused on its own: a refused one
 * waits longer each time (OutboxService), the others go out.
 * Started by the app once its database is connected (`start`), before it takes messages.
 */
@Injectable()
export class OutboxRelay implements OnApplicationShutdown {
  private readonly log = new Logger(OutboxRelay.name);
  private connection: AmqpConnectionManager | null = null;
  private channel: ChannelWrapper | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    @Inject(RELAY_SETTINGS) private readonly settings: RelaySettings,
    private readonly outbox: OutboxService,
    private readonly metrics: WorkerMetrics,
  ) {}

  start(): void {
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
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.channel?.close();
    await this.connection?.close();
  }

  /** Publish what is pending now (one run at a time; a nudge during a run makes it go round again). */
  nudge(): void {
    if (!this.connection) return; // not started yet: start() publishes what is pending
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    if (!this.connection?.isConnected()) return; // nothing can be confirmed now; the channel's connect event nudges
    try {
      let run: RelayRun;
      do {
        this.again = false;
        run = await this.outbox.relayPending(BATCH, (events) => this.publish(events));
        if (run.published) this.metrics.eventsPublished.inc(run.published);
        if (run.refused) {
          this.metrics.eventsRefused.inc(run.refused);
          this.log.warn(`${run.refused} event(s) refused or not confirmed by the broker; they are retried later`);
        }
      } while (run.claimed === BATCH || this.again);
    } catch (error) {
      this.log.warn(`events not published yet (they stay in the outbox): ${(error as Error).message}`);
    }
  }

  /** Publishes each event with a confirm; resolves with which ones the broker confirmed. */
  private async publish(events: PendingEvent[]): Promise<boolean[]> {
    const channel = this.channel!;
    const outcomes = await Promise.allSettled(
      events.map((event) =>
        channel.publish(this.settings.exchange, event.routingKey, Buffer.from(JSON.stringify(event.payload)), {
          persistent: true,
          contentType: 'application/json',
          messageId: event.eventId,
          type: event.routingKey,
          timestamp: Math.floor(Date.now() / 1000),
          headers: { [ACCOUNT_ID_HEADER]: event.accountId },
        }),
      ),
    );
    return outcomes.map((outcome) => outcome.status === 'fulfilled');
  }
}
