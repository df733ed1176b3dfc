import { ErrorReplies, type ErrorReply } from '#app/contracts';

/**
 * A rule said no. Each subclass carries the reply of SPEC 4.4 it stands for, so a status is decided
 * here and only here; transports send `reply` as they find it.
 */
export abstract class DomainError extends Error {
  abstract readonly reply: ErrorReply;
}

export class InvalidTokenError extends DomainError {
  readonly reply = ErrorReplies.badToken();
}

export class ForbiddenError extends DomainError {
  readonly reply: ErrorReply;
  constructor(reason: string) {
    super(reason);
    this.reply = ErrorReplies.forbidden(reason);
  }
}

export class NotFoundError extends DomainError {
  readonly reply = ErrorReplies.notFound();
  /** What was not found, for logs only: the client gets the fixed text of SPEC 4.4. */
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class RuleViolationError extends DomainError {
  readonly reply: ErrorReply;
  constructor(message: string, attributes: string[]) {
    super(message);
    this.reply = ErrorReplies.unprocessable(message, attributes);
  }
}

export class InvalidRequestError extends DomainError {
  readonly reply: ErrorReply;
  constructor(reply: ErrorReply) {
    super(reply.error);
    this.reply = reply;
  }
}

export class UnavailableError extends DomainError {
  readonly reply = ErrorReplies.unavailable('The database is unavailable; try again shortly.');
}

/**
 * Node and Postgres signs that the database is unavailable for now (not that the query was wrong): it
 * could not be reached, is shutting down or failing over, is overloaded (out of connections, a statement
 * timed out, a lock wait gave up), or picked this transaction to abort (a deadlock or serialization
 * failure). The same work succeeds later.
 */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
const TRANSIENT_SQLSTATE = /^(08|53)|^(57P0[1-4]|57014|55P03|40001|40P01|25P03|3D000)$/;

export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (TRANSIENT_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
  const cause = (error as { cause?: unknown }).cause;
  if (cause && cause !== error && isTransientDatabaseError(cause)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|connection is not yet established/i.test(
    error.message,
  );
}

/**
 * The error reply for anything a domain call threw: its own reply for a rule, 503 when the database
 * is unreachable, and 500 (with nothing of the cause) for a bug.
 */
export function errorReplyFor(error: unknown): ErrorReply {
  if (error instanceof DomainError) return error.reply;
  if (isTransientDatabaseError(error)) return new UnavailableError().reply;
  // Postgres refused a value (SQLSTATE class 22, "data exception"): the input was malformed after all.
  if (typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('22')) {
    return ErrorReplies.badRequest([{ field: 'body', message: 'a value is malformed or out of range', code: 'invalidValue' }]);
  }
  return ErrorReplies.internal();
}
