import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ErrorReplies, type ErrorReply } from '#app/contracts';
import type { FastifyReply } from 'fastify';
import { ErrorReplyException } from './error-reply.exception.js';
import { httpErrorBody } from './http-error-body.js';

/** Every error leaves the gateway through here, as a status and a body of SPEC 4.4; nothing else leaks. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly log = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = this.toReply(exception);
    host.switchToHttp().getResponse<FastifyReply>().status(reply.status).send(httpErrorBody(reply));
  }

  private toReply(exception: unknown): ErrorReply {
    if (exception instanceof ErrorReplyException) return exception.reply;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 404) return ErrorReplies.notFound(); // no such route
      if (status < 500) return { status, error: exception.message };
    }
    this.log.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return ErrorReplies.internal();
  }
}
