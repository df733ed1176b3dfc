import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { normalizeIp, ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import type { GatewaySettings } from '#app/config';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { accessTokenOf } from './access-token.js';
import { httpErrorBody } from './http-error-body.js';

/** The limits count requests over a sliding minute. */
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

/**
 * Two limits on one request: one per client IP address (IPv6 grouped by /64, as @nestjs/throttler
 * does) and one per access token. A token is counted under its SHA-256 digest, so the token itself
 * is never kept in memory longer than the request. The counters are @nestjs/throttler's in-memory
 * storage: a sliding window of the last minute's hits per key, idle keys swept every minute. They
 * live in one gateway process: with N gateways a client gets up to N times the limit.
 */
export class RateLimiter {
  constructor(
    private readonly limits: RateLimits,
    private readonly storage: ThrottlerStorage = new ThrottlerStorageService(),
  ) {}

  /**
   * Counts one request. Resolves with null when it may go on, else with the seconds until it may
   * be retried (at least 1). A refused request is not counted, so a client that keeps knocking is
   * let in again as soon as its oldest counted request leaves the window.
   */
  async hit(ip: string, token: string | null): Promise<number | null> {
    const checks: Promise<{ isBlocked: boolean; timeToBlockExpire: number }>[] = [];
    if (this.limits.ipPerMinute > 0) checks.push(this.count(`ip:${normalizeIp(ip)}`, this.limits.ipPerMinute, 'ip'));
    if (token !== null && this.limits.tokenPerMinute > 0) checks.push(this.count(`token:${tokenKey(token)}`, this.limits.tokenPerMinute, 'token'));
    const blocked = (await Promise.all(checks)).filter((record) => record.isBlocked);
    if (blocked.length === 0) return null;
    return Math.max(1, ...blocked.map((record) => Math.ceil(record.timeToBlockExpire)));
  }

  /** blockDuration 0: no extra penalty; a key is refused while it holds `limit` hits of the last minute. */
  private count(key: string, limit: number, name: string) {
    return this.storage.increment(key, RATE_LIMIT_WINDOW_MS, limit, 0, name);
  }
}

/** The key a token is counted under: its SHA-256, hex. */
export const tokenKey = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export const RATE_LIMITER = Symbol('RATE_LIMITER');

/**
 * Installs the limiter as a Fastify `onRequest` hook: it answers 429 before the body is read or
 * parsed, so a flood of large or malformed bodies is limited too (a Nest guard would run only after
 * Fastify had parsed each body). Requests without a token are answered 401 by an earlier hook
 * (`requireAccessToken`) and are not counted.
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
      const retryAfter = await this.limiter.hit(request.ip, accessTokenOf(request.headers));
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
