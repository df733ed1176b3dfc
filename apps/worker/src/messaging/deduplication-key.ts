import type { CreateConversationMessage } from '#app/contracts';
import { requestDigest } from '#app/domain';
import type { ConsumeMessage } from 'amqplib';
import { envelopeOf } from './delivery.js';

/**
 * What makes a repeated create recognisable, so that a redelivery creates nothing twice (SPEC 5):
 * - the caller's `data.idempotency_key` (the HTTP Idempotency-Key travels there);
 * - else the AMQP `message_id` of an event;
 * - else the envelope `id` with the data it came with: a create without a key of its own (every plain
 *   HTTP POST) that RabbitMQ redelivers after a worker died between COMMIT and ack has the same envelope,
 *   while another publisher's message that reuses an id with different data is a different create.
 * A message with none of them (an event with no id at all) cannot be told from its redelivery.
 */
export function deduplicationKey(message: ConsumeMessage, create: CreateConversationMessage): string | undefined {
  if (create.idempotency_key !== undefined) return create.idempotency_key;
  const messageId: unknown = message.properties.messageId;
  if (typeof messageId === 'string' && messageId !== '') return `amqp-message-id:${messageId}`;
  const envelope = envelopeOf(message);
  if (envelope.id !== undefined) return `delivery:${requestDigest({ id: envelope.id, data: envelope.ok ? envelope.data : null })}`;
  return undefined;
}
