/**
 * The comparison of the paths at 1 and 64 requests in flight: each list case through the real path, the
 * in-process app, the frameworkless path and the raw SQL; the create through the two NestJS paths. The
 * repeats interleave the paths, so a slow minute of the machine falls on all of them alike; the samples
 * of all repeats are pooled.
 */
import type pg from 'pg';
import type { Captured } from './capture.js';
import { http, pooled, replay, type Run } from './drivers.js';
import { differenceOf, memoryComposition, scrapeAll } from './metrics.js';
import { sampleRss, type Child } from './processes.js';
import type { RealPath } from './real-path.js';
import type { BenchResults, HttpPathName, Measurement, PathName, Settings } from './results.js';

export interface ListCase {
  id: string;
  title: string;
  query: Record<string, unknown>;
  qs: string;
}

export interface Paths {
  /** Base URL of each HTTP path. */
  base: Record<HttpPathName, string>;
  /** The processes of each path (none for the raw SQL, which runs in the bench). */
  processes: Record<PathName, Child[]>;
  real: RealPath;
}

export const LIST_PATHS: HttpPathName[] = ['real', 'inproc', 'frameworkless'];
export const CREATE_PATHS: HttpPathName[] = ['real', 'inproc'];

export class Recorder {
  readonly measurements: Measurement[] = [];
  constructor(
    private readonly everyProcess: Child[],
    private readonly log: (line: string) => void,
    private readonly logDir: string,
  ) {}

  /** Keeps a measurement, unless a process died during it (then the whole run stops: its numbers would lie). */
  record(m: Measurement): void {
    const dead = this.everyProcess.filter((c) => c.process.exitCode !== null || c.process.signalCode !== null);
    if (dead.length) {
      throw new Error(`${dead.map((c) => `${c.name} exited (${c.process.exitCode ?? c.process.signalCode})`).join(', ')} during ${m.case} ${m.path} c=${m.connections}; see ${this.logDir}`);
    }
    this.measurements.push(m);
    const s = m.summary;
    const rss = Object.fromEntries(Object.entries(m.rss).map(([k, v]) => [k, Math.round(v)]));
    this.log(`${m.case} ${m.path} c=${m.connections}: ${s.rps.toFixed(0)} req/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, errors ${s.errors}, rss ${JSON.stringify(rss)}`);
  }
}

/** Runs one HTTP case on a path while sampling its processes' RSS (the highest value is kept in `rss`). */
async function measured(paths: Paths, p: HttpPathName, rss: Record<string, number>, go: () => Promise<Run>): Promise<Run> {
  const stop = sampleRss(Object.fromEntries(paths.processes[p].map((c) => [c.name, c.process.pid])));
  try {
    return await go();
  } finally {
    for (const [n, mb] of Object.entries(stop())) rss[n] = Math.max(rss[n] ?? 0, mb);
  }
}

const rssOf = (paths: Paths, p: PathName, rss: Record<string, number>) => Object.fromEntries(paths.processes[p].map((c) => [c.name, rss[c.name]]));

export async function compareLists(
  paths: Paths,
  recorder: Recorder,
  settings: Settings,
  cases: ListCase[],
  statements: Record<string, Captured[]>,
  pool: pg.Pool,
  listUrl: (p: HttpPathName, qs: string) => string,
  token: string,
): Promise<Pick<BenchResults, 'breakdown' | 'memory'>> {
  const out: Pick<BenchResults, 'breakdown' | 'memory'> = { breakdown: {}, memory: [] };
  for (const c of cases) {
    for (const connections of settings.connections) {
      const runs: Record<PathName, Run[]> = { real: [], inproc: [], frameworkless: [], raw: [] };
      const rss: Record<string, number> = {};
      const first = c === cases[0];
      const before = first && connections === 1 ? await scrapeAll(paths.real) : null;
      for (let r = 0; r < settings.repeat; r++) {
        const warmup = r === 0 ? settings.warmup : Math.min(1, settings.warmup);
        for (const p of LIST_PATHS) {
          await http(listUrl(p, c.qs), connections, warmup, token);
          runs[p].push(await measured(paths, p, rss, () => http(listUrl(p, c.qs), connections, settings.duration, token)));
        }
        await replay(pool, statements[c.id], connections, warmup);
        runs.raw.push(await replay(pool, statements[c.id], connections, settings.duration));
      }
      if (before) out.breakdown = differenceOf(before, await scrapeAll(paths.real));
      if (first && connections === Math.max(...settings.connections)) out.memory = await memoryComposition(paths.real);
      for (const p of [...LIST_PATHS, 'raw'] as const) {
        recorder.record({ case: c.id, path: p, connections, summary: pooled(runs[p]), rss: rssOf(paths, p, rss) });
      }
    }
  }
  return out;
}

export async function compareCreates(
  paths: Paths,
  recorder: Recorder,
  settings: Settings,
  createUrl: (p: HttpPathName) => string,
  token: string,
  createBody: () => string,
): Promise<void> {
  for (const connections of settings.connections) {
    const runs: Record<HttpPathName, Run[]> = { real: [], inproc: [], frameworkless: [] };
    const rss: Record<string, number> = {};
    for (let r = 0; r < settings.repeat; r++) {
      for (const p of CREATE_PATHS) {
        await http(createUrl(p), connections, r === 0 ? settings.warmup : Math.min(1, settings.warmup), token, createBody);
        runs[p].push(await measured(paths, p, rss, () => http(createUrl(p), connections, settings.duration, token, createBody)));
      }
    }
    for (const p of CREATE_PATHS) recorder.record({ case: 'create', path: p, connections, summary: pooled(runs[p]), rss: rssOf(paths, p, rss) });
  }
}

/** Whether each path answers each list case with exactly the real path's JSON. */
export async function sameAnswers(cases: ListCase[], listUrl: (p: HttpPathName, qs: string) => string, token: string): Promise<Record<string, Record<string, boolean>>> {
  const out: Record<string, Record<string, boolean>> = {};
  const body = async (url: string) => (await fetch(url, { headers: { api_access_token: token } })).text();
  for (const c of cases) {
    const real = await body(listUrl('real', c.qs));
    out[c.id] = {};
    for (const p of LIST_PATHS.filter((x) => x !== 'real')) out[c.id][p] = (await body(listUrl(p, c.qs))) === real;
  }
  return out;
}
