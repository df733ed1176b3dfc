/**
 * `npm run bench`: the list and create at a million conversations, in one invocation:
 *   - the paths side by side on one database, at 1 and 64 requests in flight (req/s, p50, p99, RSS):
 *     (1) real path: HTTP -> gateway -> RabbitMQ -> worker -> Postgres (the built apps, a queue of their own);
 *     (2) in-process: bench/in-process (NestJS + Fastify + TypeORM calling the same domain services);
 *     (3) frameworkless: bench/frameworkless (plain Fastify + amqplib + pg, the same RPC message and SQL);
 *     (4) raw SQL: the statements a list request runs, captured from the domain service, replayed by a
 *         bare pg pool with the same shape (authenticate; then counts side by side with ids -> render);
 *   - the shape matrix (bench/lib/shapes.ts): every list parameter, pairs, deep pages and meta through
 *     the real path at 1 in flight, each answer checked, each p50 against the default list's;
 *   - authentication before and after a burst of creates; the creates; the counter-trigger experiment;
 *   - with --ten-million, the shape matrix again on a second database of 10,000,000 conversations.
 * Writes docs/benchmarks.md and docs/benchmarks.svg (or dist/bench/smoke/ for --smoke). Stops everything it started.
 *
 * Options: --smoke (tiny data, 1 s a case), --shapes (only the shape matrix, and the large point if asked;
 * the other sections of the report are kept from the last full run), --ten-million (the shape matrix on
 * conv_bench_10m as well; --large-conversations N for another size), --fresh / --fresh-large (drop and
 * reseed the main / the large database), --duration S, --warmup S, --repeat R (measured runs per case,
 * interleaved across the paths, pooled), --conversations N, --accounts K (other than the defaults: a
 * database named after them, e.g. conv_bench_smoke_n20000_k2), --workers W, --prefetch P,
 * --pool P, --shape-requests N, --shape-warmup N, --shape-seconds S (most time one shape may take; at
 * least 10 requests), --auth-creates N, --profile (node --cpu-prof on every app, summarized in the report),
 * --node-options "FLAGS" (for every app alike), --report-only (rewrite the report from the last results,
 * e.g. after editing bench/notes.md).
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminToken, signature } from '../apps/cli/src/seed-synthetic.js';
import { authAfterCreates } from './lib/auth-after-creates.js';
import { captureListStatements, describe, byRole } from './lib/capture.js';
import { compareCreates, compareLists, LIST_PATHS, Recorder, sameAnswers, type ListCase, type Paths } from './lib/compare-paths.js';
import { freshenUpdatedAt, prepareDatabase, removeBenchRows } from './lib/database.js';
import { startFrameworkless } from './lib/frameworkless.js';
import { parseBenchOptions, ROOT } from './lib/options.js';
import { memoryOf, start, stop, waitFor, freePort, type Child } from './lib/processes.js';
import { summarizeProfiles } from './lib/profile.js';
import { deleteQueue, startRealPath } from './lib/real-path.js';
import { writeReport } from './lib/report.js';
import type { BenchResults, HttpPathName, ShapeRun } from './lib/results.js';
import { serverTimes } from './lib/server-times.js';
import { shapeRunOn } from './lib/shape-point.js';
import { triggerExperiment } from './lib/trigger-experiment.js';
import { appNodeFlags } from '../apps/cli/src/app-node-flags.js';

const o = parseBenchOptions(process.argv.slice(2));
const { settings } = o;
const log = (line: string) => console.log(`bench: ${line}`);
const profileDir = o.profile ? path.join(ROOT, 'dist', 'bench', 'profiles') : null;
// Every process with the flags the product's start scripts use (package.json config.nodeFlags), then the bench's own.
const nodeArgs = (name: string) => [...appNodeFlags(), ...o.extraNodeOptions, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [])];

async function main(): Promise<void> {
  const started = Date.now();
  const children: Child[] = [];
  const queues: string[] = [];
  const pools: pg.Pool[] = [];
  const cleanups: (() => Promise<void>)[] = [];
  const queue = `conv_bench_${process.pid}`;
  try {
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    // 1. The database: migrated, seeded (reused when it holds the same synthetic data), bench leftovers removed.
    const db = await prepareDatabase(o.pgServer, o.database, { conversations: settings.conversations, accounts: settings.accounts }, o.fresh, log);
    const admin = new pg.Pool({ connectionString: db.url, max: settings.pool, application_name: 'conversations-bench-raw' });
    pools.push(admin);
    const account = db.largeAccount;
    await removeBenchRows(admin, account, settings.conversations, log);
    cleanups.push(() => removeBenchRows(admin, account, settings.conversations, log));
    const freshened = await freshenUpdatedAt(admin, account, log);
    await admin.query('CHECKPOINT'); // not in the middle of a measured case

    const token = adminToken(1);
    const inboxes = (await admin.query<{ id: number }>('SELECT id FROM inboxes WHERE account_id = $1 ORDER BY id', [account])).rows.map((r) => r.id);
    const [hotInbox, filterInbox] = inboxes;
    const contacts = (
      await admin.query<{ contact_id: number; source_id: string }>('SELECT contact_id, source_id FROM contact_inboxes WHERE inbox_id = $1 ORDER BY id LIMIT 1000', [hotInbox])
    ).rows;
    const listCases: ListCase[] = [
      { id: 'list_open', title: 'list page 1: status open, assignee all', query: {}, qs: '' },
      { id: 'list_label_inbox', title: 'list page 1: labels[]=billing and inbox_id (status open)', query: { labels: ['billing'], inbox_id: filterInbox }, qs: `?labels[]=billing&inbox_id=${filterInbox}` },
    ];
    let next = 0;
    const createBody = () => {
      const contact = contacts[next++ % contacts.length];
      return JSON.stringify({ inbox_id: hotInbox, contact_id: contact.contact_id, source_id: contact.source_id, message: { content: 'Hello from the benchmark' } });
    };

    // 2. The statements of one list request, as the domain service sends them (and their number).
    const statements = o.shapesOnly ? {} : await captureListStatements(db.url, token, account, Object.fromEntries(listCases.map((c) => [c.id, c.query])));
    const userId = Number((await admin.query<{ user_id: number }>('SELECT user_id FROM account_users WHERE account_id = $1 AND role = 1', [account])).rows[0].user_id);

    // 3. The processes: each path on a queue of its own.
    const real = await startRealPath({ databaseUrl: db.url, amqpUrl: o.amqpUrl, queue, workers: settings.workers, prefetch: settings.prefetch, pool: settings.pool, logDir: o.logDir, nodeArgs });
    children.push(...real.children);
    queues.push(queue);
    const paths: Paths = { base: { real: real.base, inproc: '', frameworkless: '' }, processes: { real: real.children, inproc: [], frameworkless: [], raw: [] }, real };
    if (!o.shapesOnly) {
      const port = await freePort();
      const inproc = start('in-process', path.join(ROOT, 'dist/bench/in-process/main.js'), { DATABASE_URL: db.url, PORT: String(port), DB_POOL_SIZE: String(settings.pool) }, o.logDir, nodeArgs('in-process'));
      children.push(inproc);
      Object.assign(paths.processes, { inproc: [inproc] });
      paths.base.inproc = `http://127.0.0.1:${port}`;
      const frameworkless = await startFrameworkless({
        databaseUrl: db.url,
        amqpUrl: o.amqpUrl,
        queue: `${queue}_frameworkless`,
        prefetch: settings.prefetch,
        pool: settings.pool,
        logDir: o.logDir,
        cases: listCases.map((c) => ({ qs: c.qs, statements: statements[c.id] })),
        nodeArgs,
      });
      children.push(...frameworkless.children);
      paths.processes.frameworkless = frameworkless.children;
      paths.base.frameworkless = frameworkless.base;
    }
    const listUrl = (p: HttpPathName, qs: string) => `${paths.base[p]}/api/v1/accounts/${account}/conversations${qs}`;
    for (const p of o.shapesOnly ? (['real'] as const) : LIST_PATHS) {
      await waitFor(`the ${p} path`, async () => (await fetch(listUrl(p, ''), { headers: { api_access_token: token } })).status === 200, 90_000);
    }
    log('processes up');
    const recorder = new Recorder(children, log, o.logDir);
    const previous = o.shapesOnly ? previousResults(db.seed.signature) : null;
    // A --shapes run keeps the last full run's other sections, their command and date; its shape
    // sections carry their own.
    const results: BenchResults = previous ?? emptyResults();
    if (previous) results.settings = { ...previous.settings, ...shapeSettingsOf() };

    if (!o.shapesOnly) {
      // 4. Lists through every path; the same answers first (a path that answers something else would not compare).
      results.sameAnswers = await sameAnswers(listCases, listUrl, token);
      log(`same JSON as the real path: ${JSON.stringify(results.sameAnswers)}`);
      Object.assign(results, await compareLists(paths, recorder, settings, listCases, statements, admin, listUrl, token));
      results.serverTimes = await serverTimes(admin, listCases, statements, account, userId);
    }

    // 5. The shape matrix through the real path, 1 in flight.
    results.shapes = await shapeRunOn({ db, pool: admin, base: real.base, settings, command: o.command, freshened, log });

    if (!o.shapesOnly) {
      // 6. Authentication before and after a burst of creates, then back to the seeded rows.
      results.authAfterCreates = await authAfterCreates({
        pool: admin,
        authenticate: byRole(statements.list_open).auth,
        metaUrl: `${real.base}/api/v1/accounts/${account}/conversations/meta`,
        createUrl: `${real.base}/api/v1/accounts/${account}/conversations`,
        token,
        createBody,
        creates: settings.authCreates,
        warmup: settings.warmup,
        seconds: settings.duration,
        log,
      });
      await removeBenchRows(admin, account, settings.conversations, log);

      // 7. Creates through both NestJS paths, and the counter row under 64 concurrent creates.
      const createUrl = (p: HttpPathName) => `${paths.base[p]}/api/v1/accounts/${account}/conversations`;
      await compareCreates(paths, recorder, settings, createUrl, token, createBody);
      results.triggerExperiment = await triggerExperiment(admin, account, createUrl('inproc'), token, createBody, settings, log);
      results.measurements = recorder.measurements;

      // 8. Peak RSS over the whole run (VmHWM), before the processes stop.
      results.peaks = Object.fromEntries(children.map((c) => [c.name, memoryOf(c.process.pid).peak]));
      results.peaks['bench (autocannon + pg)'] = memoryOf(process.pid).peak;
      results.statements = Object.fromEntries(Object.entries(statements).map(([k, v]) => [k, v.map(describe)]));
      results.cases = Object.fromEntries([
        ...listCases.map((c) => [c.id, `${c.title}: GET /api/v1/accounts/{id}/conversations${c.qs}`]),
        ['create', 'create: POST with inbox_id + contact_id + source_id + message, all in one inbox (one counter row)'],
      ]);
      results.seed = db.seed;
      results.machine = machine(db.url);
    }
    await Promise.all(children.map((c) => stop(c)));
    if (!o.shapesOnly) results.profiles = profiles(children, results);

    // 9. The large point: the same shape matrix on a second, larger database.
    if (settings.largeConversations) results.largeShapes = await largePoint(`${queue}_large`, children, queues, pools);
    else if (!o.shapesOnly) delete results.largeShapes;

    if (!previous) results.seconds = (Date.now() - started) / 1000;
    mkdirSync(path.dirname(o.resultsFile), { recursive: true });
    writeFileSync(o.resultsFile, JSON.stringify(results, null, 2));
    writeReport(results, o.outDir);
    log(`wrote ${path.relative(ROOT, path.join(o.outDir, 'benchmarks.md'))} and benchmarks.svg in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await Promise.all(children.map((c) => stop(c)));
    for (const q of queues) await deleteQueue(o.amqpUrl, q).catch((error: unknown) => log(`could not delete queue ${q}: ${(error as Error).message}`));
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    for (const pool of pools) await pool.end();
  }
}

/** Seeds (or reuses) the large database and runs the shape matrix on it through a real path of its own. */
async function largePoint(queue: string, children: Child[], queues: string[], pools: pg.Pool[]): Promise<ShapeRun> {
  const db = await prepareDatabase(o.pgServer, o.largeDatabase, { conversations: settings.largeConversations, accounts: settings.accounts }, o.freshLarge, log);
  const pool = new pg.Pool({ connectionString: db.url, max: 2, application_name: 'conversations-bench-raw' });
  pools.push(pool);
  await removeBenchRows(pool, db.largeAccount, settings.largeConversations, log);
  const freshened = await freshenUpdatedAt(pool, db.largeAccount, log);
  await pool.query('CHECKPOINT');
  const real = await startRealPath({ databaseUrl: db.url, amqpUrl: o.amqpUrl, queue, workers: settings.workers, prefetch: settings.prefetch, pool: settings.pool, logDir: o.logDir, suffix: '-large', nodeArgs });
  children.push(...real.children);
  queues.push(queue);
  await waitFor('the real path on the large database', async () => (await fetch(`${real.base}/api/v1/accounts/${db.largeAccount}/conversations`, { headers: { api_access_token: adminToken(1) } })).status === 200, 180_000);
  try {
    return await shapeRunOn({ db, pool, base: real.base, settings, command: o.command, freshened, log });
  } finally {
    await Promise.all(real.children.map((c) => stop(c)));
  }
}

/** The CPU profiles of this run (--profile), or the last ones made with --profile. */
function profiles(children: Child[], results: BenchResults): BenchResults['profiles'] {
  const file = path.join(ROOT, 'dist', 'bench', 'profile-summary.json');
  if (profileDir) {
    const summaries = children.map((c) => summarizeProfiles(path.join(profileDir, c.name), c.name)).filter((p) => p !== null);
    writeFileSync(file, JSON.stringify({ command: o.command, date: results.date, profiles: summaries }));
    return summaries;
  }
  if (!existsSync(file)) return [];
  // The numbers come from this run (no profiler); the profile from the last run made with --profile.
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { command: string; date: string; profiles: BenchResults['profiles'] };
  results.profileSource = `${saved.command} on ${saved.date.slice(0, 16).replace('T', ' ')} UTC`;
  return saved.profiles;
}

/** With --shapes: the last full run's results on the same data, whose other sections the report keeps. */
function previousResults(seedSignature: string): BenchResults | null {
  if (!existsSync(o.resultsFile)) return null;
  const previous = JSON.parse(readFileSync(o.resultsFile, 'utf8')) as BenchResults;
  return previous.seed?.signature === seedSignature ? previous : null;
}

const shapeSettingsOf = () => ({
  shapeRequests: settings.shapeRequests,
  shapeWarmup: settings.shapeWarmup,
  shapeSeconds: settings.shapeSeconds,
  largeConversations: settings.largeConversations,
});

function emptyResults(): BenchResults {
  return {
    command: o.command,
    date: new Date().toISOString(),
    settings,
    machine: machine(`${o.pgServer}/${o.database}`),
    seed: { signature: signature({ conversations: settings.conversations, accounts: settings.accounts }), seconds: NaN, rows: {}, at: '?', reusedNow: true },
    measurements: [],
    serverTimes: [],
    triggerExperiment: [],
    breakdown: {},
    peaks: {},
    statements: {},
    cases: {},
    seconds: 0,
    profiles: [],
    memory: [],
  };
}

function machine(databaseUrl: string): BenchResults['machine'] {
  const cpu = os.cpus()[0]?.model ?? '?';
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  };
  return {
    cpus: `${os.cpus().length} × ${cpu}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    postgres: sh(`psql "${databaseUrl}" -Atc "SHOW server_version"`),
    rabbitmq: sh(`rabbitmqctl version 2>/dev/null`),
    kernel: os.release(),
  };
}

/** `--report-only`: rewrites the report from the last run's results (after editing bench/notes.md). */
function reportOnly(): void {
  const results = JSON.parse(readFileSync(o.resultsFile, 'utf8')) as BenchResults;
  writeReport(results, o.outDir);
  log(`rewrote ${path.relative(ROOT, path.join(o.outDir, 'benchmarks.md'))} from the results of ${results.date}`);
}

(o.reportOnly ? Promise.resolve(reportOnly()) : main()).catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exitCode = 1;
});
