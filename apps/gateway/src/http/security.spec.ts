import { FastifyAdapter } from '@nestjs/platform-fastify';
import { GatewaySettings, loadConfig } from '#app/config';
import type { FastifyInstance } from 'fastify';
import { requireAccessToken } from './access-token.js';
import { corsOrigin, setupSecurity } from './security.js';

describe('corsOrigin', () => {
  it.each([
    ['', false],
    ['  ', false],
    ['*', '*'],
    ['https://app.example.com', ['https://app.example.com']],
    [' https://a.example , http://localhost:8080 ', ['https://a.example', 'http://localhost:8080']],
  ])('reads CORS_ORIGINS=%j as %j', (setting, origin) => {
    expect(corsOrigin(setting)).toEqual(origin);
  });
});

/** A bare gateway-like Fastify server: setupSecurity, then the token hook, then a few routes (as main.ts does). */
async function server(env: Record<string, string>): Promise<{ fastify: FastifyInstance; base: string }> {
  const adapter = new FastifyAdapter();
  setupSecurity(adapter, loadConfig(GatewaySettings, env));
  const fastify = adapter.getInstance();
  requireAccessToken(fastify, '/api/');
  fastify.get('/api/v1/x', async () => ({ ok: true }));
  fastify.post('/api/v1/x', async () => ({ ok: true }));
  fastify.get('/docs', async (_request, reply) => reply.type('text/html').send('<html></html>'));
  fastify.get('/docs/openapi.json', async () => ({ openapi: '3.1.0' }));
  const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
  return { fastify, base };
}

describe('setupSecurity', () => {
  describe('without CORS_ORIGINS', () => {
    let fastify: FastifyInstance;
    let base: string;
    beforeAll(async () => ({ fastify, base } = await server({})));
    afterAll(() => fastify.close());

    it.each([
      ['a 200', { api_access_token: 't' }, 200],
      ['the 401 for a missing token (sent by an earlier hook)', {}, 401],
    ])('sends the security headers on %s, with a CSP that lets nothing load', async (_, headers, status) => {
      const res = await fetch(`${base}/api/v1/x`, { headers });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('sends the headers on a 404 too', async () => {
      const res = await fetch(`${base}/nowhere`);
      expect(res.status).toBe(404);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it.each([['/docs'], ['/docs/openapi.json']])("relaxes the CSP for the Swagger UI at %s, only as far as it needs", async (path) => {
      const csp = (await fetch(`${base}${path}`)).headers.get('content-security-policy') ?? '';
      expect(csp.split(';')).toEqual([
        "default-src 'self'",
        "base-uri 'self'",
        "connect-src 'self'",
        "font-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "script-src 'self'",
        "script-src-attr 'none'",
        "style-src 'self' 'unsafe-inline'",
      ]);
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).not.toContain('upgrade-insecure-requests');
    });

    it('answers no CORS headers, and a preflight is no exception to the token check', async () => {
      const res = await fetch(`${base}/api/v1/x`, { headers: { api_access_token: 't', origin: 'https://app.example.com' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(`${base}/api/v1/x`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(401);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('with CORS_ORIGINS set to a list', () => {
    let fastify: FastifyInstance;
    let base: string;
    beforeAll(async () => ({ fastify, base } = await server({ CORS_ORIGINS: 'https://app.example.com,http://localhost:8080' })));
    afterAll(() => fastify.close());

    const preflight = (origin: string) =>
      fetch(`${base}/api/v1/x`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'api_access_token,content-type,idempotency-key' },
      });

    it('answers a preflight from a listed origin before the token check, allowing the token headers', async () => {
      const res = await preflight('http://localhost:8080');
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
      expect(res.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual(['GET', 'POST']);
      expect(res.headers.get('access-control-allow-headers')?.split(/,\s*/)).toEqual([
        'api_access_token',
        'api-access-token',
        'authorization',
        'content-type',
        'idempotency-key',
        'x-request-id',
      ]);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('exposes X-Request-Id and Retry-After to a listed origin', async () => {
      const res = await fetch(`${base}/api/v1/x`, { headers: { api_access_token: 't', origin: 'https://app.example.com' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
      expect(res.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(['x-request-id', 'retry-after']);
      expect(res.headers.get('vary')).toMatch(/origin/i);
    });

    it('gives an origin that is not listed no CORS headers', async () => {
      const res = await preflight('https://evil.example');
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const get = await fetch(`${base}/api/v1/x`, { headers: { api_access_token: 't', origin: 'https://app.example.com.evil.example' } });
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('with CORS_ORIGINS=*', () => {
    let fastify: FastifyInstance;
    let base: string;
    beforeAll(async () => ({ fastify, base } = await server({ CORS_ORIGINS: '*' })));
    afterAll(() => fastify.close());

    it('allows any origin, without credentials', async () => {
      const res = await fetch(`${base}/api/v1/x`, { headers: { api_access_token: 't', origin: 'https://anyone.example' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });
  });
});
