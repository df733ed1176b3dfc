import fastifyHelmet from '@fastify/helmet';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { GatewaySettings } from '#app/config';
import { REQUEST_ID_HEADER } from '#app/runtime';
import type { FastifyRequest } from 'fastify';

type HelmetOptions = NonNullable<Parameters<typeof fastifyHelmet>[1]>;
type CspDirectives = Record<string, string[]>;

/**
 * The API answers JSON only: nothing it sends may load, run or frame anything. Helmet's other
 * headers keep their defaults (nosniff, no-referrer, HSTS, X-Frame-Options, COOP, CORP same-origin...).
 */
export const API_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Swagger UI at /docs: its scripts, styles and images come from the gateway itself; it styles inline
 * and draws data: images, and "Try it out" calls the API on the same origin. No
 * upgrade-insecure-requests: the gateway speaks plain HTTP unless a proxy in front adds TLS.
 */
export const DOCS_CSP: CspDirectives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

const DOCS_ROUTE = /^\/docs(\/|$)/;

/** Headers a browser may send cross-origin: the three token headers, Idempotency-Key, X-Request-Id. */
export const CORS_ALLOWED_HEADERS = ['api_access_token', 'api-access-token', 'authorization', 'content-type', 'idempotency-key', REQUEST_ID_HEADER];
export const CORS_EXPOSED_HEADERS = [REQUEST_ID_HEADER, 'retry-after'];

/** CORS_ORIGINS as @fastify/cors takes it: false (off), '*', or the list of allowed origins. */
export function corsOrigin(setting: string): false | '*' | string[] {
  const origins = setting
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  if (origins.length === 0) return false;
  return origins.length === 1 && origins[0] === '*' ? '*' : origins;
}

export const helmetOptions = (directives: CspDirectives): HelmetOptions => ({
  contentSecurityPolicy: { useDefaults: false, directives },
});

/**
 * Security headers (@fastify/helmet) on every response, a relaxed Content-Security-Policy for the
 * Swagger UI only, and CORS when CORS_ORIGINS is set. Called in main.ts before any other hook is
 * added, so that the responses earlier hooks send (the 401 for a missing token) carry the headers too.
 * CORS is Nest's `enableCors` (the adapter's, which `app.enableCors` calls): Nest runs its hook before
 * every other, so a preflight, which carries no token, is answered before the token check.
 */
export function setupSecurity(adapter: FastifyAdapter, settings: GatewaySettings): void {
  const fastify = adapter.getInstance();
  void fastify.register(fastifyHelmet, { global: true, ...helmetOptions(API_CSP) });
  fastify.addHook('onRequest', async (request, reply) => {
    if (isDocsRoute(request)) reply.helmet(helmetOptions(DOCS_CSP));
  });

  const origin = corsOrigin(settings.CORS_ORIGINS);
  if (origin !== false) {
    adapter.enableCors({
      origin,
      methods: ['GET', 'POST'],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      credentials: false, // tokens travel in headers, never in cookies
      maxAge: 600,
    });
  }
}

const isDocsRoute = (request: FastifyRequest) => DOCS_ROUTE.test(request.routeOptions.url ?? '');
