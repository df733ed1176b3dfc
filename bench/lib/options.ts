/** The bench's command line, parsed once: settings, what to run, where the databases and the report are. */
import path from 'node:path';
import { projectRoot } from '../../apps/cli/src/project-root.js';
import type { Settings } from './results.js';

export const ROOT = projectRoot();
const TEN_MILLION = 10_000_000;

export interface BenchOptions {
  argv: string[];
  /** `npm run bench -- ...` as typed, for the report. */
  command: string;
  settings: Settings;
  /** Only the shape matrix (and the large point when asked): no comparison of paths, no creates. */
  shapesOnly: boolean;
  reportOnly: boolean;
  fresh: boolean;
  freshLarge: boolean;
  profile: boolean;
  extraNodeOptions: string[];
  database: string;
  largeDatabase: string;
  pgServer: string;
  amqpUrl: string;
  /** docs/ (dist/bench/smoke/ for --smoke). */
  outDir: string;
  logDir: string;
  resultsFile: string;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const option = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const value = Number(argv[i + 1]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a number`);
    return value;
  };
  const smoke = flag('smoke');
  const nodeOptionsAt = argv.indexOf('--node-options');
  const extraNodeOptions = nodeOptionsAt >= 0 ? (argv[nodeOptionsAt + 1] ?? '').split(/\s+/).filter(Boolean) : [];
  const largeConversations = option('large-conversations', flag('ten-million') ? TEN_MILLION : 0);
  const settings: Settings = {
    nodeOptions: extraNodeOptions.join(' '),
    smoke,
    conversations: option('conversations', smoke ? 5_000 : 1_000_000),
    accounts: option('accounts', smoke ? 2 : 5),
    duration: option('duration', smoke ? 1 : 10),
    warmup: option('warmup', smoke ? 0.5 : 3),
    workers: option('workers', 1),
    repeat: option('repeat', smoke ? 1 : 3),
    prefetch: option('prefetch', 20),
    pool: option('pool', 10),
    connections: [1, 64],
    shapeRequests: option('shape-requests', smoke ? 10 : 40),
    shapeWarmup: option('shape-warmup', smoke ? 1 : 3),
    shapeSeconds: option('shape-seconds', smoke ? 10 : 60),
    authCreates: option('auth-creates', smoke ? 500 : 20_000),
    largeConversations,
  };
  const defaults = { conversations: smoke ? 5_000 : 1_000_000, accounts: smoke ? 2 : 5 };
  const database = databaseName(smoke ? 'conv_bench_smoke' : 'conv_bench', settings, defaults);
  const largeDatabase = databaseName('conv_bench_10m', { conversations: largeConversations, accounts: settings.accounts }, { conversations: TEN_MILLION, accounts: 5 });
  return {
    argv,
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    settings,
    shapesOnly: flag('shapes'),
    reportOnly: flag('report-only'),
    fresh: flag('fresh'),
    freshLarge: flag('fresh-large'),
    profile: flag('profile'),
    extraNodeOptions,
    database,
    largeDatabase,
    pgServer: (process.env.BENCH_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, ''),
    amqpUrl: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    outDir: smoke ? path.join(ROOT, 'dist', 'bench', 'smoke') : path.join(ROOT, 'docs'),
    logDir: path.join(ROOT, 'dist', 'bench', 'logs'),
    resultsFile: path.join(ROOT, 'dist', 'bench', smoke ? 'results-smoke.json' : 'results.json'),
  };
}

/**
 * The default data has a database of its own name; other sizes get one named after them, so trying
 * `--conversations 20000` never meets (and never has to drop) a database seeded with other parameters.
 */
function databaseName(base: string, data: { conversations: number; accounts: number }, defaults: { conversations: number; accounts: number }): string {
  if (data.conversations === defaults.conversations && data.accounts === defaults.accounts) return base;
  return `${base.replace(/_10m$/, '')}_n${data.conversations}_k${data.accounts}`;
}
