/**
 * The one definition of the work queue. The gateway's client and the worker's server both assert it,
 * and RabbitMQ refuses (PRECONDITION_FAILED) a second declaration whose arguments differ, so every
 * side must build its options here and nowhere else.
 */
export interface QueueDefinition {
  /** The work queue: RPC requests and create events. */
  readonly name: string;
  /** Where messages that can never succeed end up (SPEC 5), routed through the default exchange. */
  readonly deadLetterQueue: string;
  /** Options for `assertQueue` (and for Nest's `queueOptions`). */
  readonly options: {
    durable: true;
    arguments: Record<string, string>;
  };
}

export function deadLetterQueueName(queue: string): string {
  return `${queue}.dlq`;
}

export function queueDefinition(queue: string): QueueDefinition {
  const deadLetterQueue = deadLetterQueueName(queue);
  return {
    name: queue,
    deadLetterQueue,
    options: {
      durable: true,
      arguments: {
        // A nack without requeue moves the message to <queue>.dlq instead of dropping it.
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': deadLetterQueue,
      },
    },
  };
}

/** AMQP header that says why a message was dead-lettered (SPEC 5). */
export const ERROR_REASON_HEADER = 'x-error-reason';
/** AMQP header that carries the caller's request id from the gateway to the worker's logs. */
export const REQUEST_ID_HEADER = 'x-request-id';
