import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { deleteQueueTopology } from './dedicated-queue.js';
import { appEnv, TOKENS } from './e2e-environment.js';
import { freePort, startApp, stopApp, waitFor } from './processes.mjs';

export interface Timed {
  status: number;
  body: any;
  ms: number;
}

/** One HTTP request (a GET unless `init` says otherwise), timed; the body parsed when it is JSON. */
export async function timedFetch(url: string, token?: string, init: { method?: string; body?: unknown } = {}): Promise<Timed> {
  const started = performance.now();
  const headers: Record<string, string> = token ? { api_access_token: token } : {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, ms: performance.now() - started };
}

/**
 * A gateway and a worker of their own, on a queue of their own, with whatever connection settings the
 * case needs (`worker: null`: no worker yet; `startWorker` adds one later). Same database as the e2e
 * run unless the worker's env says otherwise.
 */
export class Stack {
  gateway!: ChildProcess;
  worker: ChildProcess | null = null;
  baseUrl = '';
  workerHealthUrl = '';
  private healthPort = 0;

  /** `queue`: a queue of the stack's own unless given (a DedicatedQueue's, say). */
  constructor(readonly queue = `conv_e2e_fault_${randomBytes(4).toString('hex')}`) {}

  async start(env: { gateway?: Record<string, string>; worker?: Record<string, string> | null }): Promise<void> {
    const port = await freePort();
    this.healthPort = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.workerHealthUrl = `http://127.0.0.1:${this.healthPort}`;
    if (env.worker !== null) this.startWorker(env.worker);
    this.gateway = startApp('gateway', { ...appEnv(), RMQ_QUEUE: this.queue, PORT: String(port), ...env.gateway }, `gateway-${this.queue}`);
    await waitFor('the fault-test gateway', async () => (await fetch(`${this.baseUrl}/health/live`)).status === 200, 30_000);
  }

  /** Starts the stack's worker (one at a time). */
  startWorker(env: Record<string, string> = {}): ChildProcess {
    this.worker = startApp('worker', { ...appEnv(), RMQ_QUEUE: this.queue, HEALTH_PORT: String(this.healthPort), ...env }, `worker-${this.queue}`);
    return this.worker;
  }

  list(token: string = TOKENS.hooliAdmin, accountId = 5) {
    return timedFetch(`${this.baseUrl}/api/v1/accounts/${accountId}/conversations?status=all`, token);
  }

  create(token: string, accountId: number, body: unknown) {
    return timedFetch(`${this.baseUrl}/api/v1/accounts/${accountId}/conversations`, token, { method: 'POST', body });
  }

  async stop(): Promise<void> {
    await Promise.all([this.gateway, this.worker].filter((p): p is ChildProcess => !!p).map((p) => stopApp(p)));
    await deleteQueueTopology(this.queue);
  }
}
