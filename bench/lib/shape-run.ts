/**
 * Runs the shape matrix through one HTTP path at 1 request in flight: per shape, a checked first answer
 * (see shape-check.ts), a few more warm-up requests, then `requests` measured ones (fewer when a shape
 * would take longer than `maxSeconds`, but at least 10 unless even that would take 3 × `maxSeconds`),
 * one after the other on one kept-alive connection.
 */
import http from 'node:http';
import type pg from 'pg';
import type { ShapeResult } from './results.js';
import { checkAnswer, oracleCounts } from './shape-check.js';
import { requestOf, type Shape } from './shapes.js';
import { summarize } from './stats.js';

export interface Caller {
  token: string;
  userId: number;
}

export interface ShapeRunOptions {
  base: string;
  accountId: number;
  admin: Caller;
  agent: Caller;
  shapes: Shape[];
  /** For the bench's own COUNTs. */
  pool: pg.Pool;
  requests: number;
  warmup: number;
  /** Seconds of default lists before the first shape. */
  warmupSeconds: number;
  maxSeconds: number;
  log: (line: string) => void;
}

const MIN_REQUESTS = 10;
/** A shape so slow that even 10 requests would take this many times `maxSeconds` stops earlier. */
const HARD_LIMIT = 3;

/** A request that got no answer at all (connection lost, timed out) counts as a failed one. */
const lost = (error: unknown): Answer => ({ status: 0, body: String(error), ms: NaN });

interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** One GET on a connection kept alive between requests; the time is until the last byte of the body. */
function get(agent: http.Agent, url: string, token: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const request = http.get(url, { agent, headers: { api_access_token: token }, timeout: 180_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}

export async function runShapes(o: ShapeRunOptions): Promise<ShapeResult[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const results: ShapeResult[] = [];
  try {
    // Apps just started (--shapes) have not compiled their hot code yet: the baseline would be measured cold.
    const until = performance.now() + o.warmupSeconds * 1000;
    while (performance.now() < until) await get(agent, `${o.base}/api/v1/accounts/${o.accountId}/conversations`, o.admin.token);
    for (const shape of o.shapes) {
      const caller = shape.who === 'agent' ? o.agent : o.admin;
      const request = requestOf(shape);
      const url = `${o.base}/api/v1/accounts/${o.accountId}/conversations${request}`;
      const first = await get(agent, url, caller.token).catch(lost);
      const oracle = await oracleCounts(o.pool, shape, o.accountId, caller.userId, o.agent.userId);
      const check = checkAnswer(shape, first.status, first.body, oracle, caller.userId, Date.now());
      for (let i = 1; i < o.warmup; i++) await get(agent, url, caller.token).catch(lost);
      const samples: number[] = [];
      let failures = 0;
      const started = performance.now();
      const enough = (i: number) =>
        i >= o.requests || (i >= MIN_REQUESTS && performance.now() - started > o.maxSeconds * 1000) || performance.now() - started > HARD_LIMIT * o.maxSeconds * 1000;
      for (let i = 0; !enough(i); i++) {
        const answer = await get(agent, url, caller.token).catch(lost);
        // The same data gives the same answer; only updated_within's window moves while a shape runs.
        const changed = answer.body.length !== first.body.length && shape.query.updated_within === undefined;
        if (answer.status !== 200 || changed) failures++;
        else samples.push(answer.ms);
      }
      const s = summarize(samples, 1, failures);
      results.push({ id: shape.id, group: shape.group, request, limit: shape.limit, who: shape.who, requests: samples.length, p50: s.p50, p99: s.p99, mean: s.mean, failures, check });
      o.log(
        `shape ${shape.id}: p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms (${samples.length} requests${failures ? `, ${failures} failed` : ''}), ` +
          `all_count ${check.allCount}, page ${check.payload}${check.ok ? '' : `; CHECK FAILED: ${check.problems.join('; ')}`}`,
      );
    }
  } finally {
    agent.destroy();
  }
  return results;
}
