import { MessageFaults } from './dead-letter-reasons.js';
import type { ErrorReply } from './errors.js';

/** NestJS's RMQ request envelope (SPEC 5): `id` present with reply_to and correlation_id means RPC. */
export interface RequestEnvelope {
  pattern: string;
  data: unknown;
  id?: string;
}

/** NestJS's RMQ reply envelope: `response` on success, `err` on failure, one message per request. */
export type ReplyEnvelope<T> = { response: T; isDisposed: true } | { err: ErrorReply; isDisposed: true };

export type ParsedEnvelope = ({ ok: true } & RequestEnvelope) | { ok: false; reason: string; id?: string };

/** Reads a message body as a request envelope, or says why it is not one. */
export function parseRequestEnvelope(content: Buffer): ParsedEnvelope {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch {
    return { ok: false, reason: MessageFaults.notJson };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: MessageFaults.notObject };
  const { pattern, data, id } = body as Record<string, unknown>;
  const requestId = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  if (typeof pattern !== 'string' || pattern === '') return { ok: false, reason: MessageFaults.noPattern, id: requestId };
  return { ok: true, pattern, data, id: requestId };
}
