/** The SQL alone, timed inside Postgres (EXPLAIN ANALYZE), and the naive COUNT the counters replace. */
import type pg from 'pg';
import { ListConversationsQuery } from '#app/contracts';
import { countsStatement, type ListScope } from '../../libs/domain/src/conversations/sql/list-query.js';
import { describe, type Captured } from './capture.js';
import type { ListCase } from './compare-paths.js';
import type { BenchResults } from './results.js';

export async function serverTimes(
  pool: pg.Pool,
  cases: ListCase[],
  statements: Record<string, Captured[]>,
  accountId: number,
  userId: number,
): Promise<BenchResults['serverTimes']> {
  const out: BenchResults['serverTimes'] = [];
  for (const c of cases) {
    for (const s of statements[c.id]) out.push({ case: c.id, statement: describe(s), ...(await explainTimes(pool, s)) });
    const scope: ListScope = { accountId, memberUserId: null, query: Object.assign(new ListConversationsQuery(), c.query), asOf: new Date() };
    const naive = countsStatement(scope, userId, 'scan');
    out.push({ case: c.id, statement: 'counts the naive way: COUNT(*) FILTER over conversations', ...(await explainTimes(pool, naive)) });
  }
  return out;
}

/** Median planning and execution time of a statement over 15 runs of EXPLAIN (ANALYZE, TIMING OFF). */
async function explainTimes(pool: pg.Pool, s: { text: string; values: unknown[] }): Promise<{ planningMs: number; executionMs: number }> {
  const plans: number[] = [];
  const execs: number[] = [];
  for (let i = 0; i < 15; i++) {
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, TIMING OFF) ${s.text}`, s.values);
    const text = rows.map((r) => r['QUERY PLAN']).join('\n');
    plans.push(Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? NaN));
    execs.push(Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? NaN));
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { planningMs: median(plans), executionMs: median(execs) };
}
