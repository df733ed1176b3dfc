import type { HttpAdapterHost } from '@nestjs/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { requireAccessToken } from './access-token.js';
import { clientKey, FixedWindowCounter, RATE_LIMIT_WINDOW_MS, RateLimiter, RateLimitHook } from './rate-limit.js';
import { tokenDigest as tokenKey } from '#app/contracts';

const A = '203.0.113.1';
const B = '203.0.113.2';

/** A clock the test moves. */
class Clock {
  t = Date.parse('2026-01-01T00:00:00Z');
  readonly now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** `n` hits; the results in order (null: let through, a number: refused, retry after that many seconds). */
const hits = (limiter: RateLimiter, n: number, ip: string, token: string | null) => Array.from({ length: n }, () => limiter.hit(ip, token));
const allowed = (n: number) => Array.from({ length: n }, () => null);

describe('FixedWindowCounter', () => {
  it('lets `limit` hits through in a window that opens with the first one, then answers the time left', () => {
    const clock = new Clock();
    const counter = new FixedWindowCounter(60_000, clock.now);
    expect([counter.hit('k', 2), counter.hit('k', 2)]).toEqual([null, null]);
    expect(counter.hit('k', 2)).toBe(60_000);
    clock.advance(59_999);
    expect(counter.hit('k', 2)).toBe(1);
    clock.advance(1);
    expect([counter.hit('k', 2), counter.hit('k', 2), counter.hit('k', 2)]).toEqual([null, null, 60_000]);
  });

  it('does not count refused hits: knocking does not push the window back', () => {
    const clock = new Clock();
    const counter = new FixedWindowCounter(60_000, clock.now);
    counter.hit('k', 1);
    for (let i = 0; i < 100; i++) {
      clock.advance(500);
      expect(counter.hit('k', 1)).not.toBeNull();
    }
    clock.advance(10_000); // 60 s after the first hit
    expect(counter.hit('k', 1)).toBeNull();
  });

  it('forgets keys whose window ended (swept at most once a window)', () => {
    const clock = new Clock();
    const counter = new FixedWindowCounter(60_000, clock.now);
    for (let i = 0; i < 1000; i++) counter.hit(`k${i}`, 5);
    expect(counter.keys()).toHaveLength(1000);
    clock.advance(60_000);
    counter.hit('fresh', 5);
    expect(counter.keys()).toEqual(['fresh']);
  });
});

describe('RateLimiter', () => {
  const limiter = (ipPerMinute: number, tokenPerMinute: number, clock = new Clock()) =>
    new RateLimiter({ ipPerMinute, tokenPerMinute }, new FixedWindowCounter(RATE_LIMIT_WINDOW_MS, clock.now));

  it('lets `limit` requests a minute through per IP, then refuses with the whole seconds to wait', () => {
    const clock = new Clock();
    const ipLimited = limiter(3, 0, clock);
    expect(hits(ipLimited, 3, A, null)).toEqual(allowed(3));
    expect(ipLimited.hit(A, null)).toBe(60);
    clock.advance(20_500);
    expect(ipLimited.hit(A, null)).toBe(40); // 39.5 s, rounded up
    clock.advance(39_499);
    expect(ipLimited.hit(A, null)).toBe(1);
    clock.advance(1);
    expect(ipLimited.hit(A, null)).toBeNull();
  });

  it('counts each IP on its own', () => {
    const ipLimited = limiter(2, 0);
    hits(ipLimited, 2, A, null);
    expect(ipLimited.hit(A, null)).not.toBeNull();
    expect(hits(ipLimited, 2, B, null)).toEqual(allowed(2));
  });

  it('limits an IP whatever tokens it sends', () => {
    const ipLimited = limiter(3, 100);
    expect(['t1', 't2', 't3'].map((t) => ipLimited.hit(A, t))).toEqual(allowed(3));
    expect(ipLimited.hit(A, 't4')).toBe(60);
  });

  it('limits a token whatever IPs send it', () => {
    const tokenLimited = limiter(100, 2);
    expect(tokenLimited.hit(A, 'tok')).toBeNull();
    expect(tokenLimited.hit(B, 'tok')).toBeNull();
    expect(tokenLimited.hit('198.51.100.7', 'tok')).toBe(60);
    expect(tokenLimited.hit('198.51.100.7', 'other-token')).toBeNull();
  });

  it("answers the IP's wait when the IP is refused, and does not count the token then", () => {
    const clock = new Clock();
    const both = limiter(1, 2, clock);
    both.hit(A, 'x'); // t = 0: the windows of IP A and of token x open
    clock.advance(10_000);
    both.hit(B, 'y'); // t = 10 s: IP B's window opens
    expect(both.hit(B, 'x')).toBe(60); // IP B: its window ends at 70 s; token x is not counted
    expect(both.hit('198.51.100.7', 'x')).toBeNull(); // so x still has its second request
    expect(both.hit('198.51.100.8', 'x')).toBe(50); // and now x is refused: its window ends at 60 s
  });

  it('counts the IP of a request its token may not send', () => {
    const both = limiter(2, 1);
    both.hit(A, 'x');
    expect(both.hit(A, 'x')).not.toBeNull(); // refused for the token, counted for the IP
    expect(both.hit(A, 'y')).not.toBeNull(); // the IP has had its two
  });

  it('is off for a limit of 0', () => {
    expect(hits(limiter(0, 0), 50, A, 'tok')).toEqual(allowed(50));
  });

  it('groups IPv6 addresses by /64 and treats IPv4-mapped addresses as IPv4', () => {
    const ipLimited = limiter(1, 0);
    ipLimited.hit('2001:db8:1:2::1', null);
    expect(ipLimited.hit('2001:db8:1:2:ffff::9', null)).not.toBeNull();
    expect(ipLimited.hit('2001:0DB8:0001:0002:0:0:0:7', null)).not.toBeNull();
    expect(ipLimited.hit('2001:db8:1:3::1', null)).toBeNull();
    ipLimited.hit(A, null);
    expect(ipLimited.hit(`::ffff:${A}`, null)).not.toBeNull();
  });

  it.each([
    ['203.0.113.1', '203.0.113.1'],
    ['::ffff:203.0.113.1', '203.0.113.1'],
    ['::1', '0:0:0:0::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:db8:aa:bb:cc:dd:ee:ff', '2001:db8:aa:bb::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['not an address', 'not an address'],
  ])('counts %s as %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });

  it('keeps tokens only as their SHA-256', () => {
    const counter = new FixedWindowCounter();
    const token = 'e2e-token-secret-value';
    new RateLimiter({ ipPerMinute: 5, tokenPerMinute: 5 }, counter).hit(A, token);
    expect(counter.keys().sort()).toEqual([`ip:${A}`, `token:${tokenKey(token)}`].sort());
    expect(tokenKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(JSON.stringify(counter.keys())).not.toContain(token);
  });
});

describe('RateLimitHook (on a real Fastify server)', () => {
  let fastify: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    fastify = Fastify();
    requireAccessToken(fastify, '/api/');
    const hook = new RateLimitHook({ httpAdapter: { getInstance: () => fastify } } as unknown as HttpAdapterHost, new RateLimiter({ ipPerMinute: 4, tokenPerMinute: 2 }));
    hook.onModuleInit();
    for (const path of ['/api/v1/x', '/health/live', '/metrics', '/docs', '/docs/openapi.json']) fastify.get(path, async () => ({ ok: true }));
    fastify.post('/api/v1/x', async () => ({ ok: true }));
    base = await fastify.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => fastify.close());

  const get = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { api_access_token: token } : {} });

  it('limits per token with 429 {"error": "Too many requests"} and Retry-After, before the body is read', async () => {
    expect((await get('/api/v1/x', 'tok-a')).status).toBe(200);
    expect((await get('/api/v1/x', 'tok-a')).status).toBe(200);
    const refused = await fetch(`${base}/api/v1/x`, { method: 'POST', headers: { api_access_token: 'tok-a', 'content-type': 'application/json' }, body: '{not json' });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: 'Too many requests' });
    expect(refused.headers.get('retry-after')).toMatch(/^([1-9]|[1-5]\d|60)$/);
  });

  it('limits per IP, counting unknown paths too; health, metrics and docs are never limited', async () => {
    expect((await get('/api/v1/x', 'tok-b')).status).toBe(200); // the IP's 4th (the 429 above passed the IP's limit, so it counted there)
    expect((await get('/api/v1/nothing-here', 'tok-c')).status).toBe(429);
    expect((await get('/api/v1/x', 'tok-d')).status).toBe(429);
    for (const path of ['/health/live', '/metrics', '/docs', '/docs/openapi.json']) expect((await get(path)).status).toBe(200);
  });

  it('answers a request without a token 401 first (it is not counted)', async () => {
    const res = await get('/api/v1/x');
    expect(res.status).toBe(401);
  });
});
