/**
 * Failures an operator will see: RabbitMQ or Postgres going away and coming back (cut with TCP
 * proxies between the apps and the machine's services, which stay up), a worker that never answers,
 * and a worker stopped with SIGTERM in the middle of a burst (of events, and of RPC requests whose
 * replies are in flight: contract 9). Each case runs its own gateway and
 * worker processes on a queue of their own; writes go to account 5.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { RawAmqpClient, type RpcReply } from '../support/amqp-client.js';
import { conversationsByAttribute, DedicatedQueue } from '../support/dedicated-queue.js';
import { e2eEnvironment, TOKENS } from '../support/e2e-environment.js';
import { stopApp, waitFor } from '../support/processes.mjs';
import { Stack, timedFetch, type Timed } from '../support/stack.js';
import { TcpProxy, viaProxy } from '../support/tcp-proxy.mjs';

const ACCOUNT = 5;
const rand = () => randomBytes(4).toString('hex');

/** Polls until `probe` answers 200; returns how long that took. */
async function recoveryTime(probe: () => Promise<Timed>, timeoutMs = 20_000): Promise<number> {
  const started = performance.now();
  await waitFor('recovery', async () => (await probe()).status === 200, timeoutMs);
  return performance.now() - started;
}

describe('RabbitMQ unreachable', () => {
  const amqpTarget = new URL(e2eEnvironment().amqpUrl);
  const proxy = new TcpProxy(amqpTarget.hostname, Number(amqpTarget.port || 5672));
  const stack = new Stack();

  beforeAll(async () => {
    await proxy.start();
    const amqpUrl = viaProxy(e2eEnvironment().amqpUrl, proxy);
    await stack.start({ gateway: { AMQP_URL: amqpUrl }, worker: { AMQP_URL: amqpUrl } });
    await waitFor('the stack to answer', async () => (await stack.list()).status === 200);
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await stack.stop();
    await proxy.stop();
  });

  it('answers 503 {"error"} within 100 ms while the broker is cut, and recovers by itself within 10 s', async () => {
    await proxy.cut();
    await waitFor('the gateway to notice', async () => (await stack.list()).status === 503, 5_000);
    const during = await Promise.all(Array.from({ length: 5 }, () => stack.list()));
    for (const answer of during) {
      expect(answer.status).toBe(503);
      expect(typeof answer.body.error).toBe('string');
      expect(answer.ms).toBeLessThan(100);
    }
    expect((await timedFetch(`${stack.baseUrl}/health/ready`)).status).toBe(503);
    expect((await timedFetch(`${stack.baseUrl}/health/live`)).status).toBe(200);

    await proxy.restore();
    const recovered = await recoveryTime(() => stack.list());
    console.log(`broker fault: 503 in at most ${Math.max(...during.map((a) => a.ms)).toFixed(1)} ms; recovered ${recovered.toFixed(0)} ms after the broker came back`);
    expect(recovered).toBeLessThan(10_000);
    expect((await timedFetch(`${stack.baseUrl}/health/ready`)).status).toBe(200);
    await waitFor('the worker to be ready again', async () => (await timedFetch(`${stack.workerHealthUrl}/health/ready`)).status === 200, 10_000);
  });
});

describe('Postgres unreachable', () => {
  const pgTarget = new URL(e2eEnvironment().databaseUrl);
  const proxy = new TcpProxy(pgTarget.hostname, Number(pgTarget.port || 5432));
  const stack = new Stack();

  beforeAll(async () => {
    await proxy.start();
    await stack.start({ worker: { DATABASE_URL: viaProxy(e2eEnvironment().databaseUrl, proxy) } });
    await waitFor('the stack to answer', async () => (await stack.list()).status === 200);
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await stack.stop();
    await proxy.stop();
  });

  it('answers 503 {"error"} from the worker while the database is cut, and recovers by itself within 10 s', async () => {
    await proxy.cut();
    const during = await stack.list();
    expect(during.status).toBe(503);
    expect(typeof during.body.error).toBe('string');
    expect((await timedFetch(`${stack.workerHealthUrl}/health/ready`)).status).toBe(503);

    await proxy.restore();
    const recovered = await recoveryTime(() => stack.list());
    console.log(`database fault: 503 in ${during.ms.toFixed(1)} ms; recovered ${recovered.toFixed(0)} ms after the database came back`);
    expect(recovered).toBeLessThan(10_000);
    expect((await timedFetch(`${stack.workerHealthUrl}/health/ready`)).status).toBe(200);
  });
});

describe('no worker answers', () => {
  const stack = new Stack();
  beforeAll(() => stack.start({ gateway: { RPC_TIMEOUT_MS: '500' }, worker: null }));
  afterAll(() => stack.stop());

  it('answers 504 {"error"} after RPC_TIMEOUT_MS', async () => {
    const answer = await stack.list();
    expect(answer.status).toBe(504);
    expect(typeof answer.body.error).toBe('string');
    expect(answer.ms).toBeGreaterThanOrEqual(450);
  });

  it('lets a request in flight finish when the gateway gets SIGTERM, then exits 0 within 10 s', async () => {
    const inFlight = stack.list(); // waits for its 504: nothing answers on this queue
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = performance.now();
    const exitCode = await stopApp(stack.gateway, 12_000);
    const answer = await inFlight;
    expect(answer.status).toBe(504); // answered, not dropped
    expect(exitCode).toBe(0);
    expect(performance.now() - stopping).toBeLessThan(10_000);
  });
});

describe('a worker stopped with SIGTERM during a burst of creates', () => {
  const queue = new DedicatedQueue('classic');
  beforeAll(() => queue.open());
  afterAll(() => queue.close());

  it('finishes what it holds, exits 0 within 10 s, and the next worker applies the rest: nothing lost, nothing twice', async () => {
    const first = queue.startWorker();
    await queue.waitForConsumers(1);
    const markers = Array.from({ length: 300 }, (_, i) => `rolling-${rand()}-${i}`);
    await queue.publish(
      markers.map((marker) => ({
        body: {
          pattern: 'conversations.create',
          data: { api_access_token: TOKENS.hooliBot, account_id: ACCOUNT, body: { inbox_id: 7, contact_id: 37, custom_attributes: { marker } } },
        },
        messageId: randomUUID(),
      })),
    );
    await waitFor('the first worker to be under way', async () => (await conversationsByAttribute(ACCOUNT, 'marker', markers)).size > 0, 30_000);
    const stopping = performance.now();
    const exitCode = await stopApp(first, 12_000);
    const stoppedIn = performance.now() - stopping;
    expect(exitCode).toBe(0);
    expect(stoppedIn).toBeLessThan(10_000);

    queue.startWorker();
    let counts = new Map<string, number>();
    await waitFor('every event applied', async () => {
      counts = await conversationsByAttribute(ACCOUNT, 'marker', markers);
      return counts.size === markers.length;
    }, 60_000);
    console.log(`rolling restart: the first worker stopped in ${stoppedIn.toFixed(0)} ms`);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
  });
});

describe('a worker stopped with SIGTERM while RPC replies are in flight', () => {
  const queue = new DedicatedQueue('classic');
  let client: RawAmqpClient;
  beforeAll(async () => {
    await queue.open();
    client = await RawAmqpClient.connect(queue.name);
  });
  afterAll(async () => {
    await client?.close();
    await queue.close();
  });

  it('exits 0; every create is answered, or answered on retry (same idempotency key) with the one conversation it made', async () => {
    const first = queue.startWorker();
    await queue.waitForConsumers(1);
    const requests = Array.from({ length: 50 }, (_, i) => ({ marker: `sigterm-rpc-${rand()}-${i}`, key: `sigterm-${randomUUID()}` }));
    const send = (r: (typeof requests)[number], timeoutMs: number) =>
      client
        .rpc('conversations.create', { api_access_token: TOKENS.hooliBot, account_id: ACCOUNT, idempotency_key: r.key, body: { inbox_id: 7, contact_id: 37, custom_attributes: { marker: r.marker } } }, {}, timeoutMs)
        .catch((): RpcReply | null => null);
    const pending = requests.map((r) => send(r, 20_000));
    await waitFor('a first reply', async () => client.received.length > 0, 30_000);
    const exitCode = await stopApp(first, 12_000);

    queue.startWorker(); // what the first worker left in the queue is the next one's
    const replies = await Promise.all(pending);
    // A caller whose reply never came retries with the same idempotency key.
    const retried = await Promise.all(requests.map((r, i) => replies[i] ?? send(r, 10_000)));
    const counts = await conversationsByAttribute(ACCOUNT, 'marker', requests.map((r) => r.marker));

    expect(exitCode).toBe(0);
    const answeredWithItsConversation = requests.filter((r, i) => retried[i]?.body.response?.custom_attributes?.marker === r.marker).length;
    expect({ answeredWithItsConversation, conversations: counts.size, createdMoreThanOnce: [...counts.values()].filter((n) => n !== 1).length }).toEqual({
      answeredWithItsConversation: 50,
      conversations: 50,
      createdMoreThanOnce: 0,
    });
    console.log(`SIGTERM mid-burst: ${replies.filter((r) => r === null).length} of 50 creates needed a retry`);
  });
});
