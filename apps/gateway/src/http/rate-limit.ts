import { isIPv6 } from 'node:net';
import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { GatewaySettings } from '#app/config';
import { tokenDigest } from '#app/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessTokenOf } from './access-token.js';
import { httpErrorBody } from './http-error-body.js';

/** The limits count requests per minute. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Requests a minute per client IP and per access token; 0 is no limit. */
export interface RateLimits {
  ipPerMinute: number;
  tokenPerMinute: number;
}

/** The 429 of a limited request (SPEC 4.4's `{"error"}` shape), sent with `Retry-After`. */
export const TOO_MANY_REQUESTS = { status: 429, error: 'Too many requests' } as const;

/** Probes, scrapes and the API documentation are never limited: only the API and unknown paths are. */
const UNLIMITED_ROUTES = /^\/(health|metrics|docs)(\/|$)/;

interface Window {
  /** When the key's current window ends (ms since the epoch). */
  endsAt: number;
  count: number;
}

/**
 * Fixed windows, as Chatwoot's Rack::Attack counts: a key's window opens with its first request and
 * lasts a minute; within it at most `limit` requests are let through. A refused request is not
 * counted. Memory: one small entry per key seen in the last minute; expired ones are swept at most
 * once a minute, on a request (no timer keeps the process alive).
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  constructor(
    private readonly windowMs: number = RATE_LIMIT_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request under `key`: null when it may go on, else the milliseconds until the window ends. */
  hit(key: string, limit: number): number | null {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      window = { endsAt: now + this.windowMs, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= limit) return window.endsAt - now;
    window.count++;
    return null;
  }

  /** The keys with an open window (for tests and diagnostics). */
  keys(): string[] {
    return [...this.windows.keys()];
  }

  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.windowMs;
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

/**
 * Two limits on one request: one per client IP address (IPv6 grouped by /64, what one host usually
 * gets; IPv4-mapped addresses as IPv4) and one per access token, counted under the token's SHA-256 (tokenDigest) so
 * the token itself is never kept. The counters live in one gateway process: with N gateways behind a
 * balancer a client gets up to N times the limit.
 */
export class RateLimiter {
  constructor(
    private readonly limits: RateLimits,
    private readonly counter: FixedWindowCounter = new FixedWindowCounter(),
  ) {}

  /**
   * Counts one request: null when it may go on, else the whole seconds to wait (at least 1). The IP is
   * counted first; a request its IP may not send is not counted against its token.
   */
  hit(ip: string, token: string | null): number | null {
    if (this.limits.ipPerMinute > 0) {
      const wait = this.counter.hit(`ip:${clientKey(ip)}`, this.limits.ipPerMinute);
      if (wait !== null) return seconds(wait);
    }
    if (token !== null && this.limits.tokenPerMinute > 0) {
      const wait = this.counter.hit(`token:${tokenDigest(token)}`, this.limits.tokenPerMinute);
      if (wait !== null) return seconds(wait);
    }
    return null;
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));


/** The key an address is counted under: IPv4 as it is, IPv4-mapped IPv6 as IPv4, other IPv6 by its /64. */
export function clientKey(ip: string): string {
  const address = ip.replace(/%.*$/, '').toLowerCase(); // no zone index
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

export const RATE_LIMITER = Symbol('RATE_LIMITER');

/**
 * Installs the limiter as a Fastify `onRequest` hook: it answers 429 before the body is read or
 * parsed, so a flood of large or malformed bodies is limited too (a Nest guard would run only after
 * Fastify had parsed each body). Requests without a token are answered 401 by an earlier hook
 * (`requireAccessToken`, constant work, no RPC) and are not counted.
 */
@Injectable()
export class RateLimitHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      if (isUnlimited(request)) return;
      const retryAfter = this.limiter.hit(request.ip, accessTokenOf(request.headers));
      if (retryAfter !== null) {
        await reply.status(429).header('retry-after', String(retryAfter)).send(httpErrorBody(TOO_MANY_REQUESTS));
      }
    });
  }
}

/** By the route that matched (not the raw URL, which can be spelled in many ways); unknown paths are limited. */
function isUnlimited(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && UNLIMITED_ROUTES.test(route);
}

/** The providers GatewayModule adds: the limiter with the configured limits, and its hook. */
export function rateLimitProviders(settings: GatewaySettings): Provider[] {
  const limits: RateLimits = { ipPerMinute: settings.RATE_LIMIT_IP_PER_MINUTE, tokenPerMinute: settings.RATE_LIMIT_TOKEN_PER_MINUTE };
  return [{ provide: RATE_LIMITER, useValue: new RateLimiter(limits) }, RateLimitHook];
}
