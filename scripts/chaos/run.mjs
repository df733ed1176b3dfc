#!/usr/bin/env node
/**
 * `npm run chaos`: 2,000 creates through every path (HTTP with and without Idempotency-Key, RPC,
 * events) into a full stack (2 gateways, 3 workers) while workers are SIGKILLed, RabbitMQ is restarted
 * and Postgres is cut; then, once everything is quiet, checks that nothing was lost, nothing was
 * created twice, every conversation was announced once, and the DLQ holds only what was poisoned on
 * purpose. Everything it uses is its own (database, RabbitMQ node, queue, exchange) and is removed
 * at the end, also on failure or Ctrl-C. See docs/reliability.md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { FallbackBroker, OwnRabbitNode } from './broker.mjs';
import { runChecks } from './checks.mjs';
import { createDatabase, dropDatabase, withClient } from './database.mjs';
import { EventPublisher } from './event-publisher.mjs';
import { runFaults } from './faults.mjs';
import { FIXTURE_FILE, loadFixture } from './fixture.mjs';
import { driveLoad, planCreates } from './load.mjs';
import { parseOptions } from './options.mjs';
import { poisonMessages, publishPoison } from './poison.mjs';
import { waitForQuiet } from './quiet.mjs';
import { renderReport } from './report.mjs';
import { RpcClient } from './rpc-client.mjs';
import { Stack } from './stack.mjs';
import { EventSubscriber } from './subscriber.mjs';
import { TcpProxy, viaProxy } from '../../test/support/tcp-proxy.mjs';
import { Timeline } from './timeline.mjs';
import { freePort, ROOT } from './util.mjs';

const PG_SERVER = (process.env.CHAOS_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
const MACHINE_AMQP_URL = process.env.CHAOS_FALLBACK_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const RPC_TIMEOUT_MS = 10_000;
const GATEWAYS = 2;
const WORKERS = 3;

const plan = parseOptions(process.argv.slice(2));
const runId = randomBytes(4).toString('hex');
const name = `conv_chaos_${runId}`; // database, queue, and the prefix of everything else
const logDir = path.join(ROOT, 'dist', 'chaos-logs', runId);
mkdirSync(logDir, { recursive: true });
const timeline = new Timeline(path.join(logDir, 'timeline.log'));

/** Undo steps, run last-first: registered as each thing is made, so a failure anywhere undoes only what exists. */
const undo = [];
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const step of undo.reverse()) {
      try {
        await step.run();
      } catch (error) {
        timeline.log(`cleanup: ${step.what} failed: ${error.message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    timeline.log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main() {
  const fixture = loadFixture();
  const databaseUrl = `${PG_SERVER}/${name}`;
  timeline.log(`run ${runId} (${plan.mode}): ${plan.creates} creates, ${plan.concurrency} in flight; logs in ${path.relative(ROOT, logDir)}`);

  // The world: database, broker, Postgres proxy, subscriber, apps.
  if (!plan.keepDb) undo.push({ what: 'drop database', run: () => dropDatabase(databaseUrl) });
  await createDatabase(databaseUrl, FIXTURE_FILE);
  const seededUpTo = await withClient(databaseUrl, async (c) => (await c.query('SELECT coalesce(max(id), 0)::bigint AS id FROM conversations')).rows[0].id);
  timeline.log(`database ${name} migrated and seeded`);

  const queue = name;
  const eventsExchange = `${name}.events`;
  const subscriberQueue = `${name}.subscriber`;
  const broker = await startBroker(queue, eventsExchange, subscriberQueue);

  const pgTarget = new URL(databaseUrl);
  const pgProxy = new TcpProxy(pgTarget.hostname, Number(pgTarget.port || 5432));
  await pgProxy.start();
  undo.push({ what: 'stop the Postgres proxy', run: () => pgProxy.cut() });

  const subscriber = new EventSubscriber(broker.url, eventsExchange, subscriberQueue);
  undo.push({ what: 'close the subscriber', run: () => subscriber.close() });
  await subscriber.start();
  timeline.log(`subscriber bound: ${subscriberQueue} <- ${eventsExchange} (conversation.created)`);

  const stack = new Stack({ logDir, timeline });
  const common = { AMQP_URL: broker.url, RMQ_QUEUE: queue, LOG_LEVEL: 'info' };
  for (let i = 1; i <= GATEWAYS; i++) {
    const port = await freePort();
    const env = { ...common, PORT: String(port), HOST: '127.0.0.1', RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS), RATE_LIMIT_IP_PER_MINUTE: '100000000', RATE_LIMIT_TOKEN_PER_MINUTE: '100000000' };
    stack.add('gateway', `gateway-${i}`, env, `http://127.0.0.1:${port}`);
  }
  for (let i = 1; i <= WORKERS; i++) {
    const port = await freePort();
    const env = { ...common, DATABASE_URL: viaProxy(databaseUrl, pgProxy), EVENTS_EXCHANGE: eventsExchange, HEALTH_PORT: String(port), HEALTH_HOST: '127.0.0.1' };
    stack.add('worker', `worker-${i}`, env, `http://127.0.0.1:${port}`);
  }
  undo.push({ what: 'stop the apps', run: () => stack.stop() });
  await stack.start();
  timeline.log(`${GATEWAYS} gateways and ${WORKERS} workers ready`);

  const rpc = new RpcClient(broker.url, queue, RPC_TIMEOUT_MS);
  const publisher = new EventPublisher(broker.url, queue);
  undo.push({ what: 'close the AMQP clients', run: () => Promise.all([rpc.close(), publisher.close()]) });
  await Promise.all([rpc.link.ready(), publisher.link.ready()]);
  const poison = poisonMessages(runId, fixture.botToken, fixture.accountId);
  await publishPoison(publisher, poison);
  timeline.log(`${poison.length} poison messages published on purpose`);
  const setupSeconds = timeline.now();

  // The load and the faults, side by side.
  const creates = planCreates(plan.creates, runId, fixture);
  const loadStarted = timeline.now();
  timeline.log(`load: ${plan.creates} creates at ${plan.ratePerSecond.toFixed(1)}/s, at most ${plan.concurrency} in flight`);
  let reported = 0;
  const load = driveLoad(creates, {
    concurrency: plan.concurrency,
    ratePerSecond: plan.ratePerSecond,
    accountId: fixture.accountId,
    gateways: stack.gateways.map((g) => g.url),
    keyedRetryMs: plan.keyedRetrySeconds * 1000,
    rpc,
    events: publisher,
    onProgress: (done) => {
      const tenth = Math.floor((done * 10) / plan.creates);
      if (tenth > reported) {
        reported = tenth;
        timeline.log(`load: ${done} of ${plan.creates} creates done`);
      }
    },
  });
  const faults = await runFaults({ plan, stack, broker, pgProxy, timeline, loadFinished: load });
  const results = await load;
  const loadSeconds = timeline.now() - loadStarted;
  timeline.log(`load and faults over after ${loadSeconds.toFixed(1)} s; waiting for quiet`);

  const quiet = await waitForQuiet({
    databaseUrl,
    broker,
    queues: [queue, `${queue}.retry`, subscriberQueue],
    timeoutMs: plan.quietTimeoutSeconds * 1000,
    timeline,
  });
  if (quiet.reached) timeline.log(`quiet after ${quiet.seconds.toFixed(1)} s`);

  // What is there now.
  const memory = stack.memory();
  const stored = await withClient(databaseUrl, async (c) =>
    (await c.query(`SELECT display_id, uuid, custom_attributes->>'chaos_ref' AS ref FROM conversations WHERE id > $1 ORDER BY id`, [seededUpTo])).rows,
  );
  const deadLetters = await drainDeadLetters(broker.url, `${queue}.dlq`);
  // SIGTERM now rather than in the cleanup, so the report can say whether each app stopped cleanly.
  const stopping = performance.now();
  const stopped = await stack.stop();
  const stopSeconds = (performance.now() - stopping) / 1000;
  const checks = runChecks({ results, stored, subscriber, deadLetters, poison, unexpectedExits: stack.unexpectedExits, quiet });

  const report = renderReport({
    runId,
    plan,
    commit: commitDescription(),
    brokerKind: broker.describe(),
    brokerFault: broker.fault,
    checks,
    results,
    stored,
    faults,
    stack,
    memory,
    subscriber,
    deadLetterCount: deadLetters.length,
    stopped,
    stopSeconds,
    seconds: { setup: setupSeconds, load: loadSeconds, quiet: quiet.seconds, total: timeline.now() },
  });
  writeFileSync(path.join(logDir, 'report.md'), `${report}\n`);
  writeFileSync(path.join(logDir, 'results.json'), JSON.stringify({ results, deadLetters, faults, timeline: timeline.entries }, null, 1));
  console.log(`\n${report}\n`);
  console.log(`report: ${path.relative(ROOT, path.join(logDir, 'report.md'))}; app logs: ${path.relative(ROOT, logDir)}`);
  return checks.every((c) => c.pass);
}

/** The run's own RabbitMQ node, or (if that cannot be started) a TCP proxy to the machine's broker. */
async function startBroker(queue, eventsExchange, subscriberQueue) {
  try {
    if (plan.fallbackBroker) throw new Error('--fallback-broker given');
    const node = await OwnRabbitNode.create(runId);
    undo.push({ what: 'stop the RabbitMQ node', run: () => node.destroy(logDir) });
    await node.start();
    timeline.log(`RabbitMQ: ${node.describe()}`);
    return node;
  } catch (error) {
    timeline.log(`WARNING: no RabbitMQ node of its own (${error.message}); FALLING BACK to a TCP proxy in front of ${new URL(MACHINE_AMQP_URL).host}: the broker "restart" only cuts connections`);
    const fallback = new FallbackBroker(MACHINE_AMQP_URL);
    fallback.queues = [queue, `${queue}.retry`, `${queue}.dlq`, subscriberQueue];
    fallback.exchanges = [`${queue}.dlx`, eventsExchange];
    undo.push({ what: 'remove the queues from the machine\'s broker', run: () => fallback.destroy() });
    await fallback.start();
    return fallback;
  }
}

/** Takes every message out of the DLQ: its message id, why it is there, and the chaos_ref it carries. */
async function drainDeadLetters(url, dlq) {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const out = [];
    for (let m = await channel.get(dlq, { noAck: true }); m; m = await channel.get(dlq, { noAck: true })) {
      const headers = m.properties.headers ?? {};
      const death = headers['x-death']?.[0];
      const text = m.content.toString();
      let ref = null;
      try {
        ref = JSON.parse(text)?.data?.body?.custom_attributes?.chaos_ref ?? null;
      } catch {
        ref = new RegExp(`${runId}-\\w+-\\d{5}`).exec(text)?.[0] ?? null;
      }
      const reason = headers['x-error-reason'] ?? (death ? `(no x-error-reason; x-death: ${death.reason} from ${death.queue})` : '(no reason)');
      out.push({ messageId: m.properties.messageId, reason: String(reason), ref });
    }
    return out;
  } finally {
    await connection.close();
  }
}

function commitDescription() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty}`;
  } catch {
    return 'unknown';
  }
}

let passed = false;
try {
  passed = await main();
} catch (error) {
  timeline.log(`RUN FAILED: ${error.stack ?? error}`);
} finally {
  timeline.log('cleaning up');
  await cleanup();
  timeline.log(passed ? 'chaos: all checks passed' : 'chaos: FAILED (see above)');
}
process.exit(passed ? 0 : 1);
