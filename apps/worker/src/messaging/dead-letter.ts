import { ERROR_REASON_HEADER } from '#app/contracts';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';

/**
 * Moves a message to the dead-letter queue with the reason in `x-error-reason`, then acknowledges it.
 * The copy is published first and confirmed by the broker before the ack, so a crash in between
 * gives a second copy, never a lost message.
 */
export async function deadLetter(channel: ConfirmChannel, message: ConsumeMessage, deadLetterQueue: string, reason: string): Promise<void> {
  // The original properties travel along, but not a TTL: the copy must stay until someone reads it.
  const { expiration: _ttl, ...properties } = message.properties;
  await new Promise<void>((resolve, reject) =>
    channel.sendToQueue(
      deadLetterQueue,
      message.content,
      {
        ...properties,
        persistent: true,
        headers: { ...properties.headers, [ERROR_REASON_HEADER]: reason.slice(0, 1000) },
      },
      (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    ),
  );
  channel.ack(message);
}

/** An RPC request: it names where to reply, and carries the correlation id and the envelope id. */
export function isRpcRequest(message: ConsumeMessage, envelopeId: string | undefined): boolean {
  return Boolean(message.properties.replyTo) && message.properties.correlationId !== undefined && envelopeId !== undefined;
}
