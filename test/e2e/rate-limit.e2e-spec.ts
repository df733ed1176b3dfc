/**
 * Rate limits and CORS on a gateway of its own (the shared one runs with limits too high to reach):
 * 10 requests a minute per client IP, 4 per token, CORS for one origin. It sends on the shared e2e
 * queue, so the shared worker answers. Client addresses differ by binding to other loopback
 * addresses (127.0.0.2, 127.0.0.3...), which Linux routes to the gateway on 127.0.0.1.
 */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { TOKENS } from '../support/e2e-environment.js';
import { freePort, startApp, stopApp, waitFor } from '../support/processes.mjs';

const IP_LIMIT = 10;
const TOKEN_LIMIT = 4;
const ORIGIN = 'https://app.example.com';
const TOO_MANY = { error: 'Too many requests' };

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: any;
}

let gateway: ChildProcess;
let port: number;

/** One request from a given loopback address. */
function send(from: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, localAddress: from, headers, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const LIST = '/api/v1/accounts/4/conversations';
const list = (from: string, token: string, extra: Record<string, string> = {}) => send(from, 'GET', LIST, { api_access_token: token, ...extra });

function expectTooMany(answer: Answer): void {
  expect({ status: answer.status, body: answer.json }).toEqual({ status: 429, body: TOO_MANY });
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
}

beforeAll(async () => {
  const base = JSON.parse(process.env.E2E_APP_ENV ?? '{}') as Record<string, string>;
  port = await freePort();
  gateway = startApp(
    'gateway',
    { ...base, PORT: String(port), RATE_LIMIT_IP_PER_MINUTE: String(IP_LIMIT), RATE_LIMIT_TOKEN_PER_MINUTE: String(TOKEN_LIMIT), CORS_ORIGINS: ORIGIN },
    'gateway-rate-limit',
  );
  await waitFor('the rate-limit gateway', async () => (await send('127.0.0.1', 'GET', '/health/live')).status === 200, 30_000);
});
afterAll(async () => {
  if (gateway) await stopApp(gateway);
});

describe('per access token', () => {
  it(`lets ${TOKEN_LIMIT} requests a minute through, then answers 429 {"error": "Too many requests"} with Retry-After`, async () => {
    for (let i = 0; i < TOKEN_LIMIT; i++) expect((await list('127.0.0.2', TOKENS.umbrellaAdmin)).status).toBe(200);
    expectTooMany(await list('127.0.0.2', TOKENS.umbrellaAdmin));
  });

  it('limits the token from any address, and not the other tokens of that address', async () => {
    expectTooMany(await list('127.0.0.3', TOKENS.umbrellaAdmin));
    expect((await list('127.0.0.3', TOKENS.umbrellaAgent)).status).toBe(200);
  });

  it('counts the token however it is sent (api-access-token, Authorization: Bearer)', async () => {
    expectTooMany(await send('127.0.0.6', 'GET', LIST, { 'api-access-token': TOKENS.umbrellaAdmin }));
    expectTooMany(await send('127.0.0.6', 'GET', LIST, { authorization: `Bearer ${TOKENS.umbrellaAdmin}` }));
  });
});

describe('per client IP', () => {
  const from = '127.0.0.4';

  it(`lets ${IP_LIMIT} requests a minute through whatever the tokens, then answers 429`, async () => {
    for (let i = 0; i < IP_LIMIT; i++) {
      const answer = await list(from, `e2e-unknown-token-${i}`);
      expect({ status: answer.status, body: answer.json }).toEqual({ status: 401, body: { error: 'Invalid Access Token' } });
    }
    expectTooMany(await list(from, TOKENS.hooliAdmin));
    expectTooMany(await send(from, 'GET', '/api/v1/accounts/5/conversations/meta', { api_access_token: TOKENS.hooliAdmin }));
  });

  it('refuses before reading the body: a malformed body from a limited address is a 429, not a 400', async () => {
    expectTooMany(await send(from, 'POST', LIST, { api_access_token: TOKENS.hooliAdmin, 'content-type': 'application/json' }, '{not json'));
  });

  it('does not limit the other addresses', async () => {
    expect((await send('127.0.0.5', 'GET', '/api/v1/accounts/5/conversations', { api_access_token: TOKENS.hooliAdmin })).status).toBe(200);
  });

  it('never limits health, metrics or the API documentation', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics', '/docs', '/docs/openapi.json']) {
      expect([path, (await send(from, 'GET', path)).status]).toEqual([path, 200]);
    }
  });

  it('answers a request without a token 401 first (no work is done for it, and it is not counted)', async () => {
    const answer = await send(from, 'GET', LIST);
    expect({ status: answer.status, body: answer.json }).toEqual({ status: 401, body: { error: 'You need to sign in or sign up before continuing.' } });
  });

  it('lets a browser of an allowed origin read the 429 and its Retry-After', async () => {
    const answer = await list(from, TOKENS.hooliAdmin, { origin: ORIGIN });
    expectTooMany(answer);
    expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(String(answer.headers['access-control-expose-headers']).split(/,\s*/)).toEqual(['x-request-id', 'retry-after']);
  });
});

describe('CORS (CORS_ORIGINS set)', () => {
  it('answers a preflight from the allowed origin before the token check, and it is not counted', async () => {
    for (let i = 0; i < IP_LIMIT + 2; i++) {
      const answer = await send('127.0.0.7', 'OPTIONS', LIST, {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'api_access_token, content-type, idempotency-key, x-request-id',
      });
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(String(answer.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(
        expect.arrayContaining(['api_access_token', 'api-access-token', 'authorization', 'content-type', 'idempotency-key', 'x-request-id']),
      );
    }
    expect((await list('127.0.0.7', TOKENS.umbrellaBot)).status).toBe(403); // the address still has its requests (a bot may not list)
  });

  it('gives another origin no CORS headers', async () => {
    const answer = await send('127.0.0.8', 'OPTIONS', LIST, { origin: 'https://evil.example', 'access-control-request-method': 'GET' });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    const get = await list('127.0.0.8', TOKENS.umbrellaAgent, { origin: 'https://evil.example' });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });
});
