import { Catch, HttpException, Logger, ServiceUnavailableException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ErrorReplies, type ErrorReply } from '#app/contracts';
import type { FastifyReply } from 'fastify';
import { ErrorReplyException } from './error-reply.exception.js';
import { BODY_LIMIT_BYTES } from './fastify-setup.js';
import { httpErrorBody } from './http-error-body.js';

/** Every error leaves the gateway through here, as a status and a body of SPEC 4.4; nothing else leaks. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FastifyReply>();
    // A failed health check (terminus) is a 503 with its own report of what is down: kept as it is.
    if (exception instanceof ServiceUnavailableException) {
      void response.status(503).send(exception.getResponse());
      return;
    }
    const reply = this.toReply(exception);
    void response.status(reply.status).send(httpErrorBody(reply));
  }

  private toReply(exception: unknown): ErrorReply {
    if (exception instanceof ErrorReplyException) return exception.reply;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const fastifyCode = (exception.cause as { code?: unknown } | undefined)?.code;
      if (typeof fastifyCode === 'string' && fastifyCode.startsWith('FST_') && status < 500) return bodyRefused(fastifyCode);
      if (status === 404) return ErrorReplies.notFound(); // no such route
      if (status < 500) return { status, error: exception.message };
    }
    this.log.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return ErrorReplies.internal();
  }
}

/**
 * Fastify refuses a body before any route runs (not JSON, too large, another content type): for the
 * client that is a malformed request, 400 `bad_request_error` naming `body` (SPEC 4.4).
 */
function bodyRefused(code: string): ErrorReply {
  const message =
    code === 'FST_ERR_CTP_BODY_TOO_LARGE'
      ? `body must be at most ${BODY_LIMIT_BYTES} bytes`
      : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
        ? 'body must be application/json'
        : code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'body must not be empty'
          : 'body must be valid JSON';
  return ErrorReplies.badRequest([{ field: 'body', message, code }], 'The request body is invalid.');
}
