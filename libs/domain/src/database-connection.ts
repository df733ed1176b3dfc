import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

const FIRST_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * The first connection to Postgres, made by the app when it is ready for it rather than while Nest
 * builds its modules: an app started while Postgres is unreachable keeps trying, however long that
 * takes, with its health endpoints up and saying "not ready" meanwhile (SPEC 2). Once connected, the
 * pool reconnects by itself.
 */
@Injectable()
export class DatabaseConnection {
  private readonly log = new Logger(DatabaseConnection.name);

  constructor(private readonly dataSource: DataSource) {}

  async connect(): Promise<void> {
    for (let attempt = 0; !this.dataSource.isInitialized; attempt++) {
      try {
        await this.dataSource.initialize();
      } catch (error) {
        const delayMs = Math.min(MAX_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(attempt, 10));
        this.log.warn(`Postgres is not reachable yet (${(error as Error).message}); retrying in ${delayMs} ms`);
        await sleep(delayMs);
      }
    }
  }
}
