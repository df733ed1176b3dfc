/**
 * `npm run bench`: the list and create of SPEC 4 at a million conversations, three ways side by side
 * on one database, in one invocation:
 *   (1) real path: HTTP -> gateway -> RabbitMQ -> worker -> Postgres (the built apps, a queue of their own);
 *   (2) in-process: bench/in-process (NestJS + Fastify + TypeORM calling the same domain services);
 *   (3) raw SQL: the statements a list request runs, captured from the domain service, replayed by a
 *       bare pg pool with the same shape (authenticate; then counts side by side with ids -> render).
 * At 1 and 64 requests in flight: req/s, p50, p99, peak RSS of each process. Writes docs/benchmarks.md
 * and docs/benchmarks.svg (or dist/bench/smoke/ for --smoke). Stops everything it started.
 *
 * Options: --smoke (tiny data, 1 s a case), --fresh (drop and reseed the database), --duration S,
 * --warmup S, --repeat R (measured runs per case, interleaved across the paths, pooled), --conversations N, --accounts K, --workers W, --prefetch P, --pool P, --profile (node
 * --cpu-prof on every app, summarized in the report), --node-options "FLAGS" (for every app alike),
 * --report-only (rewrite the report from the last results, e.g. after editing bench/notes.md).
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import autocannon from 'autocannon';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ListConversationsQuery } from '#app/contracts';
import { AccessService, ConversationListService } from '#app/domain';
import { dataSourceOptions } from '#app/persistence';
import { migrate } from '../apps/cli/src/database.js';
import { projectRoot } from '../apps/cli/src/project-root.js';
import { adminToken, seedSynthetic, signature } from '../apps/cli/src/seed-synthetic.js';
import { countsStatement, type ListScope } from '../libs/domain/src/conversations/sql/list-query.js';
import { summarizeProfiles } from './lib/profile.js';
import { freePort, memoryOf, sampleRss, sleep, start, stop, waitFor, type Child } from './lib/processes.js';
import { writeReport, type BenchResults, type Measurement, type PathName } from './lib/report.js';
import { summarize, type Summary } from './lib/stats.js';

const ROOT = projectRoot();
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const smoke = flag('smoke');
const settings = {
  nodeOptions: '',
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
};
const database = smoke ? 'conv_bench_smoke' : 'conv_bench';
const pgServer = (process.env.BENCH_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
const databaseUrl = `${pgServer}/${database}`;
const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const outDir = smoke ? path.join(ROOT, 'dist', 'bench', 'smoke') : path.join(ROOT, 'docs');
const logDir = path.join(ROOT, 'dist', 'bench', 'logs');
const profileDir = flag('profile') ? path.join(ROOT, 'dist', 'bench', 'profiles') : null;
const extraNodeOptions = (() => {
  const i = argv.indexOf('--node-options');
  return i >= 0 ? argv[i + 1].split(/\s+/).filter(Boolean) : [];
})();
settings.nodeOptions = extraNodeOptions.join(' ');
const nodeArgs = (name: string) => [...extraNodeOptions, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : [])];
const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
const log = (line: string) => console.log(`bench: ${line}`);

interface Captured {
  text: string;
  values: unknown[];
  name?: string;
}

/** Records every statement the pool's connections send (for the raw-SQL replay and the statement count). */
const captured: Captured[] = [];
class RecordingClient extends pg.Client {
  override query(...args: unknown[]): any {
    const [first, second] = args;
    if (typeof first === 'string') captured.push({ text: first, values: (second as unknown[]) ?? [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as { text: string; values?: unknown[]; name?: string };
      captured.push({ text: config.text, values: config.values ?? (second as unknown[]) ?? [], name: config.name });
    }
    return (super.query as (...a: unknown[]) => unknown)(...args);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const children: Child[] = [];
  const queue = `conv_bench_${process.pid}`;
  let admin: pg.Pool | null = null;
  let largeAccount = 0;
  try {
    // 1. The database: migrated, seeded (reused when it holds the same synthetic data), bench leftovers removed.
    if (flag('fresh')) {
      const server = new pg.Client({ connectionString: `${pgServer}/postgres` });
      await server.connect();
      await server.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await server.end();
      log(`dropped ${database}`);
    }
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await migrate(databaseUrl);
    const seedFile = path.join(ROOT, 'dist', 'bench', `${database}.seed.json`);
    const seed = await seedSynthetic(databaseUrl, { conversations: settings.conversations, accounts: settings.accounts }, log);
    let seedInfo: { seconds: number; rows: Record<string, number>; at: string; reusedNow: boolean };
    if (!seed.reused) {
      seedInfo = { seconds: seed.seconds, rows: seed.rows, at: new Date().toISOString(), reusedNow: false };
      mkdirSync(path.dirname(seedFile), { recursive: true });
      writeFileSync(seedFile, JSON.stringify(seedInfo));
    } else {
      log(`reusing ${database} (${signature({ conversations: settings.conversations, accounts: settings.accounts })})`);
      const saved = existsSync(seedFile) ? (JSON.parse(readFileSync(seedFile, 'utf8')) as typeof seedInfo) : { seconds: NaN, rows: {}, at: '?' };
      seedInfo = { ...saved, reusedNow: true };
    }
    largeAccount = seed.accounts[0].id;
    admin = new pg.Pool({ connectionString: databaseUrl, max: settings.pool, application_name: 'conversations-bench-raw' });
    await removeBenchRows(admin, largeAccount, settings.conversations);
    await admin.query('CHECKPOINT'); // not in the middle of a measured case

    const token = adminToken(1);
    const inboxes = (await admin.query<{ id: number }>('SELECT id FROM inboxes WHERE account_id = $1 ORDER BY id', [largeAccount])).rows.map((r) => r.id);
    const hotInbox = inboxes[0];
    const filterInbox = inboxes[1];
    const contacts = (
      await admin.query<{ contact_id: number; source_id: string }>(
        'SELECT contact_id, source_id FROM contact_inboxes WHERE inbox_id = $1 ORDER BY id LIMIT 1000',
        [hotInbox],
      )
    ).rows;
    const listCases = [
      { id: 'list_open', title: 'list page 1: status open, assignee all', query: {}, qs: '' },
      { id: 'list_label_inbox', title: `list page 1: labels[]=billing and inbox_id (status open)`, query: { labels: ['billing'], inbox_id: filterInbox }, qs: `?labels[]=billing&inbox_id=${filterInbox}` },
    ];

    // 2. The statements of one list request, as the domain service sends them (and their number).
    const recording = new DataSource({
      ...dataSourceOptions({ url: databaseUrl, poolSize: 2, applicationName: 'conversations-bench-capture' }),
      extra: { max: 2, Client: RecordingClient },
    } as ReturnType<typeof dataSourceOptions>);
    await recording.initialize();
    const service = new ConversationListService(recording, new AccessService(recording));
    const statementsByCase: Record<string, Captured[]> = {};
    for (const c of listCases) {
      const query = Object.assign(new ListConversationsQuery(), c.query);
      await service.list(token, largeAccount, query);
      captured.length = 0;
      await service.list(token, largeAccount, query);
      statementsByCase[c.id] = captured.splice(0);
      if (statementsByCase[c.id].length !== 4) throw new Error(`expected 4 statements for ${c.id}, got ${statementsByCase[c.id].length}`);
    }
    await recording.destroy();
    const userId = Number((await admin.query<{ user_id: number }>(`SELECT user_id FROM account_users WHERE account_id = $1 AND role = 1`, [largeAccount])).rows[0].user_id);

    // 3. The processes: worker(s) and gateway on a queue of their own, and the in-process app.
    const gatewayPort = await freePort();
    const inProcessPort = await freePort();
    const common = { AMQP_URL: amqpUrl, RMQ_QUEUE: queue, LOG_LEVEL: 'warn' };
    for (let w = 1; w <= settings.workers; w++) {
      const healthPort = await freePort();
      workerHealthPorts.push(healthPort);
      children.push(
        start(`worker${settings.workers > 1 ? w : ''}`, path.join(ROOT, 'dist/apps/worker/src/main.js'), {
          ...common,
          DATABASE_URL: databaseUrl,
          HEALTH_PORT: String(healthPort),
          HEALTH_HOST: '127.0.0.1',
          WORKER_PREFETCH: String(settings.prefetch),
          DB_POOL_SIZE: String(settings.pool),
          EVENTS_EXCHANGE: `${queue}.events`,
        }, logDir, nodeArgs(`worker${settings.workers > 1 ? w : ''}`)),
      );
    }
    await sleep(1500); // the worker declares the queue (with its dead-letter arguments) before the gateway asserts it
    children.push(
      start('gateway', path.join(ROOT, 'dist/apps/gateway/src/main.js'), {
        ...common,
        PORT: String(gatewayPort),
        HOST: '127.0.0.1',
        RPC_TIMEOUT_MS: '20000',
        RATE_LIMIT_IP_PER_MINUTE: '0',
        RATE_LIMIT_TOKEN_PER_MINUTE: '0',
      }, logDir, nodeArgs('gateway')),
    );
    children.push(
      start('in-process', path.join(ROOT, 'dist/bench/in-process/main.js'), { DATABASE_URL: databaseUrl, PORT: String(inProcessPort), DB_POOL_SIZE: String(settings.pool) }, logDir, nodeArgs('in-process')),
    );
    const base: Record<Exclude<PathName, 'raw'>, string> = { real: `http://127.0.0.1:${gatewayPort}`, inproc: `http://127.0.0.1:${inProcessPort}` };
    const listUrl = (p: Exclude<PathName, 'raw'>, qs: string) => `${base[p]}/api/v1/accounts/${largeAccount}/conversations${qs}`;
    for (const p of ['real', 'inproc'] as const) {
      await waitFor(`the ${p} path`, async () => (await fetch(listUrl(p, ''), { headers: { api_access_token: token } })).status === 200, 90_000);
    }
    log('processes up');
    const pids = Object.fromEntries(children.map((c) => [c.name, c.process.pid]));
    const processesOf = (p: PathName) => children.filter((c) => (p === 'inproc' ? c.name === 'in-process' : p === 'real' ? c.name !== 'in-process' : false)).map((c) => c.name);

    const measurements: Measurement[] = [];
    const record = (m: Measurement) => {
      const dead = children.filter((c) => c.process.exitCode !== null || c.process.signalCode !== null);
      if (dead.length) throw new Error(`${dead.map((c) => `${c.name} exited (${c.process.exitCode ?? c.process.signalCode})`).join(', ')} during ${m.case} ${m.path} c=${m.connections}; see ${logDir}`);
      measurements.push(m);
      const s = m.summary;
      log(`${m.case} ${m.path} c=${m.connections}: ${s.rps.toFixed(0)} req/s, p50 ${s.p50.toFixed(2)} ms, p99 ${s.p99.toFixed(2)} ms, errors ${s.errors}, rss ${JSON.stringify(roundAll(m.rss))}`);
    };
    const breakdown: Record<string, number> = {};
    const memory: BenchResults['memory'] = [];

    // 4. Lists: real, in-process and raw SQL, at each concurrency; the repeats interleave the paths, so a
    //    slow minute of the machine falls on all of them alike. Samples of all repeats are pooled.
    for (const c of listCases) {
      for (const connections of settings.connections) {
        const runs: Record<PathName, Run[]> = { real: [], inproc: [], raw: [] };
        const rss: Record<string, number> = {};
        const breakdownHere = c.id === 'list_open' && connections === 1;
        const before = breakdownHere ? await scrapeAll(children, gatewayPort) : null;
        for (let r = 0; r < settings.repeat; r++) {
          const warmup = r === 0 ? settings.warmup : Math.min(1, settings.warmup);
          for (const p of ['real', 'inproc'] as const) {
            await http(listUrl(p, c.qs), connections, warmup, token);
            const stopRss = sampleRss(Object.fromEntries(processesOf(p).map((n) => [n, pids[n]])));
            runs[p].push(await http(listUrl(p, c.qs), connections, settings.duration, token));
            for (const [n, mb] of Object.entries(stopRss())) rss[n] = Math.max(rss[n] ?? 0, mb);
          }
          await replay(admin, statementsByCase[c.id], connections, warmup);
          runs.raw.push(await replay(admin, statementsByCase[c.id], connections, settings.duration));
        }
        if (before) Object.assign(breakdown, differenceOf(before, await scrapeAll(children, gatewayPort)));
        if (c.id === 'list_open' && connections === Math.max(...settings.connections)) memory.push(...(await memoryComposition(gatewayPort)));
        for (const p of ['real', 'inproc', 'raw'] as const) {
          record({ case: c.id, path: p, connections, summary: pooled(runs[p]), rss: Object.fromEntries(processesOf(p).map((n) => [n, rss[n]])) });
        }
      }
    }

    // 5. The SQL alone, timed inside Postgres (EXPLAIN ANALYZE), and the naive COUNT the counters replace.
    const serverTimes: BenchResults['serverTimes'] = [];
    for (const c of listCases) {
      for (const s of statementsByCase[c.id]) serverTimes.push({ case: c.id, statement: describe(s), ...(await explainTimes(admin, s)) });
      const scope: ListScope = { accountId: largeAccount, memberUserId: null, query: Object.assign(new ListConversationsQuery(), c.query), asOf: new Date() };
      const naive = countsStatement(scope, userId, 'scan');
      serverTimes.push({ case: c.id, statement: 'counts the naive way: COUNT(*) FILTER over conversations', ...(await explainTimes(admin, naive)) });
    }

    // 6. Creates through both paths (worst case for the counters: every create lands on one counter row).
    let next = 0;
    const createBody = () => {
      const contact = contacts[next++ % contacts.length];
      return JSON.stringify({ inbox_id: hotInbox, contact_id: contact.contact_id, source_id: contact.source_id, message: { content: 'Hello from the benchmark' } });
    };
    const createUrl = (p: Exclude<PathName, 'raw'>) => `${base[p]}/api/v1/accounts/${largeAccount}/conversations`;
    for (const connections of settings.connections) {
      const runs: Record<'real' | 'inproc', Run[]> = { real: [], inproc: [] };
      const rss: Record<string, number> = {};
      for (let r = 0; r < settings.repeat; r++) {
        for (const p of ['real', 'inproc'] as const) {
          await http(createUrl(p), connections, r === 0 ? settings.warmup : Math.min(1, settings.warmup), token, createBody);
          const stopRss = sampleRss(Object.fromEntries(processesOf(p).map((n) => [n, pids[n]])));
          runs[p].push(await http(createUrl(p), connections, settings.duration, token, createBody));
          for (const [n, mb] of Object.entries(stopRss())) rss[n] = Math.max(rss[n] ?? 0, mb);
        }
      }
      for (const p of ['real', 'inproc'] as const) {
        record({ case: 'create', path: p, connections, summary: pooled(runs[p]), rss: Object.fromEntries(processesOf(p).map((n) => [n, rss[n]])) });
      }
    }

    // 7. The counter row under 64 concurrent creates: deferred trigger (shipped), immediate trigger, no trigger.
    const triggerExperiment: BenchResults['triggerExperiment'] = [];
    const hot = 64;
    for (const variant of ['deferred (shipped)', 'immediate', 'none'] as const) {
      await setTrigger(admin, variant);
      try {
        await http(createUrl('inproc'), hot, settings.warmup, token, createBody);
        const summary = pooled([await http(createUrl('inproc'), hot, settings.duration, token, createBody)]);
        triggerExperiment.push({ variant, summary });
        log(`trigger ${variant}: create in-process c=${hot}: ${summary.rps.toFixed(0)} req/s, p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms`);
      } finally {
        await setTrigger(admin, 'deferred (shipped)');
      }
    }
    await rebuildCounts(admin, largeAccount);

    // 8. Peak RSS over the whole run (VmHWM), before the processes stop.
    const peaks = Object.fromEntries(children.map((c) => [c.name, memoryOf(c.process.pid).peak]));
    peaks['bench (autocannon + pg)'] = memoryOf(process.pid).peak;

    const results: BenchResults = {
      command,
      date: new Date().toISOString(),
      settings,
      machine: machine(),
      seed: { signature: signature({ conversations: settings.conversations, accounts: settings.accounts }), ...seedInfo },
      measurements,
      serverTimes,
      triggerExperiment,
      breakdown,
      peaks,
      statements: Object.fromEntries(Object.entries(statementsByCase).map(([k, v]) => [k, v.map(describe)])),
      cases: Object.fromEntries([...listCases.map((c) => [c.id, `${c.title}: GET /api/v1/accounts/{id}/conversations${c.qs}`]), ['create', `create: POST with inbox_id + contact_id + source_id + message, all in one inbox (one counter row)`]]),
      seconds: (Date.now() - started) / 1000,
      profiles: [],
      memory,
    };
    const profileFile = path.join(ROOT, 'dist', 'bench', 'profile-summary.json');
    if (profileDir) {
      await Promise.all(children.map((c) => stop(c)));
      results.profiles = children.map((c) => summarizeProfiles(path.join(profileDir, c.name), c.name)).filter((p) => p !== null);
      writeFileSync(profileFile, JSON.stringify({ command, date: results.date, profiles: results.profiles }));
    } else if (existsSync(profileFile)) {
      // The numbers come from this run (no profiler); the profile from the last run made with --profile.
      const saved = JSON.parse(readFileSync(profileFile, 'utf8')) as { command: string; date: string; profiles: BenchResults['profiles'] };
      results.profiles = saved.profiles;
      results.profileSource = `${saved.command} on ${saved.date.slice(0, 16).replace('T', ' ')} UTC`;
    }
    mkdirSync(path.join(ROOT, 'dist', 'bench'), { recursive: true });
    writeFileSync(path.join(ROOT, 'dist', 'bench', smoke ? 'results-smoke.json' : 'results.json'), JSON.stringify(results, null, 2));
    writeReport(results, outDir);
    log(`wrote ${path.relative(ROOT, path.join(outDir, 'benchmarks.md'))} and benchmarks.svg in ${results.seconds.toFixed(0)} s`);
  } finally {
    await Promise.all(children.map((c) => stop(c)));
    await deleteQueue(queue).catch((error: unknown) => log(`could not delete queue ${queue}: ${(error as Error).message}`));
    if (admin) {
      if (largeAccount) await removeBenchRows(admin, largeAccount, settings.conversations).catch(() => undefined);
      await admin.end();
    }
  }
}

const roundAll = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v)]));

/** Drives one HTTP case with autocannon; latencies of 2xx answers only, with their fractions of a ms. */
/** One measured run: every 2xx latency (ms), its length, and the failures. */
interface Run {
  samples: number[];
  seconds: number;
  errors: number;
}

const pooled = (runs: Run[]): Summary =>
  summarize(
    runs.flatMap((r) => r.samples),
    runs.reduce((a, r) => a + r.seconds, 0),
    runs.reduce((a, r) => a + r.errors, 0),
  );

async function http(url: string, connections: number, seconds: number, token: string, body?: () => string): Promise<Run> {
  const samples: number[] = [];
  let errors = 0;
  const headers: Record<string, string> = { api_access_token: token, ...(body ? { 'content-type': 'application/json' } : {}) };
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
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
  return { samples, seconds, errors: errors + result.errors + result.timeouts };
}

/** Replays one list request's statements with a bare pg pool: the first alone, then counts || (ids -> render). */
async function replay(pool: pg.Pool, statements: Captured[], connections: number, seconds: number): Promise<Run> {
  const [auth, ...rest] = statements;
  const render = rest.find((s) => s.name);
  const counts = rest.find((s) => !s.name && /mine_count/.test(s.text));
  const ids = rest.find((s) => s !== render && s !== counts);
  if (!render || !counts || !ids) throw new Error('unexpected statements: ' + statements.map(describe).join(' | '));
  const run = (s: Captured) => pool.query(s.name ? { name: s.name, text: s.text, values: s.values } : { text: s.text, values: s.values });
  const samples: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await run(auth);
          await Promise.all([run(counts), run(ids).then(() => run(render))]);
          samples.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return { samples, seconds, errors };
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

function describe(s: Captured): string {
  const flat = s.text.replace(/\s+/g, ' ').trim();
  if (s.name) return `render the page (prepared statement ${s.name}; EXPLAIN here plans it, the service's prepared statement does not)`;
  if (/FROM access_tokens/.test(flat)) return 'authenticate (token, account, role)';
  if (/FROM conversation_counts/.test(flat)) return 'counts from conversation_counts (+ team check)';
  if (/mine_count/.test(flat)) return 'counts: COUNT(*) FILTER over conversations (labels road)';
  if (/^SELECT c\.id FROM conversations/.test(flat)) return 'page ids (filters, order, LIMIT 25)';
  return flat.slice(0, 80);
}

/** The counter trigger as shipped (deferred to the commit), fired at once, or off (for the experiment only). */
async function setTrigger(pool: pg.Pool, variant: 'deferred (shipped)' | 'immediate' | 'none'): Promise<void> {
  const timing = variant === 'immediate' ? 'NOT DEFERRABLE' : 'DEFERRABLE INITIALLY DEFERRED';
  await pool.query(`BEGIN; DROP TRIGGER conversation_counts_insert_delete ON conversations;
    CREATE CONSTRAINT TRIGGER conversation_counts_insert_delete AFTER INSERT OR DELETE ON conversations ${timing}
      FOR EACH ROW EXECUTE FUNCTION conversation_counts_apply();
    ${variant === 'none' ? 'ALTER TABLE conversations DISABLE TRIGGER conversation_counts_insert_delete;' : ''}
    COMMIT`);
}

/** After the no-trigger experiment: the account's counters rebuilt from its rows, writers held off meanwhile. */
async function rebuildCounts(pool: pg.Pool, accountId: number): Promise<void> {
  await pool.query(`BEGIN; LOCK TABLE conversations IN SHARE ROW EXCLUSIVE MODE;
    DELETE FROM conversation_counts WHERE account_id = ${Number(accountId)};
    INSERT INTO conversation_counts (account_id, status, inbox_id, team_id, assignee_id, unattended, n)
      SELECT account_id, status, inbox_id, COALESCE(team_id, 0), COALESCE(assignee_id, 0),
             first_reply_created_at IS NULL OR waiting_since IS NOT NULL, count(*)
        FROM conversations WHERE account_id = ${Number(accountId)} GROUP BY 1, 2, 3, 4, 5, 6;
    COMMIT`);
}

/** Conversations the creates added (display ids above the seeded ones), so every run starts from the same data. */
async function removeBenchRows(pool: pg.Pool, accountId: number, seeded: number): Promise<void> {
  const { rowCount } = await pool.query('DELETE FROM conversations WHERE account_id = $1 AND display_id > $2', [accountId, seeded]);
  await pool.query('VACUUM (ANALYZE) conversation_counts');
  await pool.query('VACUUM (ANALYZE) conversation_label_counts');
  await pool.query('VACUUM (ANALYZE) account_display_ids');
  if (rowCount) {
    await pool.query('VACUUM (ANALYZE) conversations');
    await pool.query('VACUUM (ANALYZE) messages');
    log(`removed ${rowCount} conversations left by creates`);
  }
}

async function deleteQueue(queue: string): Promise<void> {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  for (const q of [queue, `${queue}.dlq`, `${queue}.retry`]) await channel.deleteQueue(q);
  await channel.deleteExchange(`${queue}.dlx`);
  await channel.deleteExchange(`${queue}.events`).catch(() => undefined);
  await connection.close().catch(() => undefined);
}

/** Heap, external memory and RSS of the gateway and worker(s), from their /metrics (prom-client's process metrics). */
async function memoryComposition(gatewayPort: number): Promise<BenchResults['memory']> {
  const pick = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([\\d.e+]+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  const sources = [['gateway', `http://127.0.0.1:${gatewayPort}/metrics`], ...workerHealthPorts.map((port, i) => [`worker${workerHealthPorts.length > 1 ? i + 1 : ''}`, `http://127.0.0.1:${port}/metrics`])];
  const out: BenchResults['memory'] = [];
  for (const [name, url] of sources) {
    const text = await (await fetch(url)).text();
    out.push({
      process: name,
      rss: pick(text, 'process_resident_memory_bytes'),
      heapTotal: pick(text, 'nodejs_heap_size_total_bytes'),
      heapUsed: pick(text, 'nodejs_heap_size_used_bytes'),
      external: pick(text, 'nodejs_external_memory_bytes'),
    });
  }
  return out;
}

/** Prometheus text of the gateway and the worker(s). */
async function scrapeAll(_children: Child[], gatewayPort: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const add = (text: string, prefix: string) => {
    for (const line of text.split('\n')) {
      const m = /^(\w+?)_(sum|count)\{(.*)\} ([\d.e+-]+)$/.exec(line);
      if (!m) continue;
      const [, metric, kind, labels, value] = m;
      const interesting =
        (metric === 'http_request_duration_seconds' && /method="GET"/.test(labels) && /conversations"/.test(labels)) ||
        (metric === 'rpc_duration_seconds' && /conversations\.list/.test(labels)) ||
        (metric === 'message_handler_duration_seconds' && /conversations\.list/.test(labels));
      if (interesting) out[`${prefix}${metric}_${kind}`] = (out[`${prefix}${metric}_${kind}`] ?? 0) + Number(value);
    }
  };
  add(await (await fetch(`http://127.0.0.1:${gatewayPort}/metrics`)).text(), 'gateway:');
  for (const port of workerHealthPorts) add(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), 'worker:');
  return out;
}
const workerHealthPorts: number[] = [];

function differenceOf(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const mean = (key: string) => {
    const sum = (after[`${key}_sum`] ?? 0) - (before[`${key}_sum`] ?? 0);
    const count = (after[`${key}_count`] ?? 0) - (before[`${key}_count`] ?? 0);
    return count ? (sum / count) * 1000 : NaN;
  };
  return {
    'gateway: HTTP request (Fastify onRequest to onResponse)': mean('gateway:http_request_duration_seconds'),
    'gateway: RPC round trip (publish to reply)': mean('gateway:rpc_duration_seconds'),
    'worker: handler (validate, authenticate, counts || page, render)': mean('worker:message_handler_duration_seconds'),
  };
}

function machine(): BenchResults['machine'] {
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
  const results = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'bench', smoke ? 'results-smoke.json' : 'results.json'), 'utf8')) as BenchResults;
  writeReport(results, outDir);
  log(`rewrote ${path.relative(ROOT, path.join(outDir, 'benchmarks.md'))} from the results of ${results.date}`);
}

(flag('report-only') ? Promise.resolve(reportOnly()) : main()).catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exitCode = 1;
});
