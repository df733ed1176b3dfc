/**
 * Starts what the end-to-end tests talk to: a scratch database (migrated, seeded with
 * test/fixtures/e2e-fixture.json), a queue of its own, and the built gateway and worker as child
 * processes. Nothing of a developer's own database or queue is touched. Plain ESM: Jest loads a
 * global setup outside its module system, and the apps are the built ones (`npm test` builds).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { freePort, ROOT, runCli, startApp, waitFor } from './processes.mjs';

export const E2E_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'e2e-fixture.json');

export default async function globalSetup() {
  const suffix = randomBytes(4).toString('hex');
  const pgServer = (process.env.E2E_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432').replace(/\/$/, '');
  const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const databaseUrl = `${pgServer}/conv_e2e_${suffix}`;
  const queue = `conv_e2e_${suffix}`;
  const port = await freePort();
  const healthPort = await freePort();

  // The built commands, as child processes: loading the apps' modules into Jest's own process would
  // leave their decorator metadata behind for the test files that run in it.
  await runCli('migrate.js', [], databaseUrl);
  await runCli('seed.js', [E2E_FIXTURE], databaseUrl);

  const env = { DATABASE_URL: databaseUrl, AMQP_URL: amqpUrl, RMQ_QUEUE: queue, PORT: String(port), HOST: '127.0.0.1', RPC_TIMEOUT_MS: '5000', HEALTH_PORT: String(healthPort), HEALTH_HOST: '127.0.0.1', EVENTS_EXCHANGE: `${queue}.events`, RATE_LIMIT_IP_PER_MINUTE: '100000000', RATE_LIMIT_TOKEN_PER_MINUTE: '100000000' };
  globalThis.__E2E_CHILDREN__ = [startApp('worker', env), startApp('gateway', env)];
  Object.assign(process.env, { E2E_BASE_URL: `http://127.0.0.1:${port}`, E2E_DATABASE_URL: databaseUrl, E2E_AMQP_URL: amqpUrl, E2E_QUEUE: queue, E2E_WORKER_HEALTH_URL: `http://127.0.0.1:${healthPort}`, E2E_APP_ENV: JSON.stringify(env) });

  const list = `http://127.0.0.1:${port}/api/v1/accounts/1/conversations`;
  await waitFor('the gateway and worker to answer', async () => (await fetch(list, { headers: { api_access_token: 'e2e-token-ada' } })).status === 200);
}
