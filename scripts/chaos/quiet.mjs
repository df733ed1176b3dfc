/**
 * After the load, waits until the system has nothing left to do, so the checks judge the final state:
 * no unpublished row in outbox_events, and the work queue, its retry queue and the subscriber's queue
 * empty (ready and unacknowledged), twice in a row. Gives up after `timeoutMs` and says what was left.
 */
import { withClient } from './database.mjs';
import { sleep } from './util.mjs';

const POLL_MS = 2000;

/**
 * @param {{ databaseUrl: string, broker: { queueDepths(): Promise<Map<string, number>> }, queues: string[],
 *   timeoutMs: number, timeline: import('./timeline.mjs').Timeline }} options
 */
export async function waitForQuiet({ databaseUrl, broker, queues, timeoutMs, timeline }) {
  const started = performance.now();
  let calmPolls = 0;
  let last = {};
  while (performance.now() - started < timeoutMs) {
    try {
      const unpublished = await withClient(databaseUrl, async (client) => {
        const { rows } = await client.query('SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL');
        return rows[0].n;
      });
      const depths = await broker.queueDepths();
      last = { 'unpublished outbox rows': unpublished, ...Object.fromEntries(queues.map((q) => [q, depths.get(q) ?? 0])) };
      calmPolls = Object.values(last).every((n) => n === 0) ? calmPolls + 1 : 0;
      if (calmPolls >= 2) return { reached: true, seconds: (performance.now() - started) / 1000, last };
    } catch (error) {
      last = { error: error.message };
      calmPolls = 0;
    }
    await sleep(POLL_MS);
  }
  timeline.log(`quiet NOT reached within ${timeoutMs / 1000} s: ${JSON.stringify(last)}`);
  return { reached: false, seconds: (performance.now() - started) / 1000, last };
}
