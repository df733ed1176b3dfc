import { ERROR_REASON_HEADER } from '#app/contracts';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';

/**
 * Moves a message to another queue (the dead-letter or the retry queue) with extra headers, then
 * acknowledges the original. The copy is confirmed by the broker before the ack, so a crash in between
 * leaves a second copy, never a lost message.
 */
export async function moveMessage(
  channel: ConfirmChannel,
  message: ConsumeMessage,
  queue: string,
  headers: Record<string, unknown>,
  expirationMs?: number,
): Promise<void> {
  // The original properties travel along, but not its TTL: the copy lives by the target queue's rules.
  const { expiration: _ttl, ...properties } = message.properties;
  await new Promise<void>((resolve, reject) =>
    channel.sendToQueue(
      queue,
      message.content,
      {
        ...properties,
        persistent: true,
        headers: { ...properties.headers, ...headers },
        ...(expirationMs === undefined ? {} : { expiration: String(expirationMs) }),
      },
      (error: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    ),
  );
  channel.ack(message);
}

/** Dead-letters a message with the reason in `x-error-reason` (SPEC 5). */
export function deadLetter(channel: ConfirmChannel, message: ConsumeMessage, deadLetterQueue: string, reason: string): Promise<void> {
  return moveMessage(channel, message, deadLetterQueue, { [ERROR_REASON_HEADER]: reason.slice(0, 1000) });
}

/** An RPC request: it names where to reply, and carries the correlation id and the envelope id. */
export function isRpcRequest(message: ConsumeMessage, envelopeId: string | undefined): boolean {
  return Boolean(message.properties.replyTo) && message.properties.correlationId !== undefined && envelopeId !== undefined;
}
