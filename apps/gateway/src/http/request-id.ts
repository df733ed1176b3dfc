import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { REQUEST_ID_HEADER } from '#app/runtime';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Echoes the request's id (from X-Request-Id, or made: see main.ts) on every response, including those
 * answered before any route runs (401 without a token, 429, a body that is not JSON), as the OpenAPI
 * document declares. Added before the other `onRequest` hooks that may answer.
 */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
}

/** The request's id, as Fastify assigned it: sent in the RPC message's headers, so the worker's log lines for it carry it too. */
export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<FastifyRequest>().id);
