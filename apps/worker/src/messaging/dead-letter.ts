import { ERROR_REASON_HEADER } from '#app/contracts';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';

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
  const properties = copiedProperties(message, headers, expirationMs);
  let published: Promise<void>;
  try {
    published = publishConfirmed(channel, queue, message.content, properties);
  } catch {
    // amqplib could not encode a header it decoded (an odd type from another client): keep them as text.
    published = publishConfirmed(channel, queue, message.content, { ...properties, headers: { ...textHeaders(message.properties.headers), ...headers } });
  }
  await published;
  channel.ack(message);
}

/** Dead-letters a message with the reason in `x-error-reason` (SPEC 5). */
export function deadLetter(channel: ConfirmChannel, message: ConsumeMessage, deadLetterQueue: string, reason: string): Promise<void> {
  return moveMessage(channel, message, deadLetterQueue, { [ERROR_REASON_HEADER]: reason.slice(0, 1000) });
}

/** How long a message whose move the broker refused waits before it goes back to the queue. */
const PUT_BACK_PAUSE_MS = 1_000;

/**
 * Returns a message the broker would not let us move to the queue it goes back to, after a pause so that
 * a refusal that lasts is no busy loop. A channel that is gone has returned it already.
 */
export async function putBack(channel: ConfirmChannel, message: ConsumeMessage): Promise<void> {
  await sleep(PUT_BACK_PAUSE_MS);
  try {
    channel.nack(message, false, true);
  } catch {
    // the channel closed, and RabbitMQ redelivers what it held
  }
}

/**
 * The original properties, less two that are not ours to repeat: `userId` (RabbitMQ refuses, and closes
 * the channel on, a publish whose user_id is not the publishing connection's user) and the TTL (the copy
 * lives by the target queue's rules, or by `expirationMs`).
 */
function copiedProperties(message: ConsumeMessage, headers: Record<string, unknown>, expirationMs?: number): Options.Publish {
  const { expiration: _ttl, userId: _publisher, ...kept } = message.properties;
  return {
    ...kept,
    persistent: true,
    headers: { ...kept.headers, ...headers },
    ...(expirationMs === undefined ? {} : { expiration: String(Math.max(0, Math.round(expirationMs))) }),
  };
}

/** Resolves once the broker confirms the publish; throws at once when the properties cannot be encoded. */
function publishConfirmed(channel: ConfirmChannel, queue: string, content: Buffer, properties: Options.Publish): Promise<void> {
  let settle!: (error?: unknown) => void;
  const confirmed = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve());
  });
  channel.sendToQueue(queue, content, properties, (error: unknown) => settle(error));
  return confirmed;
}

function textHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : safeJson(value)]));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}
