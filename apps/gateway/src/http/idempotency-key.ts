import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ErrorReplies, MAX_IDEMPOTENCY_KEY_LENGTH } from '#app/contracts';
import type { FastifyRequest } from 'fastify';
import { ErrorReplyException } from './error-reply.exception.js';

/** The optional `Idempotency-Key` header (SPEC 4.2): absent, or 1-255 characters (else 400). */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  const key = (Array.isArray(header) ? header[0] : header)?.trim();
  if (key === undefined || key === '') return undefined;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ErrorReplyException(
      ErrorReplies.badRequest([
        { field: 'Idempotency-Key', message: `Idempotency-Key must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, code: 'maxLength' },
      ]),
    );
  }
  return key;
});
