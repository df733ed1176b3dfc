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

/** What became of one relay run. */
export interface RelayRun {
  /** Events claimed (a full batch means more may be waiting). */
  claimed: number;
  published: number;
  /** Events the broker refused or did not confirm: each waits longer before its next attempt. */
  refused: number;
}

/** Delays before a refused event is tried again: 2 s, doubling, at most 5 minutes. */
const FIRST_RETRY_DELAY_SECONDS = 2;
const MAX_RETRY_DELAY_SECONDS = 300;

/** SKIP LOCKED: relays of several workers take disjoint batches instead of queueing on each other. */
const CLAIM_SQL = `SELECT id, event_id, account_id, routing_key, payload FROM outbox_events
   WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
   ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`;

const MARK_PUBLISHED_SQL = 'UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::bigint[])';

const POSTPONE_SQL = `UPDATE outbox_events
    SET attempts = attempts + 1,
        next_attempt_at = now() + make_interval(secs => LEAST(${MAX_RETRY_DELAY_SECONDS}, ${FIRST_RETRY_DELAY_SECONDS} * power(2, LEAST(attempts, 20))))
  WHERE id = ANY($1::bigint[])`;

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
   * Claims up to `limit` unpublished events that are due, hands them to `publish` (which says, event by
   * event, whether the broker confirmed it) and, in one transaction, marks the confirmed ones published
   * and postpones the others with a growing delay: one event a broker keeps refusing (a subscriber's full
   * queue) neither holds up the events behind it nor is re-sent to the other subscribers in a tight loop.
   * A crash after publishing and before the commit publishes them again (consumers de-duplicate on event_id).
   */
  relayPending(limit: number, publish: (events: PendingEvent[]) => Promise<boolean[]>): Promise<RelayRun> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager.query<{ id: string; event_id: string; account_id: number; routing_key: string; payload: object }[]>(
        CLAIM_SQL,
        [limit],
      );
      if (rows.length === 0) return { claimed: 0, published: 0, refused: 0 };
      const confirmed = await publish(rows.map((r) => ({ eventId: r.event_id, accountId: r.account_id, routingKey: r.routing_key, payload: r.payload })));
      const published = rows.filter((_, i) => confirmed[i]).map((r) => r.id);
      const refused = rows.filter((_, i) => !confirmed[i]).map((r) => r.id);
      if (published.length) await manager.query(MARK_PUBLISHED_SQL, [published]);
      if (refused.length) await manager.query(POSTPONE_SQL, [refused]);
      return { claimed: rows.length, published: published.length, refused: refused.length };
    });
  }

  /** Forgets events published more than `seconds` ago (the outbox is not an archive). */
  async purgePublished(seconds: number): Promise<void> {
    await this.dataSource.query(PURGE_SQL, [seconds]);
  }
}
