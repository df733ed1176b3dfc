import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** An event waiting in the outbox. */
export interface PendingEvent {
  eventId: string;
  accountId: number;
  routingKey: string;
  payload: object;
}

const RECORD_SQL = 'INSERT INTO outbox_events (event_id, account_id, routing_key, payload) VALUES ($1, $2, $3, $4)';

/** SKIP LOCKED: relays of several workers take disjoint batches instead of queueing on each other. */
const CLAIM_SQL = `SELECT id, event_id, account_id, routing_key, payload FROM outbox_events
   WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;

const MARK_PUBLISHED_SQL = 'UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[])';

const PURGE_SQL = `DELETE FROM outbox_events WHERE published_at < now() - make_interval(secs => $1)`;

/**
 * The transactional outbox (SPEC 5.1): an event is written in the transaction of the change it
 * announces, so a rolled-back create announces nothing and a committed one is never forgotten.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes an event inside the caller's transaction; returns its id. */
  async record(manager: EntityManager, accountId: number, routingKey: string, build: (eventId: string) => object): Promise<string> {
    const eventId = randomUUID();
    await manager.query(RECORD_SQL, [eventId, accountId, routingKey, build(eventId)]);
    return eventId;
  }

  /**
   * Claims up to `limit` unpublished events, hands them to `publish` (which resolves once the broker
   * has confirmed them) and marks them published, all in one transaction: a failure leaves them
   * pending, a crash after publishing and before the commit publishes them again (consumers
   * de-duplicate on event_id). Returns how many were published.
   */
  relayPending(limit: number, publish: (events: PendingEvent[]) => Promise<void>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string; event_id: string; account_id: number; routing_key: string; payload: object }[]>(
        CLAIM_SQL,
        [limit],
      );
      if (rows.length === 0) return 0;
      await publish(rows.map((r) => ({ eventId: r.event_id, accountId: r.account_id, routingKey: r.routing_key, payload: r.payload })));
      await manager.query(MARK_PUBLISHED_SQL, [rows.map((r) => r.id)]);
      return rows.length;
    });
  }

  /** Forgets events published more than `seconds` ago (the outbox is not an archive). */
  async purgePublished(seconds: number): Promise<void> {
    await this.dataSource.query(PURGE_SQL, [seconds]);
  }
}
