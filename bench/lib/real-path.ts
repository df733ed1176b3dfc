/** The product's own path for the bench: the built worker(s) and gateway on a queue of their own. */
import path from 'node:path';
import amqp from 'amqplib';
import { ROOT } from './options.js';
import { freePort, sleep, start, type Child } from './processes.js';

export interface RealPath {
  children: Child[];
  /** http://127.0.0.1:<port> of the gateway. */
  base: string;
  gatewayPort: number;
  workerHealthPorts: number[];
  queue: string;
}

export interface RealPathOptions {
  databaseUrl: string;
  amqpUrl: string;
  queue: string;
  workers: number;
  prefetch: number;
  pool: number;
  logDir: string;
  /** Appended to the process names (and their log files), e.g. "-10m". */
  suffix?: string;
  nodeArgs: (name: string) => string[];
}

/**
 * Slow shapes must be measured, not cut off: a statement may run up to a minute here (the product's
 * default is 15 s), and the gateway waits a little longer than that.
 */
const STATEMENT_TIMEOUT_MS = 60_000;
const RPC_TIMEOUT_MS = 65_000;

export async function startRealPath(o: RealPathOptions): Promise<RealPath> {
  const children: Child[] = [];
  const workerHealthPorts: number[] = [];
  const common = { AMQP_URL: o.amqpUrl, RMQ_QUEUE: o.queue, LOG_LEVEL: 'warn' };
  const suffix = o.suffix ?? '';
  for (let w = 1; w <= o.workers; w++) {
    const healthPort = await freePort();
    workerHealthPorts.push(healthPort);
    const name = `worker${o.workers > 1 ? w : ''}${suffix}`;
    children.push(
      start(name, path.join(ROOT, 'dist/apps/worker/src/main.js'), {
        ...common,
        DATABASE_URL: o.databaseUrl,
        HEALTH_PORT: String(healthPort),
        HEALTH_HOST: '127.0.0.1',
        WORKER_PREFETCH: String(o.prefetch),
        DB_POOL_SIZE: String(o.pool),
        DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        EVENTS_EXCHANGE: `${o.queue}.events`,
      }, o.logDir, o.nodeArgs(name)),
    );
  }
  await sleep(1500); // the worker declares the queue (with its dead-letter arguments) before the gateway asserts it
  const gatewayPort = await freePort();
  children.push(
    start(`gateway${suffix}`, path.join(ROOT, 'dist/apps/gateway/src/main.js'), {
      ...common,
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS),
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_TOKEN_PER_MINUTE: '0',
    }, o.logDir, o.nodeArgs(`gateway${suffix}`)),
  );
  return { children, base: `http://127.0.0.1:${gatewayPort}`, gatewayPort, workerHealthPorts, queue: o.queue };
}

/** The queues and exchanges a real path declared. */
export async function deleteQueue(amqpUrl: string, queue: string): Promise<void> {
  const connection = await amqp.connect(amqpUrl);
  const channel = await connection.createChannel();
  for (const q of [queue, `${queue}.dlq`, `${queue}.retry`]) await channel.deleteQueue(q);
  await channel.deleteExchange(`${queue}.dlx`);
  await channel.deleteExchange(`${queue}.events`).catch(() => undefined);
  await connection.close().catch(() => undefined);
}
