/** The load generators: autocannon for HTTP, a bare pg pool for the SQL alone. */
import autocannon from 'autocannon';
import type pg from 'pg';
import { byRole, type Captured } from './capture.js';
import { summarize, type Summary } from './stats.js';

/** One measured run: every 2xx latency (ms, with its fractions), its length, and the failures. */
export interface Run {
  samples: number[];
  seconds: number;
  errors: number;
}

export const pooled = (runs: Run[]): Summary =>
  summarize(
    runs.flatMap((r) => r.samples),
    runs.reduce((a, r) => a + r.seconds, 0),
    runs.reduce((a, r) => a + r.errors, 0),
  );

/** Drives one HTTP case for `seconds`, or for `amount` requests when given. */
export async function http(
  url: string,
  connections: number,
  seconds: number,
  token: string,
  body?: () => string,
  amount?: number,
): Promise<Run> {
  const samples: number[] = [];
  let errors = 0;
  const headers: Record<string, string> = { api_access_token: token, ...(body ? { 'content-type': 'application/json' } : {}) };
  const started = performance.now();
  const instance = autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    pipelining: 1,
    timeout: 30,
    headers,
    requests: body ? [{ method: 'POST', setupRequest: (request) => ({ ...request, method: 'POST', headers, body: body() }) }] : undefined,
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    else errors++;
  });
  const result = await instance;
  return { samples, seconds: amount ? (performance.now() - started) / 1000 : seconds, errors: errors + result.errors + result.timeouts };
}

const run = (pool: pg.Pool, s: Captured) => pool.query(s.name ? { name: s.name, text: s.text, values: s.values } : { text: s.text, values: s.values });

/** Replays one list request's statements with a bare pg pool: authenticate, then counts || (ids -> render). */
export function replay(pool: pg.Pool, statements: Captured[], connections: number, seconds: number): Promise<Run> {
  const { auth, counts, ids, render } = byRole(statements);
  return loop(connections, seconds, async () => {
    await run(pool, auth);
    await Promise.all([run(pool, counts), run(pool, ids).then(() => run(pool, render))]);
  });
}

/** Replays one statement alone. */
export function replayOne(pool: pg.Pool, statement: Captured, connections: number, seconds: number): Promise<Run> {
  return loop(connections, seconds, () => run(pool, statement));
}

async function loop(connections: number, seconds: number, once: () => Promise<unknown>): Promise<Run> {
  const samples: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await once();
          samples.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { samples, seconds, errors };
}
