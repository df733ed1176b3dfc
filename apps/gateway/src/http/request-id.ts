import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { REQUEST_ID_HEADER } from '#app/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The request's id, as Fastify assigned it (from X-Request-Id, or made: see main.ts). It is echoed in
 * the response and sent in the RPC message's headers, so the worker's log lines for it carry it too.
 */
export const RequestId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const http = context.switchToHttp();
  const requestId = http.getRequest<FastifyRequest>().id;
  void http.getResponse<FastifyReply>().header(REQUEST_ID_HEADER, requestId);
  return requestId;
});
