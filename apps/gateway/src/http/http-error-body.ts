import type { ErrorReply } from '#app/contracts';

/**
 * The HTTP body of an error reply (SPEC 4.4), the one place a reply becomes HTTP: the seed's
 * `bad_request_error` for 400, Chatwoot's `{message, attributes}` for 422, `{error}` otherwise.
 */
export function httpErrorBody(reply: ErrorReply): Record<string, unknown> {
  switch (reply.status) {
    case 400:
      return { description: reply.error, errors: reply.errors ?? [] };
    case 422:
      return { message: reply.error, attributes: reply.attributes ?? [] };
    default:
      return { error: reply.error };
  }
}
