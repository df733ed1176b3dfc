import type { FastifyInstance } from 'fastify';
import qs from 'qs';

/** Every route under it needs an access token. */
export const API_PREFIX = '/api/';

/** SPEC 4.4: a body over 1 MB is refused. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Query strings the way Chatwoot clients write them: `labels[]=a&labels[]=b`, `labels=a&labels=b` and
 * `labels=a` all give a list. qs turns an array of more than `arrayLimit` items into an object: the
 * limit is set to the parameter limit, so a long list stays a list and the DTO's own limit speaks.
 */
export function parseQueryString(query: string): Record<string, unknown> {
  return qs.parse(query, { arrayLimit: 1000, parameterLimit: 1000, depth: 2, allowPrototypes: false });
}

/**
 * Keep-alive connections would hold a closing server open until they time out (Fastify: 72 s). Once
 * draining, every response asks the client to close its connection, so the server can finish as soon
 * as the requests in flight are answered. Returns the switch to call when shutdown begins.
 */
export function closeConnectionsWhenDraining(fastify: FastifyInstance): () => void {
  let draining = false;
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (draining) void reply.header('connection', 'close');
    return payload;
  });
  return () => {
    draining = true;
  };
}

/**
 * Request bodies are JSON or nothing. Fastify's own JSON parser stays; its text/plain parser
 * goes, and Nest's form parser is never added (main.ts creates the app with `bodyParser: false`), so a
 * form-encoded body cannot create a conversation with its nested keys silently dropped. Fastify answers
 * any other content type with FST_ERR_CTP_INVALID_MEDIA_TYPE, which HttpErrorFilter turns into the
 * 400 `bad_request_error` naming `body` that a body that is not JSON gets (not 415: see the README).
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeContentTypeParser('text/plain');
}
