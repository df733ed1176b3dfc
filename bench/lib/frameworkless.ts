/** Starts the frameworkless path (bench/frameworkless): its consumer, then its HTTP server, on a queue of their own. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import amqp from 'amqplib';
import { parseQueryString } from '../../apps/gateway/src/http/fastify-setup.js';
import { byRole, type Captured } from './capture.js';
import { ROOT } from './options.js';
import { freePort, start, waitFor, type Child } from './processes.js';

export interface FrameworklessPath {
  children: Child[];
  base: string;
}

const dir = path.join(ROOT, 'dist', 'bench', 'frameworkless');

export async function startFrameworkless(o: {
  databaseUrl: string;
  amqpUrl: string;
  queue: string;
  prefetch: number;
  pool: number;
  logDir: string;
  /** Each case's query string ("?a=b" or "") and its four statements as the domain service sent them. */
  cases: { qs: string; statements: Captured[] }[];
  nodeArgs: (name: string) => string[];
}): Promise<FrameworklessPath> {
  // Keyed as the consumer will look them up: the query string parsed as the server parses it.
  const byQuery = Object.fromEntries(o.cases.map((c) => [JSON.stringify(parseQueryString(c.qs.replace(/^\?/, ''))), byRole(c.statements)]));
  mkdirSync(path.join(ROOT, 'dist', 'bench'), { recursive: true });
  const statementsFile = path.join(ROOT, 'dist', 'bench', 'frameworkless-statements.json');
  writeFileSync(statementsFile, JSON.stringify(byQuery));
  const hooks = ['--import', path.join(dir, 'register.js')];
  const common = { AMQP_URL: o.amqpUrl, FL_QUEUE: o.queue };
  const consumer = start('frameworkless-consumer', path.join(dir, 'consumer.js'), {
    ...common,
    DATABASE_URL: o.databaseUrl,
    DB_POOL_SIZE: String(o.pool),
    WORKER_PREFETCH: String(o.prefetch),
    FL_STATEMENTS: statementsFile,
  }, o.logDir, [...hooks, ...o.nodeArgs('frameworkless-consumer')]);
  // The consumer declares the queue: a request published before that would be dropped.
  await waitFor('the frameworkless consumer', () => queueExists(o.amqpUrl, o.queue), 60_000);
  const port = await freePort();
  const server = start('frameworkless-http', path.join(dir, 'server.js'), { ...common, PORT: String(port) }, o.logDir, [
    ...hooks,
    ...o.nodeArgs('frameworkless-http'),
  ]);
  return { children: [consumer, server], base: `http://127.0.0.1:${port}` };
}

async function queueExists(amqpUrl: string, queue: string): Promise<boolean> {
  const connection = await amqp.connect(amqpUrl);
  connection.on('error', () => undefined); // the 404 below is the expected "not yet"
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    await channel.checkQueue(queue); // closes the channel with a 404 when it is not there (yet)
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
