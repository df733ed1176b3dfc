import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConversationCreateService, OutboxService } from '#app/domain';

const EVERY_MS = 60 * 60_000;
/** Published events are kept this long (the outbox is not an archive). */
const KEEP_PUBLISHED_SECONDS = 24 * 3600;

/** Hourly clean-up of the tables that grow with every create: published outbox events, expired idempotency keys. */
@Injectable()
export class Housekeeping implements OnApplicationShutdown {
  private readonly log = new Logger(Housekeeping.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly outbox: OutboxService,
    private readonly creates: ConversationCreateService,
  ) {}

  /** Started with the relay, once the database is connected. */
  start(): void {
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      await this.outbox.purgePublished(KEEP_PUBLISHED_SECONDS);
      await this.creates.purgeExpiredKeys();
    } catch (error) {
      this.log.warn(`housekeeping skipped this hour: ${(error as Error).message}`); // the next run catches up
    }
  }
}
