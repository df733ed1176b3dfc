import { createParamDecorator, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ErrorReplies } from '#app/contracts';
import type { FastifyRequest } from 'fastify';
import { ErrorReplyException } from './error-reply.exception.js';

const BEARER = /^Bearer\s+(.+)$/i;

/**
 * The caller's token from `api_access_token`, or `api-access-token` (proxies drop headers with
 * underscores), or `Authorization: Bearer`. Null when none is sent.
 */
export function accessTokenOf(headers: FastifyRequest['headers']): string | null {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const token = first(headers['api_access_token']) ?? first(headers['api-access-token']) ?? first(headers.authorization)?.match(BEARER)?.[1];
  const trimmed = token?.trim();
  return trimmed ? trimmed : null;
}

/** 401 at once, before validation or any message, when no token is sent (SPEC 4.4 order). */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (accessTokenOf(context.switchToHttp().getRequest<FastifyRequest>().headers) === null) {
      throw new ErrorReplyException(ErrorReplies.noToken());
    }
    return true;
  }
}

/** The token the guard found. */
export const AccessToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): string => accessTokenOf(context.switchToHttp().getRequest<FastifyRequest>().headers) as string,
);
