import { parseRequestEnvelope, RETRY_COUNT_HEADER, RPC_DEADLINE_HEADER, type ParsedEnvelope, type RpcPart } from '#app/contracts';
import type { ConsumeMessage } from 'amqplib';

/**
 * What a delivered message says about itself, read the same way by the server that dispatches it,
 * the settlement that acks it and the handler that de-duplicates it.
 */

const envelopes = new WeakMap<ConsumeMessage, ParsedEnvelope>();

/** The body read as a request envelope, parsed once per delivery. */
export function envelopeOf(message: ConsumeMessage): ParsedEnvelope {
  let envelope = envelopes.get(message);
  if (!envelope) {
    envelope = parseRequestEnvelope(message.content);
    envelopes.set(message, envelope);
  }
  return envelope;
}

/**
 * What a message is: an RPC request names where to reply (reply_to) and carries the
 * correlation_id property and an envelope id; an event has no reply_to. A message with reply_to that
 * lacks either of the others is neither: it is dead-lettered, never taken for an event.
 */
export type DeliveryKind = { kind: 'rpc' } | { kind: 'event' } | { kind: 'incomplete'; missing: RpcPart[] };

export function deliveryKind(message: ConsumeMessage): DeliveryKind {
  if (!message.properties.replyTo) return { kind: 'event' };
  const missing: RpcPart[] = [];
  if (message.properties.correlationId === undefined) missing.push('correlation_id property');
  if (envelopeOf(message).id === undefined) missing.push('id in the body');
  return missing.length === 0 ? { kind: 'rpc' } : { kind: 'incomplete', missing };
}

export function isRpcRequest(message: ConsumeMessage): boolean {
  return deliveryKind(message).kind === 'rpc';
}

/**
 * How often the event was already put back because a dependency was unavailable. The header comes
 * from outside too: anything but a small non-negative integer counts as none, so it can never make a
 * retry delay that the broker refuses.
 */
export function retryCountOf(message: ConsumeMessage): number {
  const value: unknown = message.properties.headers?.[RETRY_COUNT_HEADER];
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

/** An RPC request whose caller has stopped waiting: its deadline header (unix ms, a number or decimal text) is past. */
export function isPastDeadline(message: ConsumeMessage, now = Date.now()): boolean {
  const value: unknown = message.properties.headers?.[RPC_DEADLINE_HEADER];
  const deadline = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(deadline) && deadline < now;
}
