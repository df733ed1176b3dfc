/** The shape matrix on one seeded database, through a real path already serving it. */
import type pg from 'pg';
import type { PreparedDatabase } from './database.js';
import type { ShapeRun, Settings } from './results.js';
import { shapeCallers, shapeFacts } from './shape-facts.js';
import { runShapes } from './shape-run.js';
import { shapeMatrix } from './shapes.js';

export async function shapeRunOn(o: {
  db: PreparedDatabase;
  pool: pg.Pool;
  /** http://host:port of the gateway serving `db`. */
  base: string;
  settings: Settings;
  command: string;
  freshened: number;
  log: (line: string) => void;
}): Promise<ShapeRun> {
  const started = performance.now();
  const facts = await shapeFacts(o.pool, o.db.largeAccount, o.db.conversations);
  const { admin, agent } = await shapeCallers(o.pool);
  o.log(`shape matrix on ${o.db.name}: ${JSON.stringify(facts)}`);
  const results = await runShapes({
    base: o.base,
    accountId: o.db.largeAccount,
    admin,
    agent,
    shapes: shapeMatrix(facts),
    pool: o.pool,
    requests: o.settings.shapeRequests,
    warmup: o.settings.shapeWarmup,
    warmupSeconds: o.settings.warmup,
    maxSeconds: o.settings.shapeSeconds,
    log: o.log,
  });
  return {
    command: o.command,
    date: new Date().toISOString(),
    database: o.db.name,
    conversations: o.db.conversations,
    seed: o.db.seed,
    freshened: o.freshened,
    results,
    seconds: (performance.now() - started) / 1000,
  };
}
