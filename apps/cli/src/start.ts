/**
 * `npm start` (and `npm run demo`): applies migrations, then runs the gateway and one worker as child
 * processes, forwarding SIGTERM/SIGINT so both finish in-flight work and exit 0. `--demo` loads the
 * committed demo fixture first and prints its tokens: never part of `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ConfigError, GatewaySettings, loadConfig, WorkerSettings } from '#app/config';
import { FixtureError, isTransientDatabaseError } from '#app/domain';
import { appNodeFlags } from './app-node-flags.js';
import { migrate } from './database.js';
import { projectRoot } from './project-root.js';
import { seedFile } from './seed.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const APPS = { worker: here('../../worker/src/main.js'), gateway: here('../../gateway/src/main.js') };
const DEMO_FIXTURE = path.join(projectRoot(), 'fixtures', 'demo.json');

async function main(): Promise<void> {
  const worker = loadConfig(WorkerSettings);
  const gateway = loadConfig(GatewaySettings);
  const applied = await migrateWhenReachable(worker.DATABASE_URL);
  console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');
  if (process.argv.includes('--demo')) await loadDemo(worker.DATABASE_URL);

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const child of children.values()) if (child.exitCode === null) child.kill(signal);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stopAll('SIGTERM'));

  const exits = Object.entries(APPS).map(([name, script]) => {
    const child = spawn(process.execPath, [...appNodeFlags(), script], { stdio: 'inherit', env: process.env });
    children.set(name, child);
    return new Promise<number>((resolve) =>
      child.on('exit', (code, signal) => {
        if (!stopping) {
          console.error(`${name} exited unexpectedly (${code ?? signal}); stopping the others`);
          stopAll('SIGTERM');
        }
        resolve(code ?? 1);
      }),
    );
  });
  console.log(`starting gateway (port ${gateway.PORT}) and worker on queue "${worker.RMQ_QUEUE}"`);
  const codes = await Promise.all(exits);
  process.exit(stopping && codes.every((code) => code === 0) ? 0 : 1);
}

/** SPEC 2: Postgres being down is no reason to give up; the apps wait for it too. */
async function migrateWhenReachable(databaseUrl: string): Promise<string[]> {
  for (;;) {
    try {
      return await migrate(databaseUrl);
    } catch (error) {
      if (!isTransientDatabaseError(error)) throw error;
      console.warn(`Postgres is not reachable yet (${(error as Error).message}); retrying in 2 s`);
      await sleep(2_000);
    }
  }
}

async function loadDemo(databaseUrl: string): Promise<void> {
  const inserted = await seedFile(databaseUrl, DEMO_FIXTURE);
  const count = Object.values(inserted).reduce((a, b) => a + b, 0);
  console.log(count ? `demo data loaded (${count} rows)` : 'demo data already loaded');
  const demo = JSON.parse(await readFile(DEMO_FIXTURE, 'utf8')) as {
    users?: { name: string; access_token?: string; accounts?: { account_id: number; role: string }[] }[];
    agent_bots?: { name: string; access_token?: string; account_id: number }[];
  };
  console.log('demo tokens (send as the api_access_token header):');
  for (const u of demo.users ?? []) {
    const roles = (u.accounts ?? []).map((m) => `${m.role} of account ${m.account_id}`).join(', ');
    console.log(`  ${u.access_token}  ${u.name} (${roles})`);
  }
  for (const b of demo.agent_bots ?? []) console.log(`  ${b.access_token}  ${b.name} (agent bot of account ${b.account_id})`);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof FixtureError;
  console.error(known ? (error as Error).message : `start failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
