import { IsIn, IsNotEmpty, IsOptional, IsString, Matches } from 'class-validator';
import { QUEUE_TYPES, type QueueType } from '#app/contracts';
import { IsCorsOrigins, IsIntegerBetween, IsUrlWithScheme } from './validators.js';

/** SPEC 2: the broker and the queue, shared by the gateway and the worker. */
export class BrokerSettings {
  @IsUrlWithScheme(['amqp:', 'amqps:'])
  AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'must be 1-200 letters, digits or _ . : -' })
  RMQ_QUEUE = 'conversations';

  /** `quorum` for a replicated queue on a RabbitMQ cluster; both apps must agree. */
  @IsIn(QUEUE_TYPES, { message: `must be one of ${QUEUE_TYPES.join(', ')}` })
  RMQ_QUEUE_TYPE: QueueType = 'classic';
}

export class GatewaySettings extends BrokerSettings {
  @IsIntegerBetween(0, 65535)
  PORT = 3000;

  @IsString()
  @IsNotEmpty()
  HOST = '0.0.0.0';

  /** How long the gateway waits for a reply before answering 504. */
  @IsIntegerBetween(1, 600_000)
  RPC_TIMEOUT_MS = 10_000;

  /** API requests a minute from one client IP address (Chatwoot's default); 0 turns the limit off. */
  @IsIntegerBetween(0, 100_000_000)
  RATE_LIMIT_IP_PER_MINUTE = 3000;

  /** API requests a minute with one access token, from any address; 0 turns the limit off. */
  @IsIntegerBetween(0, 100_000_000)
  RATE_LIMIT_TOKEN_PER_MINUTE = 3000;

  /** Origins browsers may call the API from: empty (CORS off), `*`, or a comma-separated list of origins. */
  @IsCorsOrigins()
  CORS_ORIGINS = '';
}

export class WorkerSettings extends BrokerSettings {
  @IsUrlWithScheme(['postgres:', 'postgresql:'])
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/conversations';

  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,200}$/, { message: 'must be 1-200 letters, digits or _ . : -' })
  EVENTS_EXCHANGE = 'conversations.events';

  /** Health probes and /metrics (HTTP). 0 picks a free port. */
  @IsIntegerBetween(0, 65535)
  HEALTH_PORT = 3001;

  @IsString()
  @IsNotEmpty()
  HEALTH_HOST = '0.0.0.0';

  /** Unacknowledged messages a worker holds at once: bounds memory and keeps the others' share fair. */
  @IsIntegerBetween(1, 1000)
  WORKER_PREFETCH = 20;

  /** The relay's own RabbitMQ connection for domain events (defaults to AMQP_URL). */
  @IsOptional()
  @IsUrlWithScheme(['amqp:', 'amqps:'])
  EVENTS_AMQP_URL?: string;

  /** How often the outbox relay looks for events committed by other workers (its own it relays at once). */
  @IsIntegerBetween(10, 60_000)
  OUTBOX_POLL_MS = 250;

  /**
   * An event whose database is unavailable waits this long before its first retry; the delay doubles
   * up to EVENT_RETRY_MAX_DELAY_MS, and it is retried for as long as the outage lasts (never dead-lettered).
   */
  @IsIntegerBetween(1, 600_000)
  EVENT_RETRY_DELAY_MS = 1_000;

  @IsIntegerBetween(1, 3_600_000)
  EVENT_RETRY_MAX_DELAY_MS = 30_000;

  /** Longest one SQL statement of the worker may run; one that takes longer is an overload, retried like an outage. */
  @IsIntegerBetween(100, 600_000)
  DB_STATEMENT_TIMEOUT_MS = 15_000;

  /** Postgres connections of one worker; enough for the prefetch window's concurrent queries. */
  @IsIntegerBetween(1, 200)
  DB_POOL_SIZE = 10;
}

/** The one-shot commands (migrate, seed) need only the database. */
export class DatabaseSettings {
  @IsUrlWithScheme(['postgres:', 'postgresql:'])
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/conversations';
}
