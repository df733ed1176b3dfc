/**
 * The faults, on a schedule relative to the start of the load:
 * - every few seconds a random worker is SIGKILLed and started again (until the load and the
 *   outages are over);
 * - the RabbitMQ node is restarted once;
 * - Postgres is cut once (every connection dropped, new ones refused), after the broker is back,
 *   so the two outages never overlap and each one's effects can be told apart.
 */
import { randomBetween, sleep } from './util.mjs';

/**
 * @param {{ plan: ReturnType<typeof import('./options.mjs').parseOptions>, stack: import('./stack.mjs').Stack,
 *   broker: { fault: string, restart(): Promise<number> }, pgProxy: import('../../test/support/tcp-proxy.mjs').TcpProxy,
 *   timeline: import('./timeline.mjs').Timeline, loadFinished: Promise<unknown> }} options
 */
export async function runFaults({ plan, stack, broker, pgProxy, timeline, loadFinished }) {
  const started = performance.now();
  const at = (seconds) => sleep(Math.max(0, started + seconds * 1000 - performance.now()));
  /** seconds since the load started: the report gives every fault's time this way */
  const elapsed = () => (performance.now() - started) / 1000;
  const report = { kills: [], brokerRestart: null, pgCut: null };

  const outages = (async () => {
    await at(plan.brokerRestartAt);
    timeline.log(`FAULT: ${broker.fault}`);
    const brokerAt = elapsed();
    const downMs = await broker.restart();
    report.brokerRestart = { at: brokerAt, downMs };
    timeline.log(`FAULT over: RabbitMQ reachable again after ${(downMs / 1000).toFixed(1)} s`);

    const earliest = performance.now() + 3000; // a gap after the broker is back, however late that was
    await at(plan.pgCutAt);
    await sleep(Math.max(0, earliest - performance.now()));
    const dropped = await pgProxy.cut();
    const cutAt = elapsed();
    timeline.log(`FAULT: Postgres cut for ${plan.pgCutSeconds} s (${dropped} connections dropped, new ones refused)`);
    await sleep(plan.pgCutSeconds * 1000);
    await pgProxy.restore();
    report.pgCut = { at: cutAt, seconds: plan.pgCutSeconds, dropped };
    timeline.log('FAULT over: Postgres reachable again');
  })();

  let faultsOver = false;
  const killer = (async () => {
    const [min, max] = plan.killEverySeconds;
    while (report.kills.length < plan.maxKills) {
      await sleep(randomBetween(min * 1000, max * 1000));
      if (faultsOver) break;
      const killed = await stack.killRandomWorker();
      if (killed) {
        report.kills.push({ t: elapsed(), worker: killed });
        timeline.log(`FAULT: SIGKILL ${killed}, started again`);
      }
    }
  })();

  await Promise.all([outages, loadFinished]);
  faultsOver = true;
  await killer;
  return report;
}
