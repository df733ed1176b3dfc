/**
 * A TCP proxy between an app and Postgres or RabbitMQ, so a fault test (or the chaos run) can make the
 * service look down without touching the machine's own: `cut()` drops every connection and stops
 * listening (new connections are refused), `restore()` listens again on the same port. Plain ESM with
 * JSDoc types, so the TypeScript tests and the chaos script share it.
 */
import net from 'node:net';

export class TcpProxy {
  /** @param {string} targetHost @param {number} targetPort */
  constructor(targetHost, targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    /** @type {net.Server | null} */
    this.server = null;
    /** @type {Set<net.Socket>} */
    this.sockets = new Set();
    this.port = 0;
  }

  /** @returns {Promise<number>} the port it listens on */
  async start(port = 0) {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        socket.setNoDelay(true);
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve(undefined));
    });
    this.server = server;
    this.port = /** @type {net.AddressInfo} */ (server.address()).port;
    return this.port;
  }

  /** Drops every connection and stops listening. @returns {Promise<number>} connections dropped */
  async cut() {
    const server = this.server;
    this.server = null;
    const dropped = Math.ceil(this.sockets.size / 2); // two sockets per proxied connection
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(() => resolve(undefined)));
    return dropped;
  }

  async restore() {
    if (!this.server) await this.start(this.port);
  }

  async stop() {
    await this.cut();
  }
}

/**
 * `url` with its host and port replaced by the proxy's.
 * @param {string} url
 * @param {TcpProxy} proxy
 */
export function viaProxy(url, proxy) {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(proxy.port);
  return u.toString();
}
