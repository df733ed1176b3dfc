import { randomUUID } from 'node:crypto';
import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';
import type { ExecutionContext } from '@nestjs/common';

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's request id when it is a sane one, else a new one. */
export function requestIdFrom(value: unknown): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return typeof candidate === 'string' && REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

/** Never logged: tokens travel in these headers. */
const SECRET_HEADERS = ['api_access_token', 'api-access-token', 'authorization', 'cookie'];

/** pino settings shared by every logger of an app (Fastify's request logger included). */
export function pinoOptions(service: 'gateway' | 'worker'): LoggerOptions {
  return {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service },
    redact: { paths: SECRET_HEADERS.map((h) => `req.headers["${h}"]`), remove: true },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * Structured JSON logs (pino) for one app. HTTP requests are logged by Fastify with the request id
 * it assigned (from X-Request-Id, or made); a message handled by the worker carries the id the
 * gateway put in its headers, on every line logged while it is handled. Headers and bodies are not
 * logged: they hold tokens and customer data.
 */
export function loggerModule(service: 'gateway' | 'worker'): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: pinoOptions(service),
    // Fastify logs each request itself (the gateway gives it pinoOptions): no second, middleware-made line.
    useExisting: true,
    microservice: {
      genReqId: (context: ExecutionContext) => requestIdFrom(messageHeaders(context)?.[REQUEST_ID_HEADER]),
      // An error reply is an answer, not a failure of the worker: only 5xx are logged as errors.
      customLogLevel: (_context: ExecutionContext, error?: Error) => (error ? (statusOf(error) >= 500 ? 'error' : 'warn') : 'info'),
    },
  });
}

/** Routes whose requests are not logged: probes and scrapes arrive every few seconds. */
export const QUIET_ROUTES = /^\/(health|metrics|docs)/;

function statusOf(error: Error): number {
  const reply = (error as { getError?: () => unknown }).getError?.();
  const status = (reply as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : 500;
}

function messageHeaders(context: ExecutionContext): Record<string, unknown> | undefined {
  const message = context.switchToRpc().getContext<{ getMessage?: () => { properties?: { headers?: Record<string, unknown> } } }>();
  return message?.getMessage?.()?.properties?.headers;
}
