import { parseRequestEnvelope, RETRY_COUNT_HEADER, RPC_DEADLINE_HEADER, type ParsedEnvelope } from '#app/contracts';
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

/** An RPC request: it names where to reply, and carries the correlation id and the envelope id. */
export function isRpcRequest(message: ConsumeMessage): boolean {
  return Boolean(message.properties.replyTo) && message.properties.correlationId !== undefined && envelopeOf(message).id !== undefined;
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
