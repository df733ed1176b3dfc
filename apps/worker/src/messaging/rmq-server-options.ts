import type { RmqOptions } from '@nestjs/microservices';
import type { QueueDefinition } from '#app/contracts';

/**
 * The worker's consumer settings. Nest's defaults are unsafe for work that must not be lost:
 * it would auto-ack on delivery, fetch without limit and reply non-persistently.
 */
export function rmqServerOptions(amqpUrl: string, queue: QueueDefinition, prefetch: number): NonNullable<RmqOptions['options']> {
  return {
    urls: [amqpUrl],
    queue: queue.name,
    queueOptions: queue.options,
    noAck: false, // acked by MessageSettlement once the work is committed
    prefetchCount: prefetch,
    isGlobalPrefetchCount: false,
    // Nagle's algorithm holds small frames (acks, replies) for ~40 ms: off.
    socketOptions: { connectionOptions: { noDelay: true }, heartbeatIntervalInSeconds: 10, reconnectTimeInSeconds: 1 },
  };
}
