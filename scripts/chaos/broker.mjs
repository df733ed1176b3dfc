/**
 * The run's own RabbitMQ node, so it can really be restarted (stop, then start on the same data
 * directory: durable queues and persistent messages survive) without touching the machine's broker.
 *
 * /etc/rabbitmq/rabbitmq.conf pins `listeners.tcp.local` to 5672, which overrides
 * RABBITMQ_NODE_PORT, so the node gets a config file of its own. The directory must belong to the
 * `rabbitmq` user (rabbitmq-server runs as that user when started by root), else the node cannot log.
 *
 * If no node can be started (not root, no rabbitmq-server), `FallbackBroker` puts a TCP proxy in
 * front of the machine's broker instead and "restarts" by cutting the proxy: connections drop and
 * come back, but the broker itself keeps its state, which is a weaker test. The report says which.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { TcpProxy, viaProxy } from '../../test/support/tcp-proxy.mjs';
import { portIsFree, portIsOpen, randomBetween, sleep, waitFor } from './util.mjs';

const run = promisify(execFile);
const START_TIMEOUT_MS = 120_000;

/** Can this node accept an AMQP connection (guest/guest) now? */
async function amqpAnswers(url) {
  const connection = await amqp.connect(url, { timeout: 2000 });
  connection.on('error', () => undefined);
  await connection.close();
  return true;
}

export class OwnRabbitNode {
  kind = 'own RabbitMQ node';
  fault = 'RabbitMQ node restarted (stop, then start on the same data directory)';

  /** Picks ports and prepares the node's directory (it does not start it). @param {string} runId */
  static async create(runId) {
    if (process.getuid?.() !== 0) throw new Error('starting a RabbitMQ node of its own needs root (rabbitmq-server runs as the rabbitmq user)');
    let port = 0;
    for (let i = 0; i < 50 && !port; i++) {
      const p = randomBetween(20_000, 39_999);
      // The distribution port sits 20,000 above: both must be free.
      if ((await portIsFree(p)) && (await portIsFree(p + 20_000))) port = p;
    }
    if (!port) throw new Error('no free pair of ports for the RabbitMQ node');
    const dir = mkdtempSync(path.join(os.tmpdir(), `conv_chaos_${runId}-rabbitmq-`));
    mkdirSync(path.join(dir, 'mnesia'));
    mkdirSync(path.join(dir, 'log'));
    writeFileSync(path.join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`);
    writeFileSync(path.join(dir, 'plugins'), '[].\n');
    try {
      await run('chown', ['-R', 'rabbitmq:rabbitmq', dir]);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return new OwnRabbitNode(`chaos_${runId}@localhost`, dir, port);
  }

  constructor(name, dir, port) {
    this.name = name;
    this.dir = dir;
    this.port = port;
    this.url = `amqp://guest:guest@127.0.0.1:${port}`;
    /** OS pid of the node's beam process, a last resort for cleanup */
    this.pid = 0;
    /** @type {Promise<void> | null} */
    this.starting = null;
  }

  describe() {
    return `${this.kind} ${this.name} on 127.0.0.1:${this.port}`;
  }

  /** Starts the node; `destroy()` waits for a start under way, so a Ctrl-C mid-restart leaves no node behind. */
  start() {
    this.starting = this.boot();
    return this.starting;
  }

  async boot() {
    const env = {
      ...process.env,
      RABBITMQ_NODENAME: this.name,
      RABBITMQ_DIST_PORT: String(this.port + 20_000),
      RABBITMQ_CONFIG_FILE: path.join(this.dir, 'rabbitmq.conf'),
      RABBITMQ_MNESIA_BASE: path.join(this.dir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(this.dir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(this.dir, 'plugins'),
    };
    await new Promise((resolve, reject) => {
      const child = spawn('rabbitmq-server', ['-detached'], { env, stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`rabbitmq-server -detached exited ${code}`))));
    });
    await waitFor(`RabbitMQ node ${this.name} to accept AMQP connections`, () => amqpAnswers(this.url), START_TIMEOUT_MS, 500);
    const { stdout } = await this.ctl(['eval', 'os:getpid().']);
    this.pid = Number(stdout.replace(/\D/g, '')) || 0;
  }

  async stop() {
    await this.ctl(['stop']);
    await waitFor('the RabbitMQ port to close', async () => !(await portIsOpen(this.port)), 30_000);
  }

  /** @returns {Promise<number>} ms the broker was unreachable */
  async restart() {
    const started = performance.now();
    await this.stop();
    await this.start();
    return performance.now() - started;
  }

  /** Messages (ready and unacknowledged) in each queue of the node. @returns {Promise<Map<string, number>>} */
  async queueDepths() {
    const { stdout } = await this.ctl(['list_queues', '-q', '--no-table-headers', 'name', 'messages']);
    const depths = new Map();
    for (const line of stdout.split('\n')) {
      const [name, messages] = line.trim().split(/\s+/);
      if (name && messages !== undefined) depths.set(name, Number(messages));
    }
    return depths;
  }

  /** Stops the node (by its pid if rabbitmqctl cannot), keeps its logs in `logDir`, removes its directory. */
  async destroy(logDir) {
    await Promise.race([this.starting?.catch(() => undefined), sleep(30_000)]);
    try {
      await this.ctl(['stop']);
    } catch {
      if (this.pid) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    try {
      cpSync(path.join(this.dir, 'log'), path.join(logDir, 'rabbitmq'), { recursive: true });
    } catch {
      // nothing logged
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  ctl(args) {
    return run('rabbitmqctl', ['-n', this.name, ...args], { timeout: 60_000 });
  }
}

/** The machine's own RabbitMQ behind a TCP proxy; a "restart" cuts the proxy for a few seconds. */
export class FallbackBroker {
  kind = 'TCP proxy to the machine\'s RabbitMQ (FALLBACK: the broker itself was not restarted)';
  fault = 'RabbitMQ proxy cut (FALLBACK: connections dropped and refused, the broker kept running)';

  constructor(targetUrl, downSeconds = 6) {
    this.target = new URL(targetUrl);
    this.proxy = new TcpProxy(this.target.hostname, Number(this.target.port || 5672));
    this.downMs = downSeconds * 1000;
    this.url = '';
    /** queues and exchanges to delete at the end: this broker is shared */
    this.queues = [];
    this.exchanges = [];
  }

  describe() {
    return `${this.kind}, proxy 127.0.0.1:${this.proxy.port} -> ${this.target.host}`;
  }

  async start() {
    await this.proxy.start();
    this.url = viaProxy(this.target.toString(), this.proxy);
  }

  async restart() {
    const started = performance.now();
    await this.proxy.cut();
    await sleep(this.downMs);
    await this.proxy.restore();
    return performance.now() - started;
  }

  /** Ready messages only (the AMQP API has no unacknowledged count). */
  async queueDepths() {
    const connection = await amqp.connect(this.target.toString());
    const depths = new Map();
    try {
      for (const name of this.queues) {
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        try {
          depths.set(name, (await channel.checkQueue(name)).messageCount);
        } catch {
          // not declared
        } finally {
          await channel.close().catch(() => undefined);
        }
      }
    } finally {
      await connection.close();
    }
    return depths;
  }

  async destroy() {
    await this.proxy.cut();
    const connection = await amqp.connect(this.target.toString());
    const channel = await connection.createChannel();
    for (const name of this.queues) await channel.deleteQueue(name);
    for (const name of this.exchanges) await channel.deleteExchange(name);
    await connection.close();
  }
}
