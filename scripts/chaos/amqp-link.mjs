/**
 * One AMQP connection and channel that come back by themselves: the broker is restarted during the
 * run, and every client of the run (RPC caller, event publisher, subscriber) must outlive that.
 * `channel` is null while the broker is away; `ready()` waits for the next one.
 */
import amqp from 'amqplib';
import { sleep } from './util.mjs';

const RECONNECT_DELAY_MS = 500;

export class AmqpLink {
  /**
   * @param {string} url
   * @param {{ confirm?: boolean, setup?: (channel: any) => Promise<void>, onLost?: () => void }} options
   */
  constructor(url, { confirm = false, setup, onLost } = {}) {
    this.url = url;
    this.confirm = confirm;
    this.setup = setup;
    this.onLost = onLost;
    /** @type {any} amqplib Channel or ConfirmChannel */
    this.channel = null;
    this.connection = null;
    this.closing = false;
    this.connects = 0;
    /** @type {(() => void)[]} */
    this.waiters = [];
  }

  start() {
    void this.loop();
    return this;
  }

  async loop() {
    while (!this.closing) {
      try {
        const connection = await amqp.connect(this.url, { timeout: 5000 });
        connection.on('error', () => undefined); // 'close' follows; handled below
        const closed = new Promise((resolve) => connection.once('close', resolve));
        const channel = this.confirm ? await connection.createConfirmChannel() : await connection.createChannel();
        channel.on('error', () => undefined);
        const channelClosed = new Promise((resolve) => channel.once('close', resolve));
        await this.setup?.(channel);
        this.connection = connection;
        this.channel = channel;
        this.connects += 1;
        for (const wake of this.waiters.splice(0)) wake();
        await Promise.race([closed, channelClosed]);
        this.channel = null;
        this.connection = null;
        this.onLost?.();
        await connection.close().catch(() => undefined); // the channel alone may have closed
      } catch {
        // the broker is down or refused the setup: try again shortly
      }
      if (!this.closing) await sleep(RECONNECT_DELAY_MS);
    }
  }

  /** The channel, once there is one; rejects after `timeoutMs`. */
  async ready(timeoutMs = 60_000) {
    if (this.channel) return this.channel;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no broker connection within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    return this.channel ?? this.ready(timeoutMs);
  }

  async close() {
    this.closing = true;
    await this.connection?.close().catch(() => undefined);
  }
}
