import { ErrorReplies, type ErrorReply } from '#app/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';
import qs from 'qs';
import { httpErrorBody } from './http-error-body.js';

/** SPEC 4.4: a body over 1 MB is refused. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Query strings the way Chatwoot clients write them: `labels[]=a&labels[]=b`, `labels=a&labels=b` and
 * `labels=a` all give a list. qs caps arrays at 20 items by default (then builds an object): raised.
 */
export function parseQueryString(query: string): Record<string, unknown> {
  return qs.parse(query, { arrayLimit: 100, parameterLimit: 1000, depth: 2, allowPrototypes: false });
}

/**
 * Errors Fastify raises before a route runs (a body that is not JSON, too large, of another type)
 * are the client's: 400 `bad_request_error` naming `body`, never Fastify's own 4xx/5xx shapes.
 */
export function installFastifyErrorHandler(fastify: FastifyInstance): void {
  fastify.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode ?? 500;
    const body: ErrorReply =
      status >= 400 && status < 500
        ? ErrorReplies.badRequest([{ field: 'body', message: bodyProblem(error), code: error.code ?? 'invalidBody' }], 'The request body is invalid.')
        : ErrorReplies.internal();
    void reply.status(body.status).send(httpErrorBody(body));
  });
}

function bodyProblem(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `body must be at most ${BODY_LIMIT_BYTES} bytes`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'body must be application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'body must not be empty';
    default:
      return 'body must be valid JSON';
  }
}
