/**
 * The one definition of the queue topology. The gateway's client and the worker's server both assert
 * the work queue, and RabbitMQ refuses (PRECONDITION_FAILED) a second declaration whose arguments
 * differ, so every side builds its options here and nowhere else.
 *
 *   <queue>        work queue: RPC requests and create events
 *   <queue>.dlx    the exchange the work queue's arguments name for dead letters. Nothing is bound to it:
 *                  what RabbitMQ itself dead-letters (an RPC request that expired unanswered) is
 *                  discarded, never kept with its token (the worker dead-letters explicitly instead)
 *   <queue>.dlq    where messages that can never succeed end up, with an x-error-reason header
 *   <queue>.retry  holds an event whose database was unreachable for a while (per-message TTL), then
 *                  dead-letters it back into the work queue
 */
export const QUEUE_TYPES = ['classic', 'quorum'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

export interface QueueDefinition {
  readonly name: string;
  readonly type: QueueType;
  readonly deadLetterExchange: string;
  readonly deadLetterQueue: string;
  readonly retryQueue: string;
  /** Options for `assertQueue` of the work queue (and for Nest's `queueOptions`). */
  readonly options: { durable: true; arguments: Record<string, string> };
  readonly deadLetterQueueOptions: { durable: true; arguments: Record<string, string> };
  readonly retryQueueOptions: { durable: true; arguments: Record<string, string> };
}

export function deadLetterQueueName(queue: string): string {
  return `${queue}.dlq`;
}

export function queueDefinition(queue: string, type: QueueType = 'classic'): QueueDefinition {
  const deadLetterExchange = `${queue}.dlx`;
  const deadLetterQueue = deadLetterQueueName(queue);
  const typed = { 'x-queue-type': type };
  return {
    name: queue,
    type,
    deadLetterExchange,
    deadLetterQueue,
    retryQueue: `${queue}.retry`,
    options: {
      durable: true,
      arguments: { ...typed, 'x-dead-letter-exchange': deadLetterExchange, 'x-dead-letter-routing-key': deadLetterQueue },
    },
    deadLetterQueueOptions: { durable: true, arguments: typed },
    retryQueueOptions: {
      durable: true,
      // An expired retry goes back to the work queue through the default exchange.
      arguments: { ...typed, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
    },
  };
}

/** AMQP header that says why a message was dead-lettered (SPEC 5). */
export const ERROR_REASON_HEADER = 'x-error-reason';
/** AMQP header counting how often an event was put back because the database was unreachable. */
export const RETRY_COUNT_HEADER = 'x-retry-count';
/**
 * AMQP header of an RPC request: when its caller stops waiting (unix milliseconds, as a number or as
 * decimal text). A worker that takes
 * the request later discards it unexecuted, as RabbitMQ discards one that expires in the queue.
 */
export const RPC_DEADLINE_HEADER = 'x-reply-deadline';
/** AMQP header that carries the caller's request id from the gateway to the worker's logs. */
export const REQUEST_ID_HEADER = 'x-request-id';
