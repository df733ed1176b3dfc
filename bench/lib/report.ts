/** docs/benchmarks.md and docs/benchmarks.svg from one bench run's measurements. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ProfileSummary } from './profile.js';
import type { Summary } from './stats.js';

export type PathName = 'real' | 'inproc' | 'raw';

export interface Measurement {
  case: string;
  path: PathName;
  connections: number;
  summary: Summary;
  /** Highest RSS (MB) of each process of the path while the case ran. */
  rss: Record<string, number>;
}

export interface BenchResults {
  command: string;
  date: string;
  settings: { nodeOptions: string; smoke: boolean; conversations: number; accounts: number; duration: number; warmup: number; repeat: number; workers: number; prefetch: number; pool: number; connections: number[] };
  machine: { cpus: string; memory: string; node: string; postgres: string; rabbitmq: string; kernel: string };
  seed: { signature: string; seconds: number; rows: Record<string, number>; at: string; reusedNow: boolean };
  measurements: Measurement[];
  serverTimes: { case: string; statement: string; planningMs: number; executionMs: number }[];
  triggerExperiment: { variant: string; summary: Summary }[];
  breakdown: Record<string, number>;
  peaks: Record<string, number>;
  statements: Record<string, string[]>;
  cases: Record<string, string>;
  seconds: number;
  /** CPU profiles of the apps over the whole run (`--profile`). */
  profiles: ProfileSummary[];
  /** Where the profiles come from when not from this run. */
  profileSource?: string;
  /** Memory of the real path's processes right after the list at 64 in flight (MB, from /metrics). */
  memory: { process: string; rss: number; heapTotal: number; heapUsed: number; external: number }[];
}

const PATH_TITLES: Record<PathName, string> = {
  real: '(1) real path: HTTP → gateway → RabbitMQ → worker → Postgres',
  inproc: '(2) in-process NestJS + TypeORM app, no broker',
  raw: '(3) raw SQL of the list and counts (bare pg pool)',
};
const SHORT: Record<PathName, string> = { real: '(1) real path', inproc: '(2) in-process', raw: '(3) raw SQL' };
const COLORS: Record<PathName, string> = { real: '#2563eb', inproc: '#f59e0b', raw: '#10b981' };

const f = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');

export function writeReport(results: BenchResults, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'benchmarks.svg'), svg(results));
  writeFileSync(path.join(outDir, 'benchmarks.md'), markdown(results));
}

function find(r: BenchResults, c: string, p: PathName, connections: number): Summary | undefined {
  return r.measurements.find((m) => m.case === c && m.path === p && m.connections === connections)?.summary;
}

interface Target {
  target: string;
  measured: string;
  met: boolean;
  by: string;
}

function targets(r: BenchResults): Target[] {
  const out: Target[] = [];
  const hi = Math.max(...r.settings.connections);
  const ratio = (c: string, goal: number, label: string) => {
    const real = find(r, c, 'real', hi);
    const inproc = find(r, c, 'inproc', hi);
    if (!real || !inproc) return;
    const value = real.rps / inproc.rps;
    out.push({
      target: `${label}: real path ≥ ${goal} × in-process req/s at ${hi} in flight`,
      measured: `${int(real.rps)} / ${int(inproc.rps)} req/s = ${f(value)} ×`,
      met: value >= goal,
      by: value >= goal ? `${f(value - goal)} × to spare` : `short by ${f(goal - value)} × (${int(goal * inproc.rps - real.rps)} req/s)`,
    });
  };
  ratio('list_open', 0.6, 'list (status open)');
  ratio('list_label_inbox', 0.6, 'list (label + inbox), for information');
  const p50 = find(r, 'list_open', 'real', 1);
  if (p50) {
    out.push({
      target: 'list page 1 with its four counts, real path, 1 in flight: p50 ≤ 5 ms',
      measured: `p50 ${f(p50.p50)} ms (p99 ${f(p50.p99)} ms)`,
      met: p50.p50 <= 5,
      by: p50.p50 <= 5 ? `${f(5 - p50.p50)} ms to spare` : `over by ${f(p50.p50 - 5)} ms`,
    });
  }
  for (const c of ['list_open', 'list_label_inbox']) {
    const real = find(r, c, 'real', 1);
    const raw = find(r, c, 'raw', 1);
    if (!real || !raw) continue;
    const added = real.p50 - raw.p50;
    out.push({
      target: `time the path adds around the database, 1 in flight (${c === 'list_open' ? 'status open' : 'label + inbox'}): real p50 − raw SQL p50 ≤ 2 ms`,
      measured: `${f(real.p50)} − ${f(raw.p50)} = ${f(added)} ms`,
      met: added <= 2,
      by: added <= 2 ? `${f(2 - added)} ms to spare` : `over by ${f(added - 2)} ms`,
    });
  }
  ratio('create', 0.6, 'create');
  const counts = Object.values(r.statements).map((s) => s.length);
  out.push({
    target: 'a constant number of SQL statements per list request, whatever the page holds',
    measured: `${[...new Set(counts)].join(', ')} statements in every case here; test/e2e/list-statements.e2e-spec.ts asserts 4 for 1,440 filter combinations (2 callers × 5 statuses × 4 assignee types × 4 inboxes × 3 teams × 3 label sets) and pages of 0, 1 and 25`,
    met: new Set(counts).size === 1,
    by: '–',
  });
  const apps = Object.entries(r.peaks).filter(([name]) => !name.startsWith('bench'));
  const over = apps.filter(([, mb]) => mb >= 200);
  const worst = apps.reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0] as [string, number]);
  out.push({
    target: 'each process under 200 MB RSS at peak (VmHWM over the whole run)',
    measured: apps.map(([name, mb]) => `${name} ${int(mb)} MB`).join(', '),
    met: over.length === 0,
    by: over.length === 0 ? `${int(200 - worst[1])} MB to spare (${worst[0]})` : over.map(([name, mb]) => `${name} over by ${int(mb - 200)} MB`).join(', '),
  });
  return out;
}

function markdown(r: BenchResults): string {
  const s = r.settings;
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push(
    '# Benchmarks: a million conversations, the broker hop against the in-process limit',
    '',
    `Generated by \`${r.command}\` (bench/run.ts) on ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${f(r.seconds / 60, 1)} minutes in all. Do not edit by hand: run it again.`,
    '',
    `Machine: ${r.machine.cpus}, ${r.machine.memory}, Linux ${r.machine.kernel}; Node ${r.machine.node}; Postgres ${r.machine.postgres}; RabbitMQ ${r.machine.rabbitmq}. Everything below (Postgres, RabbitMQ, the apps and the load generator) shares those ${r.machine.cpus.split(' ')[0]} cores.`,
    '',
    '![req/s by requests in flight for the three paths](benchmarks.svg)',
    '',
    '## What ran',
    '',
    `- Data: \`npm run seed:synthetic -- --conversations ${s.conversations} --accounts ${s.accounts}\` into the scratch database \`${s.smoke ? 'conv_bench_smoke' : 'conv_bench'}\`: one account of ${int(s.conversations)} conversations (plus ${s.accounts - 1} small ones), with contacts, 12 inboxes, 6 teams, 40 agents, labels, the four statuses and ${int(r.seed.rows.messages ?? NaN)} messages. ` +
      (r.seed.reusedNow
        ? `Reused from an earlier run of the bench (seeded ${r.seed.at.slice(0, 16).replace('T', ' ')} in **${f(r.seed.seconds, 1)} s**).`
        : `Seeded in this run in **${f(r.seed.seconds, 1)} s** (migrated database, set-based SQL, progress line per 100,000 rows).`),
    `- Paths: ${Object.values(PATH_TITLES).join('; ')}. The real path is the built gateway and ${s.workers} worker${s.workers > 1 ? 's' : ''} (WORKER_PREFETCH=${s.prefetch}, DB_POOL_SIZE=${s.pool}) on a queue of their own; the in-process app (bench/in-process/main.ts) has the same pool size. Both run with LOG_LEVEL=warn (no per-request log lines) and the gateway's rate limits off${s.nodeOptions ? `; every app with node ${s.nodeOptions}` : '; node with its default flags'}.`,
    `- Load: autocannon, ${s.connections.join(' and ')} connections (requests in flight), ${s.warmup} s of warm-up then ${s.repeat} × ${s.duration} s measured per case and path, the repeats interleaved across the paths (real, in-process, raw, real, ...) and their samples pooled; latency percentiles from every 2xx response's own time (fractions of a ms kept). The raw-SQL path replays, with a bare pg pool of ${s.pool} connections, the statements the domain service sends for one request (captured from it), in the same shape: authenticate, then the counts side by side with the page ids followed by the page's rendering.`,
    `- Cases: ${Object.entries(r.cases).map(([id, text]) => `\`${id}\`: ${text}`).join('; ')}.`,
    '',
    '## Targets',
    '',
    '| target | measured | met? | by how much |',
    '|---|---|---|---|',
    ...targets(r).map((t) => `| ${t.target} | ${t.measured} | ${t.met ? '**met**' : '**missed**'} | ${t.by} |`),
    '',
    '## Results',
    '',
    '| case | path | in flight | req/s | p50 ms | p99 ms | non-2xx / errors | peak RSS during the case (MB) |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const c of Object.keys(r.cases)) {
    for (const connections of s.connections) {
      for (const p of ['real', 'inproc', 'raw'] as PathName[]) {
        const m = r.measurements.find((x) => x.case === c && x.path === p && x.connections === connections);
        if (!m) continue;
        const rss = Object.entries(m.rss).map(([n, mb]) => `${n} ${int(mb)}`).join(', ') || '–';
        push(`| ${c} | ${SHORT[p]} | ${connections} | ${int(m.summary.rps)} | ${f(m.summary.p50)} | ${f(m.summary.p99)} | ${m.summary.errors} | ${rss} |`);
      }
    }
  }
  push('', '### Ratios', '', '| case | in flight | (1)/(2) req/s | (1)/(3) req/s | (1) p50 − (3) p50 | (1) p50 − (2) p50 |', '|---|---|---|---|---|---|');
  for (const c of Object.keys(r.cases)) {
    for (const connections of s.connections) {
      const real = find(r, c, 'real', connections);
      const inproc = find(r, c, 'inproc', connections);
      const raw = find(r, c, 'raw', connections);
      if (!real) continue;
      push(
        `| ${c} | ${connections} | ${inproc ? f(real.rps / inproc.rps) : '–'} | ${raw ? f(real.rps / raw.rps) : '– (no raw create)'} | ${raw ? `${f(real.p50 - raw.p50)} ms` : '–'} | ${inproc ? `${f(real.p50 - inproc.p50)} ms` : '–'} |`,
      );
    }
  }
  push(
    '',
    '### Peak RSS of each process over the whole run (VmHWM)',
    '',
    '| process | peak RSS |',
    '|---|---|',
    ...Object.entries(r.peaks).map(([name, mb]) => `| ${name} | ${int(mb)} MB |`),
    '',
    '## Where the time goes',
    '',
    '### One list request, real path, 1 in flight (means from the apps\' own Prometheus histograms during the measured run)',
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
  );
  if (r.memory.length) {
    push(
      '### Memory of the real path\'s processes right after the list at 64 in flight (from their /metrics)',
      '',
      '| process | RSS MB | V8 heap total MB | V8 heap used MB | external (Buffers) MB |',
      '|---|---|---|---|---|',
      ...r.memory.map((m) => `| ${m.process} | ${int(m.rss)} | ${int(m.heapTotal)} | ${int(m.heapUsed)} | ${int(m.external)} |`),
      '',
    );
  }
  if (r.profiles.length) {
    push(
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
  const notes = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'bench', 'notes.md');
  if (existsSync(notes)) push(readFileSync(notes, 'utf8').trim(), '');
  return lines.join('\n');
}

/** Hand-made SVG: one panel per case, bars of req/s for each path at each concurrency. */
function svg(r: BenchResults): string {
  const cases = Object.keys(r.cases);
  const paths: PathName[] = ['real', 'inproc', 'raw'];
  const panelW = 300;
  const panelH = 260;
  const top = 80;
  const left = 20;
  const width = left + cases.length * panelW + 20;
  const height = top + panelH + 80;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">req/s by requests in flight: ${int(r.settings.conversations)}-conversation account, ${r.machine.cpus.split(' ')[0]} cores</text>`,
  ];
  paths.forEach((p, i) => {
    const x = left + i * 260;
    out.push(`<rect x="${x}" y="34" width="12" height="12" fill="${COLORS[p]}"/><text x="${x + 16}" y="44">${SHORT[p]}</text>`);
  });
  cases.forEach((c, ci) => {
    const x0 = left + ci * panelW + 40;
    const values = r.measurements.filter((m) => m.case === c).map((m) => m.summary.rps);
    const max = Math.max(1, ...values) * 1.15;
    const plotW = panelW - 60;
    const baseY = top + panelH;
    out.push(`<text x="${x0}" y="${top - 4}" font-weight="bold">${c}</text>`);
    out.push(`<line x1="${x0}" y1="${baseY}" x2="${x0 + plotW}" y2="${baseY}" stroke="#333"/>`);
    out.push(`<line x1="${x0}" y1="${top + 10}" x2="${x0}" y2="${baseY}" stroke="#333"/>`);
    for (let t = 0; t <= 4; t++) {
      const v = (max / 4) * t;
      const y = baseY - ((panelH - 10) * t) / 4;
      out.push(`<line x1="${x0 - 3}" y1="${y}" x2="${x0 + plotW}" y2="${y}" stroke="#eee"/><text x="${x0 - 5}" y="${y + 4}" text-anchor="end" font-size="9">${int(v)}</text>`);
    }
    const groups = r.settings.connections;
    const groupW = plotW / groups.length;
    groups.forEach((connections, gi) => {
      const gx = x0 + gi * groupW;
      const present = paths.filter((p) => find(r, c, p, connections));
      const barW = Math.min(36, (groupW - 20) / Math.max(1, present.length));
      present.forEach((p, pi) => {
        const v = find(r, c, p, connections)!.rps;
        const h = ((panelH - 10) * v) / max;
        const bx = gx + 10 + pi * barW;
        out.push(`<rect x="${bx}" y="${baseY - h}" width="${barW - 4}" height="${h}" fill="${COLORS[p]}"><title>${SHORT[p]}, ${connections} in flight: ${int(v)} req/s</title></rect>`);
        out.push(`<text x="${bx + (barW - 4) / 2}" y="${baseY - h - 3}" text-anchor="middle" font-size="9">${int(v)}</text>`);
      });
      out.push(`<text x="${gx + groupW / 2}" y="${baseY + 16}" text-anchor="middle">${connections} in flight</text>`);
    });
  });
  out.push(`<text x="${left}" y="${height - 12}" font-size="10" fill="#555">${r.command} · ${r.date.slice(0, 10)} · see benchmarks.md for p50/p99 and RSS</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
