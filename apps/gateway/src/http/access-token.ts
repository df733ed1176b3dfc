import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ErrorReplies } from '#app/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpErrorBody } from './http-error-body.js';

const BEARER = /^Bearer\s+(.+)$/i;

/**
 * The caller's token from `api_access_token`, or `api-access-token` (proxies drop headers with
 * underscores), or `Authorization: Bearer`. Null when none is sent.
 */
export function accessTokenOf(headers: FastifyRequest['headers']): string | null {
  const candidates = [headers['api_access_token'], headers['api-access-token'], bearerToken(headers.authorization)];
  for (const candidate of candidates) {
    const token = (Array.isArray(candidate) ? candidate[0] : candidate)?.trim();
    if (token) return token; // a blank header does not hide a token sent another way
  }
  return null;
}

const bearerToken = (authorization: string | undefined) => authorization?.match(BEARER)?.[1];

/**
 * 401 at once when no token is sent (SPEC 4.4: before any other check). A Fastify `onRequest` hook,
 * not a Nest guard: guards run after the body is parsed, and a missing token must win over a body
 * that is not JSON or too large.
 */
export function requireAccessToken(fastify: FastifyInstance, prefix: string): void {
  fastify.addHook('onRequest', async (request, reply) => {
    // The route that matched, not the raw URL: `/%61pi/...` reaches the same route as `/api/...`.
    const path = request.routeOptions.url ?? request.url;
    if (path.startsWith(prefix) && accessTokenOf(request.headers) === null) {
      await reply.status(401).send(httpErrorBody(ErrorReplies.noToken()));
    }
  });
}

/** The token `requireAccessToken` made sure of. */
export const AccessToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => accessTokenOf(context.switchToHttp().getRequest<FastifyRequest>().headers) as string,
);
