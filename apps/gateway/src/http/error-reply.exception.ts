import type { ErrorReply } from '#app/contracts';

/** An error reply to send to the HTTP client: from the worker, or decided by the gateway itself. */
export class ErrorReplyException extends Error {
  constructor(readonly reply: ErrorReply) {
    super(reply.error);
  }
}
