/** The report's sections on the paths side by side: targets, results, ratios, memory, where the time goes. */
import { atLeast, atMost, f, int, targetTable, type Target } from './report-format.js';
import type { BenchResults, PathName } from './results.js';
import type { Summary } from './stats.js';

export const PATHS: PathName[] = ['real', 'inproc', 'frameworkless', 'raw'];
export const PATH_TITLES: Record<PathName, string> = {
  real: '(1) real path: HTTP → gateway → RabbitMQ → worker → Postgres',
  inproc: '(2) in-process NestJS + TypeORM app, no broker',
  frameworkless: '(3) frameworkless: plain Fastify → RabbitMQ → amqplib + pg consumer, the same message and SQL, no NestJS',
  raw: '(4) raw SQL of the list and counts (bare pg pool)',
};
export const SHORT: Record<PathName, string> = { real: '(1) real path', inproc: '(2) in-process', frameworkless: '(3) frameworkless', raw: '(4) raw SQL' };
const LIST_CASES: Record<string, string> = { list_open: 'status open', list_label_inbox: 'label + inbox' };
const RSS_LIMIT_MB = 150;

export function find(r: BenchResults, c: string, p: PathName, connections: number): Summary | undefined {
  return r.measurements.find((m) => m.case === c && m.path === p && m.connections === connections)?.summary;
}

const hiOf = (r: BenchResults) => Math.max(...r.settings.connections);

function pathTargets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const hi = hiOf(r);
  for (const [c, label] of Object.entries(LIST_CASES)) {
    const real = find(r, c, 'real', hi);
    for (const [p, goal] of [['inproc', 0.9], ['frameworkless', 0.7]] as const) {
      const other = find(r, c, p, hi);
      if (real && other) out.push(atLeast(`list (${label}): real path ≥ ${goal} × ${p === 'inproc' ? 'in-process' : 'frameworkless'} req/s at ${hi} in flight`, real.rps / other.rps, goal, `${int(real.rps)} / ${int(other.rps)} req/s`));
    }
  }
  for (const [c, label] of Object.entries(LIST_CASES)) {
    const [real, fl, raw] = (['real', 'frameworkless', 'raw'] as const).map((p) => find(r, c, p, 1));
    if (!real || !fl || !raw) continue;
    const [addedReal, addedFl] = [real.p50 - raw.p50, fl.p50 - raw.p50];
    out.push(atMost(`time added around the database, 1 in flight (${label}): real ≤ 1.5 × frameworkless`, addedReal / addedFl, 1.5, `${f(addedReal)} ms / ${f(addedFl)} ms`));
  }
  const create = [find(r, 'create', 'real', hi), find(r, 'create', 'inproc', hi)];
  if (create[0] && create[1]) out.push(atLeast(`create: real path ≥ 0.6 × in-process req/s at ${hi} in flight`, create[0].rps / create[1].rps, 0.6, `${int(create[0].rps)} / ${int(create[1].rps)} req/s`));
  const p50 = find(r, 'list_open', 'real', 1);
  if (p50) {
    out.push({
      target: 'list page 1 with its four counts, real path, 1 in flight: p50 ≤ 5 ms',
      measured: `p50 ${f(p50.p50)} ms (p99 ${f(p50.p99)} ms)`,
      met: p50.p50 <= 5,
      by: p50.p50 <= 5 ? `${f(5 - p50.p50)} ms to spare` : `over by ${f(p50.p50 - 5)} ms`,
    });
  }
  for (const [c, label] of Object.entries(LIST_CASES)) {
    const real = find(r, c, 'real', 1);
    const raw = find(r, c, 'raw', 1);
    if (!real || !raw) continue;
    const added = real.p50 - raw.p50;
    out.push({
      target: `time the real path adds around the database, 1 in flight (${label}): real p50 − raw SQL p50 ≤ 2 ms`,
      measured: `${f(real.p50)} − ${f(raw.p50)} = ${f(added)} ms`,
      met: added <= 2,
      by: added <= 2 ? `${f(2 - added)} ms to spare` : `over by ${f(added - 2)} ms`,
    });
  }
  const counts = Object.values(r.statements).map((s) => s.length);
  if (counts.length) {
    out.push({
      target: 'a constant number of SQL statements per list request, whatever the page holds',
      measured: `${[...new Set(counts)].join(', ')} statements in every case here; test/e2e/list-statements.e2e-spec.ts asserts 4 for every filter combination and pages of 0, 1 and 25`,
      met: new Set(counts).size === 1,
      by: '–',
    });
  }
  const peaks = peakRssAt(r, hi);
  if (Object.keys(peaks).length) {
    const over = Object.entries(peaks).filter(([, mb]) => mb > RSS_LIMIT_MB);
    const worst = Object.entries(peaks).reduce((a, b) => (b[1] > a[1] ? b : a));
    out.push({
      target: `every process ≤ ${RSS_LIMIT_MB} MB RSS at peak at ${hi} in flight (sampled every 100 ms during those cases)`,
      measured: Object.entries(peaks).map(([name, mb]) => `${name} ${int(mb)} MB`).join(', '),
      met: over.length === 0,
      by: over.length === 0 ? `${int(RSS_LIMIT_MB - worst[1])} MB to spare (${worst[0]})` : over.map(([name, mb]) => `${name} over by ${int(mb - RSS_LIMIT_MB)} MB`).join(', '),
    });
  }
  return out;
}

/** Highest RSS of each app process over every case at `connections` in flight. */
function peakRssAt(r: BenchResults, connections: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of r.measurements.filter((x) => x.connections === connections)) {
    for (const [name, mb] of Object.entries(m.rss)) if (Number.isFinite(mb)) out[name] = Math.max(out[name] ?? 0, mb);
  }
  return out;
}

export function pathTargetLines(r: BenchResults): string[] {
  return targetTable(pathTargets(r));
}

export function pathSections(r: BenchResults): string[] {
  if (!r.measurements.length) return [];
  const s = r.settings;
  const lines: string[] = ['## The paths side by side', '', '| case | path | in flight | req/s | p50 ms | p99 ms | non-2xx / errors | peak RSS during the case (MB) |', '|---|---|---|---|---|---|---|---|'];
  for (const c of Object.keys(r.cases)) {
    for (const connections of s.connections) {
      for (const p of PATHS) {
        const m = r.measurements.find((x) => x.case === c && x.path === p && x.connections === connections);
        if (!m) continue;
        const rss = Object.entries(m.rss).map(([n, mb]) => `${n} ${int(mb)}`).join(', ') || '–';
        lines.push(`| ${c} | ${SHORT[p]} | ${connections} | ${int(m.summary.rps)} | ${f(m.summary.p50)} | ${f(m.summary.p99)} | ${m.summary.errors} | ${rss} |`);
      }
    }
  }
  lines.push('', '### Time added around the database, 1 in flight (path p50 − raw SQL p50)', '', '| case | raw SQL p50 | (1) real path | (2) in-process | (3) frameworkless |', '|---|---|---|---|---|');
  for (const c of Object.keys(LIST_CASES)) {
    const raw = find(r, c, 'raw', 1);
    if (!raw) continue;
    const added = (p: PathName) => {
      const x = find(r, c, p, 1);
      return x ? `${f(x.p50 - raw.p50)} ms` : '–';
    };
    lines.push(`| ${c} | ${f(raw.p50)} ms | ${added('real')} | ${added('inproc')} | ${added('frameworkless')} |`);
  }
  lines.push('', '### Ratios', '', '| case | in flight | (1)/(2) req/s | (1)/(3) req/s | (1)/(4) req/s | (1) p50 − (4) p50 | (1) p50 − (3) p50 | (1) p50 − (2) p50 |', '|---|---|---|---|---|---|---|---|');
  for (const c of Object.keys(r.cases)) {
    for (const connections of s.connections) {
      const [real, inproc, fl, raw] = PATHS.map((p) => find(r, c, p, connections));
      if (!real) continue;
      const ratio = (x?: Summary) => (x ? f(real.rps / x.rps) : '–');
      const minus = (x?: Summary) => (x ? `${f(real.p50 - x.p50)} ms` : '–');
      lines.push(`| ${c} | ${connections} | ${ratio(inproc)} | ${ratio(fl)} | ${ratio(raw)} | ${minus(raw)} | ${minus(fl)} | ${minus(inproc)} |`);
    }
  }
  if (r.sameAnswers) {
    lines.push('', `Every path answers with the same JSON as the real path, byte for byte: ${Object.entries(r.sameAnswers).map(([c, byPath]) => `${c}: ${Object.entries(byPath).map(([p, same]) => `${SHORT[p as PathName]} ${same ? 'yes' : '**no**'}`).join(', ')}`).join('; ')}.`);
  }
  lines.push('', '### Peak RSS of each process over the whole run (VmHWM)', '', '| process | peak RSS |', '|---|---|', ...Object.entries(r.peaks).map(([name, mb]) => `| ${name} | ${int(mb)} MB |`), '');
  return lines;
}

export function timeSections(r: BenchResults): string[] {
  if (!r.measurements.length) return [];
  const lines: string[] = [
    '## Where the time goes',
    '',
    "### One list request, real path, 1 in flight (means from the apps' own Prometheus histograms during the measured run)",
    '',
    '| span | mean ms |',
    '|---|---|',
    ...Object.entries(r.breakdown).map(([span, ms]) => `| ${span} | ${f(ms)} |`),
    `| raw SQL of the same request (bench replay, mean) | ${f(find(r, 'list_open', 'raw', 1)?.mean ?? NaN)} |`,
    '',
    '### The statements, timed inside Postgres (EXPLAIN ANALYZE, median of 15)',
    '',
    '| case | statement | planning ms | execution ms |',
    '|---|---|---|---|',
    ...r.serverTimes.map((t) => `| ${t.case} | ${t.statement} | ${f(t.planningMs, 3)} | ${f(t.executionMs, 3)} |`),
    '',
    '### The counter row under 64 concurrent creates (in-process app, all creates on one counter row)',
    '',
    '| counter trigger | req/s | p50 ms | p99 ms | errors |',
    '|---|---|---|---|---|',
    ...r.triggerExperiment.map((t) => `| ${t.variant} | ${int(t.summary.rps)} | ${f(t.summary.p50)} | ${f(t.summary.p99)} | ${t.summary.errors} |`),
    '',
  ];
  if (r.memory.length) {
    lines.push(
      "### Memory of the real path's processes right after the list at 64 in flight (from their /metrics)",
      '',
      '| process | RSS MB | V8 heap total MB | V8 heap used MB | external (Buffers) MB |',
      '|---|---|---|---|---|',
      ...r.memory.map((m) => `| ${m.process} | ${int(m.rss)} | ${int(m.heapTotal)} | ${int(m.heapUsed)} | ${int(m.external)} |`),
      '',
    );
  }
  if (r.profiles.length) {
    lines.push(
      `### CPU profiles of the apps over a whole bench run (node --cpu-prof; share of each process's busy time)${r.profileSource ? `: from \`${r.profileSource}\`, a separate run (the profiler slows what it samples)` : ': this run (with the profiler on)'}`,
      '',
      '| process | busy s | by package | top functions (self time) |',
      '|---|---|---|---|',
      ...r.profiles.map(
        (p) =>
          `| ${p.process} | ${f(p.busySeconds, 1)} | ${p.byPackage.map((x) => `${x.name} ${f(x.share * 100, 0)} %`).join(', ')} | ${p.topFunctions.slice(0, 8).map((x) => `${x.name.replace(/\|/g, '/')} ${f(x.share * 100, 1)} %`).join('; ')} |`,
      ),
      '',
    );
  }
  return lines;
}
